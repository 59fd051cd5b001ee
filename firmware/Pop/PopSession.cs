using System;
using NetBoard.Firmware.Crypto;
using NetBoard.Firmware.Diagnostics;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Net;
using NetBoard.Firmware.Sasl;
using NetBoard.Firmware.Text;
using NetBoard.Hal;

namespace NetBoard.Firmware.Pop
{
    /// <summary>
    /// One POP3 client session (RFC 1939, CAPA from RFC 2449) as an explicit state machine. It never touches
    /// the network: the caller feeds it received bytes, takes what it wants sent from <see cref="Output"/>,
    /// reports connection events and asks it to check its deadline. Memory is fixed per session: a line
    /// buffer, an output buffer, a message chunk buffer and one id slot per message it may fetch, whatever
    /// the size of the messages.
    /// </summary>
    /// <remarks>
    /// In <see cref="PopSessionMode.Receive"/> mode a message is deleted (DELE) only after the sink committed
    /// it, and deletions become final only with the server's +OK to QUIT (RFC 1939 UPDATE state). A session
    /// cut short therefore deletes nothing; what was committed is skipped next time through
    /// <see cref="IPopMailSink.Has"/>. A server that refuses UIDL leaves no ids to check: the sink is asked
    /// <c>Has("")</c> once, and only when it answers false are the messages taken as new (LIST order).
    /// <para>
    /// A message is retrieved only when LIST gives it at most <see cref="PopSessionOptions.MaxMessageOctets"/>, and
    /// it may bring at most its LIST size plus an eighth plus <see cref="RetrieveMarginOctets"/> (servers that store
    /// LF line ends count a little short), within <see cref="PopSessionOptions.RetrieveTimeoutMs"/> from its RETR.
    /// A message over either bound is aborted in the sink (nothing half-written is kept), noted in the result's
    /// skipped list and left on the server; past a bound the stream cannot be resynchronised, so the session
    /// ends without QUIT.
    /// </para>
    /// </remarks>
    public sealed class PopSession : IClientSession
    {
        /// <summary>The output buffer: one command at a time, room for the longest user name settings allow.</summary>
        public const int OutputBufferSize = 1024;

        /// <summary>The largest block of a message handed to <see cref="IPopMailSink.Write"/> at once.</summary>
        public const int BodyChunkSize = 1024;

        /// <summary>Bounds the CAPA list so a server that never ends it is caught.</summary>
        public const int MaxCapaLines = 100;

        /// <summary>Bounds the UIDL and LIST responses (one line per message in the mailbox).</summary>
        public const int MaxListLines = 10000;

        /// <summary>What a message may bring beyond its LIST size and an eighth of it, in octets.</summary>
        public const int RetrieveMarginOctets = 4096;

        /// <summary>The part of the LIST size a message may bring on top of it (one eighth: LF-counting servers, trailing lines).</summary>
        public const int RetrieveMarginDivisor = 8;

        private const string MaskedPayload = "****";

        // The empty id stands for "the server has no UIDL" (see IPopMailSink).
        private const string NoUid = "";

        // Longest message number and size accepted in a list line, in decimal digits.
        private const int MaxNumberDigits = 9;
        private const int MaxSizeDigits = 18;

        private readonly PopSessionOptions _options;
        private readonly IPopMailSink _sink;
        private readonly ISessionLog _log;
        private readonly PopLineReader _reader = new PopLineReader();
        private readonly PopBodyDecoder _decoder = new PopBodyDecoder();
        private readonly PopResult _result;
        private readonly CommandBuffer _out = new CommandBuffer(OutputBufferSize);
        private readonly byte[] _chunk;
        private readonly byte[] _timestamp = new byte[PopLineReader.MaxLineLength];
        private readonly int[] _numbers;
        private readonly string[] _uids;
        private readonly bool[] _stored;
        private readonly long[] _sizes;

        private PopState _state = PopState.Idle;
        private long _deadline;
        private int _timestampLength;
        private bool _capaStls;
        private bool _capaCramMd5;
        private SaslMechanism _mechanism;
        private bool _authCancelled;
        private bool _tlsStarted;
        private bool _inList;
        private int _listLines;
        private bool _withoutUids;
        private bool _takeWithoutUids;
        private int _selected;
        private int _current;
        private int _chunkCount;
        private long _bodyOctets;
        private long _bodyLimit;
        private long _retrieveDeadline;
        private bool _messageOpen;
        private bool _discardBody;
        private int _deletesPending;
        private bool _quitConfirmed;

