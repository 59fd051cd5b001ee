using System.Diagnostics;
using System.Runtime.Versioning;
using System.Text;
using Xunit.Abstractions;

namespace NetBoard.Integration.Tests
{
    /// <summary>
    /// The lab from a clone the lab user cannot reach: the repository cloned into a 0700 temp folder, at a path with
    /// spaces and over 100 characters long, its lab started on ports of its own (next to the suite's lab), checked with
    /// `status` and a POP-before-SMTP relay (the lab user runs the policy service and the Maildir delivery), stopped,
    /// and nothing of it left behind.
    /// </summary>
    [UnsupportedOSPlatform("windows")]
    public sealed class LabCloneTests : IDisposable
    {
        private static readonly TimeSpan StepBound = TimeSpan.FromMinutes(2);

        private static readonly string[] PortKeys =
        {
            "LAB_SMTP_AUTH_PORT", "LAB_SMTP_NOAUTH_PORT", "LAB_SMTP_STARTTLS_PORT", "LAB_SMTPS_PORT", "LAB_POP3_PORT", "LAB_POP3S_PORT",
            "LAB_SMTP_SCRAM_PORT", "LAB_POP3_SCRAM_PORT", "LAB_SMTP_OAUTH_PORT", "LAB_OAUTH_PORT",
        };

        private readonly ITestOutputHelper _log;
        private readonly Stopwatch _watch = Stopwatch.StartNew();
        private readonly DirectoryInfo _private;
        private readonly Dictionary<string, string> _ports = new Dictionary<string, string>(StringComparer.Ordinal);
        private string _clone;
        private bool _started;

        public LabCloneTests(ITestOutputHelper log)
        {
            _log = log;
            _private = Directory.CreateTempSubdirectory("netboard-clone-");
            File.SetUnixFileMode(_private.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        public void Dispose()
        {
            if (_started)
            {
                Lab("stop");
            }

            _private.Delete(true);
        }

        [Fact]
        public void The_lab_starts_relays_and_stops_from_a_clone_in_a_private_folder_with_spaces_and_a_long_path()
        {
            _clone = Path.Combine(_private.FullName, "a clone with spaces", "and a folder name long enough to take the whole path past one hundred characters");
            Assert.True(_clone.Length > 100, _clone);
            Clone(LabFixture.FindRepoRoot(), _clone);
            Step("cloned");
            Assert.Equal("drwx------", Run("stat", null, "-c", "%A", _private.FullName).Output.Trim());
            foreach (string key in PortKeys)
            {
                _ports[key] = FreePort().ToString();
            }

            _started = true;
            Outcome start = Lab("start");
            Assert.True(start.ExitCode == 0, "lab.sh start from the clone failed\n" + start);
            Step("started");
            Dictionary<string, string> env = LabFixture.ParseEnv(start.Output);
            string run = env["LAB_DIR"];
            Assert.False(run.StartsWith(_private.FullName, StringComparison.Ordinal), run);
            Assert.DoesNotContain(' ', run);
            Assert.True(run.Length <= 70, run);
            Assert.Equal(_ports["LAB_SMTP_NOAUTH_PORT"], env["SMTP_NOAUTH_PORT"]);
            Assert.Equal(_clone + "\n", File.ReadAllText(Path.Combine(Path.GetDirectoryName(run), "clone")));

            Outcome status = Lab("status");
            Assert.True(status.ExitCode == 0, status.ToString());

            RelayWithPopBeforeSmtp(env);
            Step("relayed and delivered");

            Outcome stop = Lab("stop");
            Step("stopped");
            _started = false;
            Assert.True(stop.ExitCode == 0, stop.ToString());
            Assert.False(Directory.Exists(Path.GetDirectoryName(run)), "the run directory is left behind: " + run);
            Assert.NotEqual(0, Lab("status").ExitCode);
            foreach (string key in PortKeys)
            {
                Assert.True(IsFree(int.Parse(_ports[key])), key + " " + _ports[key] + " still taken after stop");
            }
        }

        /// <summary>
        /// The demo's path through this lab: a POP login, then a relay from a foreign address without SMTP AUTH, which
        /// only the POP-before-SMTP policy (run as the lab user) allows, delivered into the relay Maildir.
        /// </summary>
        private void RelayWithPopBeforeSmtp(Dictionary<string, string> env)
        {
            string folder = Path.Combine(_private.FullName, "board");
            Directory.CreateDirectory(folder);
            string settings = Path.Combine(folder, "clone.settings");
            File.WriteAllText(settings, string.Join("\n", new[]
            {
                "smtp.host=" + env["LAB_HOST"],
                "smtp.port=" + env["SMTP_NOAUTH_PORT"],
                "smtp.auth=off",
                "pop.host=" + env["LAB_HOST"],
                "pop.port=" + env["POP3_PORT"],
                "pop.user=" + env["SCAN_USER"],
                "pop.password=" + env["SCAN_PASSWORD"],
                "pop.before_smtp=on",
                "device.email=" + env["SCAN_USER"],
                "net.local_address=" + env["LAB_FOREIGN_IP_FIRST"],
                "smtp.timeout.connect_s=10",
                "smtp.timeout.greeting_s=30",
            }) + "\n");
            File.SetUnixFileMode(settings, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            string document = Path.Combine(folder, "scan.pdf");
            File.WriteAllBytes(document, Documents.Random(2000));
            string token = Documents.Token();

            BoardRun sent = Board.Run("send", "--settings", settings, "--to", "x@" + env["RELAY_DOMAIN"], "--file", document, "--subject", "clone " + token);

            Assert.True(sent.ExitCode == 0, sent.ToString());
            Assert.Matches(@" OK .*\[250 2\.0\.0 Ok: (?:\d+ bytes )?queued as [0-9A-F]+\] pop-before-smtp$", sent.Journal);
            Maildir.WaitFor(env["MAILDIR_RELAY"], token);
        }

        /// <summary>
        /// `git clone` of the repository, with the working tree's uncommitted changes to tracked files applied, so the
        /// lab tested is the one in the working tree; a copy of the tree where there is no git repository.
        /// </summary>
        private void Clone(string repo, string target)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target));
            if (Run("git", repo, "rev-parse", "--is-inside-work-tree").ExitCode != 0)
            {
                Outcome copy = Run("bash", repo, "-c", "tar --exclude=./.git --exclude=./.lab --exclude=bin --exclude=obj -cf - . | (mkdir -p \"$1\" && tar -xf - -C \"$1\")", "copy", target);
                Assert.True(copy.ExitCode == 0, copy.ToString());
                return;
            }

            Outcome clone = Run("git", null, "clone", "--quiet", repo, target);
            Assert.True(clone.ExitCode == 0, clone.ToString());
            string patch = Path.Combine(Path.GetDirectoryName(target), "uncommitted.patch");
            Outcome diff = Run("bash", repo, "-c", "git diff --binary HEAD > \"$1\"", "diff", patch);
            Assert.True(diff.ExitCode == 0, diff.ToString());
            if (new FileInfo(patch).Length > 0)
            {
                Outcome apply = Run("git", target, "apply", "--whitespace=nowarn", patch);
                Assert.True(apply.ExitCode == 0, apply.ToString());
            }
        }

