using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.Versioning;
using System.Text;
using System.Threading;
using NetBoard.Hal.Host;

namespace NetBoard.Boards.Host.Tests
{
    /// <summary>
    /// `run` as a service runs it: a real process with standard output and input redirected (no terminal),
    /// keys written to its input, stopped with a signal.
    /// </summary>
    [UnsupportedOSPlatform("windows")]
    public sealed class HeadlessRunTests : IDisposable
    {
        private const string User = "scanner";
        private const string Password = "Headless-Pa55";
        private const int WaitMs = 20000;
        private const string Down = "\u001B[B";

        private readonly string _dir;

        public HeadlessRunTests()
        {
            _dir = Path.Combine(Path.GetTempPath(), "netboard-headless-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_dir);
        }

        public void Dispose()
        {
            Directory.Delete(_dir, true);
        }

        [Fact]
        public void Without_a_terminal_the_board_writes_lines_takes_keys_from_stdin_runs_on_after_its_end_and_stops_on_SIGTERM()
        {
            using var server = new LoopbackSmtpServer(User, Password);
            // Written by hand with the usual umask: readable by everybody.
            string settings = WriteSettings(server.Port, (UnixFileMode)Convert.ToInt32("644", 8));
            using BoardProcess board = BoardProcess.Start(settings);

            Assert.Equal(RunCommand.HeadlessLine, board.WaitForLine(line => line.StartsWith("virtual-board: running", StringComparison.Ordinal)));
            board.WaitForLine(line => line == "panel: MFP Lab | Send: idle | POP: idle");

            // Menu > System Settings > Network Settings > E-Mail/I-Fax > Send Test E-mail (the ninth entry).
            board.Keys("m" + Down + Down + "\r\r\r" + string.Concat(Enumerable.Repeat(Down, 8)) + "\r");
            board.WaitForLine(line => line == "panel: Test e-mail queued | #1");
            string journal = board.WaitForLine(line => line.StartsWith("journal: ", StringComparison.Ordinal));
            Assert.Matches("^journal: \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ job 1 email to=mfp@lab.test OK auth=PLAIN \\[250 ", journal);
            Assert.Single(server.Messages);

            // The journal screen, and the line whole on Set: wrapped over the display, nothing cut.
            board.Keys("mm" + Down + "\r");
            board.WaitForLine(line => line.StartsWith("panel: Journal     Set=more | >", StringComparison.Ordinal));
            board.Keys("\r");
            string detail = board.WaitForLine(line => line.StartsWith("panel: ", StringComparison.Ordinal) && Unwrap(line).Contains("job 1 email to=", StringComparison.Ordinal));
            string entry = journal.Substring("journal: ".Length + "yyyy-MM-dd ".Length);
            Assert.Equal(entry, Unwrap(detail));

            // A setting changed at the panel is saved owner-only, and so is the backup.
            board.Keys("mm" + Down + Down + "\r\r\r" + Down + Down + Down + Down + "\r" + " 2\r");
            WaitForFile(settings, "device.name=MFP Lab 2\n");
            board.Keys("\r3\r");
            string saved = WaitForFile(settings, "device.name=MFP Lab 23\n");
            Assert.Contains("smtp.password=" + Password + "\n", saved);
            Assert.Equal(OwnerOnlyMode, File.GetUnixFileMode(settings));
            Assert.Contains("device.name=MFP Lab 2\n", File.ReadAllText(settings + ".bak"));
            Assert.Equal(OwnerOnlyMode, File.GetUnixFileMode(settings + ".bak"));

            // The end of standard input ends the keys, not the board.
            board.CloseInput();
            board.WaitForLine(line => line.StartsWith("virtual-board: end of standard input", StringComparison.Ordinal));
            Assert.False(board.HasExited, board.Transcript());
            board.Signal("TERM");

            Assert.Equal(0, board.WaitForExit());
            string[] lines = board.Lines();
            Assert.Equal("virtual-board: stopped (SIGTERM)", lines[lines.Length - 1]);
            Assert.DoesNotContain("\u001B", board.Output(), StringComparison.Ordinal);
            Assert.DoesNotContain(Password, board.Output(), StringComparison.Ordinal);
            Assert.Equal("virtual-board: warning: settings file " + settings + " is open to other users (mode 0644) and may hold passwords; fix: chmod 600 " + settings + "\n", board.Error());

            // The data folder (queue, journal, documents) is the owner's alone.
            string data = Path.Combine(_dir, "board.data");
            Assert.Equal(OwnerOnly.FolderMode, File.GetUnixFileMode(data));
            string[] files = Directory.GetFiles(data, "*", SearchOption.AllDirectories);
            Assert.Contains(files, f => f.Contains(Path.DirectorySeparatorChar + "journal" + Path.DirectorySeparatorChar, StringComparison.Ordinal));
            Assert.All(files, f => Assert.Equal(OwnerOnlyMode, File.GetUnixFileMode(f)));
            Assert.All(Directory.GetDirectories(data, "*", SearchOption.AllDirectories), d => Assert.Equal(OwnerOnly.FolderMode, File.GetUnixFileMode(d)));
        }

        [Fact]
        public void With_stdin_closed_at_once_the_board_runs_on_and_SIGINT_stops_it_and_a_settings_file_others_can_read_is_named()
        {
            string settings = WriteSettings(1, (UnixFileMode)Convert.ToInt32("640", 8));
            using BoardProcess board = BoardProcess.Start(settings);
            board.CloseInput();

            board.WaitForLine(line => line.StartsWith("virtual-board: end of standard input", StringComparison.Ordinal));
            board.WaitForLine(line => line == "panel: MFP Lab | Send: idle | POP: idle");
            Assert.False(board.HasExited, board.Transcript());
            board.Signal("INT");

            Assert.Equal(0, board.WaitForExit());
            Assert.Equal("virtual-board: stopped (SIGINT)", board.Lines().Last());
            Assert.Equal(
                "virtual-board: warning: settings file " + settings + " is open to other users (mode 0640) and may hold passwords; fix: chmod 600 " + settings + "\n",
                board.Error());
        }

        private static UnixFileMode OwnerOnlyMode => OwnerOnly.FileMode;

        /// <summary>The text of a panel line with its rows joined again by single spaces.</summary>
        private static string Unwrap(string panelLine)
        {
            return string.Join(" ", panelLine.Substring("panel: ".Length).Split(" | "));
        }

        private string WriteSettings(int port, UnixFileMode mode)
        {
            string path = Path.Combine(_dir, "board.settings");
            File.WriteAllText(path,
                "smtp.host=127.0.0.1\n" +
                "smtp.port=" + port + "\n" +
                "smtp.auth=plain\n" +
                "smtp.user=" + User + "\n" +
                "smtp.password=" + Password + "\n" +
                "device.email=mfp@lab.test\n" +
                "device.name=MFP Lab\n" +
                "smtp.timeout.connect_s=10\n" +
                "smtp.timeout.greeting_s=10\n" +
                "web.enable=off\n");
            File.SetUnixFileMode(path, mode);
            return path;
        }

        private static string WaitForFile(string path, string text)
        {
            var watch = Stopwatch.StartNew();
            string content = File.ReadAllText(path);
            while (!content.Contains(text, StringComparison.Ordinal) && watch.ElapsedMilliseconds < WaitMs)
            {
                Thread.Sleep(50);
                content = File.ReadAllText(path);
            }

            Assert.Contains(text, content);
            return content;
        }

        /// <summary>`dotnet virtual-board.dll run` with every standard stream redirected, its output lines collected.</summary>
        internal sealed class BoardProcess : IDisposable
        {
            private readonly Process _process;
            private readonly List<string> _lines = new List<string>();
            private readonly StringBuilder _error = new StringBuilder();

            private BoardProcess(Process process)
            {
                _process = process;
            }

            public bool HasExited => _process.HasExited;

            public static BoardProcess Start(string settings)
            {
                string dll = Path.Combine(AppContext.BaseDirectory, "virtual-board.dll");
                var info = new ProcessStartInfo("dotnet")
                {
                    RedirectStandardInput = true,
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                    StandardOutputEncoding = Encoding.UTF8,
                    StandardErrorEncoding = Encoding.UTF8,
                };
                foreach (string arg in new[] { dll, "run", "--settings", settings })
                {
                    info.ArgumentList.Add(arg);
                }

                var board = new BoardProcess(new Process { StartInfo = info });
                board._process.OutputDataReceived += (s, e) =>
                {
                    if (e.Data != null)
                    {
                        lock (board._lines)
                        {
                            board._lines.Add(e.Data);
                            Monitor.PulseAll(board._lines);
                        }
                    }
                };
                board._process.ErrorDataReceived += (s, e) =>
                {
                    if (e.Data != null)
                    {
                        lock (board._error)
                        {
                            board._error.Append(e.Data).Append('\n');
                        }
                    }
                };
                board._process.Start();
                board._process.BeginOutputReadLine();
                board._process.BeginErrorReadLine();
                return board;
            }

            /// <summary>The first output line (from the start) that <paramref name="match"/> accepts; fails after a bound.</summary>
            public string WaitForLine(Func<string, bool> match)
            {
                var watch = Stopwatch.StartNew();
                lock (_lines)
                {
                    while (true)
                    {
                        string found = _lines.FirstOrDefault(match);
                        if (found != null)
                        {
                            return found;
                        }

                        long left = WaitMs - watch.ElapsedMilliseconds;
                        Assert.True(left > 0, "no such line within " + WaitMs + " ms:\n" + Transcript());
                        Monitor.Wait(_lines, (int)Math.Min(left, 200));
                    }
                }
            }

            public void Keys(string keys)
            {
                _process.StandardInput.Write(keys);
                _process.StandardInput.Flush();
            }

            public void CloseInput()
            {
                _process.StandardInput.Close();
            }

            public void Signal(string name)
            {
                using Process kill = Process.Start("kill", new[] { "-" + name, _process.Id.ToString() });
                kill.WaitForExit();
                Assert.Equal(0, kill.ExitCode);
            }

            public int WaitForExit()
            {
                Assert.True(_process.WaitForExit(WaitMs), "the board did not stop within " + WaitMs + " ms:\n" + Transcript());

                // Drains the asynchronous readers.
                _process.WaitForExit();
                return _process.ExitCode;
            }

            public string[] Lines()
            {
                lock (_lines)
                {
                    return _lines.ToArray();
                }
            }

            public string Output() => string.Join("\n", Lines());

            public string Error()
            {
                lock (_error)
                {
                    return _error.ToString();
                }
            }

            public string Transcript() => "--- stdout ---\n" + Output() + "\n--- stderr ---\n" + Error();

            public void Dispose()
            {
                if (!_process.HasExited)
                {
                    _process.Kill(true);
                    _process.WaitForExit();
                }

                _process.Dispose();
            }
        }
    }
}