        /// <summary>Creates a session that will log in and, in Receive mode, fetch into <paramref name="sink"/>.</summary>
        /// <param name="options">Credentials, login and session mode, timeouts.</param>
        /// <param name="sink">Where messages go; needed in Receive mode, may be null for LoginOnly.</param>
        /// <param name="log">Receives the dialogue, or null.</param>
        public PopSession(PopSessionOptions options, IPopMailSink sink, ISessionLog log)
        {
            if (options == null)
            {
                throw new ArgumentNullException("options");
            }

            int slots = 0;
            if (options.Mode == PopSessionMode.Receive)
            {
                if (sink == null)
                {
                    throw new ArgumentNullException("sink");
                }

                if (options.MaxMessagesPerSession < 1 || options.MaxMessagesPerSession > PopSessionOptions.MaxMessagesLimit)
                {
                    throw new ArgumentOutOfRangeException("options", "MaxMessagesPerSession out of range");
                }

                slots = options.MaxMessagesPerSession;
            }

            _options = options;
            _sink = sink;
            _log = log;
            _chunk = new byte[slots > 0 ? BodyChunkSize : 0];
            _numbers = new int[slots];
            _uids = new string[slots];
            _stored = new bool[slots];
            _sizes = new long[slots];
            _result = new PopResult(slots);
        }

        /// <summary>Where the session is.</summary>
        public PopState State
        {
            get { return _state; }
        }

        /// <summary>True once the session has ended; <see cref="Result"/> is final then.</summary>
        public bool IsDone
        {
            get { return _state == PopState.Done; }
        }

        /// <summary>True between <see cref="Start"/> and <see cref="OnConnected"/>.</summary>
        public bool IsConnecting
        {
            get { return _state == PopState.Connecting; }
        }

        /// <summary>True after the server's +OK to STLS, until <see cref="OnTlsStarted"/>.</summary>
        public bool WantsTls
        {
            get { return _state == PopState.TlsHandshake; }
        }

        /// <summary>
        /// The TLS handshake after STLS succeeded. RFC 2595 4: what CAPA said before TLS is forgotten
        /// and asked again; the greeting's APOP timestamp stays (the greeting is not repeated).
        /// </summary>
        public void OnTlsStarted(long nowMs)
        {
            if (_state != PopState.TlsHandshake)
            {
                return;
            }

            _tlsStarted = true;
            _capaStls = false;
            _capaCramMd5 = false;

            // Nothing received in clear may become part of the first protected line.
            _reader.Reset();
            SendCommand("CAPA", PopState.Capa, nowMs, "CAPA");
        }

        /// <summary>The outcome (final once <see cref="IsDone"/>).</summary>
        public PopResult Result
        {
            get { return _result; }
        }

        /// <summary>The buffer holding octets to send, from <see cref="OutputOffset"/> for <see cref="OutputCount"/>.</summary>
        public byte[] Output
        {
            get { return _out.Buffer; }
        }

        /// <summary>The first octet to send in <see cref="Output"/>.</summary>
        public int OutputOffset
        {
            get { return _out.Offset; }
        }

        /// <summary>How many octets wait to be sent.</summary>
        public int OutputCount
        {
            get { return _out.Count; }
        }

        /// <summary>When the current step times out, on the caller's millisecond clock.</summary>
        public long Deadline
        {
            get { return _deadline; }
        }

        /// <summary>Starts the session: the caller is connecting now.</summary>
        public void Start(long nowMs)
        {
            if (_state != PopState.Idle)
            {
                throw new InvalidOperationException("session already started");
            }

            Expect(PopState.Connecting, nowMs + _options.ConnectTimeoutMs, "connect");
        }

        /// <summary>The connection is open; the server's greeting comes next.</summary>
        /// <param name="localAddress">The local address (unused by POP3).</param>
        /// <param name="nowMs">The caller's clock.</param>
        public void OnConnected(string localAddress, long nowMs)
        {
            if (_state != PopState.Connecting)
            {
                return;
            }

            Expect(PopState.Greeting, nowMs + _options.GreetingTimeoutMs, "greeting");
        }

        /// <summary>Connecting failed (name not resolved, refused, unreachable).</summary>
        public void OnConnectFailed(NetError error, string errorText)
        {
            if (IsDone)
            {
                return;
            }

            FailLocal(UserErrorCode.ForNetError(error, UserErrorCode.PopConnectFailed), errorText);
            _result.NetError = error;
            Finish();
        }

        /// <summary>The connection ended (closed by the peer, reset, or failed) before the session did.</summary>
        public void OnConnectionEnded(NetError error, string errorText)
        {
            if (IsDone)
            {
                return;
            }

            if (_state != PopState.Quit)
            {
                FailLocal(UserErrorCode.ForNetError(error, LostCode()), error == NetError.None ? "connection closed by the server" : errorText);
            }

            if (_state != PopState.Quit || _deletesPending > 0)
            {
                _result.NetError = error == NetError.None ? NetError.Reset : error;
            }

            Finish();
        }

