using System;
using System.IO;

namespace NetBoard.Hal.Host
{
    /// <summary>
    /// The virtual board's panel in a terminal: a box with the display lines and a key legend, redrawn
    /// with ANSI cursor positioning only where it changed. Keys come from a <see cref="PanelKeyInput"/>:
    /// the console's key reader on a terminal, or the raw bytes of a redirected input (a pipe, tmux
    /// sending to a redirected stdin).
    /// </summary>
    public sealed class TerminalPanel : IPanelDisplay, IPanelKeys, IDisposable
    {
        /// <summary>How long a lone ESC waits for the rest of an escape sequence, in milliseconds.</summary>
        public const int EscapeWaitMs = PanelKeyInput.EscapeWaitMs;

        private const string Csi = "\u001B[";

        private readonly int _columns;
        private readonly int _rows;
        private readonly TextWriter _output;
        private readonly int _top;
        private readonly object _lock = new object();
        private readonly PanelKeyInput _keys;
        private string[] _lines;
        private string[] _drawn;
        private bool _cursorVisible;
        private int _cursorRow;
        private int _cursorColumn;

        /// <summary>
        /// A panel of <paramref name="columns"/> x <paramref name="rows"/> on the console, drawn from the top
        /// line; keys from the console, or from standard input's bytes when it is redirected.
        /// </summary>
        public TerminalPanel(int columns, int rows)
            : this(columns, rows, Console.Out, Console.IsInputRedirected ? PanelKeyInput.FromStream(Console.OpenStandardInput()) : PanelKeyInput.FromConsole(), 1)
        {
        }

        /// <summary>
        /// A panel drawn on <paramref name="output"/> from terminal row <paramref name="top"/> (1-based).
        /// Keys are decoded from <paramref name="input"/>'s bytes, or read from the console when it is null.
        /// </summary>
        public TerminalPanel(int columns, int rows, TextWriter output, Stream input, int top)
            : this(columns, rows, output, input == null ? PanelKeyInput.FromConsole() : PanelKeyInput.FromStream(input), top)
        {
        }

        /// <summary>A panel drawn on <paramref name="output"/> from terminal row <paramref name="top"/> (1-based), with <paramref name="keys"/>.</summary>
        public TerminalPanel(int columns, int rows, TextWriter output, PanelKeyInput keys, int top)
        {
            if (columns < 1 || rows < 1 || top < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(columns), "The panel needs at least one row and column, from row 1 on.");
            }

            _columns = columns;
            _rows = rows;
            _output = output ?? throw new ArgumentNullException(nameof(output));
            _keys = keys ?? throw new ArgumentNullException(nameof(keys));
            _top = top;
            _lines = new string[rows];
        }

        /// <inheritdoc />
        public int Columns => _columns;

        /// <inheritdoc />
        public int Rows => _rows;

        /// <summary>True once redirected input has ended and every key from it was taken.</summary>
        public bool InputEnded => _keys.InputEnded;

        /// <summary>Lines the frame takes on the terminal: the box and the legend.</summary>
        public int Height => _rows + 3;

        /// <inheritdoc />
        public void Show(string[] lines)
        {
            lock (_lock)
            {
                _lines = (string[])(lines ?? new string[0]).Clone();
                Draw();
            }
        }

        /// <inheritdoc />
        public void SetCursor(int row, int column, bool visible)
        {
            lock (_lock)
            {
                if (row == _cursorRow && column == _cursorColumn && visible == _cursorVisible)
                {
                    return;
                }

                _cursorRow = row;
                _cursorColumn = column;
                _cursorVisible = visible;
                _keys.TextEntry = visible;

                // The legend follows the mode: while typing, 'm' and 's' are letters.
                if (!Draw())
                {
                    PlaceCursor(true);
                }
            }
        }

        /// <inheritdoc />
        public bool TryReadKey(out PanelKey key, out char character)
        {
            return _keys.TryReadKey(out key, out character);
        }

        /// <summary>Shows the terminal's cursor again below the frame.</summary>
        public void Dispose()
        {
            lock (_lock)
            {
                _output.Write(Csi + (_top + Height).ToString() + ";1H" + Csi + "?25h");
                _output.Flush();
            }
        }

        private bool Draw()
        {
            string[] frame = TerminalFrame.Compose(_lines, _columns, _rows, _cursorVisible ? TerminalKeyMap.TextLegend : TerminalKeyMap.MenuLegend);
            bool wrote = false;
            for (int i = 0; i < frame.Length; i++)
            {
                if (_drawn != null && _drawn[i] == frame[i])
                {
                    continue;
                }

                if (!wrote)
                {
                    // Hide the cursor while drawing so it does not flicker across the frame.
                    _output.Write(Csi + "?25l");
                    wrote = true;
                }

                _output.Write(Csi + (_top + i).ToString() + ";1H" + frame[i] + Csi + "K");
            }

            _drawn = frame;
            if (wrote)
            {
                PlaceCursor(false);
            }

            return wrote;
        }

        private void PlaceCursor(bool flushAlways)
        {
            if (_cursorVisible)
            {
                int row = _top + 1 + Math.Clamp(_cursorRow, 0, _rows - 1);
                int column = 2 + Math.Clamp(_cursorColumn, 0, _columns - 1);
                _output.Write(Csi + row.ToString() + ";" + column.ToString() + "H" + Csi + "?25h");
            }
            else if (flushAlways)
            {
                _output.Write(Csi + "?25l");
            }

            _output.Flush();
        }
    }
}
