using System;
using System.Collections.Generic;

namespace NetBoard.Hal.Host
{
    /// <summary>
    /// Turns the bytes a terminal sends (UTF-8 text, CR/LF, DEL, and escape sequences such as ESC [ A)
    /// into keys, for input that does not come through the console's own key reader (a pipe, tmux
    /// send-keys into a redirected stdin). A lone ESC stays pending until <see cref="Flush"/>, because
    /// only a pause tells it from the start of a sequence.
    /// </summary>
    public sealed class TerminalKeyDecoder
    {
        private const byte Escape = 0x1B;

        private readonly Queue<ConsoleKeyInfo> _keys = new Queue<ConsoleKeyInfo>();
        private State _state;
        private bool _lastWasCr;
        private int _utf8Value;
        private int _utf8Remaining;

        private enum State
        {
            Text,
            Escape,
            Csi,
            Ss3,
        }

        /// <summary>True while the bytes so far end in an unfinished escape sequence or character.</summary>
        public bool HasPending
        {
            get { return _state != State.Text || _utf8Remaining > 0; }
        }

        /// <summary>Keys decoded and not yet taken.</summary>
        public int Count
        {
            get { return _keys.Count; }
        }

        /// <summary>Decodes one byte.</summary>
        public void Feed(byte b)
        {
            bool wasCr = _lastWasCr;
            _lastWasCr = false;
            switch (_state)
            {
                case State.Escape:
                    FeedAfterEscape(b);
                    return;
                case State.Csi:
                    // Parameters and intermediates run until a final byte from '@' to '~'.
                    if (b >= 0x40 && b <= 0x7E)
                    {
                        _state = State.Text;
                        Arrow(b);
                    }

                    return;
                case State.Ss3:
                    _state = State.Text;
                    Arrow(b);
                    return;
            }

            if (_utf8Remaining > 0)
            {
                FeedContinuation(b);
                return;
            }

            if (b == Escape)
            {
                _state = State.Escape;
            }
            else if (b == '\r')
            {
                _lastWasCr = true;
                Add(ConsoleKey.Enter, '\r');
            }
            else if (b == '\n')
            {
                // CR LF from a pipe is one Enter.
                if (!wasCr)
                {
                    Add(ConsoleKey.Enter, '\n');
                }
            }
            else if (b == 0x7F || b == 0x08)
            {
                Add(ConsoleKey.Backspace, '\b');
            }
            else if (b == '\t')
            {
                Add(ConsoleKey.Tab, '\t');
            }
            else if (b >= 0x20 && b < 0x7F)
            {
                Add(ConsoleKey.NoName, (char)b);
            }
            else if (b >= 0xC2 && b <= 0xEF)
            {
                _utf8Remaining = b >= 0xE0 ? 2 : 1;
                _utf8Value = b & (b >= 0xE0 ? 0x0F : 0x1F);
            }

            // Other control bytes and characters outside the BMP are no panel key.
        }

        /// <summary>Decodes <paramref name="count"/> bytes of <paramref name="buffer"/>.</summary>
        public void Feed(byte[] buffer, int offset, int count)
        {
            for (int i = 0; i < count; i++)
            {
                Feed(buffer[offset + i]);
            }
        }

        /// <summary>Ends a pause in the input: a pending lone ESC becomes Escape, an unfinished sequence is dropped.</summary>
        public void Flush()
        {
            if (_state == State.Escape)
            {
                Add(ConsoleKey.Escape, '\u001B');
            }

            _state = State.Text;
            _utf8Remaining = 0;
        }

        /// <summary>Takes the next decoded key, if any.</summary>
        public bool TryTake(out ConsoleKeyInfo key)
        {
            if (_keys.Count == 0)
            {
                key = default(ConsoleKeyInfo);
                return false;
            }

            key = _keys.Dequeue();
            return true;
        }

        private void FeedAfterEscape(byte b)
        {
            if (b == '[')
            {
                _state = State.Csi;
            }
            else if (b == 'O')
            {
                _state = State.Ss3;
            }
            else if (b == Escape)
            {
                Add(ConsoleKey.Escape, '\u001B');
            }
            else
            {
                // ESC then a plain key (Alt+key): Escape, then the key itself.
                Add(ConsoleKey.Escape, '\u001B');
                _state = State.Text;
                Feed(b);
            }
        }

        private void FeedContinuation(byte b)
        {
            if (b < 0x80 || b > 0xBF)
            {
                // A broken character is dropped; the byte starts afresh.
                _utf8Remaining = 0;
                Feed(b);
                return;
            }

            _utf8Value = (_utf8Value << 6) | (b & 0x3F);
            _utf8Remaining--;
            if (_utf8Remaining == 0 && _utf8Value >= 0xA0 && (_utf8Value < 0xD800 || _utf8Value > 0xDFFF))
            {
                Add(ConsoleKey.NoName, (char)_utf8Value);
            }
        }

        private void Arrow(byte final)
        {
            switch (final)
            {
                case (byte)'A':
                    Add(ConsoleKey.UpArrow, '\0');
                    break;
                case (byte)'B':
                    Add(ConsoleKey.DownArrow, '\0');
                    break;
                case (byte)'C':
                    Add(ConsoleKey.RightArrow, '\0');
                    break;
                case (byte)'D':
                    Add(ConsoleKey.LeftArrow, '\0');
                    break;
            }

            // Other sequences (Home, F-keys, Delete) have no panel key.
        }

        private void Add(ConsoleKey key, char c)
        {
            _keys.Enqueue(new ConsoleKeyInfo(c, key, false, false, false));
        }
    }
}
