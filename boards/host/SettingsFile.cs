using System.IO;
using NetBoard.Firmware.Settings;
using NetBoard.Hal.Host;

namespace NetBoard.Boards.Host
{
    /// <summary>Reads a settings file (key=value lines, UTF-8) and reports every bad line.</summary>
    internal static class SettingsFile
    {
        /// <summary>
        /// The settings, or null after writing the problems to <paramref name="error"/>. A file other users
        /// may read gets a warning first: it holds the SMTP and POP passwords.
        /// </summary>
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

            WarnIfOpenToOthers(path, error);
            return Parse(path, text, error);
        }

        /// <summary>The settings in <paramref name="text"/> (read from <paramref name="path"/>), or null after writing every bad line to <paramref name="error"/>.</summary>
        public static DeviceSettings Parse(string path, string text, TextWriter error)
        {
            SettingsParseResult parsed = DeviceSettings.Parse(text);
            foreach (string problem in parsed.Errors)
            {
                error.WriteLine("virtual-board: " + path + ": " + problem);
            }

            return parsed.Settings;
        }

        /// <summary>Warns on <paramref name="error"/>, naming the file and the fix, when the group or others may read or change it.</summary>
        public static void WarnIfOpenToOthers(string path, TextWriter error)
        {
            string mode;
            try
            {
                if (!OwnerOnly.IsOpenToOthers(path, out mode))
                {
                    return;
                }
            }
            catch (IOException)
            {
                // Gone or unreadable: the load that follows says so.
                return;
            }

            error.WriteLine("virtual-board: warning: settings file " + path + " is open to other users (mode " + mode
                + ") and may hold passwords; fix: chmod 600 " + ShellQuote(path));
        }

        private static string ShellQuote(string path)
        {
            foreach (char c in path)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c == '/' || c == '.' || c == '_' || c == '-' || c == '+' || c == ','))
                {
                    return "'" + path.Replace("'", "'\\''") + "'";
                }
            }

            return path;
        }
    }
}
