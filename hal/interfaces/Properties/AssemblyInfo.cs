using System.Reflection;
using System.Runtime.InteropServices;

// The device build's assembly attributes. The host (SDK-style) projects that share a folder with a
// device project generate their own and leave this file out. The version is the one in
// Directory.Build.props; a test keeps every device assembly on it.
[assembly: AssemblyTitle("NetBoard.Hal")]
[assembly: AssemblyDescription("The HAL contract between the firmware core and a board: connections, clock, timers, storage, panel, engine.")]
[assembly: AssemblyCompany("NetBoard")]
[assembly: AssemblyProduct("NetBoard MFP network board firmware")]
[assembly: ComVisible(false)]

[assembly: AssemblyVersion("0.9.0.0")]
[assembly: AssemblyFileVersion("0.9.0.0")]
[assembly: AssemblyInformationalVersion("0.9.0")]