        /// <summary>Ends the session if its current step has passed its deadline.</summary>
        public void CheckTimeout(long nowMs)
        {
            if (IsDone || _state == PopState.Idle || nowMs < _deadline)
            {
                return;
            }

            if (_state == PopState.Connecting)
            {
                FailLocal(UserErrorCode.PopConnectFailed, "connect timed out");
            }
            else if ((_state == PopState.Body || _state == PopState.Retr) && nowMs >= _retrieveDeadline)
            {
                // A server that trickles the message keeps the block deadline fresh; this one is not restarted.
                string why = "not received within " + (_options.RetrieveTimeoutMs / 1000).ToString() + " s (" + _bodyOctets.ToString() + " octets came)";
                Skip(why);
                FailLocal(UserErrorCode.PopReceptionInterrupted, "message " + _numbers[_current].ToString() + " " + why + "; it stays on the server");
            }
            else if (_state == PopState.Body)
            {
                FailLocal(UserErrorCode.PopReceptionInterrupted, "message data stopped coming");
            }
            else if (_state != PopState.Quit)
            {
                FailLocal(LostCode(), "no reply in time");
            }

            if (_state != PopState.Quit || _deletesPending > 0)
            {
                _result.NetError = NetError.TimedOut;
            }

            Finish();
        }

        /// <summary>Feeds bytes received from the server.</summary>
        public void Receive(byte[] buffer, int offset, int count, long nowMs)
        {
            if (count > 0 && _state == PopState.TlsHandshake)
            {
                // RFC 2595 4: nothing may come between the +OK to STLS and the handshake; such bytes were sent in clear.
                ProtocolError("data after the server's +OK to STLS");
                return;
            }

            while (count > 0 && !IsDone)
            {
                int used;
                if (_state == PopState.Body)
                {
                    used = ReceiveBody(buffer, offset, count, nowMs);
                }
                else
                {
                    PopLineEvent ev = _reader.Feed(buffer, offset, count, out used);
                    if (ev == PopLineEvent.Error)
                    {
                        ProtocolError(_reader.Error);
                        return;
                    }

                    if (ev == PopLineEvent.Line)
                    {
                        OnLine(nowMs);
                        if (_state == PopState.TlsHandshake && count > used)
                        {
                            // RFC 2595 / RFC 3207 6: bytes behind the +OK were sent in clear to be read as if protected.
                            ProtocolError("data after the server's +OK to STLS");
                            return;
                        }
                    }
                }

                offset += used;
                count -= used;
            }
        }

        /// <summary>The caller sent <paramref name="count"/> octets from <see cref="Output"/>.</summary>
        public void OnSent(int count, long nowMs)
        {
            _out.Sent(count);
        }

        private void OnLine(long nowMs)
        {
            if (_inList)
            {
                OnListLine(nowMs);
                return;
            }

            LogReceived(_reader.Text);
            bool ok = _reader.IsOk;
            if (_state == PopState.Auth && _reader.IsContinuation)
            {
                AnswerChallenge(nowMs);
                return;
            }

            if (!ok && !_reader.IsErr)
            {
                ProtocolError("reply is neither +OK nor -ERR");
                return;
            }

            switch (_state)
            {
                case PopState.Greeting:
                    if (ok)
                    {
                        FindTimestamp();
                        SendCommand("CAPA", PopState.Capa, nowMs, "CAPA");
                    }
                    else
                    {
                        // The server refuses service; it closes the connection itself.
                        SetReply();
                        FailLocal(UserErrorCode.PopConnectFailed, "server refused the session");
                        Finish();
                    }

                    break;

                case PopState.Capa:
                    if (ok)
                    {
                        BeginList();
                    }
                    else if (NeedsStls)
                    {
                        // Without CAPA nothing says whether STLS works: asking is safe, no secret goes with it.
                        SendCommand("STLS", PopState.Stls, nowMs, "STLS");
                    }
                    else
                    {
                        // RFC 2449 is optional: an older server answers -ERR and gets the RFC 1939 commands.
                        Login(nowMs);
                    }

                    break;

                case PopState.Stls:
                    if (ok)
                    {
                        Expect(PopState.TlsHandshake, nowMs + _options.CommandTimeoutMs, "TLS");
                    }
                    else
                    {
                        SetReply();
                        FailLocal(UserErrorCode.TlsNotOffered, "server refused STLS");
                        SendQuit(nowMs);
                    }

                    break;

                case PopState.User:
                    if (ok)
                    {
                        SendPass(nowMs);
                    }
                    else
                    {
                        FailLogin(nowMs);
                    }

                    break;

                case PopState.Pass:
                case PopState.Apop:
                case PopState.Auth:
                    ClearMechanism();
                    if (ok)
                    {
                        AfterLogin(nowMs);
                    }
                    else if (_authCancelled)
                    {
                        SetReply();
                        _result.Stage = "AUTH";
                        FailLocal(UserErrorCode.PopAuthFailed, "CRAM-MD5 exchange failed (bad challenge)");
                        SendQuit(nowMs);
                    }
                    else
                    {
                        // No weaker login follows a refused one: the refusal means the credentials, not the method.
                        FailLogin(nowMs);
                    }

                    break;

                case PopState.Uidl:
                    if (ok)
                    {
                        BeginList();
                    }
                    else
                    {
                        _withoutUids = true;
                        _takeWithoutUids = !_sink.Has(NoUid);
                        SendCommand("LIST", PopState.List, nowMs, "LIST");
                    }

                    break;

                case PopState.List:
                    if (ok)
                    {
                        BeginList();
                    }
                    else
                    {
                        FailServer(nowMs);
                    }

                    break;

                case PopState.Retr:
                    if (ok)
                    {
                        BeginMessage(nowMs);
                    }
                    else
                    {
                        FailServer(nowMs);
                    }

                    break;

                case PopState.Dele:
                    if (ok)
                    {
                        _deletesPending++;
                        NextMessage(nowMs);
                    }
                    else
                    {
                        FailServer(nowMs);
                    }

                    break;

                case PopState.Quit:
                    if (ok)
                    {
                        // RFC 1939 section 6: only now are the messages marked by DELE removed.
                        _quitConfirmed = true;
                        _result.MessagesDeleted = _deletesPending;
                    }
                    else if (_deletesPending > 0 && _result.ErrorCode == UserErrorCode.None)
                    {
                        // RFC 1939 section 6: -ERR to QUIT means some marked messages could not be removed.
                        SetReply();
                        _result.Stage = "QUIT";
                        FailLocal(UserErrorCode.PopServerError, "server could not remove the deleted messages");
                    }

                    Finish();
                    break;

                default:
                    ProtocolError("reply while none was expected");
                    break;
            }
        }

