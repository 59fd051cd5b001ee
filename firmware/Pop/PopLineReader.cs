using NetBoard.Firmware.Text;

namespace NetBoard.Firmware.Pop
{
    /// <summary>
    /// Splits the server's byte stream into status lines and list lines (RFC 1939 section 3) with bounded
    /// memory: one line buffer of <see cref="MaxLineLength"/> octets, whatever the server sends.
    /// Message bodies do not pass through here (see <see cref="PopBodyDecoder"/>).
    /// </summary>
    public sealed class PopLineReader
    {
        /// <summary>RFC 2449 section 4: a response line is at most 512 octets including CRLF.</summary>
        public const int MaxLineLength = 512;

        private readonly byte[] _line = new byte[MaxLineLength];
        private int _length;
        private int _completed;
        private bool _failed;

        /// <summary>After an Error event: what was wrong.</summary>
        public string Error { get; private set; }

        /// <summary>The completed line's bytes, without its line end.</summary>
        public byte[] LineBuffer
        {
            get { return _line; }
        }

        /// <summary>The completed line's length in octets.</summary>
        public int Length
        {
            get { return _completed; }
        }

        /// <summary>True when the completed line is a "+OK" status line: the token alone or followed by a space ("+OKAY" is not).</summary>
        public bool IsOk
        {
            get { return IsToken("+OK"); }
        }

        /// <summary>True when the completed line is a "-ERR" status line: the token alone or followed by a space.</summary>
        public bool IsErr
        {
            get { return IsToken("-ERR"); }
        }

        /// <summary>True when the completed line is an RFC 5034 continuation: "+" alone or followed by a space and a challenge.</summary>
        public bool IsContinuation
        {
            get { return IsToken("+"); }
        }

        /// <summary>The text after the status indicator and its space (allocates; for results and the journal).</summary>
        public string StatusText
        {
            get
            {
                int start = IsOk ? 3 : (IsErr ? 4 : 0);
                if (start > 0 && start < _completed && _line[start] == (byte)' ')
                {
                    start++;
                }

                return Ascii.GetString(_line, start, _completed - start);
            }
        }

        /// <summary>The whole completed line as text (allocates; for the journal).</summary>
        public string Text
        {
            get { return Ascii.GetString(_line, 0, _completed); }
        }

        /// <summary>True when the completed line is the "." that ends a multi-line response.</summary>
        public bool IsTerminator
        {
            get { return _completed == 1 && _line[0] == (byte)'.'; }
        }

        /// <summary>Where a multi-line response line's data starts: 1 when its byte-stuffed leading "." is to be dropped.</summary>
        public int DataOffset
        {
            get { return _completed > 0 && _line[0] == (byte)'.' ? 1 : 0; }
        }

        /// <summary>Forgets any partial line (used when TLS starts: nothing received in clear may reach a protected line).</summary>
        public void Reset()
        {
            _length = 0;
            _completed = 0;
        }

        /// <summary>
        /// Consumes bytes up to the end of the next complete line (or all of them).
        /// </summary>
        /// <param name="buffer">Received bytes.</param>
        /// <param name="offset">First byte to read.</param>
        /// <param name="count">Bytes available.</param>
        /// <param name="consumed">How many bytes were consumed.</param>
        /// <returns>What happened; after Error every later call returns Error.</returns>
        public PopLineEvent Feed(byte[] buffer, int offset, int count, out int consumed)
        {
            consumed = 0;
            if (_failed)
            {
                return PopLineEvent.Error;
            }

            while (consumed < count)
            {
                byte b = buffer[offset + consumed];
                consumed++;
                if (b == (byte)'\n')
                {
                    if (_length > 0 && _line[_length - 1] == (byte)'\r')
                    {
                        _length--;
                    }

                    // The completed line stays readable until the next line completes.
                    _completed = _length;
                    _length = 0;
                    return PopLineEvent.Line;
                }

                if (_length == MaxLineLength - 1)
                {
                    // Room for the LF is all that is left: the line is over 512 octets.
                    _failed = true;
                    Error = "response line longer than 512 octets";
                    return PopLineEvent.Error;
                }

                _line[_length++] = b;
            }

            return PopLineEvent.NeedMore;
        }

        private bool IsToken(string indicator)
        {
            // RFC 1939 3: the indicator is a word of its own; only a space may follow it.
            int length = indicator.Length;
            if (_completed < length || (_completed > length && _line[length] != (byte)' '))
            {
                return false;
            }

            for (int i = 0; i < length; i++)
            {
                if (_line[i] != (byte)indicator[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
