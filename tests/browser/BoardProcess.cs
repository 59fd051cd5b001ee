using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;

namespace NetBoard.Browser.Tests
{
    /// <summary>
    /// The virtual board's `run` as a real process without a terminal: its panel and journal come as
    /// lines on standard output, its keys go to standard input, SIGTERM stops it.
    /// </summary>
    public sealed class BoardProcess : IDisposable
    {
        /// <summary>How long a line, a file change or the board's end is waited for.</summary>
        public const int WaitMs = 20000;

        private readonly Process _process;
        private readonly List<string> _lines = new List<string>();
        private readonly StringBuilder _error = new StringBuilder();

        private BoardProcess(Process process)
        {
            _process = process;
        }

        /// <summary>True once the process has ended.</summary>
        public bool HasExited => _process.HasExited;

        /// <summary>How many output lines have arrived so far: a mark for <see cref="WaitForLine(int, Func{string, bool})"/>.</summary>
        public int LineCount
        {
            get
            {
                lock (_lines)
                {
                    return _lines.Count;
                }
            }
        }

        /// <summary>Starts `dotnet virtual-board.dll run --settings SETTINGS` with every standard stream redirected.</summary>
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

        /// <summary>The first output line from the start that <paramref name="match"/> accepts; fails after <see cref="WaitMs"/>.</summary>
        public string WaitForLine(Func<string, bool> match)
        {
            return WaitForLine(0, match);
        }

        /// <summary>The first output line at or after index <paramref name="from"/> that <paramref name="match"/> accepts.</summary>
        public string WaitForLine(int from, Func<string, bool> match)
        {
            var watch = Stopwatch.StartNew();
            lock (_lines)
            {
                while (true)
                {
                    for (int i = from; i < _lines.Count; i++)
                    {
                        if (match(_lines[i]))
                        {
                            return _lines[i];
                        }
                    }

                    long left = WaitMs - watch.ElapsedMilliseconds;
                    Assert.True(left > 0 && !_process.HasExited, "no such line within " + WaitMs + " ms:\n" + Transcript());
                    Monitor.Wait(_lines, (int)Math.Min(left, 200));
                }
            }
        }

        /// <summary>Writes panel keys to the board's standard input ("m" menu, "\r" Set, "\u001B[B" down...).</summary>
        public void Keys(string keys)
        {
            _process.StandardInput.Write(keys);
            _process.StandardInput.Flush();
        }

        /// <summary>Sends a signal (TERM, INT) with kill(1).</summary>
        public void Signal(string name)
        {
            using Process kill = Process.Start("kill", new[] { "-" + name, _process.Id.ToString() });
            kill.WaitForExit();
            Assert.Equal(0, kill.ExitCode);
        }

        /// <summary>Waits for the end of the process and its output; returns the exit code.</summary>
        public int WaitForExit()
        {
            Assert.True(_process.WaitForExit(WaitMs), "the board did not stop within " + WaitMs + " ms:\n" + Transcript());
            _process.WaitForExit();
            return _process.ExitCode;
        }

        /// <summary>Every output line so far.</summary>
        public string Output()
        {
            lock (_lines)
            {
                return string.Join("\n", _lines);
            }
        }

        /// <summary>Standard error so far.</summary>
        public string Error()
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }

        /// <summary>Standard output and standard error, for a failure message.</summary>
        public string Transcript() => "--- stdout ---\n" + Output() + "\n--- stderr ---\n" + Error();

        /// <summary>Kills the board if it still runs.</summary>
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
