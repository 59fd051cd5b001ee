using System.Text;
using NetBoard.Boards.Host;
using NetBoard.Firmware.Panel;
using NetBoard.Firmware.Settings;
using NetBoard.Hal;
using Xunit.Abstractions;

namespace NetBoard.Integration.Tests
{
    /// <summary>
    /// Every byte the board shows or keeps, other than the settings file itself, is free of the passwords: the
    /// --verbose dialogue and the console output of sends (PLAIN, LOGIN, CRAM-MD5, SCRAM-SHA-256 and -1 with and without the
    /// cached salted password, a wrong password), of POP
    /// before SMTP and of a refused POP reception, the `journal` command, every file of the data folder (the
    /// journal and the job records), every frame of the front panel walked through its whole menu over those
    /// settings (with the job status and journal screens), and the errors the settings loader prints for a bad
    /// file. The settings file stores the passwords in clear by design (the device must send them); that file
    /// is the only place they may appear.
    /// </summary>
    [Collection(LabCollection.Name)]
    public sealed class SecretCaptureTests
    {
        // Passwords the lab does not know: the exchange is refused, but the client sent them.
        private const string WrongSmtpPassword = "Qx7-SMTPMARK-\u00e9-pw";
        private const string WrongPopPassword = "Zz4-POPMARK-pw";

        private readonly LabFixture _lab;
        private readonly ITestOutputHelper _output;

        public SecretCaptureTests(LabFixture lab, ITestOutputHelper output)
        {
            _lab = lab;
            _output = output;
        }

        private sealed class Capture : IPanelInfo, IPanelActions
        {
            public StringBuilder Text { get; } = new StringBuilder();

            public int Frames { get; set; }

            public string[] Jobs { get; set; } = Array.Empty<string>();

            public string[] Journal { get; set; } = Array.Empty<string>();

            public string[] JobStatusLines() => Jobs;

            public string[] JournalLines() => Journal;

            public string SendTestEmail() => "not in this test";

            public string ForgetWebPassword() => null;
        }

