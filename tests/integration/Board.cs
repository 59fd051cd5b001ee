using System.Text;
using NetBoard.Boards.Host;

namespace NetBoard.Integration.Tests
{
    /// <summary>What one in-process run of the virtual board printed and returned.</summary>
    internal sealed class BoardRun
    {
        public BoardRun(int exitCode, string output, string error)
        {
            ExitCode = exitCode;
            Output = output;
            Error = error;
        }

        public int ExitCode { get; }

        /// <summary>Everything written to the output writer (the journal line).</summary>
        public string Output { get; }

        /// <summary>Everything written to the error writer (the --verbose dialogue, usage problems).</summary>
        public string Error { get; }

        /// <summary>The non-empty output lines (the journal lines a `receive` or `journal` printed).</summary>
        public string[] Lines => Output.Split(new[] { "\r\n", "\n" }, StringSplitOptions.RemoveEmptyEntries);

        /// <summary>The single journal line; fails when the output is not exactly one line.</summary>
        public string Journal
        {
            get
            {
                string[] lines = Output.Split(new[] { "\r\n", "\n" }, StringSplitOptions.RemoveEmptyEntries);
                Assert.True(lines.Length == 1, "expected one journal line, got:\n" + Output + "\n--- error ---\n" + Error);
                return lines[0];
            }
        }

        public override string ToString()
        {
            return "exit " + ExitCode + "\n--- output ---\n" + Output + "--- error ---\n" + Error;
        }
    }

    /// <summary>A temp folder with a settings file and documents, and `send` run in-process through Program.Run.</summary>
    internal sealed class Board : IDisposable
    {
        private readonly DirectoryInfo _dir;

        public Board()
        {
            _dir = Directory.CreateTempSubdirectory("netboard-integ-");
        }

        public string Folder => _dir.FullName;

        /// <summary>Settings for a session against the lab; callers add or override keys.</summary>
        public static Dictionary<string, string> LabSettings(LabFixture lab, int port, string auth)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["smtp.host"] = lab.Host,
                ["smtp.port"] = port.ToString(),
                ["smtp.security"] = "none",
                ["smtp.auth"] = auth,
                ["smtp.auth.plaintext"] = "allow",
                ["smtp.ehlo_name"] = "mfp.lab.test",
                ["device.email"] = lab["SCAN_USER"],
                ["device.name"] = "Scanner 3F",
                // bounds so a stuck lab fails a test instead of hanging the suite; not timing assertions
                ["smtp.timeout.connect_s"] = "10",
                ["smtp.timeout.greeting_s"] = "30",
                ["smtp.timeout.mail_s"] = "30",
                ["smtp.timeout.rcpt_s"] = "30",
                ["smtp.timeout.data_s"] = "30",
                ["smtp.timeout.block_s"] = "30",
                ["smtp.timeout.final_s"] = "60",
            };
        }

        public string WriteSettings(IDictionary<string, string> settings)
        {
            StringBuilder text = new StringBuilder();
            text.Append("# integration test settings\n");
            foreach (KeyValuePair<string, string> pair in settings)
            {
                text.Append(pair.Key).Append('=').Append(pair.Value).Append('\n');
            }

            string path = Path.Combine(Folder, "settings-" + Guid.NewGuid().ToString("N") + ".txt");
            File.WriteAllText(path, text.ToString(), new UTF8Encoding(false));
            return path;
        }

        public string WriteDocument(string name, byte[] content)
        {
            string path = Path.Combine(Folder, name);
            File.WriteAllBytes(path, content);
            return path;
        }

        /// <summary>Runs `send` with the given settings and document; <paramref name="extra"/> are more options.</summary>
        public BoardRun Send(IDictionary<string, string> settings, string documentPath, string subject, IEnumerable<string> recipients, params string[] extra)
        {
            List<string> args = new List<string> { "send", "--settings", WriteSettings(settings), "--file", documentPath };
            foreach (string to in recipients)
            {
                args.Add("--to");
                args.Add(to);
            }

            if (subject != null)
            {
                args.Add("--subject");
                args.Add(subject);
            }

            args.AddRange(extra);
            return Run(args.ToArray());
        }

        /// <summary>A new empty folder inside the board's temp folder (a data folder, an --out folder).</summary>
        public string NewFolder(string name)
        {
            string path = Path.Combine(Folder, name);
            Directory.CreateDirectory(path);
            return path;
        }

        /// <summary>Runs `receive` (one POP reception) printing into <paramref name="outFolder"/>.</summary>
        public static BoardRun Receive(string settingsPath, string outFolder, string dataFolder, bool verbose = false)
        {
            List<string> args = new List<string> { "receive", "--settings", settingsPath, "--out", outFolder, "--data", dataFolder };
            if (verbose)
            {
                args.Add("--verbose");
            }

            return Run(args.ToArray());
        }

        /// <summary>Runs `journal` over <paramref name="dataFolder"/>.</summary>
        public static BoardRun ShowJournal(string settingsPath, string dataFolder)
        {
            return Run("journal", "--settings", settingsPath, "--data", dataFolder);
        }

        public static BoardRun Run(params string[] args)
        {
            StringWriter output = new StringWriter();
            StringWriter error = new StringWriter();
            int exit = Program.Run(args, output, error);
            return new BoardRun(exit, output.ToString(), error.ToString());
        }

        public void Dispose()
        {
            try
            {
                _dir.Delete(true);
            }
            catch (IOException)
            {
                // a leftover temp folder is harmless
            }
        }
    }
}
