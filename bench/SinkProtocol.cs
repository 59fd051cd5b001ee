using System;
using System.Text;

namespace NetBoard.Bench
{
    /// <summary>
    /// The server side of just enough SMTP to take a message: greeting, EHLO/HELO, MAIL, RCPT, DATA
    /// (read and discarded up to the final dot), RSET, NOOP, QUIT. Fed bytes, it appends its replies
    /// to a fixed buffer. It allocates nothing after construction, so it adds nothing to the
    /// allocation counts of the client under test.
    /// </summary>
    internal sealed class SinkProtocol
    {
        private static readonly byte[] Greeting = Ascii("220 sink.bench ESMTP sink\r\n");
        private static readonly byte[] EhloReply = Ascii("250-sink.bench\r\n250-PIPELINING\r\n250-SIZE 104857600\r\n250-8BITMIME\r\n250 ENHANCEDSTATUSCODES\r\n");
        private static readonly byte[] EhloOAuthReply = Ascii("250-sink.bench\r\n250-PIPELINING\r\n250-SIZE 104857600\r\n250-AUTH XOAUTH2 OAUTHBEARER\r\n250-8BITMIME\r\n250 ENHANCEDSTATUSCODES\r\n");
        private static readonly byte[] AuthContinue = Ascii("334 \r\n");
        private static readonly byte[] AuthOk = Ascii("235 2.7.0 Authentication successful\r\n");
        private static readonly byte[] Ok = Ascii("250 2.0.0 Ok\r\n");
        private static readonly byte[] GoAhead = Ascii("354 End data with <CR><LF>.<CR><LF>\r\n");
        private static readonly byte[] Queued = Ascii("250 2.0.0 Ok: queued as SINK\r\n");
        private static readonly byte[] Bye = Ascii("221 2.0.0 Bye\r\n");
        private static readonly byte[] Unknown = Ascii("500 5.5.2 Error: command not recognized\r\n");
        private static readonly byte[] TooLong = Ascii("500 5.5.2 Error: line too long\r\n");
        private static readonly byte[] Terminator = Ascii("\r\n.\r\n");

        private readonly byte[] _line = new byte[1024];
        private readonly byte[] _reply = new byte[1024];
        private int _lineLength;
        private bool _lineOverflow;
        private bool _inData;
        private int _dataState;
        private int _replyStart;
        private int _replyEnd;
        private bool _authPending;

        /// <summary>True to announce AUTH XOAUTH2 OAUTHBEARER and take any bearer token (the OAuth send benchmark).</summary>
        public bool OfferOAuth { get; set; }

        /// <summary>True once QUIT was answered.</summary>
        public bool QuitSeen { get; private set; }

        /// <summary>Octets taken in DATA, final dot line included.</summary>
        public long DataOctets { get; private set; }

        /// <summary>Messages taken since <see cref="Start"/>.</summary>
        public int Messages { get; private set; }

        /// <summary>Reply octets waiting to be sent.</summary>
        public int ReplyCount
        {
            get { return _replyEnd - _replyStart; }
        }

        /// <summary>A new connection: forget everything and queue the greeting.</summary>
        public void Start()
        {
            _lineLength = 0;
            _lineOverflow = false;
            _inData = false;
            _dataState = 0;
            _replyStart = 0;
            _replyEnd = 0;
            _authPending = false;
            QuitSeen = false;
            DataOctets = 0;
            Messages = 0;
            Put(Greeting);
        }

        /// <summary>Copies up to <paramref name="count"/> reply octets out; returns how many.</summary>
        public int TakeReply(byte[] buffer, int offset, int count)
        {
            int n = Math.Min(count, _replyEnd - _replyStart);
            Buffer.BlockCopy(_reply, _replyStart, buffer, offset, n);
            _replyStart += n;
            if (_replyStart == _replyEnd)
            {
                _replyStart = 0;
                _replyEnd = 0;
            }

            return n;
        }

        /// <summary>The reply buffer and range, for a sender that writes it straight out.</summary>
        public ArraySegment<byte> PendingReply
        {
            get { return new ArraySegment<byte>(_reply, _replyStart, _replyEnd - _replyStart); }
        }

        /// <summary>The caller sent <paramref name="count"/> reply octets from <see cref="PendingReply"/>.</summary>
        public void ReplySent(int count)
        {
            _replyStart += count;
            if (_replyStart == _replyEnd)
            {
                _replyStart = 0;
                _replyEnd = 0;
            }
        }

        /// <summary>Consumes client octets.</summary>
        public void Feed(byte[] buffer, int offset, int count)
        {
            int end = offset + count;
            int i = offset;
            while (i < end && !QuitSeen)
            {
                if (_inData)
                {
                    i = FeedData(buffer, i, end);
                    continue;
                }

                byte b = buffer[i++];
                if (b == (byte)'\n')
                {
                    OnCommand();
                    _lineLength = 0;
                    _lineOverflow = false;
                    continue;
                }

                if (_lineLength < _line.Length)
                {
                    _line[_lineLength++] = b;
                }
                else
                {
                    _lineOverflow = true;
                }
            }
        }

