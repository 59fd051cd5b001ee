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
        /// <returns>What happened; after Error every later call returns Error.</returns>
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
                    return Fail("reply line longer than 512 octets");
                }

                _line[_length++] = b;
            }

            return SmtpReplyEvent.NeedMore;
        }

        private SmtpReplyEvent CompleteLine()
        {
            if (_length < 3 || !IsDigit(_line[0], '2', '5') || !IsDigit(_line[1], '0', '9') || !IsDigit(_line[2], '0', '9'))
            {
                return Fail("reply line does not start with a reply code");
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
                return Fail("reply code not followed by space or hyphen");
            }

            int code = ((_line[0] - '0') * 100) + ((_line[1] - '0') * 10) + (_line[2] - '0');
            if (_lines > 0 && code != _code)
            {
                return Fail("lines of one reply carry different codes");
            }

            _code = code;
            _lines++;
            if (!last && _lines >= MaxLinesPerReply)
            {
                return Fail("reply has too many lines");
            }

            IsLast = last;

            // The completed line stays readable until the next Feed call starts another.
            _completed = _length;
            _length = 0;
            return last ? SmtpReplyEvent.Reply : SmtpReplyEvent.Line;
        }

        private SmtpReplyEvent Fail(string why)
        {
            _failed = true;
            Error = why;
            return SmtpReplyEvent.Error;
        }

        private static bool IsDigit(byte b, char low, char high)
        {
            return b >= (byte)low && b <= (byte)high;
        }
    }
}