        private void Step(string what)
        {
            _log.WriteLine(what + " at " + _watch.ElapsedMilliseconds + " ms");
        }

        private Outcome Lab(string command)
        {
            return Run("bash", _clone, Path.Combine(_clone, "tests", "lab", "lab.sh"), command);
        }

        private Outcome Run(string file, string workingDirectory, params string[] args)
        {
            ProcessStartInfo info = new ProcessStartInfo(file)
            {
                WorkingDirectory = workingDirectory ?? _private.FullName,
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

            // The clone's lab is its own: no run directory or port of the suite's lab leaks into it.
            foreach (string key in info.Environment.Keys.Where(k => k.StartsWith("LAB_", StringComparison.Ordinal)).ToList())
            {
                info.Environment.Remove(key);
            }

            foreach (KeyValuePair<string, string> port in _ports)
            {
                info.Environment[port.Key] = port.Value;
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
                if (!process.WaitForExit((int)StepBound.TotalMilliseconds))
                {
                    process.Kill(true);
                    process.WaitForExit();
                    Assert.Fail(file + " " + string.Join(" ", args) + " did not finish within " + StepBound.TotalSeconds + " s\n" + error);
                }

                // Drains the asynchronous readers.
                process.WaitForExit();
                lock (output)
                {
                    lock (error)
                    {
                        return new Outcome(process.ExitCode, output.ToString(), error.ToString());
                    }
                }
            }
        }

        private static int FreePort()
        {
            // Any free port: the suite's lab holds the default ones.
            var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            probe.Start();
            int port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return port;
        }

        private static bool IsFree(int port)
        {
            try
            {
                var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
                probe.Start();
                probe.Stop();
                return true;
            }
            catch (System.Net.Sockets.SocketException)
            {
                return false;
            }
        }

        private sealed class Outcome
        {
            public Outcome(int exitCode, string output, string error)
            {
                ExitCode = exitCode;
                Output = output;
                Error = error;
            }

            public int ExitCode { get; }

            public string Output { get; }

            public string Error { get; }

            public override string ToString()
            {
                return "exit " + ExitCode + "\n--- stdout ---\n" + Output + "--- stderr ---\n" + Error;
            }
        }
    }
}