        private void BeginList()
        {
            _inList = true;
            _listLines = 0;
        }

        private void OnListLine(long nowMs)
        {
            if (_reader.IsTerminator)
            {
                _inList = false;
                LogReceived(".");
                EndList(nowMs);
                return;
            }

            _listLines++;
            int limit = _state == PopState.Capa ? MaxCapaLines : MaxListLines;
            if (_listLines > limit)
            {
                ProtocolError("multi-line response has too many lines");
                return;
            }

            switch (_state)
            {
                case PopState.Capa:
                    LogReceived(_reader.Text);
                    if (FirstWordIs(_reader.LineBuffer, _reader.DataOffset, _reader.Length, "STLS"))
                    {
                        _capaStls = true;
                    }
                    else if (FirstWordIs(_reader.LineBuffer, _reader.DataOffset, _reader.Length, "SASL"))
                    {
                        _capaCramMd5 = HasWord(_reader.LineBuffer, _reader.DataOffset + 5, _reader.Length, "CRAM-MD5");
                    }

                    break;

                case PopState.Uidl:
                    OnUidlLine();
                    break;

                default:
                    OnListSizeLine();
                    break;
            }
        }

        private void EndList(long nowMs)
        {
            switch (_state)
            {
                case PopState.Capa:
                    if (!NeedsStls)
                    {
                        Login(nowMs);
                    }
                    else if (_capaStls)
                    {
                        SendCommand("STLS", PopState.Stls, nowMs, "STLS");
                    }
                    else
                    {
                        // No downgrade: without STLS nothing more is sent, least of all a password.
                        _result.Stage = "STLS";
                        FailLocal(UserErrorCode.TlsNotOffered, "server does not offer STLS");
                        SendQuit(nowMs);
                    }

                    break;

                case PopState.Uidl:
                    if (_selected == 0)
                    {
                        SendQuit(nowMs);
                    }
                    else if (!AnyNew())
                    {
                        // Only messages stored before: delete them, no sizes needed.
                        _current = 0;
                        SendRetr(nowMs);
                    }
                    else
                    {
                        // LIST gives the sizes the sink is told of.
                        SendCommand("LIST", PopState.List, nowMs, "LIST");
                    }

                    break;

                default:
                    _current = 0;
                    if (_selected == 0)
                    {
                        SendQuit(nowMs);
                    }
                    else
                    {
                        SendRetr(nowMs);
                    }

                    break;
            }
        }

        private void OnUidlLine()
        {
            byte[] line = _reader.LineBuffer;
            int end = _reader.Length;
            int pos = _reader.DataOffset;
            long number = ParseNumber(line, ref pos, end, MaxNumberDigits);
            int spaces = SkipSpaces(line, ref pos, end);
            int uidStart = pos;
            while (pos < end && line[pos] > 0x20 && line[pos] < 0x7F)
            {
                pos++;
            }

            int uidEnd = pos;
            SkipSpaces(line, ref pos, end);
            if (number < 1 || spaces == 0 || uidEnd == uidStart || pos != end)
            {
                // RFC 1939 7: ids are 0x21 to 0x7E; anything else could make two messages look alike.
                ProtocolError("malformed UIDL line");
                return;
            }

            _result.MessagesTotal++;
            if (_selected == _numbers.Length)
            {
                return;
            }

            // A message the device already stored is still on the server when a QUIT was lost: delete it now.
            string uid = Ascii.GetString(line, uidStart, uidEnd - uidStart);
            _numbers[_selected] = (int)number;
            _uids[_selected] = uid;
            _sizes[_selected] = -1;
            _stored[_selected] = _sink.Has(uid);
            _selected++;
        }

