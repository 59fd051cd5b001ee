using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using NetBoard.Firmware.Panel;
using NetBoard.Firmware.Settings;
using NetBoard.Hal;
using NetBoard.Hal.Host;

namespace NetBoard.Boards.Host
{
    /// <summary>
    /// `run`: the virtual board as a device. The scheduler runs the job queue, SMTP send, POP receive
    /// and front-panel tasks; settings changed at the panel are saved back to the settings file (with
    /// FILE.bak and a checksum line). On a terminal the panel is drawn as a box and driven from the
    /// keyboard (or from standard input's bytes when it is redirected). Without a terminal (standard
    /// output redirected: a service, a pipe, a log) it runs headless: the panel's changes and every new
    /// journal entry are written as plain lines, and keys are read from standard input when that is
    /// not a terminal. The end of standard input ends the keys only; SIGTERM or SIGINT (Ctrl-C) stops
    /// the board, with exit code 0.
    /// </summary>
    internal static class RunCommand
    {
        public const int DefaultColumns = 20;
        public const int DefaultRows = 4;

        /// <summary>The line a headless board starts with.</summary>
        public const string HeadlessLine = "virtual-board: running without a terminal: panel changes and journal entries follow as lines";

        /// <summary>What the last line says after a signal stopped the board: "virtual-board: stopped (SIGTERM)".</summary>
        public const string StoppedLine = "virtual-board: stopped";

        /// <summary>The line giving the web page's address: "virtual-board: web page http://127.0.0.1:8080/".</summary>
        public const string WebLinePrefix = "virtual-board: web page ";

        /// <summary>The line giving the first-use setup code: "virtual-board: web setup code 12345678 (...)".</summary>
        public const string SetupCodeLinePrefix = "virtual-board: web setup code ";

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

            bool headless = Console.IsOutputRedirected;
            PanelKeyInput keys = OpenKeys(headless);
            LinePanel lines = null;
            TerminalPanel terminal = null;
            if (headless)
            {
                lines = new LinePanel(DefaultColumns, DefaultRows, output, keys);
                lines.WriteLine(HeadlessLine);
                lines.WriteLine(Console.IsInputRedirected
                    ? "virtual-board: keys from standard input; stop with SIGTERM or Ctrl-C"
                    : "virtual-board: standard input is a terminal, keys are not read; stop with SIGTERM or Ctrl-C");
            }

            string stoppedBy = null;
            using (HostBoard board = HostBoard.Open(settings, store, line.Get("--data") ?? HostBoard.DefaultDataFolder(settingsPath), null))
            {
                IPanelDisplay display;
                IPanelKeys panelKeys;
                if (headless)
                {
                    display = lines;
                    panelKeys = lines;
                    board.Scheduler.Add(new JournalEchoTask(board.Context.Journal, lines));
                }
                else
                {
                    terminal = new TerminalPanel(DefaultColumns, DefaultRows, Console.Out, keys, 1);
                    display = terminal;
                    panelKeys = terminal;
                }

                TcpNetListener web = StartWeb(board, settings, Path.GetDirectoryName(full), output, lines, error);
                PanelController controller = board.Runtime.AttachPanel(panelKeys, display);
                string first = notice ?? board.BootNote;
                if (first != null)
                {
                    // The web page's setup code must stay reachable: it follows the boot message on the same notice.
                    string code = board.Runtime.Web?.SetupCode;
                    controller.ShowNotice(code == null ? first : first + " - Web setup code " + code);
                }

                Action<PosixSignalContext> onSignal = context =>
                {
                    // Stop at the end of the scheduler's pass instead of the runtime's default exit.
                    context.Cancel = true;
                    Interlocked.CompareExchange(ref stoppedBy, context.Signal.ToString(), null);
                };
                using (PosixSignalRegistration.Create(PosixSignal.SIGTERM, onSignal))
                using (PosixSignalRegistration.Create(PosixSignal.SIGINT, onSignal))
                {
                    board.RunUntil(() => Volatile.Read(ref stoppedBy) != null);
                }

                if (board.Runtime.WebServer != null)
                {
                    board.Runtime.WebServer.Stop();
                }

                web?.Dispose();
                if (terminal != null)
                {
                    terminal.Dispose();
                }
            }

