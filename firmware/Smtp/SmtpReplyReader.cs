using NetBoard.Firmware.Text;

namespace NetBoard.Firmware.Smtp
{
    /// <summary>
    /// Splits the server's byte stream into reply lines (RFC 5321 4.2) with bounded memory:
    /// one line buffer of <see cref="MaxLineLength"/> octets, whatever the server sends.
    /// </summary>
    public sealed class SmtpReplyReader
    {
        /// <summary>RFC 5321 4.5.3.1.5: a reply line is at most 512 octets including CRLF.</summary>
        public const int MaxLineLength = 512;

        /// <summary>Bounds a multi-line reply so a server that never ends one is caught.</summary>
        public const int MaxLinesPerReply = 200;

        private readonly byte[] _line = new byte[MaxLineLength];
        private int _length;
        private int _completed;
        private int _lines;
        private int _code;
        private bool _failed;
        private bool _lineOpen;
        private bool _discarding;
        private int _brokenCode;

        /// <summary>The reply code of the current reply (valid after a Line or Reply event).</summary>
        public int Code
        {
            get { return _code; }
        }

        /// <summary>True when the line just completed is the reply's last.</summary>
        public bool IsLast { get; private set; }

        /// <summary>Lines of the current reply so far.</summary>
        public int LineCount
        {
            get { return _lines; }
        }

        /// <summary>After an Error event: what was wrong.</summary>
        public string Error { get; private set; }

        /// <summary>
        /// After an Error event: the code the broken reply carries as far as it could be read (its first
        /// line's code, even when that line is over-long or malformed after the code), or 0 when no line
        /// starts with a code or the lines carry different codes. <see cref="Text"/> then holds the broken
        /// line as far as it was read.
        /// </summary>
        public int BrokenReplyCode
        {
            get { return _brokenCode; }
        }

        /// <summary>The completed line's bytes (without CRLF); the text starts at <see cref="TextOffset"/>.</summary>
        public byte[] LineBuffer
        {
            get { return _line; }
        }

        /// <summary>Offset of the text after the code and separator in <see cref="LineBuffer"/>.</summary>
        public int TextOffset
        {
            get { return _completed > 3 ? 4 : 3; }
        }

        /// <summary>Length of the text of the completed line.</summary>
        public int TextLength
        {
            get { return _completed > 3 ? _completed - 4 : 0; }
        }

        /// <summary>The completed line's text as a string (allocates; for results and the journal).</summary>
        public string Text
        {
            get { return Ascii.GetString(_line, TextOffset, TextLength); }
        }

        /// <summary>Forgets any partial reply (after STARTTLS the stream starts afresh).</summary>
        public void Reset()
        {
            _length = 0;
            _completed = 0;
            _lines = 0;
            _code = 0;
            _failed = false;
            _lineOpen = false;
            _discarding = false;
            _brokenCode = 0;
            IsLast = false;
            Error = null;
        }

        /// <summary>
        /// After an Error event: reads on. The rest of the broken line, if it has not ended yet, is skipped
        /// up to its line end; the line after it starts a new reply.
        /// </summary>
        public void Resume()
        {
            if (!_failed)
            {
                return;
            }

            _discarding = _lineOpen;
            _failed = false;
            _lineOpen = false;
            _length = 0;
            _lines = 0;
            _code = 0;
            IsLast = false;
            Error = null;
        }

        /// <summary>
        /// Consumes bytes up to the end of the next complete line (or all of them).
        /// </summary>
        /// <param name="buffer">Received bytes.</param>
        /// <param name="offset">First byte to read.</param>
        /// <param name="count">Bytes available.</param>
        /// <param name="consumed">How many bytes were consumed.</param>
        /// <returns>What happened; after Error every later call returns Error until <see cref="Resume"/>.</returns>
        public SmtpReplyEvent Feed(byte[] buffer, int offset, int count, out int consumed)
        {
            consumed = 0;
            if (_failed)
            {
                return SmtpReplyEvent.Error;
            }

            if (IsLast)
            {
                // The previous call completed a reply: the next byte starts a new one.
                _lines = 0;
                _code = 0;
                IsLast = false;
            }

            while (_discarding && consumed < count)
            {
                _discarding = buffer[offset + consumed] != (byte)'\n';
                consumed++;
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

                    return CompleteLine();
                }

                if (_length == MaxLineLength - 1)
                {
                    // Room for the LF is all that is left: the line is over 512 octets.
                    _lineOpen = true;
                    return Fail("reply line longer than 512 octets", LineCode());
                }

                _line[_length++] = b;
            }

            return SmtpReplyEvent.NeedMore;
        }

        private SmtpReplyEvent CompleteLine()
        {
            if (_length < 3 || !IsDigit(_line[0], '2', '5') || !IsDigit(_line[1], '0', '9') || !IsDigit(_line[2], '0', '9'))
            {
                return Fail("reply line does not start with a reply code", LineCode());
            }

            bool last;
            if (_length == 3 || _line[3] == (byte)' ')
            {
                last = true;
            }
            else if (_line[3] == (byte)'-')
            {
                last = false;
            }
            else
            {
                return Fail("reply code not followed by space or hyphen", LineCode());
            }

            int code = ((_line[0] - '0') * 100) + ((_line[1] - '0') * 10) + (_line[2] - '0');
            if (_lines > 0 && code != _code)
            {
                return Fail("lines of one reply carry different codes", 0);
            }

            _code = code;
            _lines++;
            if (!last && _lines >= MaxLinesPerReply)
            {
                return Fail("reply has too many lines", code);
            }

            IsLast = last;

            // The completed line stays readable until the next Feed call starts another.
            _completed = _length;
            _length = 0;
            return last ? SmtpReplyEvent.Reply : SmtpReplyEvent.Line;
        }

        private SmtpReplyEvent Fail(string why, int brokenCode)
        {
            _failed = true;
            Error = why;
            _brokenCode = brokenCode;

            // The broken line stays readable through Text, as far as it came.
            _completed = _length;
            _length = 0;
            return SmtpReplyEvent.Error;
        }

        // The code of the reply the broken line belongs to: the first line's, unless this line starts with another.
        private int LineCode()
        {
            int own = 0;
            if (_length >= 3 && IsDigit(_line[0], '2', '5') && IsDigit(_line[1], '0', '9') && IsDigit(_line[2], '0', '9'))
            {
                own = ((_line[0] - '0') * 100) + ((_line[1] - '0') * 10) + (_line[2] - '0');
            }

            if (_lines == 0)
            {
                return own;
            }

            return own == 0 || own == _code ? _code : 0;
        }

        private static bool IsDigit(byte b, char low, char high)
        {
            return b >= (byte)low && b <= (byte)high;
        }
    }
}
