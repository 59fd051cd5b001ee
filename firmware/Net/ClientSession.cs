using System;
using NetBoard.Firmware.Diagnostics;
using NetBoard.Firmware.Jobs;
using NetBoard.Hal;

namespace NetBoard.Firmware.Net
{
    /// <summary>
    /// The skeleton every client protocol session (SMTP, POP3) shares: a state machine that never touches
    /// the network itself. <see cref="SessionTransfer"/> connects, runs TLS handshakes, feeds received bytes
    /// and connection events in, and sends what the session puts in its fixed output buffer; the session
    /// keeps one deadline for the step it is at. Here live the life cycle (connecting, open, waiting for the
    /// TLS handshake after STARTTLS or STLS, done), the deadline and the connect timeout, clear text refused
    /// between the go-ahead for TLS and the handshake, the output buffer, the dialogue log and the clearing of
    /// the credentials when the session ends; the protocol itself is the subclass's.
    /// </summary>
    public abstract class ClientSession : IClientSession
    {
        /// <summary>What the log shows instead of a password or an authentication payload.</summary>
        protected const string MaskedPayload = "****";

        private readonly CommandBuffer _out;
        private readonly SessionResult _result;
        private readonly ISessionLog _log;
        private readonly byte[] _user;
        private readonly byte[] _password;
        private SessionStage _stage = SessionStage.Idle;
        private long _deadline;
        private bool _tlsStarted;

        /// <summary>Creates the skeleton.</summary>
        /// <param name="outputBufferSize">The fixed output buffer, in octets.</param>
        /// <param name="result">The outcome the session fills in.</param>
        /// <param name="user">The user name as UTF-8 (cleared when the session ends), or null.</param>
        /// <param name="password">The password as UTF-8 (cleared when the session ends), or null.</param>
        /// <param name="log">Receives the dialogue, or null.</param>
        protected ClientSession(int outputBufferSize, SessionResult result, byte[] user, byte[] password, ISessionLog log)
        {
            if (result == null)
            {
                throw new ArgumentNullException("result");
            }

            _out = new CommandBuffer(outputBufferSize);
            _result = result;
            _user = user;
            _password = password;
            _log = log;
        }

        /// <summary>
        /// True while the session computes something between network events (SCRAM's key derivation) and wants
        /// <see cref="Compute"/> called at every step; false unless a subclass says otherwise.
        /// </summary>
        public virtual bool IsComputing
        {
            get { return false; }
        }

        /// <summary>Does one bounded slice of the computation <see cref="IsComputing"/> announced; nothing by default.</summary>
        public virtual void Compute(long nowMs)
        {
        }

        /// <summary>Where the session is in its life.</summary>
        public SessionStage Stage
        {
            get { return _stage; }
        }

        /// <summary>True once the session has ended; its result is final then.</summary>
        public bool IsDone
        {
            get { return _stage == SessionStage.Done; }
        }

        /// <summary>True between <see cref="Start"/> and <see cref="OnConnected"/>.</summary>
        public bool IsConnecting
        {
            get { return _stage == SessionStage.Connecting; }
        }

        /// <summary>True when the session waits for the caller to run a TLS handshake (after STARTTLS or STLS was accepted).</summary>
        public bool WantsTls
        {
            get { return _stage == SessionStage.TlsHandshake; }
        }