            string stopped = StoppedLine + " (" + stoppedBy + ")";
            if (lines != null)
            {
                lines.WriteLine(stopped);
            }
            else
            {
                output.WriteLine(stopped);
            }

            return 0;
        }

        /// <summary>
        /// Serves the web page when web.enable is on: on web.address (loopback when empty) and web.port,
        /// printing its address, and the setup code while no administrator password is set. A port that
        /// cannot be bound is reported on standard error; the board runs on without its web page.
        /// </summary>
        private static TcpNetListener StartWeb(HostBoard board, DeviceSettings settings, string settingsFolder, TextWriter output, LinePanel lines, TextWriter error)
        {
            if (!settings.IsOn(SettingKeys.WebEnable))
            {
                return null;
            }

            X509Certificate2 certificate = null;
            string certFile = settings.Get(SettingKeys.WebTlsCert);
            string keyFile = settings.Get(SettingKeys.WebTlsKey);
            if (certFile.Length > 0 || keyFile.Length > 0)
            {
                // Never a silent fall-back to plain HTTP: a certificate that cannot be used means no web page.
                if (certFile.Length == 0 || keyFile.Length == 0)
                {
                    error.WriteLine("virtual-board: web page not served: HTTPS needs both web.tls.cert and web.tls.key");
                    return null;
                }

                try
                {
                    certificate = LoadCertificate(Path.Combine(settingsFolder, certFile), Path.Combine(settingsFolder, keyFile));
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is System.Security.Cryptography.CryptographicException || e is ArgumentException)
                {
                    error.WriteLine("virtual-board: web page not served: the certificate in web.tls.cert / web.tls.key cannot be used: " + e.Message);
                    return null;
                }
            }

            string address = settings.Get(SettingKeys.WebAddress);
            if (address.Length == 0)
            {
                address = TcpNetListener.DefaultAddress;
            }

            int port = settings.GetInt(SettingKeys.WebPort);
            TcpNetListener listener;
            try
            {
                listener = new TcpNetListener(address, port, certificate);
            }
            catch (System.Net.Sockets.SocketException e)
            {
                error.WriteLine("virtual-board: web page not served: cannot listen on " + address + ":" + port + ": " + e.Message + " (change web.port or web.address, or set web.enable=off)");
                return null;
            }

            NetBoard.Firmware.Web.WebSite site = board.Runtime.AttachWeb(listener, listener.IsSecure);
            Say(output, lines, WebLinePrefix + (listener.IsSecure ? "https://" : "http://") + address + ":" + listener.LocalPort + "/");
            if (site.SetupCode != null)
            {
                Say(output, lines, SetupCodeLinePrefix + site.SetupCode + " (first use: the page asks for it to set the administrator password)");
            }

            return listener;
        }

        /// <summary>The certificate and its private key from PEM files, usable by the TLS server.</summary>
        private static X509Certificate2 LoadCertificate(string certFile, string keyFile)
        {
            using X509Certificate2 pem = X509Certificate2.CreateFromPemFile(certFile, keyFile);

            // An ephemeral key from PEM is exported and loaded again, as the platform's TLS server wants a persisted one.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }

        private static void Say(TextWriter output, LinePanel lines, string text)
        {
            if (lines != null)
            {
                lines.WriteLine(text);
            }
            else
            {
                output.WriteLine(text);
            }
        }

        /// <summary>
        /// Where the panel's keys come from: a redirected standard input's bytes; on a terminal the
        /// keyboard, except without a terminal for the output (a board started in the background with
        /// its output in a log must not read, or be stopped for reading, the terminal).
        /// </summary>
        private static PanelKeyInput OpenKeys(bool headless)
        {
            if (Console.IsInputRedirected)
            {
                return PanelKeyInput.FromStream(Console.OpenStandardInput());
            }

            return headless ? PanelKeyInput.None() : PanelKeyInput.FromConsole();
        }

        /// <summary>
        /// A file the device saved carries a checksum line and is loaded with its backup as fall-back; a
        /// hand-written file has none and must parse cleanly.
        /// </summary>
        private static DeviceSettings LoadSettings(string path, SettingsStore store, TextWriter error, out string notice)
        {
            notice = null;
            SettingsFile.WarnIfOpenToOthers(path, error);
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
                return SettingsFile.Parse(path, text, error);
            }

            SettingsLoadResult loaded = store.Load();
            notice = loaded.Message;
            return loaded.Settings;
        }
    }
}