        private void OnListSizeLine()
        {
            byte[] line = _reader.LineBuffer;
            int end = _reader.Length;
            int pos = _reader.DataOffset;
            long number = ParseNumber(line, ref pos, end, MaxNumberDigits);
            int spaces = SkipSpaces(line, ref pos, end);
            long size = ParseNumber(line, ref pos, end, MaxSizeDigits);
            if (number < 1 || spaces == 0 || size < 0)
            {
                ProtocolError("malformed LIST line");
                return;
            }

            if (_withoutUids)
            {
                _result.MessagesTotal++;
                if (_takeWithoutUids && _selected < _numbers.Length)
                {
                    _numbers[_selected] = (int)number;
                    _uids[_selected] = NoUid;
                    _sizes[_selected] = size;
                    _stored[_selected] = false;
                    _selected++;
                }

                return;
            }

            for (int i = 0; i < _selected; i++)
            {
                if (_numbers[i] == number)
                {
                    _sizes[i] = size;
                    return;
                }
            }
        }

        private void Login(long nowMs)
        {
            byte[] user = _options.User;
            byte[] password = _options.Password;
            if (user == null || user.Length == 0)
            {
                FailLocalLogin("USER", "no POP user name set", nowMs);
                return;
            }

            if (password == null)
            {
                FailLocalLogin("PASS", "no POP password set", nowMs);
                return;
            }

            if (HasLineBreakOrNul(user) || HasLineBreakOrNul(password))
            {
                FailLocalLogin("USER", "user name or password cannot be sent (line break or NUL)", nowMs);
                return;
            }

            PopLoginMode mode = _options.LoginMode;
            if (mode == PopLoginMode.Auto)
            {
                // The strongest the server offers; a challenge-response keeps the password off the wire.
                mode = _capaCramMd5 ? PopLoginMode.CramMd5 : (_timestampLength > 0 ? PopLoginMode.Apop : PopLoginMode.UserPass);
            }

            if (mode == PopLoginMode.CramMd5)
            {
                SendAuth(nowMs);
                return;
            }

            if (mode == PopLoginMode.UserPass)
            {
                SendUser(nowMs);
                return;
            }

            if (_timestampLength == 0)
            {
                FailLocalLogin("APOP", "server greeting carries no APOP timestamp", nowMs);
                return;
            }

            if (user.Length + 8 + (2 * Md5.HashSizeBytes) > OutputBufferSize)
            {
                FailLocalLogin("APOP", "user name too long to send", nowMs);
                return;
            }

            // RFC 1939 7: the digest is MD5 over the timestamp (brackets included) followed by the secret.
            Md5 md5 = new Md5();
            md5.Update(_timestamp, 0, _timestampLength);
            md5.Update(password, 0, password.Length);
            byte[] digest = new byte[Md5.HashSizeBytes];
            md5.Final(digest, 0);
            BeginCommand(PopState.Apop, nowMs, "APOP");
            _out.Put("APOP ");
            _out.PutBytes(user);
            _out.Put(" ");
            Hex.ToLower(digest, 0, digest.Length, _out.Buffer, _out.End);
            _out.Advance(2 * digest.Length);
            Array.Clear(digest, 0, digest.Length);
            _out.EndLine();
            LogSent("APOP " + Utf8.GetString(user, 0, user.Length) + " " + MaskedPayload);
        }

        private bool Encrypted
        {
            get { return _options.Security == PopSecurity.Implicit || _tlsStarted; }
        }

        private void SendUser(long nowMs)
        {
            byte[] user = _options.User;
            if (!_options.AllowPlaintextLogin && !Encrypted)
            {
                // pop.auth.plaintext=deny: the password would cross the network in clear.
                string offered = _options.LoginMode == PopLoginMode.Auto ? "; the server offers neither APOP nor AUTH CRAM-MD5" : string.Empty;
                FailLocalLogin("USER", "USER/PASS not allowed without encryption (pop.auth.plaintext=deny)" + offered, nowMs);
                return;
            }

            if (user.Length + 7 > OutputBufferSize)
            {
                FailLocalLogin("USER", "user name too long to send", nowMs);
                return;
            }

            BeginCommand(PopState.User, nowMs, "USER");
            _out.Put("USER ");
            _out.PutBytes(user);
            _out.EndLine();
            LogSent("USER " + Utf8.GetString(user, 0, user.Length));
        }

        private void SendAuth(long nowMs)
        {
            // RFC 5034 4: AUTH names the mechanism; CRAM-MD5 has no initial response, the server challenges first.
            _mechanism = new CramMd5(_options.User, _options.Password);
            _authCancelled = false;
            SendCommand("AUTH " + _mechanism.Name, PopState.Auth, nowMs, "AUTH");
        }

