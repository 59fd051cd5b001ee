using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;

namespace NetBoard.Browser.Tests
{
    /// <summary>
    /// The shared loopback mail lab: `bash tests/lab/lab.sh start` (a no-op when it already runs) and the
    /// values of its env output (ports, accounts). Left running, as the integration tests leave it.
    /// </summary>
    public sealed class MailLab
    {
        private const int StartBoundMs = 180000;

        private readonly Dictionary<string, string> _env;

        private MailLab(Dictionary<string, string> env)
        {
            _env = env;
        }

        /// <summary>The folder holding NetBoard.Host.sln.</summary>
        public static string RepoRoot
        {
            get
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
        }

        /// <summary>A value of the lab's env output; a missing key fails with its name.</summary>
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

        /// <summary>Starts the lab (or finds it running) and reads its env; throws with the lab's output when it cannot.</summary>
        public static MailLab Start()
        {
            string script = Path.Combine(RepoRoot, "tests", "lab", "lab.sh");
            var info = new ProcessStartInfo("bash")
            {
                WorkingDirectory = RepoRoot,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                StandardOutputEncoding = Encoding.UTF8,
            };
            info.ArgumentList.Add(script);
            info.ArgumentList.Add("start");
            using Process process = Process.Start(info);
            process.StandardInput.Close();
            var error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(StartBoundMs) || process.ExitCode != 0)
            {
                throw new InvalidOperationException("'bash tests/lab/lab.sh start' failed (see tests/lab/README.md):\n" + output + "\n" + error.Result);
            }

            var env = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string raw in output.Split('\n'))
            {
                string line = raw.TrimEnd('\r');
                int eq = line.IndexOf('=');
                if (eq > 0 && !line.StartsWith("#", StringComparison.Ordinal))
                {
                    env[line.Substring(0, eq)] = line.Substring(eq + 1);
                }
            }

            return new MailLab(env);
        }
    }
}