        /// <summary>When the current step times out, on the caller's millisecond clock.</summary>
        public long Deadline
        {
            get { return _deadline; }
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

        /// <summary>The output buffer commands are put in.</summary>
        protected CommandBuffer Out
        {
            get { return _out; }
        }

        /// <summary>True when a log takes the dialogue: build the text for it only then.</summary>
        protected bool Logging
        {
            get { return _log != null; }
        }

        /// <summary>True once a TLS handshake after STARTTLS or STLS has succeeded.</summary>
        protected bool TlsStarted
        {
            get { return _tlsStarted; }
        }

        /// <summary>How long connecting may take, in milliseconds.</summary>
        protected abstract int ConnectTimeoutMs { get; }

        /// <summary>The user error code for a connection that could not be made (or a connect that timed out) with <paramref name="error"/>.</summary>
        protected abstract int ConnectFailedCode(NetError error);

        /// <summary>The user error code for a connection lost, or a reply missing, in the middle of the session.</summary>
        protected abstract int LostCode { get; }

        /// <summary>The user error code for a reply that breaks the protocol.</summary>
        protected abstract int ProtocolErrorCode { get; }

        /// <summary>True once QUIT is sent: the outcome is settled, and losing the reply changes nothing (unless <see cref="QuitStillMatters"/>).</summary>
        protected abstract bool Quitting { get; }

        /// <summary>True when the reply to QUIT still decides something (POP deletions): losing it then counts as a network error.</summary>
        protected virtual bool QuitStillMatters
        {
            get { return false; }
        }

        /// <summary>Added to the detail of a connection lost before the session ended (e.g. what may have happened to the data); empty by default.</summary>
        protected virtual string LossNote
        {
            get { return string.Empty; }
        }

        /// <summary>What the server's go-ahead for TLS is called, for the error when clear text follows it (e.g. "220 to STARTTLS").</summary>
        protected abstract string TlsGoAhead { get; }

        /// <summary>The result being filled in.</summary>
        protected SessionResult SessionResult
        {
            get { return _result; }
        }

        /// <summary>Starts the session: the caller is connecting now.</summary>
        public void Start(long nowMs)
        {
            if (_stage != SessionStage.Idle)
            {
                throw new InvalidOperationException("session already started");
            }

            _stage = SessionStage.Connecting;
            Expect(nowMs + ConnectTimeoutMs, "connect");
        }

        /// <summary>The connection is open; the server's greeting comes next.</summary>
        /// <param name="localAddress">The local address (SMTP's EHLO address literal).</param>
        /// <param name="nowMs">The caller's clock.</param>
        public void OnConnected(string localAddress, long nowMs)
        {
            if (_stage != SessionStage.Connecting)
            {
                return;
            }

            _stage = SessionStage.Open;
            OnOpened(localAddress == null ? string.Empty : localAddress, nowMs);
        }

        /// <summary>Connecting failed (name not resolved, refused, unreachable, TLS refused).</summary>
        public void OnConnectFailed(NetError error, string errorText)
        {
            if (IsDone)
            {
                return;
            }

            FailLocal(UserErrorCode.ForNetError(error, ConnectFailedCode(error)), errorText);
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

            if (!Quitting)
            {
                FailLocal(UserErrorCode.ForNetError(error, LostCode), (error == NetError.None ? "connection closed by the server" : errorText) + LossNote);
            }

            if (!Quitting || QuitStillMatters)
            {
                _result.NetError = error == NetError.None ? NetError.Reset : error;
            }

            Finish();
        }

        /// <summary>The TLS handshake the session asked for succeeded: the protocol goes on, protected.</summary>
        public void OnTlsStarted(long nowMs)
        {
            if (_stage != SessionStage.TlsHandshake)
            {
                return;
            }

            _stage = SessionStage.Open;
            _tlsStarted = true;
            OnTlsEstablished(nowMs);
        }

        /// <summary>Ends the session if its current step has passed its deadline.</summary>
        public void CheckTimeout(long nowMs)
        {
            if (_stage == SessionStage.Idle || _stage == SessionStage.Done || nowMs < _deadline)
            {
                return;
            }

            if (_stage == SessionStage.Connecting)
            {
                FailLocal(ConnectFailedCode(NetError.TimedOut), "connect timed out");
            }
            else if (!Quitting)
            {
                OnReplyTimedOut(nowMs);
            }

            if (!Quitting || QuitStillMatters)
            {
                _result.NetError = NetError.TimedOut;
            }

            Finish();
        }

        /// <summary>Feeds bytes received from the server.</summary>
        public void Receive(byte[] buffer, int offset, int count, long nowMs)
        {
            if (IsDone || count <= 0)
            {
                return;
            }

            if (_stage == SessionStage.TlsHandshake)
            {
                // RFC 3207 4 and RFC 2595 4: nothing comes between the go-ahead and the handshake; such bytes were sent in clear.
                ProtocolError("data after the server's " + TlsGoAhead);
                return;
            }

            ReceiveData(buffer, offset, count, nowMs);
        }

        /// <summary>The caller sent <paramref name="count"/> octets from <see cref="Output"/>.</summary>
        public void OnSent(int count, long nowMs)
        {
            _out.Sent(count);
            if (!IsDone)
            {
                OnOutputSent(count, nowMs);
            }
        }

        /// <summary>The connection is open: the subclass waits for the greeting.</summary>
        protected abstract void OnOpened(string localAddress, long nowMs);

        /// <summary>The handshake after STARTTLS or STLS succeeded: the subclass starts over as its protocol says.</summary>
        protected abstract void OnTlsEstablished(long nowMs);

        /// <summary>Bytes from the server, while the session runs (never during a TLS handshake).</summary>
        protected abstract void ReceiveData(byte[] buffer, int offset, int count, long nowMs);

        /// <summary>The current step's deadline passed (not while connecting, not after QUIT): the subclass records why with <see cref="FailLocal"/>.</summary>
        protected abstract void OnReplyTimedOut(long nowMs);

        /// <summary>Octets left the output buffer (the SMTP body refills it); nothing by default.</summary>
        protected virtual void OnOutputSent(int count, long nowMs)
        {
        }

        /// <summary>The session has just ended: the subclass drops what it holds; nothing by default.</summary>
        protected virtual void OnFinished()
        {
        }

        /// <summary>
        /// After a reply that was the go-ahead for TLS: true (and the session ended) when bytes follow it in the
        /// same read, since those came in clear to be read as if protected.
        /// </summary>
        protected bool ClearTextFollows(int remaining)
        {
            if (_stage != SessionStage.TlsHandshake || remaining <= 0)
            {
                return false;
            }

            ProtocolError("data after the server's " + TlsGoAhead);
            return true;
        }

        /// <summary>The server said go ahead: the caller runs the TLS handshake, which must end by <paramref name="deadline"/>.</summary>
        protected void AwaitTls(long deadline)
        {
            _stage = SessionStage.TlsHandshake;
            Expect(deadline, "TLS");
        }

        /// <summary>Sets the deadline of the step the session moves to, and the result's stage unless <paramref name="stage"/> is null.</summary>
        protected void Expect(long deadline, string stage)
        {
            _deadline = deadline;
            if (stage != null)
            {
                _result.Stage = stage;
            }
        }

        /// <summary>Moves the current step's deadline (the data deadlines restart as the data moves).</summary>
        protected void SetDeadline(long deadline)
        {
            _deadline = deadline;
        }

        /// <summary>Starts a command: its deadline and stage, and the whole output buffer free behind what still waits.</summary>
        protected void BeginCommand(long deadline, string stage)
        {
            Expect(deadline, stage);
            _out.Compact();
        }

        /// <summary>Puts <paramref name="command"/> and CRLF in the output buffer and logs it as sent.</summary>
        protected void SendLine(string command, long deadline, string stage)
        {
            BeginCommand(deadline, stage);
            _out.Put(command);
            _out.EndLine();
            LogSent(command);
        }

        /// <summary>Logs a line sent (passwords and authentication payloads already masked by the caller).</summary>
        protected void LogSent(string text)
        {
            if (_log != null)
            {
                _log.Line(true, text);
            }
        }

        /// <summary>Logs a line received.</summary>
        protected void LogReceived(string text)
        {
            if (_log != null)
            {
                _log.Line(false, text);
            }
        }

        /// <summary>Records a failure found by the device (not a reply); the session goes on unless the caller ends it.</summary>
        protected void FailLocal(int error, string detail)
        {
            _result.ErrorCode = error;
            _result.Detail = detail == null ? string.Empty : detail;
        }

        /// <summary>
        /// The stream broke the protocol: the session ends at once (no QUIT, it could not be read back). After QUIT
        /// a garbled goodbye does not change the outcome settled before it.
        /// </summary>
        protected void ProtocolError(string detail)
        {
            if (!Quitting)
            {
                FailLocal(ProtocolErrorCode, detail);
            }

            Finish();
        }

        /// <summary>Ends the session: the output is dropped, the credentials cleared, the subclass told.</summary>
        protected void Finish()
        {
            if (_stage == SessionStage.Done)
            {
                return;
            }

            _stage = SessionStage.Done;
            _out.Clear();
            if (_user != null)
            {
                Array.Clear(_user, 0, _user.Length);
            }

            if (_password != null)
            {
                Array.Clear(_password, 0, _password.Length);
            }

            OnFinished();
        }
    }
}