        private void AnswerChallenge(long nowMs)
        {
            // RFC 5034 4: "+ " then the base64 challenge.
            int start = _reader.Length > 1 ? 2 : 1;
            int length = _reader.Length - start;
            byte[] challenge = new byte[Base64.DecodedMaxLength(length)];
            int decoded = Base64.Decode(_reader.LineBuffer, start, length, challenge, 0);
            byte[] response = decoded < 0 || _mechanism == null ? null : _mechanism.Respond(challenge, 0, decoded);
            Array.Clear(challenge, 0, challenge.Length);
            if (response == null || Base64.EncodedLength(response.Length) + 2 > OutputBufferSize)
            {
                if (response != null)
                {
                    Array.Clear(response, 0, response.Length);
                }

                // RFC 5034 4: "*" cancels the exchange; the server answers -ERR.
                _authCancelled = true;
                ClearMechanism();
                BeginCommand(PopState.Auth, nowMs, "AUTH");
                _out.Put("*");
                _out.EndLine();
                LogSent("*");
                return;
            }

            BeginCommand(PopState.Auth, nowMs, "AUTH");
            _out.PutBase64(response);
            _out.EndLine();
            Array.Clear(response, 0, response.Length);
            LogSent(MaskedPayload);
        }

        private void ClearMechanism()
        {
            if (_mechanism != null)
            {
                _mechanism.Clear();
                _mechanism = null;
            }
        }

        private void SendPass(long nowMs)
        {
            byte[] password = _options.Password;
            if (password.Length + 7 > OutputBufferSize)
            {
                FailLocalLogin("PASS", "password too long to send", nowMs);
                return;
            }

            BeginCommand(PopState.Pass, nowMs, "PASS");
            _out.Put("PASS ");
            _out.PutBytes(password);
            _out.EndLine();
            LogSent("PASS " + MaskedPayload);
        }

        private void AfterLogin(long nowMs)
        {
            _result.LoggedIn = true;
            _result.LoginMethod = _state == PopState.Auth ? SaslFactory.CramMd5Name : (_state == PopState.Apop ? "APOP" : "USER");
            if (_options.Mode == PopSessionMode.LoginOnly)
            {
                SendQuit(nowMs);
                return;
            }

            SendCommand("UIDL", PopState.Uidl, nowMs, "UIDL");
        }

        private bool AnyNew()
        {
            for (int i = 0; i < _selected; i++)
            {
                if (!_stored[i])
                {
                    return true;
                }
            }

            return false;
        }

        private void SendRetr(long nowMs)
        {
            if (_stored[_current])
            {
                SendCommand("DELE " + _numbers[_current].ToString(), PopState.Dele, nowMs, "DELE");
                return;
            }

            if (IsSkipUid(_uids[_current]))
            {
                // Skipped in an earlier session (journalled then): it stays on the server, untouched.
                _result.AddSkip(_uids[_current], "message " + _numbers[_current].ToString() + " skipped before; left on the server");
                NextMessage(nowMs);
                return;
            }

            long size = _sizes[_current];
            if (size > _options.MaxMessageOctets)
            {
                Skip("LIST gives " + size.ToString() + " octets, more than the " + _options.MaxMessageOctets.ToString() + " the device takes");
                NextMessage(nowMs);
                return;
            }

            // One deadline for the whole message, from the command on: arriving pieces do not move it.
            _retrieveDeadline = nowMs + _options.RetrieveTimeoutMs;
            _bodyOctets = 0;
            _bodyLimit = size < 0 ? _options.MaxMessageOctets : size + (size / RetrieveMarginDivisor) + RetrieveMarginOctets;
            SendCommand("RETR " + _numbers[_current].ToString(), PopState.Retr, nowMs, "RETR");
            _deadline = Earlier(_deadline, _retrieveDeadline);
        }

        private static long Earlier(long a, long b)
        {
            return a < b ? a : b;
        }

        private bool IsSkipUid(string uid)
        {
            string[] skip = _options.SkipUids;
            if (skip == null || uid.Length == 0)
            {
                return false;
            }

            for (int i = 0; i < skip.Length; i++)
            {
                if (skip[i] == uid)
                {
                    return true;
                }
            }

            return false;
        }

        private void Skip(string why)
        {
            _result.AddSkip(_uids[_current], "message " + _numbers[_current].ToString() + (_uids[_current].Length > 0 ? " uid=" + _uids[_current] : string.Empty) + " " + why + "; left on the server");
        }

        private void BeginMessage(long nowMs)
        {
            _decoder.Reset();
            _chunkCount = 0;
            _discardBody = false;
            Expect(PopState.Body, Earlier(nowMs + _options.RetrieveBlockTimeoutMs, _retrieveDeadline), "RETR");
            try
            {
                _sink.Begin(_uids[_current], _sizes[_current]);
                _messageOpen = true;
            }
            catch (Exception e)
            {
                StoreFailed("storing a message failed: " + e.Message);
            }
        }

