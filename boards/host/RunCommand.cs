using System;
using System.IO;
using System.Threading;
using NetBoard.Firmware.Panel;
using NetBoard.Firmware.Settings;
using NetBoard.Hal.Host;

namespace NetBoard.Boards.Host
{
    /// <summary>
    /// `run`: the virtual board as a device. The scheduler runs the job queue, SMTP send, POP receive
    /// and front-panel tasks; the panel is drawn in the terminal and driven from the keyboard (or
    /// from standard input when it is a pipe); settings changed at the panel are saved back to the
    /// settings file (with FILE.bak and a checksum line). Ctrl-C, or the end of piped input, stops it.
    /// </summary>
    internal static class RunCommand
    {
        public const int DefaultColumns = 20;
        public const int DefaultRows = 4;

        public static int Run(CommandLine line, TextWriter output, TextWriter error)
        {
            string settingsPath = line.Get("--settings");
            if (settingsPath == null)
            {
                error.WriteLine("virtual-board: run needs --settings");
                return Program.ExitUsage;
            }

            string full = Path.GetFullPath(settingsPath);
            var store = new SettingsStore(new FileStorage(Path.GetDirectoryName(full)), Path.GetFileName(full));
            string notice;
            DeviceSettings settings = LoadSettings(full, store, error, out notice);
            if (settings == null)
            {
                return Program.ExitUsage;
            }

            using (HostBoard board = HostBoard.Open(settings, store, line.Get("--data") ?? HostBoard.DefaultDataFolder(settingsPath), null))
            using (TerminalPanel panel = OpenPanel())
            {
                PanelController controller = board.Runtime.AttachPanel(panel, panel);
                if (notice != null)
                {
                    controller.ShowNotice(notice);
                }
                else if (board.BootNote != null)
                {
                    controller.ShowNotice(board.BootNote);
                }

                int stop = 0;
                ConsoleCancelEventHandler onCancel = (sender, e) =>
                {
                    e.Cancel = true;
                    Interlocked.Exchange(ref stop, 1);
                };
                Console.CancelKeyPress += onCancel;
                try
                {
                    board.RunUntil(() => Volatile.Read(ref stop) == 1 || panel.InputEnded);
                }
                finally
                {
                    Console.CancelKeyPress -= onCancel;
                }
            }

            return 0;
        }

        private static TerminalPanel OpenPanel()
        {
            if (Console.IsInputRedirected)
            {
                return new TerminalPanel(DefaultColumns, DefaultRows, Console.Out, Console.OpenStandardInput(), 0);
            }

            return new TerminalPanel(DefaultColumns, DefaultRows);
        }

        /// <summary>
        /// A file the device saved carries a checksum line and is loaded with its backup as fall-back; a
        /// hand-written file has none and must parse cleanly.
        /// </summary>
        private static DeviceSettings LoadSettings(string path, SettingsStore store, TextWriter error, out string notice)
        {
            notice = null;
            string text = null;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (IOException)
            {
                // Missing or unreadable: the store decides between backup and factory settings.
            }

            if (text != null && text.IndexOf("\n#crc32=", StringComparison.Ordinal) < 0 && !text.StartsWith("#crc32=", StringComparison.Ordinal))
            {
                return SettingsFile.Load(path, error);
            }

            SettingsLoadResult loaded = store.Load();
            notice = loaded.Message;
            return loaded.Settings;
        }
    }
}