        [Fact]
        public void Logs_journal_console_panel_and_settings_errors_never_show_a_password_or_its_encodings()
        {
            using Board board = new Board();
            string data = board.NewFolder("data");
            string scanUser = _lab["SCAN_USER"];
            string scanPassword = _lab["SCAN_PASSWORD"];
            string document = board.WriteDocument("scan.pdf", Documents.Random(300));
            var everything = new StringBuilder();
            var runs = new List<(string What, BoardRun Run)>();

            Dictionary<string, string> Settings(int port, string auth, string user, string password, int address)
            {
                Dictionary<string, string> s = Board.LabSettings(_lab, port, auth);
                s["smtp.user"] = user;
                s["smtp.password"] = password;
                s["net.local_address"] = _lab.ForeignAddressAt(address);
                s["pop.host"] = _lab.Host;
                s["pop.port"] = _lab.Pop3Port.ToString();
                s["pop.user"] = scanUser;
                s["pop.password"] = scanPassword;
                return s;
            }

            BoardRun Send(string what, Dictionary<string, string> settings, int expectedExit)
            {
                BoardRun run = board.Send(settings, document, "secrets " + what + " " + Documents.Token(), new[] { _lab.RelayRecipient }, "--verbose", "--data", data);
                Assert.True(run.ExitCode == expectedExit, what + ": " + run);
                runs.Add((what, run));
                return run;
            }

            Send("plain", Settings(_lab.AuthPort, "plain", scanUser, scanPassword, 8), 0);
            Send("login", Settings(_lab.AuthPort, "login", scanUser, scanPassword, 8), 0);
            Send("cram-md5", Settings(_lab.AuthPort, "cram-md5", _lab["CRAM_USER"], _lab["CRAM_PASSWORD"], 8), 0);
            int scramPort = int.Parse(_lab["SMTP_SCRAM_PORT"]);
            Send("scram-sha-256", Settings(scramPort, "scram-sha-256", _lab["SCRAM_USER"], _lab["SCRAM_PASSWORD"], 8), 0);
            Send("scram-sha-1", Settings(scramPort, "scram-sha-1", _lab["SCRAM_USER"], _lab["SCRAM_PASSWORD"], 8), 0);
            Send("scram cached", Settings(scramPort, "scram-sha-256", _lab["SCRAM_USER"], _lab["SCRAM_PASSWORD"], 8), 0);
            BoardRun wrong = Send("wrong password", Settings(_lab.AuthPort, "plain", scanUser, WrongSmtpPassword, 8), 1);
            Assert.Contains("#839", wrong.Output);
            Assert.Contains("C: AUTH PLAIN ****", wrong.Error);

            Dictionary<string, string> popBefore = Settings(_lab.NoAuthPort, "off", scanUser, string.Empty, 9);
            popBefore.Remove("smtp.password");
            popBefore.Remove("smtp.user");
            popBefore["pop.before_smtp"] = "on";
            popBefore["pop.before_smtp.delay_ms"] = "0";
            popBefore["pop.login"] = "user";
            BoardRun popRun = Send("pop before smtp", popBefore, 0);
            Assert.Contains("PASS ****", popRun.Error);
            popBefore["pop.login"] = "auto";
            BoardRun popCram = Send("pop before smtp, auto login", popBefore, 0);
            Assert.Contains("C: AUTH CRAM-MD5", popCram.Error);
            Assert.Contains("C: ****", popCram.Error);

            Dictionary<string, string> receive = Settings(_lab.AuthPort, "off", scanUser, string.Empty, 9);
            receive["pop.password"] = WrongPopPassword;
            receive["pop.login"] = "user";
            string receiveSettings = board.WriteSettings(receive);
            BoardRun refused = Board.Receive(receiveSettings, board.NewFolder("out"), data, verbose: true);
            Assert.True(refused.ExitCode != 0, "a wrong POP password must fail the reception: " + refused);
            Assert.Contains("PASS ****", refused.Error);
            runs.Add(("receive", refused));
            runs.Add(("journal", Board.ShowJournal(receiveSettings, data)));
            foreach (var (what, run) in runs)
            {
                everything.Append("== ").Append(what).Append('\n').Append(run.Output).Append(run.Error);
            }

            // Every file the board wrote in its data folder, except the scanned documents themselves.
            int files = 0;
            foreach (string file in Directory.GetFiles(data, "*", SearchOption.AllDirectories))
            {
                string relative = Path.GetRelativePath(data, file);
                if (!relative.StartsWith("docs", StringComparison.Ordinal))
                {
                    files++;
                    everything.Append("== file ").Append(relative).Append('\n').Append(Encoding.UTF8.GetString(File.ReadAllBytes(file))).Append('\n');
                }
            }

            Assert.True(files >= 2, "the data folder holds the journal and job records: " + files + " files");
            Assert.Equal(2, Directory.GetFiles(Path.Combine(data, "credentials"), "scram-*.cred").Length);

            // The panel over settings that hold every password, walked through its whole menu.
            Dictionary<string, string> all = Settings(_lab.AuthPort, "plain", scanUser, WrongSmtpPassword, 8);
            all["pop.password"] = WrongPopPassword;
            var deviceSettings = new DeviceSettings();
            foreach (KeyValuePair<string, string> pair in all)
            {
                Assert.Null(deviceSettings.Set(pair.Key, pair.Value));
            }

            var capture = new Capture();
            using (HostBoard host = HostBoard.Open(deviceSettings, data, board.NewFolder("printed")))
            {
                var services = new DevicePanelServices(host.Context, host.Queue, host.Sender, host.Receiver);
                capture.Jobs = services.JobStatusLines();
                capture.Journal = services.JournalLines();
            }

            var panel = new PanelController(new SettingsKeeper(deviceSettings, null), 20, 4, capture, capture);
            Walk(panel, capture);
            // The walk reached both password settings (their labels were on the display, their editors opened).
            foreach (string key in new[] { "smtp.password", "pop.password" })
            {
                string label = panel.Root.Find(key).Label;
                Assert.Contains(label.Length > 19 ? label.Substring(0, 19) : label, capture.Text.ToString());
            }
            everything.Append("== panel\n").Append(capture.Text);

            // The loader's errors for a file whose password lines are bad.
            string badFile = Path.Combine(board.Folder, "bad.settings");
            File.WriteAllText(badFile, "smtp.password=" + WrongSmtpPassword + "\u0000x\nsmtp.password=" + WrongSmtpPassword + "\npop.password=" + WrongPopPassword + new string('y', 300) + "\nsmtp.host\n", new UTF8Encoding(false));
            var loadErrors = new StringWriter();
            Assert.Null(SettingsFile.Load(badFile, loadErrors));
            Assert.Contains("line 1", loadErrors.ToString());
            everything.Append("== settings errors\n").Append(loadErrors);

            string text = everything.ToString();
            var secrets = new List<(string User, string Password)>
            {
                (scanUser, scanPassword), (_lab["CRAM_USER"], _lab["CRAM_PASSWORD"]), (scanUser, WrongSmtpPassword), (scanUser, WrongPopPassword),
                (_lab["SCRAM_USER"], _lab["SCRAM_PASSWORD"]),
            };
            var leaks = secrets.SelectMany(s => SecretTests.SecretForms(s.User, s.Password)).Where(f => text.Contains(f, StringComparison.Ordinal)).ToList();
            _output.WriteLine(runs.Count + " runs, " + files + " data files, " + capture.Frames + " panel frames, " + text.Length + " characters checked; " + leaks.Count + " leaks");
            Assert.True(leaks.Count == 0, "a password form appears: " + string.Join(", ", leaks));
        }

        /// <summary>Visits every node of the menu: folders are entered, settings are opened for editing and cancelled, the two screens are shown with each of their lines whole.</summary>
        private static void Walk(PanelController panel, Capture capture)
        {
            void Press(PanelKey key)
            {
                panel.OnKey(key, '\0');
                capture.Text.Append(string.Join("\n", panel.Render())).Append('\n');
                capture.Frames++;
            }

            void Folder(MenuNode folder)
            {
                for (int i = 0; i < folder.Count; i++)
                {
                    MenuNode node = folder.Child(i);
                    if (node.Kind == MenuNodeKind.Folder)
                    {
                        Press(PanelKey.Set);
                        Folder(node);
                        Press(PanelKey.Back);
                    }
                    else if (node.Kind == MenuNodeKind.Setting)
                    {
                        Press(PanelKey.Set);
                        Press(PanelKey.Down);
                        Press(PanelKey.Down);
                        Press(PanelKey.Back);
                    }
                    else if (node.Kind == MenuNodeKind.JobStatus || node.Kind == MenuNodeKind.Journal)
                    {
                        // Every line of the screen, each shown whole (Set) and scrolled to its end.
                        Press(PanelKey.Set);
                        for (int line = 0; line < 25; line++)
                        {
                            Press(PanelKey.Set);
                            for (int page = 0; page < 8; page++)
                            {
                                Press(PanelKey.Down);
                            }

                            Press(PanelKey.Back);
                            Press(PanelKey.Down);
                        }

                        Press(PanelKey.Back);
                    }

                    Press(PanelKey.Down);
                }
            }

            Press(PanelKey.Menu);
            Folder(panel.Root);
        }

    }
}
