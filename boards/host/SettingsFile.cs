using System.IO;
using NetBoard.Firmware.Settings;

namespace NetBoard.Boards.Host
{
    /// <summary>Reads a settings file (key=value lines, UTF-8) and reports every bad line.</summary>
    internal static class SettingsFile
    {
        /// <summary>The settings, or null after writing the problems to <paramref name="error"/>.</summary>
        public static DeviceSettings Load(string path, TextWriter error)
        {
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (IOException e)
            {
                error.WriteLine("virtual-board: cannot read settings " + path + ": " + e.Message);
                return null;
            }
            catch (System.UnauthorizedAccessException e)
            {
                error.WriteLine("virtual-board: cannot read settings " + path + ": " + e.Message);
                return null;
            }

            SettingsParseResult parsed = DeviceSettings.Parse(text);
            foreach (string problem in parsed.Errors)
            {
                error.WriteLine("virtual-board: " + path + ": " + problem);
            }

            return parsed.Settings;
        }
    }
}