        private int ReceiveBody(byte[] buffer, int offset, int count, long nowMs)
        {
            int used = 0;
            while (used < count)
            {
                int written;
                used += _decoder.Decode(buffer, offset + used, count - used, _chunk, _chunkCount, _chunk.Length - _chunkCount, out written);
                _chunkCount += written;
                _bodyOctets += written;
                if (_bodyOctets > _bodyLimit)
                {
                    Overflow();
                    return used;
                }

                if (_decoder.IsComplete)
                {
                    FlushChunk();
                    LogReceived(".");
                    EndMessage(nowMs);
                    return used;
                }

                if (_chunk.Length - _chunkCount < PopBodyDecoder.MaxOutputPerInput)
                {
                    FlushChunk();
                }
            }

            // The block deadline restarts with every piece that arrives; the message's own deadline does not.
            _deadline = Earlier(nowMs + _options.RetrieveBlockTimeoutMs, _retrieveDeadline);
            return used;
        }

        private void Overflow()
        {
            // Nothing past the bound reaches the sink; what did is thrown away with the message.
            _chunkCount = 0;
            AbortMessage();
            long size = _sizes[_current];
            string why = size < 0
                ? "longer than the " + _options.MaxMessageOctets.ToString() + " octets the device takes"
                : "longer than LIST said (" + size.ToString() + " octets; more than " + _bodyLimit.ToString() + " came)";
            Skip(why);
            _result.Stage = "RETR";

            // The rest of the stream cannot be skipped safely (it may never end): the session ends here, without QUIT.
            FailLocal(UserErrorCode.PopServerError, "message " + _numbers[_current].ToString() + " " + why + "; it stays on the server");
            Finish();
        }

        private void FlushChunk()
        {
            int count = _chunkCount;
            _chunkCount = 0;
            if (count == 0 || _discardBody)
            {
                return;
            }

            try
            {
                _sink.Write(_chunk, 0, count);
            }
            catch (Exception e)
            {
                StoreFailed("storing a message failed: " + e.Message);
            }
        }

        private void EndMessage(long nowMs)
        {
            if (_discardBody)
            {
                // The rest of the message was read only to reach the next reply.
                SendQuit(nowMs);
                return;
            }

            bool stored;
            string why = "the device did not store message " + _numbers[_current].ToString() + "; it stays on the server";
            try
            {
                stored = _sink.Commit();
            }
            catch (Exception e)
            {
                stored = false;
                why = why + ": " + e.Message;
            }

            _messageOpen = false;
            if (!stored)
            {
                // Whatever made storing fail (full memory, mostly) would fail the next message too.
                _result.Stage = "store";
                FailLocal(UserErrorCode.PopReceptionInterrupted, why);
                SendQuit(nowMs);
                return;
            }

            _result.MessagesReceived++;
            SendCommand("DELE " + _numbers[_current].ToString(), PopState.Dele, nowMs, "DELE");
        }

        private void NextMessage(long nowMs)
        {
            _current++;
            if (_current < _selected)
            {
                SendRetr(nowMs);
            }
            else
            {
                SendQuit(nowMs);
            }
        }

        private void StoreFailed(string detail)
        {
            AbortMessage();
            _discardBody = true;
            _result.Stage = "store";
            FailLocal(UserErrorCode.PopReceptionInterrupted, detail);
        }

        private void AbortMessage()
        {
            if (_messageOpen)
            {
                _messageOpen = false;
                _sink.Abort();
            }
        }

        private void FindTimestamp()
        {
            // RFC 1939 7: the greeting's APOP timestamp has the syntax of a msg-id, <...@...>.
            byte[] line = _reader.LineBuffer;
            int end = _reader.Length;
            int open = -1;
            bool at = false;
            for (int i = 0; i < end; i++)
            {
                byte b = line[i];
                if (b == (byte)'<')
                {
                    open = i;
                    at = false;
                }
                else if (b == (byte)'@' && open >= 0)
                {
                    at = true;
                }
                else if (b == (byte)'>' && open >= 0)
                {
                    if (at)
                    {
                        _timestampLength = i + 1 - open;
                        Array.Copy(line, open, _timestamp, 0, _timestampLength);
                        return;
                    }

                    open = -1;
                }
            }
        }

        private bool NeedsStls
        {
            get { return _options.Security == PopSecurity.Stls && !_tlsStarted; }
        }

        private void FailLogin(long nowMs)
        {
            SetReply();
            string text = _result.ReplyText;

            // RFC 2449 8.1 and RFC 3206: these say "not now", not "wrong credentials".
            if (text.IndexOf("[IN-USE]") == 0 || text.IndexOf("[LOGIN-DELAY]") == 0 || text.IndexOf("[SYS/TEMP]") == 0)
            {
                FailLocal(UserErrorCode.PopConnectFailed, "server refused the login for now");
            }
            else
            {
                FailLocal(UserErrorCode.PopAuthFailed, UserErrorCode.Describe(UserErrorCode.PopAuthFailed));
            }

            SendQuit(nowMs);
        }

