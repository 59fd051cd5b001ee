using System;
using System.IO;
using System.Threading;

namespace NetBoard.Hal.Host
{
    /// <summary>
    /// The virtual panel's keys: from the console's key reader on a terminal, or decoded from the raw
    /// bytes of a stream (a pipe, a file, tmux sending to a redirected stdin) read on a background
    /// thread. The end of such a stream ends the keys, nothing else: the board keeps running.
    /// </summary>
    public sealed class PanelKeyInput : IPanelKeys
    {
        /// <summary>How long a lone ESC waits for the rest of an escape sequence, in milliseconds.</summary>
        public const int EscapeWaitMs = 50;

        private readonly object _lock = new object();
        private readonly TerminalKeyDecoder _decoder;
        private readonly Stream _input;
        private readonly bool _console;
        private long _lastInputMs;
        private bool _inputEnded;
        private volatile bool _textEntry;

        private PanelKeyInput(Stream input, bool console)
        {
            _console = console;
            if (input != null)
            {
                _input = input;
                _decoder = new TerminalKeyDecoder();
                Thread reader = new Thread(ReadInput) { IsBackground = true, Name = "panel keys" };
                reader.Start();
            }
            else if (!console)
            {
                _inputEnded = true;
            }
        }

        /// <summary>True while the panel shows a text cursor: 'm' and 's' are then letters, not Menu and Start.</summary>
        public bool TextEntry
        {
            get { return _textEntry; }
            set { _textEntry = value; }
        }

        /// <summary>True once the input stream has ended (or there is none) and every key from it was taken.</summary>
        public bool InputEnded
        {
            get
            {
                lock (_lock)
                {
                    return _inputEnded && (_decoder == null || (!_decoder.HasPending && _decoder.Count == 0));
                }
            }
        }

        /// <summary>Keys decoded from <paramref name="input"/>'s bytes.</summary>
        public static PanelKeyInput FromStream(Stream input)
        {
            if (input == null)
            {
                throw new ArgumentNullException(nameof(input));
            }

            return new PanelKeyInput(input, false);
        }

        /// <summary>Keys from the console's key reader (standard input must be a terminal).</summary>
        public static PanelKeyInput FromConsole()
        {
            return new PanelKeyInput(null, true);
        }

        /// <summary>No keys at all: <see cref="InputEnded"/> from the start.</summary>
        public static PanelKeyInput None()
        {
            return new PanelKeyInput(null, false);
        }

        /// <inheritdoc />
        public bool TryReadKey(out PanelKey key, out char character)
        {
            bool textEntry = _textEntry;
            if (_console)
            {
                while (Console.KeyAvailable)
                {
                    if (TerminalKeyMap.TryMap(Console.ReadKey(true), textEntry, out key, out character))
                    {
                        return true;
                    }
                }
            }
            else if (_decoder != null)
            {
                lock (_lock)
                {
                    if (_decoder.HasPending && (_inputEnded || Environment.TickCount64 - _lastInputMs >= EscapeWaitMs))
                    {
                        _decoder.Flush();
                    }

                    while (_decoder.TryTake(out ConsoleKeyInfo info))
                    {
                        if (TerminalKeyMap.TryMap(info, textEntry, out key, out character))
                        {
                            return true;
                        }
                    }
                }
            }

            key = PanelKey.None;
            character = '\0';
            return false;
        }

        private void ReadInput()
        {
            byte[] buffer = new byte[256];
            while (true)
            {
                int n;
                try
                {
                    n = _input.Read(buffer, 0, buffer.Length);
                }
                catch (IOException)
                {
                    n = 0;
                }
                catch (ObjectDisposedException)
                {
                    n = 0;
                }
                catch (NotSupportedException)
                {
                    // A standard input opened for writing only, or closed: no keys, like an empty one.
                    n = 0;
                }

                lock (_lock)
                {
                    if (n <= 0)
                    {
                        _decoder.Flush();
                        _inputEnded = true;
                        return;
                    }

                    _decoder.Feed(buffer, 0, n);
                    _lastInputMs = Environment.TickCount64;
                }
            }
        }
    }
}
