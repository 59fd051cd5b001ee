using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;

namespace NetBoard.Bench
{
    /// <summary>
    /// The repository's mail lab (tests/lab/lab.sh): used when it runs, started when it is installed
    /// (and then stopped at the end), skipped with the reason otherwise. Delivered messages are
    /// waited for and deleted between sends, so each send meets an idle Postfix and the disk does
    /// not fill up.
    /// </summary>
    internal sealed class Lab
    {
        private readonly string _script;
        private readonly bool _startedHere;

        private Lab(string script, IDictionary<string, string> env, bool startedHere)
        {
            _script = script;
            _startedHere = startedHere;
            Port = int.Parse(env["SMTP_NOAUTH_PORT"]);
            Maildir = env["MAILDIR_SCAN"];
            AuthPort = env.ContainsKey("SMTP_AUTH_PORT") ? int.Parse(env["SMTP_AUTH_PORT"]) : 0;
            PopPort = env.ContainsKey("POP3_PORT") ? int.Parse(env["POP3_PORT"]) : 0;
            ScanUser = env.ContainsKey("SCAN_USER") ? env["SCAN_USER"] : null;
            ScanPassword = env.ContainsKey("SCAN_PASSWORD") ? env["SCAN_PASSWORD"] : null;
        }

        /// <summary>Dovecot's POP3 port without TLS, which announces PIPELINING (0 when the lab does not say).</summary>
        public int PopPort { get; }

        /// <summary>The account of MAILDIR_SCAN, for SMTP AUTH and POP (null when the lab does not say).</summary>
        public string ScanUser { get; }

        /// <summary>See <see cref="ScanUser"/>.</summary>
        public string ScanPassword { get; }

        /// <summary>The port with AUTH PLAIN, LOGIN and CRAM-MD5 without TLS (0 when the lab does not say).</summary>
        public int AuthPort { get; }

        /// <summary>Empties the lab's Maildirs (lab.sh reset).</summary>
        public void Reset()
        {
            Run(_script, "reset", out _);
        }

        public int Port { get; }

        public string Maildir { get; }

        /// <summary>Why the lab rows are skipped, when <see cref="Open"/> returned null.</summary>
        public static string SkipReason { get; private set; }

        public static Lab Open(string repoRoot, bool allowStart)
        {
            string script = repoRoot == null ? null : Path.Combine(repoRoot, "tests", "lab", "lab.sh");
            if (script == null || !File.Exists(script))
            {
                SkipReason = "tests/lab/lab.sh not found";
                return null;
            }

            bool running = Run(script, "status", out _) == 0;
            if (!running && !allowStart)
            {
                SkipReason = "the lab is not running (--no-lab-start)";
                return null;
            }

            if (!running && !IsInstalled())
            {
                SkipReason = "the lab is not installed (bash tests/lab/lab.sh install)";
                return null;
            }

            string output;
            int rc = Run(script, "start", out output);
            if (rc != 0)
            {
                SkipReason = "bash tests/lab/lab.sh start failed (exit " + rc + ")";
                return null;
            }

            Dictionary<string, string> env = new Dictionary<string, string>();
            foreach (string line in output.Split('\n'))
            {
                int eq = line.IndexOf('=');
                if (eq > 0)
                {
                    env[line.Substring(0, eq).Trim()] = line.Substring(eq + 1).Trim();
                }
            }

            if (!env.ContainsKey("SMTP_NOAUTH_PORT") || !env.ContainsKey("MAILDIR_SCAN"))
            {
                SkipReason = "the lab's env has no SMTP_NOAUTH_PORT or MAILDIR_SCAN";
                return null;
            }

            return new Lab(script, env, !running);
        }

        /// <summary>Waits until the last message sent is delivered, then deletes what was delivered.</summary>
        public void WaitDeliveredAndClean(int expected)
        {
            string dir = Path.Combine(Maildir, "new");
            Stopwatch sw = Stopwatch.StartNew();
            while (sw.ElapsedMilliseconds < 20000)
            {
                if (Directory.Exists(dir) && Directory.GetFiles(dir).Length >= expected)
                {
                    break;
                }

                Thread.Sleep(5);
            }

            if (Directory.Exists(dir))
            {
                foreach (string file in Directory.GetFiles(dir))
                {
                    File.Delete(file);
                }
            }
        }

        public void Close()
        {
            if (_startedHere)
            {
                Run(_script, "stop", out _);
            }
        }

        private static bool IsInstalled()
        {
            return File.Exists("/usr/sbin/postfix") && File.Exists("/usr/sbin/dovecot");
        }

        private static int Run(string script, string command, out string output)
        {
            ProcessStartInfo info = new ProcessStartInfo("bash")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            info.ArgumentList.Add(script);
            info.ArgumentList.Add(command);
            using (Process process = Process.Start(info))
            {
                System.Threading.Tasks.Task<string> error = process.StandardError.ReadToEndAsync();
                output = process.StandardOutput.ReadToEnd();
                process.WaitForExit();
                error.Wait();
                return process.ExitCode;
            }
        }
    }
}
