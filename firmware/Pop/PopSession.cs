using System;
using NetBoard.Firmware.Diagnostics;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Net;
using NetBoard.Hal;

namespace NetBoard.Firmware.Pop
{
    /// <summary>
    /// One POP3 client session (RFC 1939, CAPA from RFC 2449) as an explicit state machine on the
    /// <see cref="ClientSession"/> skeleton. It never touches the network: the caller feeds it received bytes,
    /// takes what it wants sent from <see cref="ClientSession.Output"/>, reports connection events and asks it
    /// to check its deadline. The session reads lines and routes each reply to the phase it belongs to: the
    /// login (<see cref="PopLogin"/>: greeting, CAPA, STLS, USER/PASS or APOP) and, in Receive mode, the
    /// maildrop (<see cref="PopMaildrop"/>: UIDL, LIST, RETR, DELE); QUIT is its own. Memory is fixed per
    /// session: a line buffer, an output buffer, a message chunk buffer and one id slot per message it may
    /// fetch, whatever the size of the messages.
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
    public sealed class PopSession : ClientSession
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

        /// <summary>The most commands one pipelined group holds (USER, PASS, QUIT).</summary>
        internal const int MaxGroupCommands = 3;

        /// <summary>What the phases log instead of a password or a digest.</summary>
        internal const string Masked = MaskedPayload;

        private readonly PopSessionOptions _options;
        private readonly PopLineReader _reader = new PopLineReader();
        private readonly PopResult _result;
        private readonly PopLogin _login;
        private readonly PopMaildrop _maildrop;

        // The protocol step while the session is open; Stage tells the rest of its life.
        private PopState _state = PopState.Greeting;
        private bool _inList;
        private int _listLines;
        private bool _quitConfirmed;

        // RFC 2449 6.6: login commands sent as one group (USER, PASS and maybe QUIT; or APOP and QUIT).
        // _groupEnds[i] is where command i ends in the octets put since the group began; the replies answer
        // them in order, and none may come before its command has left.
        private readonly int[] _groupEnds = new int[MaxGroupCommands];
        private int _groupCount;
        private int _groupNext;
        private int _groupSent;
        private bool _groupJustEnded;
        private bool _quitQueued;

        /// <summary>Creates a session that will log in and, in Receive mode, fetch into <paramref name="sink"/>.</summary>
        /// <param name="options">Credentials, login and session mode, timeouts.</param>
        /// <param name="sink">Where messages go; needed in Receive mode, may be null for LoginOnly.</param>
        /// <param name="log">Receives the dialogue, or null.</param>
        public PopSession(PopSessionOptions options, IPopMailSink sink, ISessionLog log)
            : this(Checked(options, sink), sink, log, new PopResult(options.Mode == PopSessionMode.Receive ? options.MaxMessagesPerSession : 0))
        {
        }

        private PopSession(PopSessionOptions options, IPopMailSink sink, ISessionLog log, PopResult result)
            : base(OutputBufferSize, result, options.User, options.Password, log)
        {
            _options = options;
            _result = result;
            _login = new PopLogin(this, options);
            if (options.Mode == PopSessionMode.Receive)
            {
                _maildrop = new PopMaildrop(this, options, sink);
            }
        }

        /// <summary>Where the session is: its life stage, or while open the reply it waits for.</summary>
        public PopState State
        {
            get
            {
                switch (Stage)
                {
                    case SessionStage.Idle:
                        return PopState.Idle;
                    case SessionStage.Connecting:
                        return PopState.Connecting;
                    case SessionStage.TlsHandshake:
                        return PopState.TlsHandshake;
                    case SessionStage.Done:
                        return PopState.Done;
                    default:
                        return _state;
                }
            }
        }

        /// <summary>The outcome (final once <see cref="ClientSession.IsDone"/>).</summary>
        public PopResult Result
        {
            get { return _result; }
        }

        /// <summary>The line reader the phases read replies from.</summary>
        internal PopLineReader Reader
        {
            get { return _reader; }
        }

        /// <summary>The output buffer the phases put commands with binary arguments in.</summary>
        internal CommandBuffer Commands
        {
            get { return Out; }
        }

        /// <summary>True when a log takes the dialogue (the text for it is built only then).</summary>
        internal bool LogsDialogue
        {
            get { return Logging; }
        }

