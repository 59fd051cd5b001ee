using System;
using System.IO;

namespace NetBoard.Hal.Host
{
    /// <summary>
    /// The virtual panel without a terminal (a service, a pipe, a CI log): every change of the display
    /// is written as one plain line, "panel: " and the rows joined by " | ", with no cursor control.
    /// Keys come from a <see cref="PanelKeyInput"/>; when its input ends, one line says so and the
    /// board runs on without keys.
    /// </summary>
    public sealed class LinePanel : IPanelDisplay, IPanelKeys
    {
        /// <summary>What starts a line that shows the display.</summary>
        public const string PanelPrefix = "panel: ";

        /// <summary>The line written once when the keys' input has ended.</summary>
        public const string InputEndedLine = "virtual-board: end of standard input: no more keys, the board keeps running (stop it with SIGTERM or Ctrl-C)";

        private readonly int _columns;
        private readonly int _rows;
        private readonly TextWriter _output;
        private readonly PanelKeyInput _keys;
        private readonly object _lock = new object();
        private string _shown;
        private bool _endReported;
        private bool _outputBroken;

        /// <summary>A panel of <paramref name="columns"/> x <paramref name="rows"/> written to <paramref name="output"/>, with <paramref name="keys"/>.</summary>
        public LinePanel(int columns, int rows, TextWriter output, PanelKeyInput keys)
        {
            if (columns < 1 || rows < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(columns), "The panel needs at least one row and column.");
            }

            _columns = columns;
            _rows = rows;
            _output = output ?? throw new ArgumentNullException(nameof(output));
            _keys = keys ?? throw new ArgumentNullException(nameof(keys));
        }

        /// <inheritdoc />
        public int Columns => _columns;

        /// <inheritdoc />
        public int Rows => _rows;

        /// <summary>True once the keys' input has ended and every key from it was taken.</summary>
        public bool InputEnded => _keys.InputEnded;

        /// <inheritdoc />
        public void Show(string[] lines)
        {
            string line = PanelPrefix + TerminalFrame.OneLine(lines, _columns, _rows);
            lock (_lock)
            {
                if (line != _shown)
                {
                    _shown = line;
                    WriteLine(line);
                }
            }
        }

        /// <inheritdoc />
        public void SetCursor(int row, int column, bool visible)
        {
            _keys.TextEntry = visible;
        }

        /// <inheritdoc />
        public bool TryReadKey(out PanelKey key, out char character)
        {
            if (_keys.TryReadKey(out key, out character))
            {
                return true;
            }

            if (!_endReported && _keys.InputEnded)
            {
                _endReported = true;
                lock (_lock)
                {
                    WriteLine(InputEndedLine);
                }
            }

            return false;
        }

        /// <summary>Writes a line of the board's own (a journal entry, a notice) between the panel's lines.</summary>
        public void WriteLine(string line)
        {
            lock (_lock)
            {
                if (_outputBroken)
                {
                    return;
                }

                try
                {
                    _output.WriteLine(line);
                    _output.Flush();
                }
                catch (IOException)
                {
                    // Whoever read the output has gone; the board runs on without it.
                    _outputBroken = true;
                }
                catch (ObjectDisposedException)
                {
                    _outputBroken = true;
                }
            }
        }
    }
}