        private static byte[] Ascii(string text)
        {
            return Encoding.ASCII.GetBytes(text);
        }

        private static byte Upper(byte b)
        {
            return b >= (byte)'a' && b <= (byte)'z' ? (byte)(b - 32) : b;
        }

        // States: 0 inside a line, 1 after CR, 2 at a line start, 3 after a leading '.', 4 after ".\r".
        // A partial terminator is at most 4 octets, so the automaton runs octet by octet only where
        // one may be pending; the rest is a vectorised search for the whole terminator.
        private int FeedData(byte[] buffer, int i, int end)
        {
            int start = i;
            while (i < end && _dataState != 0)
            {
                if (Step(buffer[i++]))
                {
                    return EndData(start, i);
                }
            }

            if (i == end)
            {
                DataOctets += i - start;
                return i;
            }

            int found = buffer.AsSpan(i, end - i).IndexOf(Terminator);
            if (found >= 0)
            {
                return EndData(start, i + found + Terminator.Length);
            }

            i = Math.Max(i, end - (Terminator.Length - 1));
            while (i < end)
            {
                Step(buffer[i++]);
            }

            DataOctets += end - start;
            return end;
        }

        private int EndData(int start, int next)
        {
            DataOctets += next - start;
            Messages++;
            _inData = false;
            _dataState = 0;
            Put(Queued);
            return next;
        }

        private bool Step(byte b)
        {
            switch (_dataState)
            {
                case 0:
                    _dataState = b == (byte)'\r' ? 1 : 0;
                    return false;
                case 1:
                    _dataState = b == (byte)'\n' ? 2 : (b == (byte)'\r' ? 1 : 0);
                    return false;
                case 2:
                    _dataState = b == (byte)'.' ? 3 : (b == (byte)'\r' ? 1 : 0);
                    return false;
                case 3:
                    _dataState = b == (byte)'\r' ? 4 : 0;
                    return false;
                default:
                    if (b == (byte)'\n')
                    {
                        return true;
                    }

                    _dataState = b == (byte)'\r' ? 1 : 0;
                    return false;
            }
        }

        private void OnCommand()
        {
            if (_authPending)
            {
                // The response after the empty 334 (a bearer token may be longer than the line buffer).
                _authPending = false;
                Put(AuthOk);
                return;
            }

            bool auth = OfferOAuth && _lineLength >= 5 && Upper(_line[0]) == 'A' && Upper(_line[1]) == 'U' && Upper(_line[2]) == 'T' && Upper(_line[3]) == 'H' && _line[4] == (byte)' ';
            if (auth)
            {
                // "AUTH XOAUTH2" alone asks for the empty challenge; with an initial response it is taken at once.
                bool initial = _lineOverflow || Array.IndexOf(_line, (byte)' ', 5, _lineLength - 5) > 0;
                _authPending = !initial;
                Put(initial ? AuthOk : AuthContinue);
                return;
            }

            if (_lineOverflow)
            {
                Put(TooLong);
                return;
            }

            if (_lineLength < 4)
            {
                Put(Unknown);
                return;
            }

            int verb = (Upper(_line[0]) << 24) | (Upper(_line[1]) << 16) | (Upper(_line[2]) << 8) | Upper(_line[3]);
            switch (verb)
            {
                case ('E' << 24) | ('H' << 16) | ('L' << 8) | 'O':
                    Put(OfferOAuth ? EhloOAuthReply : EhloReply);
                    break;
                case ('H' << 24) | ('E' << 16) | ('L' << 8) | 'O':
                case ('M' << 24) | ('A' << 16) | ('I' << 8) | 'L':
                case ('R' << 24) | ('C' << 16) | ('P' << 8) | 'T':
                case ('R' << 24) | ('S' << 16) | ('E' << 8) | 'T':
                case ('N' << 24) | ('O' << 16) | ('O' << 8) | 'P':
                    Put(Ok);
                    break;
                case ('D' << 24) | ('A' << 16) | ('T' << 8) | 'A':
                    Put(GoAhead);
                    _inData = true;
                    _dataState = 2;
                    break;
                case ('Q' << 24) | ('U' << 16) | ('I' << 8) | 'T':
                    Put(Bye);
                    QuitSeen = true;
                    break;
                default:
                    Put(Unknown);
                    break;
            }
        }

        private void Put(byte[] reply)
        {
            if (_replyStart > 0)
            {
                Buffer.BlockCopy(_reply, _replyStart, _reply, 0, _replyEnd - _replyStart);
                _replyEnd -= _replyStart;
                _replyStart = 0;
            }

            if (_reply.Length - _replyEnd < reply.Length)
            {
                throw new InvalidOperationException("sink reply buffer full: the client does not read its replies");
            }

            Buffer.BlockCopy(reply, 0, _reply, _replyEnd, reply.Length);
            _replyEnd += reply.Length;
        }
    }
}
