using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace NetBoard.Projects.Tests
{
    /// <summary>
    /// The device projects as nanoFramework's tools expect them: the test project is a test
    /// container with its run settings, every assembly carries the product version, no dead settings.
    /// </summary>
    public sealed class DeviceProjectTests
    {
        public static IEnumerable<object[]> DeviceProjects()
        {
            return SolutionFile.ProjectPaths(Path.Combine(RepositoryRoot.Path, "nanoFramework.sln"), ".nfproj")
                .Select(p => new object[] { Path.GetRelativePath(RepositoryRoot.Path, p).Replace('\\', '/') });
        }

        [Theory]
        [MemberData(nameof(DeviceProjects))]
        public void Every_device_assembly_carries_the_product_version(string project)
        {
            NfprojFile nfproj = NfprojFile.Load(Path.Combine(RepositoryRoot.Path, project));
            Assert.Contains(SourceListCheck.AssemblyInfoInclude, nfproj.CompileItems.Select(i => i.Include));
            string text = File.ReadAllText(nfproj.Resolve(SourceListCheck.AssemblyInfoInclude));
            string version = ProductVersion();

            Assert.Equal(nfproj.PropertyValues("AssemblyName").Single(), Attribute(text, "AssemblyTitle"));
            Assert.Equal(version + ".0", Attribute(text, "AssemblyVersion"));
            Assert.Equal(version + ".0", Attribute(text, "AssemblyFileVersion"));
            Assert.Equal(version, Attribute(text, "AssemblyInformationalVersion"));
            Assert.False(string.IsNullOrWhiteSpace(Attribute(text, "AssemblyDescription")));
            Assert.Equal("NetBoard", Attribute(text, "AssemblyCompany"));
            Assert.Equal("NetBoard MFP network board firmware", Attribute(text, "AssemblyProduct"));
        }

        [Theory]
        [MemberData(nameof(DeviceProjects))]
        public void No_device_project_sets_an_OutputPath_the_project_system_overrides(string project)
        {
            NfprojFile nfproj = NfprojFile.Load(Path.Combine(RepositoryRoot.Path, project));
            Assert.Empty(nfproj.PropertyValues("OutputPath"));
        }

        [Fact]
        public void The_product_version_is_three_numbers()
        {
            Assert.Matches("^[0-9]+\\.[0-9]+\\.[0-9]+$", ProductVersion());
        }

        [Fact]
        public void The_device_test_project_is_a_test_container_with_the_emulator_run_settings()
        {
            string folder = Path.Combine(RepositoryRoot.Path, "tests", "device");
            NfprojFile nfproj = NfprojFile.Load(Path.Combine(folder, "NFUnitTest.nfproj"));

            Assert.Equal(new[] { "TestContainer" }, nfproj.ItemIncludes("ProjectCapability"));
            Assert.Equal("NFUnitTest", nfproj.PropertyValues("AssemblyName").Single());
            Assert.Equal("true", nfproj.PropertyValues("IsTestProject").Single());
            Assert.Equal("UnitTest", nfproj.PropertyValues("TestProjectType").Single());
            Assert.Equal("$(MSBuildProjectDirectory)\\nano.runsettings", nfproj.PropertyValues("RunSettingsFilePath").Single());
            Assert.Contains("nano.runsettings", nfproj.ItemIncludes("None"));
            Assert.Contains("nano.hardware.runsettings", nfproj.ItemIncludes("None"));

            Assert.Equal("False", AdapterSetting(Path.Combine(folder, "nano.runsettings"), "IsRealHardware"));
            Assert.Equal("True", AdapterSetting(Path.Combine(folder, "nano.hardware.runsettings"), "IsRealHardware"));
        }

        [Fact]
        public void The_TestFramework_package_is_a_development_dependency_of_the_version_referenced()
        {
            string folder = Path.Combine(RepositoryRoot.Path, "tests", "device");
            XElement package = XDocument.Load(Path.Combine(folder, "packages.config")).Root.Elements("package")
                .Single(e => (string)e.Attribute("id") == "nanoFramework.TestFramework");

            Assert.Equal("true", (string)package.Attribute("developmentDependency"));
            string folderName = "nanoFramework.TestFramework." + (string)package.Attribute("version");
            XDocument nfproj = XDocument.Load(Path.Combine(folder, "NFUnitTest.nfproj"));
            string[] hintPaths = nfproj.Descendants(NfprojFile.MsBuild + "HintPath")
                .Select(e => e.Value)
                .Where(v => v.Contains("nanoFramework.TestFramework.", StringComparison.Ordinal))
                .ToArray();
            Assert.Equal(2, hintPaths.Length);
            Assert.All(hintPaths, h => Assert.Contains("\\packages\\" + folderName + "\\lib\\", h));
        }

        private static string ProductVersion()
        {
            XDocument props = XDocument.Load(Path.Combine(RepositoryRoot.Path, "Directory.Build.props"));
            return props.Descendants("Version").Single().Value;
        }

        private static string Attribute(string assemblyInfo, string name)
        {
            MatchCollection matches = Regex.Matches(assemblyInfo, "\\[assembly:\\s*" + name + "\\(\"(?<value>[^\"]*)\"\\)\\]");
            Assert.True(matches.Count == 1, "expected one " + name + " attribute, found " + matches.Count);
            return matches[0].Groups["value"].Value;
        }

        private static string AdapterSetting(string runSettings, string name)
        {
            return XDocument.Load(runSettings).Root.Element("nanoFrameworkAdapter").Element(name).Value;
        }
    }
}
