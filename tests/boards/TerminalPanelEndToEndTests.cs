using System;
using System.Diagnostics;
using System.IO;
using System.Threading;

namespace NetBoard.Boards.Host.Tests
{
    /// <summary>
    /// The virtual board's `run` in a real pseudo-terminal (tmux), driven as a person would: keys are
    /// typed, the screen is read back, and the settings file is checked after the change.
    /// </summary>
    public sealed class TerminalPanelEndToEndTests : IDisposable
    {
        private const int ScreenWaitMs = 15000;

        private readonly string _dir;
        private readonly string _session;

        public TerminalPanelEndToEndTests()
        {
            _dir = Path.Combine(Path.GetTempPath(), "netboard-panel-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_dir);
            _session = "vb" + Guid.NewGuid().ToString("N").Substring(0, 8);
        }

        public void Dispose()
        {
            Tmux("kill-session", "-t", _session);
            Directory.Delete(_dir, true);
        }

        [Fact]
        [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
        public void Pop_before_smtp_is_switched_on_through_the_menu_and_saved_to_the_settings_file()
        {
            string settings = Path.Combine(_dir, "board.settings");
            File.WriteAllText(settings, "smtp.host=127.0.0.1\ndevice.email=scan@lab.test\npop.host=127.0.0.1\npop.before_smtp=off\nweb.enable=off\n");
            File.SetUnixFileMode(settings, (UnixFileMode)Convert.ToInt32("644", 8));
            string board = Path.Combine(AppContext.BaseDirectory, "virtual-board.dll");
            Assert.True(File.Exists(board), board);

            Assert.Equal(0, Tmux("new-session", "-d", "-s", _session, "-x", "80", "-y", "24", "dotnet " + Quote(board) + " run --settings " + Quote(settings) + "; sleep 60"));
            WaitForScreen("Send: idle");

            Type("m");
            WaitForScreen(">Job Status");
            Type("Down", "Down", "Enter");
            WaitForScreen(">Network Settings");
            Type("Enter");
            WaitForScreen(">E-Mail/I-Fax");
            Type("Enter");
            WaitForScreen(">SMTP Server");
            Type("Down", "Down", "Enter");
            WaitForScreen("POP Before SMTP OFF");
            Type("Enter");
            WaitForScreen("Set=OK Back=Cancel");
            Type("Down");
            WaitForScreen("ON");
            Type("Enter");
            WaitForScreen("POP Before SMTP  ON");

            string saved = WaitForFile(settings, "pop.before_smtp=on");
            Assert.Contains("smtp.host=127.0.0.1\n", saved);
            Assert.Contains("pop.host=127.0.0.1\n", saved);
            Assert.Matches("\n#crc32=[0-9a-f]{8}\n$", saved);

            // Written by hand with the usual umask (0644), saved from the panel owner-only: it may hold passwords.
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(settings));

            // The saved file is what the device and the command line read back.
            var error = new StringWriter();
            var output = new StringWriter();
            Assert.Equal(0, Program.Run(new[] { "journal", "--settings", settings, "--data", Path.Combine(_dir, "data2") }, output, error));
            Assert.Equal(string.Empty, error.ToString());
        }

        [Fact]
        public void A_bad_port_is_refused_on_the_panel_with_its_message()
        {
            string settings = Path.Combine(_dir, "board.settings");
            File.WriteAllText(settings, "smtp.host=127.0.0.1\nsmtp.port=25\ndevice.email=scan@lab.test\nweb.enable=off\n");
            string board = Path.Combine(AppContext.BaseDirectory, "virtual-board.dll");
            Assert.Equal(0, Tmux("new-session", "-d", "-s", _session, "-x", "80", "-y", "24", "dotnet " + Quote(board) + " run --settings " + Quote(settings) + "; sleep 60"));
            WaitForScreen("Send: idle");

            Type("m", "Down", "Down", "Enter");
            WaitForScreen(">Network Settings");
            Type("Enter", "Enter", "Enter");
            WaitForScreen(">SMTP Server");
            Type("Down", "Enter");
            WaitForScreen("Set=OK");
            Type("BSpace", "BSpace");
            Tmux("send-keys", "-t", _session, "-l", "70000");
            Thread.Sleep(200);
            Type("Enter");
            WaitForScreen("1 to 65535");
            Assert.Contains("smtp.port=25\n", File.ReadAllText(settings));
        }

        [Fact]
        public void A_damaged_settings_file_falls_back_to_the_backup_and_the_panel_says_so()
        {
            string settings = Path.Combine(_dir, "board.settings");
            var good = new NetBoard.Firmware.Settings.DeviceSettings();
            Assert.Null(good.Set("smtp.host", "backup.lab.test"));
            Assert.Null(good.Set("device.email", "scan@lab.test"));
            Assert.Null(good.Set("web.enable", "off"));
            File.WriteAllBytes(settings + ".bak", NetBoard.Firmware.Settings.SettingsStore.Encode(good));
            var newer = new NetBoard.Firmware.Settings.DeviceSettings();
            Assert.Null(newer.Set("smtp.host", "current.lab.test"));
            byte[] damaged = NetBoard.Firmware.Settings.SettingsStore.Encode(newer);
            damaged[5] ^= 0x20;
            File.WriteAllBytes(settings, damaged);
            string board = Path.Combine(AppContext.BaseDirectory, "virtual-board.dll");

            Assert.Equal(0, Tmux("new-session", "-d", "-s", _session, "-x", "80", "-y", "24", "dotnet " + Quote(board) + " run --settings " + Quote(settings) + "; sleep 60"));
            WaitForScreen("Settings restored");
            WaitForScreen("from backup");
            Type("Enter");
            WaitForScreen("Send: idle");
            Type("m", "Down", "Down", "Enter", "Enter", "Enter", "Enter");
            WaitForScreen(">SMTP Server");
            Type("Enter");
            WaitForScreen("backup.lab.test");
        }

        private void Type(params string[] keys)
        {
            foreach (string key in keys)
            {
                Assert.Equal(0, Tmux("send-keys", "-t", _session, key));

                // A person does not type faster than the panel polls its keys.
                Thread.Sleep(120);
            }
        }

        private string Screen()
        {
            var start = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string a in new[] { "capture-pane", "-t", _session, "-p" })
            {
                start.ArgumentList.Add(a);
            }

            using Process p = Process.Start(start);
            string text = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return text;
        }

        private void WaitForScreen(string text)
        {
            var watch = Stopwatch.StartNew();
            string screen = Screen();
            while (!screen.Contains(text, StringComparison.Ordinal) && watch.ElapsedMilliseconds < ScreenWaitMs)
            {
                Thread.Sleep(100);
                screen = Screen();
            }

            Assert.True(screen.Contains(text, StringComparison.Ordinal), "screen never showed \"" + text + "\":\n" + screen);
        }

        private static string WaitForFile(string path, string text)
        {
            var watch = Stopwatch.StartNew();
            string content = File.ReadAllText(path);
            while (!content.Contains(text, StringComparison.Ordinal) && watch.ElapsedMilliseconds < ScreenWaitMs)
            {
                Thread.Sleep(100);
                content = File.ReadAllText(path);
            }

            Assert.Contains(text, content);
            return content;
        }

        private static int Tmux(params string[] args)
        {
            var start = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string a in args)
            {
                start.ArgumentList.Add(a);
            }

            using Process p = Process.Start(start);
            p.StandardOutput.ReadToEnd();
            p.StandardError.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode;
        }

        private static string Quote(string path)
        {
            return "'" + path.Replace("'", "'\\''") + "'";
        }
    }
}