        /// <summary>True once STLS was followed by a successful handshake.</summary>
        internal bool TlsUp
        {
            get { return TlsStarted; }
        }

        /// <inheritdoc />
        protected override int ConnectTimeoutMs
        {
            get { return _options.ConnectTimeoutMs; }
        }

        /// <inheritdoc />
        protected override int LostCode
        {
            get { return _result.LoggedIn ? UserErrorCode.PopReceptionInterrupted : UserErrorCode.PopConnectFailed; }
        }

        /// <inheritdoc />
        protected override int ProtocolErrorCode
        {
            get { return _result.LoggedIn ? UserErrorCode.PopServerError : UserErrorCode.PopConnectFailed; }
        }

        /// <inheritdoc />
        protected override bool Quitting
        {
            get { return _state == PopState.Quit; }
        }

        /// <summary>Messages marked deleted wait for the +OK to QUIT: losing it leaves them on the server.</summary>
        protected override bool QuitStillMatters
        {
            get { return DeletesPending > 0; }
        }

        /// <inheritdoc />
        protected override string TlsGoAhead
        {
            get { return "+OK to STLS"; }
        }

        private int DeletesPending
        {
            get { return _maildrop == null ? 0 : _maildrop.DeletesPending; }
        }

        /// <inheritdoc />
        protected override int ConnectFailedCode(NetError error)
        {
            return UserErrorCode.PopConnectFailed;
        }

        /// <inheritdoc />
        protected override void OnOpened(string localAddress, long nowMs)
        {
            Expect(PopState.Greeting, nowMs + _options.GreetingTimeoutMs, "greeting");
        }

        /// <inheritdoc />
        protected override void OnTlsEstablished(long nowMs)
        {
            // Nothing received in clear may become part of the first protected line.
            _reader.Reset();
            _login.OnTlsStarted(nowMs);
        }

        /// <summary>True while SCRAM derives its key in slices; <see cref="Compute"/> does the next slice.</summary>
        public override bool IsComputing
        {
            get { return _state == PopState.AuthComputing && !IsDone; }
        }

        /// <summary>Runs one slice of SCRAM's key derivation; the login sends the answer once it is ready.</summary>
        public override void Compute(long nowMs)
        {
            if (IsComputing)
            {
                _login.Compute(nowMs);
            }
        }

        /// <summary>A "+" challenge is being answered in slices (SCRAM's key derivation): nothing is sent until it is ready.</summary>
        internal void AwaitComputation(long nowMs)
        {
            _state = PopState.AuthComputing;
            Expect(nowMs + _options.CommandTimeoutMs, "AUTH");
        }

        /// <inheritdoc />
        protected override void OnReplyTimedOut(long nowMs)
        {
            if (_state == PopState.AuthComputing)
            {
                // The device was too slow, not the network.
                _login.Clear();
                _result.Stage = "AUTH";
                FailLocal(UserErrorCode.PopAuthFailed, "the SCRAM key derivation took longer than the command timeout");
                return;
            }

            if ((_state == PopState.Body || _state == PopState.Retr) && _maildrop.RetrieveTimedOut(nowMs))
            {
                return;
            }

            if (_state == PopState.Body)
            {
                FailLocal(UserErrorCode.PopReceptionInterrupted, "message data stopped coming");
            }
            else
            {
                FailLocal(LostCode, "no reply in time");
            }
        }