        private void FailLocalLogin(string stage, string detail, long nowMs)
        {
            _result.Stage = stage;
            FailLocal(UserErrorCode.PopAuthFailed, detail);
            SendQuit(nowMs);
        }

        private void FailServer(long nowMs)
        {
            SetReply();
            FailLocal(UserErrorCode.PopServerError, UserErrorCode.Describe(UserErrorCode.PopServerError));
            SendQuit(nowMs);
        }

        private int LostCode()
        {
            return _result.LoggedIn ? UserErrorCode.PopReceptionInterrupted : UserErrorCode.PopConnectFailed;
        }

        private void SendQuit(long nowMs)
        {
            // The stage stays where the session failed; QUIT itself only matters for deletions.
            SendCommand("QUIT", PopState.Quit, nowMs, null);
        }

        private void SendCommand(string command, PopState next, long nowMs, string stage)
        {
            BeginCommand(next, nowMs, stage);
            _out.Put(command);
            _out.EndLine();
            LogSent(command);
        }

        private void BeginCommand(PopState next, long nowMs, string stage)
        {
            Expect(next, nowMs + _options.CommandTimeoutMs, stage);
            _out.Compact();
        }

        private void Expect(PopState next, long deadline, string stage)
        {
            _state = next;
            _deadline = deadline;
            if (stage != null)
            {
                _result.Stage = stage;
            }
        }

        private void LogSent(string text)
        {
            if (_log != null)
            {
                _log.Line(true, text);
            }
        }

        private void LogReceived(string text)
        {
            if (_log != null)
            {
                _log.Line(false, text);
            }
        }

        private void SetReply()
        {
            _result.ReplyText = _reader.StatusText;
        }

        private void FailLocal(int error, string detail)
        {
            _result.ErrorCode = error;
            _result.Detail = detail == null ? string.Empty : detail;
        }

        private void ProtocolError(string detail)
        {
            if (_state == PopState.Quit)
            {
                // A garbled answer to QUIT confirms nothing but does not change why the session ended.
                Finish();
                return;
            }

            // The stream can no longer be trusted, so no QUIT: nothing marked for deletion goes.
            FailLocal(_result.LoggedIn ? UserErrorCode.PopServerError : UserErrorCode.PopConnectFailed, detail);
            Finish();
        }

        private void Finish()
        {
            _state = PopState.Done;
            _inList = false;
            _out.Clear();
            ClearMechanism();
            if (_options.User != null)
            {
                Array.Clear(_options.User, 0, _options.User.Length);
            }

            if (_options.Password != null)
            {
                Array.Clear(_options.Password, 0, _options.Password.Length);
            }

            if (!_quitConfirmed && _deletesPending > 0 && _result.ErrorCode == UserErrorCode.None)
            {
                _result.Stage = "QUIT";
                FailLocal(UserErrorCode.PopReceptionInterrupted, "QUIT not confirmed: deleted messages stay on the server until the next session");
            }

            AbortMessage();
        }

        private static long ParseNumber(byte[] line, ref int pos, int end, int maxDigits)
        {
            long value = 0;
            int digits = 0;
            while (pos < end && line[pos] >= (byte)'0' && line[pos] <= (byte)'9')
            {
                if (digits == maxDigits)
                {
                    return -1;
                }

                value = (value * 10) + (line[pos] - '0');
                digits++;
                pos++;
            }

            return digits == 0 ? -1 : value;
        }

        private static int SkipSpaces(byte[] line, ref int pos, int end)
        {
            int start = pos;
            while (pos < end && line[pos] == (byte)' ')
            {
                pos++;
            }

            return pos - start;
        }

        private static bool FirstWordIs(byte[] line, int offset, int end, string word)
        {
            int length = word.Length;
            if (end - offset < length || (end - offset > length && line[offset + length] != (byte)' '))
            {
                return false;
            }

            for (int i = 0; i < length; i++)
            {
                int b = line[offset + i];
                if (b >= 'a' && b <= 'z')
                {
                    b -= 'a' - 'A';
                }

                if (b != word[i])
                {
                    return false;
                }
            }

            return true;
        }

        private static bool HasWord(byte[] line, int offset, int end, string word)
        {
            int pos = offset;
            while (pos < end)
            {
                while (pos < end && line[pos] == (byte)' ')
                {
                    pos++;
                }

                if (pos < end && FirstWordIs(line, pos, end, word))
                {
                    return true;
                }

                while (pos < end && line[pos] != (byte)' ')
                {
                    pos++;
                }
            }

            return false;
        }

        private static bool HasLineBreakOrNul(byte[] data)
        {
            for (int i = 0; i < data.Length; i++)
            {
                byte b = data[i];
                if (b == (byte)'\r' || b == (byte)'\n' || b == 0)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
