using System.Diagnostics;
using System.Text;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace NetBoard.Integration.Tests
{
    /// <summary>
    /// Starts the loopback mail lab once for the whole suite (`bash tests/lab/lab.sh start`, idempotent) and holds its
    /// environment. The lab is left running: CI stops it. If it cannot start, every test fails with the lab's output.
    /// </summary>
    public sealed class LabFixture
    {
        private static readonly TimeSpan StartBound = TimeSpan.FromMinutes(3);
        private static readonly TimeSpan ResetBound = TimeSpan.FromMinutes(1);

        private readonly Dictionary<string, string> _env;

        public LabFixture(IMessageSink sink)
        {
            RepoRoot = FindRepoRoot();
            string labScript = Path.Combine(RepoRoot, "tests", "lab", "lab.sh");
            if (!File.Exists(labScript))
            {
                throw new InvalidOperationException("mail lab script not found: " + labScript);
            }

            ProcessOutcome start = RunBash(RepoRoot, StartBound, labScript, "start");
            if (start.TimedOut || start.ExitCode != 0)
            {
                string why = start.TimedOut
                    ? "did not finish within " + StartBound.TotalSeconds + " s"
                    : "exited with code " + start.ExitCode;
                throw new InvalidOperationException(
                    "The mail lab could not be started: 'bash tests/lab/lab.sh start' " + why + ".\n"
                    + "--- stderr ---\n" + start.Error + "\n--- stdout ---\n" + start.Output + "\n"
                    + "(install it with 'bash tests/lab/lab.sh install'; see tests/lab/README.md)");
            }

            _env = ParseEnv(start.Output);
            foreach (string key in RequiredKeys)
            {
                if (!_env.ContainsKey(key))
                {
                    throw new InvalidOperationException(
                        "The mail lab started but its env output lacks " + key + ".\n--- stdout ---\n" + start.Output
                        + "\n--- stderr ---\n" + start.Error);
                }
            }

            sink.OnMessage(new DiagnosticMessage("mail lab: " + _env["LAB_DIR"] + " SMTP AUTH port " + _env["SMTP_AUTH_PORT"]));
        }

        /// <summary>The env keys the suite uses.</summary>
        public static string[] RequiredKeys { get; } =
        {
            "LAB_DIR", "LAB_HOST", "LAB_FOREIGN_IP_FIRST", "RELAY_DOMAIN", "SMTP_AUTH_PORT",
            "SMTP_NOAUTH_PORT", "SMTP_STARTTLS_PORT", "SCAN_USER", "SCAN_PASSWORD", "CRAM_USER", "CRAM_PASSWORD",
            "HASHED_USER", "HASHED_PASSWORD", "MAILDIR_SCAN", "MAILDIR_RELAY", "LAB_FOREIGN_IP_LAST", "POP3_PORT",
            "IFAX_USER", "IFAX_PASSWORD", "MAILDIR_IFAX", "IFAX_UIDLS", "POPAUTH_DIR", "POP_BEFORE_SMTP_TTL_S",
            "SMTPS_PORT", "POP3S_PORT", "CA_CERT", "DOVECOT_LOG",
        };

        /// <summary>The folder holding NetBoard.Host.sln.</summary>
        public string RepoRoot { get; }

        public string Host => this["LAB_HOST"];

        public int AuthPort => int.Parse(this["SMTP_AUTH_PORT"]);

        public int NoAuthPort => int.Parse(this["SMTP_NOAUTH_PORT"]);

        public int StartTlsPort => int.Parse(this["SMTP_STARTTLS_PORT"]);

        public int Pop3Port => int.Parse(this["POP3_PORT"]);

        /// <summary>SMTP over implicit TLS.</summary>
        public int SmtpsPort => int.Parse(this["SMTPS_PORT"]);

        /// <summary>POP3 over implicit TLS.</summary>
        public int Pop3sPort => int.Parse(this["POP3S_PORT"]);

        /// <summary>The PEM file of the lab's self-signed certificate (CN and SAN mail.lab.test, SAN IP 127.0.0.1).</summary>
        public string CaCert => this["CA_CERT"];

        /// <summary>A source address Postfix treats as a foreign client (outside mynetworks).</summary>
        public string ForeignAddress => this["LAB_FOREIGN_IP_FIRST"];

        /// <summary>
        /// The foreign client address <paramref name="offset"/> places after <see cref="ForeignAddress"/>. POP before
        /// SMTP authorises an address, not a test, so each test that logs into POP keeps an address of its own.
        /// </summary>
        public string ForeignAddressAt(int offset)
        {
            byte[] first = System.Net.IPAddress.Parse(this["LAB_FOREIGN_IP_FIRST"]).GetAddressBytes();
            byte[] last = System.Net.IPAddress.Parse(this["LAB_FOREIGN_IP_LAST"]).GetAddressBytes();
            int host = first[3] + offset;
            if (offset < 0 || host > last[3])
            {
                throw new ArgumentOutOfRangeException(nameof(offset), "the lab has foreign addresses up to " + this["LAB_FOREIGN_IP_LAST"] + " only");
            }

            first[3] = (byte)host;
            return new System.Net.IPAddress(first).ToString();
        }

        /// <summary>An address in the relay domain (example.net): accepted only from an authorised client.</summary>
        public string RelayRecipient => "x@" + this["RELAY_DOMAIN"];

        /// <summary>A value from the lab's env output; a missing key fails the test with the key's name.</summary>
        public string this[string key]
        {
            get
            {
                string value;
                if (!_env.TryGetValue(key, out value))
                {
                    throw new KeyNotFoundException("the mail lab env has no " + key);
                }

                return value;
            }
        }

        /// <summary>
        /// `lab.sh reset`: empties every Maildir and POP-before-SMTP record and refills the i-FAX mailbox. Only the
        /// i-FAX mailbox collection calls it (collections run one after another, see xunit.runner.json).
        /// </summary>
        public void Reset()
        {
            ProcessOutcome reset = RunBash(RepoRoot, ResetBound, Path.Combine(RepoRoot, "tests", "lab", "lab.sh"), "reset");
            if (reset.TimedOut || reset.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    "'bash tests/lab/lab.sh reset' " + (reset.TimedOut ? "did not finish within " + ResetBound.TotalSeconds + " s" : "exited with code " + reset.ExitCode)
                    + "\n--- stderr ---\n" + reset.Error + "\n--- stdout ---\n" + reset.Output);
            }
        }

        internal static Dictionary<string, string> ParseEnv(string text)
        {
            Dictionary<string, string> env = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string raw in text.Split('\n'))
            {
                string line = raw.TrimEnd('\r');
                int eq = line.IndexOf('=');
                if (eq <= 0 || line.StartsWith("#", StringComparison.Ordinal))
                {
                    continue;
                }

                env[line.Substring(0, eq)] = line.Substring(eq + 1);
            }

            return env;
        }

        internal static string FindRepoRoot()
        {
            DirectoryInfo dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null)
            {
                if (File.Exists(Path.Combine(dir.FullName, "NetBoard.Host.sln")))
                {
                    return dir.FullName;
                }

                dir = dir.Parent;
            }

            throw new InvalidOperationException("NetBoard.Host.sln not found above " + AppContext.BaseDirectory);
        }

        private static ProcessOutcome RunBash(string workingDirectory, TimeSpan bound, params string[] args)
        {
            ProcessStartInfo info = new ProcessStartInfo("bash")
            {
                WorkingDirectory = workingDirectory,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                StandardOutputEncoding = Encoding.UTF8,
                StandardErrorEncoding = Encoding.UTF8,
            };
            foreach (string arg in args)
            {
                info.ArgumentList.Add(arg);
            }

            StringBuilder output = new StringBuilder();
            StringBuilder error = new StringBuilder();
            using (Process process = new Process { StartInfo = info })
            {
                process.OutputDataReceived += (s, e) => { if (e.Data != null) { lock (output) { output.Append(e.Data).Append('\n'); } } };
                process.ErrorDataReceived += (s, e) => { if (e.Data != null) { lock (error) { error.Append(e.Data).Append('\n'); } } };
                process.Start();
                process.StandardInput.Close();
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
                bool exited = process.WaitForExit((int)bound.TotalMilliseconds);
                if (!exited)
                {
                    process.Kill(true);
                    process.WaitForExit();
                }
                else
                {
                    // drains the asynchronous readers
                    process.WaitForExit();
                }

                lock (output)
                {
                    lock (error)
                    {
                        return new ProcessOutcome(exited ? process.ExitCode : -1, !exited, output.ToString(), error.ToString());
                    }
                }
            }
        }

        private sealed class ProcessOutcome
        {
            public ProcessOutcome(int exitCode, bool timedOut, string output, string error)
            {
                ExitCode = exitCode;
                TimedOut = timedOut;
                Output = output;
                Error = error;
            }

            public int ExitCode { get; }

            public bool TimedOut { get; }

            public string Output { get; }

            public string Error { get; }
        }
    }

    [CollectionDefinition(Name)]
    public sealed class LabCollection : ICollectionFixture<LabFixture>
    {
        public const string Name = "mail lab";
    }

    /// <summary>
    /// Tests that use ifax@lab.test and call `lab.sh reset`: their own collection, so no other test runs while the
    /// mailbox is refilled and drained. No test outside it sends to or receives from that mailbox.
    /// </summary>
    [CollectionDefinition(Name)]
    public sealed class IfaxMailboxCollection : ICollectionFixture<LabFixture>
    {
        public const string Name = "i-FAX mailbox";
    }
}