        /// <inheritdoc />
        protected override void ReceiveData(byte[] buffer, int offset, int count, long nowMs)
        {
            while (count > 0 && !IsDone)
            {
                int used;
                if (_state == PopState.Body)
                {
                    used = _maildrop.ReceiveBody(buffer, offset, count, nowMs);
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
                        if (ClearTextFollows(count - used))
                        {
                            return;
                        }

                        if (_groupJustEnded)
                        {
                            _groupJustEnded = false;
                            if (count - used > 0 && OutputCount > 0 && !IsDone)
                            {
                                // The group's last reply came: what follows in the same read answers a command not sent yet.
                                ProtocolError("reply out of turn after the last reply to pipelined login commands");
                                return;
                            }
                        }
                    }
                }

                offset += used;
                count -= used;
            }
        }

        /// <summary>A SASL line longer than the output buffer (a bearer token) goes on as the connection takes what went before.</summary>
        protected override void OnOutputSent(int count, long nowMs)
        {
            _login.OnOutputSent();
            if (_groupCount > 0)
            {
                _groupSent += count;
            }
        }

        /// <inheritdoc />
        protected override void OnFinished()
        {
            _inList = false;
            _login.Clear();
            if (_options.AccessToken != null)
            {
                Array.Clear(_options.AccessToken, 0, _options.AccessToken.Length);
            }

            if (!_quitConfirmed && DeletesPending > 0 && _result.ErrorCode == UserErrorCode.None)
            {
                _result.Stage = "QUIT";
                FailLocal(UserErrorCode.PopReceptionInterrupted, "QUIT not confirmed: deleted messages stay on the server until the next session");
            }

            if (_maildrop != null)
            {
                _maildrop.Abort();
            }
        }

        /// <summary>Sends <paramref name="command"/> and waits for its reply in <paramref name="next"/>.</summary>
        internal void SendCommand(string command, PopState next, long nowMs, string stage)
        {
            _state = next;
            SendLine(command, nowMs + _options.CommandTimeoutMs, stage);
        }

        /// <summary>Starts a command the caller puts in <see cref="Commands"/> itself (binary arguments), replied to in <paramref name="next"/>.</summary>
        internal void BeginCommand(PopState next, long nowMs, string stage)
        {
            _state = next;
            BeginCommand(nowMs + _options.CommandTimeoutMs, stage);
        }

        /// <summary>The +OK to STLS came: the caller runs the handshake.</summary>
        internal void AwaitStlsHandshake(long nowMs)
        {
            AwaitTls(nowMs + _options.CommandTimeoutMs);
        }

        /// <summary>A multi-line response follows the +OK just read.</summary>
        internal void BeginList()
        {
            _inList = true;
            _listLines = 0;
        }

        /// <summary>The server accepted the login by <paramref name="method"/>: QUIT (POP before SMTP), or on to the maildrop.</summary>
        internal void OnLoggedIn(string method, long nowMs)
        {
            _result.LoggedIn = true;
            _result.LoginMethod = method;
            _result.LoggedInAtMs = nowMs;
            if (_maildrop == null)
            {
                SendQuit(nowMs);
                return;
            }

            _maildrop.Begin(nowMs);
        }

        /// <summary>A message's data follows the +OK to RETR; the data must keep coming until <paramref name="deadline"/>.</summary>
        internal void ExpectBody(long deadline)
        {
            _state = PopState.Body;
            Expect(deadline, "RETR");
        }

        /// <summary>Moves the current step's deadline (a message's pieces restart it; its own deadline caps it).</summary>
        internal void SetStepDeadline(long deadline)
        {
            SetDeadline(deadline);
        }

        /// <summary>Ends the session with QUIT; the stage stays where it failed, QUIT itself matters only for deletions.</summary>
        internal void SendQuit(long nowMs)
        {
            if (_quitQueued)
            {
                // QUIT went with the pipelined login: its reply is all that is left.
                _state = PopState.Quit;
                Expect(nowMs + _options.CommandTimeoutMs, null);
                return;
            }

            SendCommand("QUIT", PopState.Quit, nowMs, null);
        }

        /// <summary>Starts a pipelined group of login commands, put in <see cref="Commands"/> by the caller after <see cref="BeginCommand(PopState, long, string)"/>.</summary>
        internal void BeginGroup()
        {
            _groupCount = 0;
            _groupNext = 0;
            _groupSent = 0;
        }

        /// <summary>The command just put in <see cref="Commands"/> belongs to the group; <paramref name="quit"/> when it is QUIT.</summary>
        internal void EndGroupCommand(bool quit)
        {
            _groupEnds[_groupCount++] = OutputCount;
            if (quit)
            {
                _quitQueued = true;
            }
        }

        /// <summary>Waits for the next reply of the group in <paramref name="next"/>, with nothing sent; the stage moves unless <paramref name="stage"/> is null.</summary>
        internal void ExpectGroupReply(PopState next, long nowMs, string stage)
        {
            Expect(next, nowMs + _options.CommandTimeoutMs, stage);
        }

        /// <summary>Records why the session failed (it goes on unless the caller ends it).</summary>
        internal void Fail(int error, string detail)
        {
            FailLocal(error, detail);
        }

        /// <summary>Keeps the -ERR text just read as the result's reply.</summary>
        internal void SetReply()
        {
            _result.ReplyText = _reader.StatusText;
        }

        /// <summary>The stream broke the protocol: the session ends without QUIT.</summary>
        internal void BreakProtocol(string detail)
        {
            ProtocolError(detail);
        }

        /// <summary>Ends the session where it is (the server closes the connection itself).</summary>
        internal void End()
        {
            Finish();
        }

        /// <summary>Logs a line sent (credentials already masked by the caller).</summary>
        internal void LogCommand(string text)
        {
            LogSent(text);
        }

        /// <summary>Logs a line received.</summary>
        internal void LogReply(string text)
        {
            LogReceived(text);
        }

        private static PopSessionOptions Checked(PopSessionOptions options, IPopMailSink sink)
        {
            if (options == null)
            {
                throw new ArgumentNullException("options");
            }

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
            }

            return options;
        }

        private void Expect(PopState next, long deadline, string stage)
        {
            _state = next;
            Expect(deadline, stage);
        }

        private void OnLine(long nowMs)
        {
            if (_inList)
            {
                OnListLine(nowMs);
                return;
            }

            bool ok = _reader.IsOk;
            if (_state == PopState.Auth && _reader.IsContinuation)
            {
                // Challenges are the mechanism's business, like SMTP's 334 payloads.
                if (Logging)
                {
                    LogReceived("+ " + MaskedPayload);
                }

                _login.OnContinuation(nowMs);
                return;
            }

            if (Logging)
            {
                LogReceived(_reader.Text);
            }

            if (!ok && !_reader.IsErr)
            {
                ProtocolError("reply is neither +OK nor -ERR");
                return;
            }

            if (_groupNext < _groupCount)
            {
                if (_groupSent < _groupEnds[_groupNext])
                {
                    // RFC 2449 6.6: replies come in the order of the commands; one before its command left answers nothing.
                    ProtocolError("reply out of turn: it came before the pipelined command it would answer was sent");
                    return;
                }

                _groupNext++;
                if (_groupNext == _groupCount)
                {
                    _groupCount = 0;
                    _groupNext = 0;
                    _groupJustEnded = true;
                }
            }

            switch (_state)
            {
                case PopState.Greeting:
                case PopState.Capa:
                case PopState.Stls:
                case PopState.User:
                case PopState.Pass:
                case PopState.Apop:
                case PopState.Auth:
                    _login.OnReply(_state, ok, nowMs);
                    break;

                case PopState.Uidl:
                case PopState.List:
                case PopState.Retr:
                case PopState.Dele:
                    _maildrop.OnReply(_state, ok, nowMs);
                    break;

                case PopState.Quit:
                    OnQuitReply(ok);
                    break;

                default:
                    ProtocolError("reply while none was expected");
                    break;
            }
        }

        private void OnQuitReply(bool ok)
        {
            if (ok)
            {
                // RFC 1939 section 6: only now are the messages marked by DELE removed.
                _quitConfirmed = true;
                _result.MessagesDeleted = DeletesPending;
            }
            else if (DeletesPending > 0 && _result.ErrorCode == UserErrorCode.None)
            {
                // RFC 1939 section 6: -ERR to QUIT means some marked messages could not be removed.
                SetReply();
                _result.Stage = "QUIT";
                FailLocal(UserErrorCode.PopServerError, "server could not remove the deleted messages");
            }

            Finish();
        }

        private void OnListLine(long nowMs)
        {
            if (_reader.IsTerminator)
            {
                _inList = false;
                if (Logging)
                {
                    LogReceived(".");
                }

                if (_state == PopState.Capa)
                {
                    _login.OnCapaEnd(nowMs);
                }
                else
                {
                    _maildrop.OnListEnd(_state, nowMs);
                }

                return;
            }

            _listLines++;
            int limit = _state == PopState.Capa ? MaxCapaLines : MaxListLines;
            if (_listLines > limit)
            {
                ProtocolError("multi-line response has too many lines");
                return;
            }

            if (_state == PopState.Capa)
            {
                _login.OnCapaLine();
            }
            else
            {
                _maildrop.OnListLine(_state);
            }
        }
    }
}
