using System;
using NetBoard.Firmware.Diagnostics;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Net;
using NetBoard.Firmware.Sasl;
using NetBoard.Firmware.Text;
using NetBoard.Hal;

namespace NetBoard.Firmware.Smtp
{
    /// <summary>
    /// One SMTP client session (RFC 5321, SMTP AUTH RFC 4954) as an explicit state machine on the
    /// <see cref="ClientSession"/> skeleton. It never touches the network: the caller feeds it received
    /// bytes, takes what it wants sent from <see cref="ClientSession.Output"/>, reports connection events
    /// and asks it to check its deadline. Memory is fixed per session: a reply line buffer and one output
    /// buffer, whatever the message size.
    /// </summary>
    public sealed class SmtpSession : ClientSession
    {
        /// <summary>The output buffer: commands and message blocks.</summary>
        public const int OutputBufferSize = 4096;

        // The message reader needs room for a whole line (RFC 5321 4.5.3.1.6: 1000 octets with CRLF).
        private const int BodyReadMinimumRoom = 1000;

        // Lines without a reply code skipped while waiting for the reply to the final dot, before giving up on it.
        private const int MaxSkippedFinalLines = 20;

        // A BDAT chunk's size (RFC 3030): many fills of the output buffer, so the server answers every 64 KB, not every
        // 4 KB; after a refusal, the rest of the open chunk is still sent (a chunk cannot be cut short).
        private const int ChunkSize = 65536;

        // Room kept behind the data read for "BDAT <size> LAST" and CRLF when a read runs into the next chunk (the size
        // has at most five digits).
        private const int ChunkHeaderRoom = 17;

        // The buffer is filled only with this much room, so writes stay large when the connection takes little per write.
        private const int ChunkMinimumRoom = OutputBufferSize / 2;

        // Ends of the chunks not yet wholly sent. Every chunk but the last is larger than the output buffer, so at most
        // two are: the one whose end is in the buffer and the next.
        private const int ChunkSlots = 2;

        // How much of a broken reply line the result and the journal keep.
        private const int BrokenTextShown = 80;

        private const string MayArriveTwice = "; the server may have taken the message, so a retry may deliver it twice";

        // Mechanisms that never send the password, which servers may announce for accounts whose stored hash cannot serve them.
        private const SaslMechanisms ChallengeResponse = SaslMechanisms.ScramSha256 | SaslMechanisms.ScramSha1 | SaslMechanisms.CramMd5;

        private const SaslMechanisms OAuthMechanisms = SaslMechanisms.OAuthBearer | SaslMechanisms.XOAuth2;

        private readonly SmtpSessionOptions _options;
        private readonly IMessageReader _message;
        private readonly SmtpReplyReader _reader = new SmtpReplyReader();
        private readonly SmtpCapabilities _capabilities = new SmtpCapabilities();
        private readonly SmtpResult _result;
        private readonly SmtpRecipientResult[] _recipients;

        // The protocol step while the session is open; Stage tells the rest of its life.
        private SmtpState _state = SmtpState.Greeting;
        private bool _finalDeadlineArmed;
        private bool _bodyComplete;

        // Whole message lines read but not yet dot-stuffed, kept at the very end of the output buffer (behind what
        // waits to be sent) because their stuffing did not fit; they go first at the next fill.
        private int _bodyTail;

        // Set once a read brought more leading dots than the buffer had room for: from then on reads leave a third
        // for the dots (as a message of dot lines needs), so the lines kept back stay the exception.
        private bool _bodyDotHeavy;
        private int _recipientIndex;
        private string _localAddress = string.Empty;
        private SaslMechanism _mechanism;

        // A SASL line (a bearer token) may be longer than the output buffer: it goes out in pieces.
        private readonly Base64LineWriter _authLine = new Base64LineWriter();
        private SaslMechanisms _authCandidates;
        private int _skippedFinalLines;
        private bool _quitUnread;

        // RFC 2920: this transaction's MAIL, RCPTs and DATA left as one group. _groupEnds[i] is where command i
        // (0 = MAIL, 1..n = RCPT, n + 1 = DATA) ends in the octets sent since the group was queued.
        private bool _pipelined;
        private int[] _groupEnds;
        private long _groupSent;
        private int _drainReplies;
        private bool _loneDotSent;
        private bool _quitQueued;

        // RFC 3030 with RFC 2920: the message goes as BDAT chunks behind MAIL and the RCPTs, without waiting for their
        // replies; chunks of ChunkSize octets (the last one shorter), sized from the message's exact length, each
        // answered in order. _groupQueued is where the latest chunk ends in the octets since the group began; _chunkEnds[c %
        // ChunkSlots] is where chunk c ends (same origin as _groupSent); _messageChunked is the message octets the chunks
        // started so far cover; _chunkLeft is what the open chunk still needs.
        private bool _chunking;
        private bool _chunksStopped;
        private bool _lastQueued;
        private long _groupQueued;
        private long _messageChunked;
        private int _chunkLeft;
        private long[] _chunkEnds;
        private int _chunksQueued;
        private int _chunksSent;
        private int _chunkReplies;

        /// <summary>Creates a session that will send <paramref name="message"/> as <paramref name="options"/> say.</summary>
        /// <param name="options">Addresses, authentication and timeouts.</param>
        /// <param name="message">The message, produced in whole lines.</param>
        /// <param name="log">Receives the dialogue, or null.</param>
        public SmtpSession(SmtpSessionOptions options, IMessageReader message, ISessionLog log)
            : this(Checked(options), message, log, new SmtpResult())
        {
        }

        private SmtpSession(SmtpSessionOptions options, IMessageReader message, ISessionLog log, SmtpResult result)
            : base(OutputBufferSize, result, options.User, options.Password, log)
        {
            if (message == null)
            {
                throw new ArgumentNullException("message");
            }

            _options = options;
            _message = message;
            _result = result;
            _recipients = new SmtpRecipientResult[options.Recipients.Length];
            _result.Recipients = _recipients;
        }

        /// <summary>Where the session is: its life stage, or while open the reply it waits for.</summary>
        public SmtpState State
        {
            get
            {
                switch (Stage)
                {
                    case SessionStage.Idle:
                        return SmtpState.Idle;
                    case SessionStage.Connecting:
                        return SmtpState.Connecting;
                    case SessionStage.TlsHandshake:
                        return SmtpState.TlsHandshake;
                    case SessionStage.Done:
                        return SmtpState.Done;
                    default:
                        return _state;
                }
            }
        }

        /// <summary>True when the session runs over TLS (implicit, or after STARTTLS).</summary>
        public bool Encrypted
        {
            get { return _options.Security == SmtpSecurity.Implicit || TlsStarted; }
        }

        /// <summary>The outcome (final once <see cref="ClientSession.IsDone"/>).</summary>
        public SmtpResult Result
        {
            get { return _result; }
        }

        /// <summary>What the server announced in its last EHLO reply.</summary>
        public SmtpCapabilities Capabilities
        {
            get { return _capabilities; }
        }

        /// <inheritdoc />
        protected override int ConnectTimeoutMs
        {
            get { return _options.ConnectTimeoutMs; }
        }

        /// <inheritdoc />
        protected override int LostCode
        {
            get { return UserErrorCode.SmtpConnectionLost; }
        }

        /// <inheritdoc />
        protected override int ProtocolErrorCode
        {
            get { return UserErrorCode.SmtpProtocolError; }
        }

        /// <inheritdoc />
        protected override bool Quitting
        {
            get { return _state == SmtpState.Quit; }
        }

        /// <inheritdoc />
        protected override string TlsGoAhead
        {
            get { return "220 to STARTTLS"; }
        }

        /// <summary>After the final dot has left, a lost connection leaves the message's fate unknown: the detail says so.</summary>
        protected override string LossNote
        {
            get { return DotNote(); }
        }

        /// <inheritdoc />
        protected override int ConnectFailedCode(NetError error)
        {
            return error == NetError.HostNotFound ? UserErrorCode.SmtpHostNotFound : UserErrorCode.SmtpConnectFailed;
        }

        /// <summary>The connection is open; the server's greeting comes next. The local address gives the EHLO address literal.</summary>
        protected override void OnOpened(string localAddress, long nowMs)
        {
            _localAddress = localAddress;
            Expect(SmtpState.Greeting, nowMs + _options.GreetingTimeoutMs, "greeting");
        }

        /// <summary>
        /// The TLS handshake after STARTTLS succeeded. RFC 3207 4.2: everything learned before TLS is
        /// forgotten and EHLO is sent again; only what the server says now counts.
        /// </summary>
        protected override void OnTlsEstablished(long nowMs)
        {
            _capabilities.Clear();
            _reader.Reset();
            SendHello(SmtpState.Ehlo, nowMs);
        }

        /// <summary>True while SCRAM derives its key in slices; <see cref="Compute"/> does the next slice.</summary>
        public override bool IsComputing
        {
            get { return _state == SmtpState.AuthComputing && !IsDone; }
        }

        /// <summary>Runs one slice of SCRAM's key derivation and sends the answer once it is ready.</summary>
        public override void Compute(long nowMs)
        {
            if (!IsComputing)
            {
                return;
            }

            byte[] response = _mechanism.Continue(_options.ScramRoundsPerStep);
            if (response == null && _mechanism.IsComputing)
            {
                return;
            }

            SendAuthResponse(response, nowMs);
        }

        /// <inheritdoc />
        protected override void OnReplyTimedOut(long nowMs)
        {
            if (_state == SmtpState.Body || (_state == SmtpState.Bdat && !LastChunkSent))
            {
                FailLocal(UserErrorCode.SmtpConnectionLost, "message data not taken in time");
            }
            else if (_state == SmtpState.AuthComputing)
            {
                // The device was too slow, not the network.
                ClearMechanism();
                FailLocal(UserErrorCode.SmtpAuthExchangeFailed, "the SCRAM key derivation took longer than the command timeout");
            }
            else if (_skippedFinalLines > 0)
            {
                FailLocal(UserErrorCode.SmtpConnectionLost, "no readable reply to the final dot in time" + DotNote());
            }
            else
            {
                FailLocal(UserErrorCode.SmtpConnectionLost, "no reply in time" + DotNote());
            }
        }

        /// <inheritdoc />
        protected override void ReceiveData(byte[] buffer, int offset, int count, long nowMs)
        {
            if (_quitUnread)
            {
                // After a broken final reply the stream cannot be told apart from the reply to QUIT: nothing more is read.
                return;
            }

            while (count > 0 && !IsDone && !_quitUnread)
            {
                int used;
                SmtpReplyEvent ev = _reader.Feed(buffer, offset, count, out used);
                offset += used;
                count -= used;
                if (ev == SmtpReplyEvent.NeedMore)
                {
                    return;
                }

                if (ev == SmtpReplyEvent.Error)
                {
                    if (_state == SmtpState.DataEnd)
                    {
                        OnBrokenFinalReply(nowMs);
                        continue;
                    }

                    ProtocolError(_reader.Error);
                    return;
                }

                OnLine();
                if (ev == SmtpReplyEvent.Reply)
                {
                    SmtpState before = _state;
                    OnReply(nowMs);
                    if (ClearTextFollows(count))
                    {
                        return;
                    }

                    if (_pipelined && before == SmtpState.Data && (_state == SmtpState.Body || _state == SmtpState.DataEnd) && count > 0)
                    {
                        // The 354 answers the last command of the group: anything after it in the same read is a
                        // reply to nothing. The session ends before a byte of the message leaves.
                        ProtocolError("reply out of turn after 354 to a pipelined DATA");
                        return;
                    }
                }
            }
        }

        /// <inheritdoc />
        protected override void OnOutputSent(int count, long nowMs)
        {
            if (_groupEnds != null || _chunking)
            {
                _groupSent += count;
            }

            if (_authLine.IsActive)
            {
                _authLine.Fill(Out);
            }

            if (_chunking)
            {
                OnChunksSent(count, nowMs);
            }
            else if (count > 0 && (_state == SmtpState.Body || _state == SmtpState.DataEnd) && !_finalDeadlineArmed)
            {
                SetDeadline(nowMs + _options.BlockTimeoutMs);
            }

            if (_state == SmtpState.Body)
            {
                FillBody(nowMs);
            }

            if (_state == SmtpState.Quit && _quitUnread && OutputCount == 0)
            {
                Finish();
                return;
            }

            if (_state == SmtpState.DataEnd && OutputCount == 0 && !_finalDeadlineArmed)
            {
                // The final dot has left: the server now has 10 minutes to answer.
                _finalDeadlineArmed = true;
                SetDeadline(nowMs + _options.FinalTimeoutMs);
            }
        }

        /// <inheritdoc />
        protected override void OnFinished()
        {
            ClearMechanism();
            _authLine.Clear();
            if (_options.AccessToken != null)
            {
                Array.Clear(_options.AccessToken, 0, _options.AccessToken.Length);
            }

            for (int i = 0; i < _recipients.Length; i++)
            {
                if (_recipients[i] == null)
                {
                    _recipients[i] = new SmtpRecipientResult(_options.Recipients[i], 0, string.Empty);
                }
            }
        }

        private static SmtpSessionOptions Checked(SmtpSessionOptions options)
        {
            if (options == null)
            {
                throw new ArgumentNullException("options");
            }

            if (options.Recipients == null || options.Recipients.Length == 0)
            {
                throw new ArgumentException("at least one recipient is needed", "options");
            }

            return options;
        }

        private void OnLine()
        {
            if (Logging)
            {
                LogReceived(_state == SmtpState.Auth && _reader.Code == 334 ? "334 " + MaskedPayload : _reader.Code.ToString() + (_reader.IsLast ? " " : "-") + _reader.Text);
            }

            if (_state == SmtpState.Ehlo && _reader.Code == 250 && _reader.LineCount > 1)
            {
                _capabilities.ParseLine(_reader.LineBuffer, _reader.TextOffset, _reader.TextLength);
            }
        }

        private void OnReply(long nowMs)
        {
            int code = _reader.Code;
            if (code == 421 && _state != SmtpState.Quit)
            {
                ServerClosing();
                return;
            }

            if (ReplyBeforeCommand())
            {
                return;
            }

            switch (_state)
            {
                case SmtpState.Greeting:
                    if (code == 220)
                    {
                        SendHello(SmtpState.Ehlo, nowMs);
                    }
                    else
                    {
                        FailReply(code, UserErrorCode.SmtpSenderRejected, nowMs);
                    }

                    break;

                case SmtpState.Ehlo:
                    if (code == 250)
                    {
                        AfterHello(nowMs);
                    }
                    else if (code >= 500 && code < 600)
                    {
                        // RFC 5321 3.2: a server that does not know EHLO gets HELO, and no extensions.
                        _capabilities.Clear();
                        SendHello(SmtpState.Helo, nowMs);
                    }
                    else
                    {
                        FailReply(code, UserErrorCode.SmtpSenderRejected, nowMs);
                    }

                    break;

                case SmtpState.Helo:
                    if (code == 250)
                    {
                        AfterHello(nowMs);
                    }
                    else
                    {
                        FailReply(code, UserErrorCode.SmtpSenderRejected, nowMs);
                    }

                    break;

                case SmtpState.StartTls:
                    if (code == 220)
                    {
                        AwaitTls(nowMs + _options.MailTimeoutMs);
                    }
                    else
                    {
                        _result.Detail = "server refused STARTTLS";
                        FailReply(code, UserErrorCode.TlsNotOffered, nowMs, true);
                        if (code >= 400 && code < 500)
                        {
                            _result.ErrorCode = UserErrorCode.TlsTemporarilyUnavailable;
                        }
                    }

                    break;

                case SmtpState.Auth:
                    OnAuthReply(code, nowMs);
                    break;

                case SmtpState.AuthCancel:
                    OnAuthCancelled(code, nowMs);
                    break;

                case SmtpState.Mail:
                    if (code == 250)
                    {
                        _recipientIndex = 0;
                        if (_pipelined)
                        {
                            Expect(SmtpState.Rcpt, nowMs + _options.RcptTimeoutMs, "RCPT");
                        }
                        else
                        {
                            SendRecipient(nowMs);
                        }
                    }
                    else
                    {
                        FailReply(code, code == 552 ? UserErrorCode.SmtpMessageTooLarge : UserErrorCode.SmtpSenderRejected, nowMs);
                    }

                    break;

                case SmtpState.Rcpt:
                    OnRecipientReply(code, nowMs);
                    break;

                case SmtpState.Data:
                    if (_pipelined && !AnyAccepted())
                    {
                        OnDataAfterNoRecipient(code, nowMs);
                    }
                    else if (code == 354)
                    {
                        _bodyComplete = false;
                        Expect(SmtpState.Body, nowMs + _options.BlockTimeoutMs, "message");
                        FillBody(nowMs);
                    }
                    else
                    {
                        FailReply(code, UserErrorCode.SmtpMessageRejected, nowMs);
                    }

                    break;

                case SmtpState.Body:
                    // A reply in the middle of the data: the server gave up on the transaction.
                    SetReply(code);
                    _result.ErrorCode = code >= 400 && code < 500 ? UserErrorCode.SmtpTemporaryFailure : UserErrorCode.SmtpMessageRejected;
                    _result.Detail = "server replied before the message was complete";
                    Finish();
                    break;

                case SmtpState.Bdat:
                    OnChunkReply(code, nowMs);
                    break;

                case SmtpState.DataEnd:
                    OnFinalReply(code, nowMs);
                    break;

                case SmtpState.Drain:
                    OnDrainReply(code, nowMs);
                    break;

                case SmtpState.Quit:
                    Finish();
                    break;

                default:
                    ProtocolError("reply while none was expected");
                    break;
            }
        }

        /// <summary>
        /// The reply to the final dot decides the message. A 2yz means it was taken (RFC 5321 4.2.1: the
        /// action is completed), so it is never reported as a failure, whatever else is wrong with it.
        /// </summary>
        private void OnFinalReply(int code, long nowMs)
        {
            if (_chunking)
            {
                _chunkReplies++;
            }

            if (code >= 200 && code < 300)
            {
                SetReply(code);
                _result.ErrorCode = UserErrorCode.None;
                if (code != 250 && _result.ReplyNote == null)
                {
                    _result.ReplyNote = "reply " + code.ToString() + " to the final dot counted as accepted";
                }

                SendQuit(nowMs);
                return;
            }

            FailReply(code, code == 552 ? UserErrorCode.SmtpMessageTooLarge : UserErrorCode.SmtpMessageRejected, nowMs);
        }

        /// <summary>
        /// A reply to the final dot the reader could not parse. When it starts with a code, that code
        /// decides (an over-long or malformed 250 is still the server taking the message), and the session
        /// ends once QUIT has gone out. A line with no code at all is noise: it is skipped and the reply is
        /// waited for until the final deadline, as if the line had not come.
        /// </summary>
        private void OnBrokenFinalReply(long nowMs)
        {
            int code = _reader.BrokenReplyCode;
            string why = _reader.Error;
            string text = _reader.Text;
            _reader.Resume();
            if (Logging)
            {
                LogReceived("(" + why + ")");
            }

            if (code == 0)
            {
                _skippedFinalLines++;
                _result.ReplyNote = _skippedFinalLines.ToString() + " unreadable line(s) after the final dot skipped (" + why + ")";
                if (_skippedFinalLines > MaxSkippedFinalLines)
                {
                    FailLocal(UserErrorCode.SmtpConnectionLost, "no readable reply to the final dot" + DotNote());
                    Finish();
                }

                return;
            }

            _result.ReplyNote = "reply to the final dot read by its code: " + why;
            if (code == 421)
            {
                ServerClosing();
            }
            else
            {
                OnFinalReply(code, nowMs);
            }

            _result.ReplyText = Shorten(text);

            // Where the broken reply ends is unknown: QUIT goes out, and the session ends once it has.
            _quitUnread = _state == SmtpState.Quit;
            if (_quitUnread && _quitQueued && OutputCount == 0)
            {
                // QUIT has already left behind the dot: nothing more to send or read.
                Finish();
            }
        }

        /// <summary>RFC 5321 3.8: 421 means the server is closing the channel; no QUIT, the job is tried again.</summary>
        private void ServerClosing()
        {
            SetReply(421);
            _result.ErrorCode = UserErrorCode.SmtpTemporaryFailure;
            _result.Detail = "the server is closing the connection";
            Finish();
        }

        // After the final dot has left, a lost or unreadable reply leaves the message's fate unknown.
        private string DotNote()
        {
            if (_state == SmtpState.DataEnd && _finalDeadlineArmed)
            {
                return MayArriveTwice;
            }

            // The last chunk has left while replies to the envelope or to earlier chunks were still on their way.
            bool open = _state == SmtpState.Mail || _state == SmtpState.Rcpt || _state == SmtpState.Bdat;
            return open && LastChunkSent ? MayArriveTwice : string.Empty;
        }

        private static string Shorten(string text)
        {
            return text.Length <= BrokenTextShown ? text : text.Substring(0, BrokenTextShown) + "...";
        }

        private void AfterHello(long nowMs)
        {
            if (_options.Security == SmtpSecurity.StartTls && !TlsStarted)
            {
                if (!_capabilities.Has(SmtpExtensions.StartTls))
                {
                    // No downgrade: without STARTTLS nothing more is sent, least of all a password.
                    _result.Stage = "STARTTLS";
                    FailLocal(UserErrorCode.TlsNotOffered, "server does not offer STARTTLS");
                    SendQuit(nowMs);
                    return;
                }

                SendCommand("STARTTLS", SmtpState.StartTls, nowMs + _options.MailTimeoutMs, "STARTTLS");
                return;
            }

            if (UsesOAuth)
            {
                StartOAuth(nowMs);
                return;
            }

            SaslMechanisms chosen = ChooseMechanism();
            if (chosen == SaslMechanisms.None)
            {
                SendMail(nowMs);
                return;
            }

            StartAuth(chosen, nowMs);
        }

        // With a token, auto means OAuth only: a password mechanism is never tried beside it.
        private bool UsesOAuth
        {
            get
            {
                SmtpAuthMode mode = _options.AuthMode;
                return mode == SmtpAuthMode.XOAuth2 || mode == SmtpAuthMode.OAuthBearer || (mode == SmtpAuthMode.Auto && _options.AccessToken != null);
            }
        }

        /// <summary>
        /// XOAUTH2 or OAUTHBEARER with the access token. No unauthenticated fallback: a server without either, a
        /// connection where the token would go in clear against smtp.auth.plaintext=deny, or a token that cannot be
        /// sent ends the session before MAIL. The initial response goes on the AUTH line while the line stays within
        /// <see cref="SmtpSessionOptions.AuthLineLimit"/>, otherwise after the server's empty 334 (RFC 4954 4).
        /// </summary>
        private void StartOAuth(long nowMs)
        {
            _result.Stage = "AUTH";
            SmtpAuthMode mode = _options.AuthMode;
            SaslMechanisms wanted = mode == SmtpAuthMode.XOAuth2 ? SaslMechanisms.XOAuth2 : (mode == SmtpAuthMode.OAuthBearer ? SaslMechanisms.OAuthBearer : OAuthMechanisms);
            if (_options.AccessToken == null || _options.AccessToken.Length == 0)
            {
                FailLocal(UserErrorCode.OAuthTokenUnusable, "no OAuth 2.0 access token for " + SaslFactory.NameOf(wanted == OAuthMechanisms ? SaslMechanisms.XOAuth2 : wanted));
                SendQuit(nowMs);
                return;
            }

            if (_options.User == null || _options.User.Length == 0)
            {
                FailLocal(UserErrorCode.SettingsIncomplete, "no SMTP user name set (the mailbox the token is for)");
                SendQuit(nowMs);
                return;
            }

            SaslMechanisms offered = _capabilities.Has(SmtpExtensions.Auth) ? _capabilities.AuthMechanisms : SaslMechanisms.None;
            SaslMechanisms common = offered & wanted;
            if (common == SaslMechanisms.None)
            {
                FailLocal(UserErrorCode.OAuthNotOffered, wanted == OAuthMechanisms ? "server offers neither OAUTHBEARER nor XOAUTH2" : "server does not offer " + SaslFactory.NameOf(wanted));
                SendQuit(nowMs);
                return;
            }

            if (!_options.AllowPlaintextAuth && !Encrypted)
            {
                FailLocal(UserErrorCode.SmtpAuthNeedsEncryption, "the access token is not sent without encryption (smtp.auth.plaintext=deny)");
                SendQuit(nowMs);
                return;
            }

            // OAUTHBEARER is the standard one (RFC 7628); XOAUTH2 is what Microsoft 365 offers.
            SaslMechanisms chosen = (common & SaslMechanisms.OAuthBearer) != 0 ? SaslMechanisms.OAuthBearer : SaslMechanisms.XOAuth2;
            _mechanism = SaslFactory.Create(chosen, _options.User, _options.AccessToken);
            OAuthSaslMechanism oauth = (OAuthSaslMechanism)_mechanism;
            int length = oauth.InitialResponseLength;
            string reason = null;
            if (length < 0)
            {
                reason = "the access token is not bearer-token syntax (RFC 6750), or the user name holds a control character";
            }
            else if (SaslAuthLine.ResponseLineLength(length) > SaslAuthLine.SmtpLineLimit)
            {
                reason = "the access token is too long: " + _mechanism.Name + " would need a line of " + SaslAuthLine.ResponseLineLength(length).ToString()
                    + " octets, more than the " + SaslAuthLine.SmtpLineLimit.ToString() + " of RFC 4954";
            }

            if (reason != null)
            {
                FailLocal(UserErrorCode.OAuthTokenUnusable, reason);
                ClearMechanism();
                SendQuit(nowMs);
                return;
            }

            string command = "AUTH " + _mechanism.Name;
            BeginCommand(SmtpState.Auth, nowMs + _options.MailTimeoutMs, "AUTH");
            if (SaslAuthLine.InitialResponseFits(_mechanism.Name, length, _options.AuthLineLimit))
            {
                Out.Put(command + " ");
                _authLine.Start(_mechanism.InitialResponse());
                _authLine.Fill(Out);
                LogSent(command + " " + MaskedPayload);
                return;
            }

            // The mechanism answers the server's empty 334 with its initial response.
            Out.Put(command);
            Out.EndLine();
            LogSent(command);
        }

        private void StartAuth(SaslMechanisms chosen, long nowMs)
        {
            _mechanism = SaslFactory.Create(chosen, _options.User, _options.Password, _options.Random, _options.SaltedPasswords);
            string command = "AUTH " + _mechanism.Name;
            byte[] initial = _mechanism.HasInitialResponse ? _mechanism.InitialResponse() : null;
            if (_mechanism.HasInitialResponse && initial == null)
            {
                // PLAIN cannot carry a NUL inside a credential (settings validation keeps them out); SCRAM refuses what SASLprep prohibits.
                FailLocal(UserErrorCode.SmtpAuthExchangeFailed, "credentials cannot be sent with " + _mechanism.Name);
                ClearMechanism();
                SendQuit(nowMs);
                return;
            }

            BeginCommand(SmtpState.Auth, nowMs + _options.MailTimeoutMs, "AUTH");
            Out.Put(command);
            if (initial != null)
            {
                Out.Put(" ");
                Out.PutBase64(initial);
                Array.Clear(initial, 0, initial.Length);
                LogSent(command + " " + MaskedPayload);
            }
            else
            {
                LogSent(command);
            }

            Out.EndLine();
        }

        private SaslMechanisms ChooseMechanism()
        {
            SmtpAuthMode mode = _options.AuthMode;
            if (mode == SmtpAuthMode.Off)
            {
                return SaslMechanisms.None;
            }

            if (_options.User == null || _options.User.Length == 0)
            {
                _result.AuthNote = "no SMTP user name set";
                return SaslMechanisms.None;
            }

            if (!_capabilities.Has(SmtpExtensions.Auth))
            {
                _result.AuthNote = "server offers no AUTH";
                return SaslMechanisms.None;
            }

            SaslMechanisms wanted = ModeMechanisms(mode);
            if (_options.Random == null)
            {
                // SCRAM needs an unpredictable nonce; a board without a random source does not offer it.
                wanted &= ~(SaslMechanisms.ScramSha256 | SaslMechanisms.ScramSha1);
            }

            SaslMechanisms offered = _capabilities.AuthMechanisms;
            if ((offered & wanted) == SaslMechanisms.None)
            {
                _result.AuthNote = "no common AUTH mechanism";
                return SaslMechanisms.None;
            }

            if (!_options.AllowPlaintextAuth && !Encrypted)
            {
                wanted &= ~(SaslMechanisms.Plain | SaslMechanisms.Login);
            }

            _authCandidates = offered & wanted;
            SaslMechanisms chosen = SaslFactory.Strongest(offered, wanted);
            if (chosen == SaslMechanisms.None)
            {
                _result.AuthNote = "plaintext AUTH not allowed without encryption";
            }

            return chosen;
        }

        private static SaslMechanisms ModeMechanisms(SmtpAuthMode mode)
        {
            switch (mode)
            {
                case SmtpAuthMode.CramMd5:
                    return SaslMechanisms.CramMd5;
                case SmtpAuthMode.Plain:
                    return SaslMechanisms.Plain;
                case SmtpAuthMode.Login:
                    return SaslMechanisms.Login;
                case SmtpAuthMode.ScramSha256:
                    return SaslMechanisms.ScramSha256;
                case SmtpAuthMode.ScramSha1:
                    return SaslMechanisms.ScramSha1;
                default:
                    return SaslMechanisms.ScramSha256 | SaslMechanisms.ScramSha1 | SaslMechanisms.CramMd5 | SaslMechanisms.Plain | SaslMechanisms.Login;
            }
        }

        private void OnAuthReply(int code, long nowMs)
        {
            if (_authLine.IsActive)
            {
                _authLine.Clear();
                ProtocolError("reply " + code.ToString() + " before the AUTH line was sent in full");
                return;
            }

            if (code == 334)
            {
                AnswerChallenge(nowMs);
                return;
            }

            if (code == 235)
            {
                if (_mechanism.AwaitsServerProof)
                {
                    // SCRAM: success without the server's signature is a server that never proved itself.
                    FailLocal(UserErrorCode.ServerNotAuthentic, "the server reported success without proving it knows the password (no SCRAM server signature)");
                    ClearMechanism();
                    SendQuit(nowMs);
                    return;
                }

                _result.AuthMechanism = _mechanism.Name;
                ClearMechanism();
                SendMail(nowMs);
                return;
            }

            if (code == 535)
            {
                _mechanism.Rejected();
            }

            OAuthSaslMechanism oauth = _mechanism as OAuthSaslMechanism;
            if (oauth != null)
            {
                OnOAuthRefused(oauth, code, nowMs);
                return;
            }

            if (TryAnotherMechanism(code, nowMs))
            {
                return;
            }

            int error;
            switch (code)
            {
                case 535:
                    error = UserErrorCode.SmtpAuthFailed;
                    break;
                case 534:
                    error = UserErrorCode.SmtpAuthTooWeak;
                    break;
                case 538:
                    error = UserErrorCode.SmtpAuthNeedsEncryption;
                    break;
                case 530:
                    error = UserErrorCode.SmtpAuthRequired;
                    break;
                default:
                    error = code >= 400 && code < 500 ? UserErrorCode.SmtpAuthTemporaryFailure : UserErrorCode.SmtpAuthExchangeFailed;
                    break;
            }

            FailReply(code, error, nowMs, true);
        }

        /// <summary>
        /// The server refused the token. invalid_token (or "401", or a 535 without an error challenge, as Microsoft
        /// answers an expired token) may pass with a refreshed token: <see cref="SmtpResult.TokenRejected"/> tells
        /// the caller. A token without the scope, or any other refusal, does not. Nothing else is tried.
        /// </summary>
        private void OnOAuthRefused(OAuthSaslMechanism oauth, int code, long nowMs)
        {
            OAuthSaslStatus status = oauth.ErrorStatus;
            string said = status == OAuthSaslStatus.None ? string.Empty : " (error status \"" + oauth.ErrorStatusText + "\")";
            int error;
            if (code >= 400 && code < 500)
            {
                error = UserErrorCode.SmtpAuthTemporaryFailure;
            }
            else if (status == OAuthSaslStatus.InsufficientScope)
            {
                error = UserErrorCode.OAuthScopeInsufficient;
                _result.Detail = "the access token lacks the scope the server needs" + (oauth.ErrorScope.Length > 0 ? " (" + oauth.ErrorScope + ")" : string.Empty);
            }
            else if (status == OAuthSaslStatus.InvalidToken || (status == OAuthSaslStatus.None && code == 535))
            {
                error = UserErrorCode.OAuthTokenRejected;
                _result.TokenRejected = true;
                _result.Detail = "the server refused the access token" + said;
            }
            else if (code == 538)
            {
                error = UserErrorCode.SmtpAuthNeedsEncryption;
            }
            else if (code == 530)
            {
                error = UserErrorCode.SmtpAuthRequired;
            }
            else
            {
                error = UserErrorCode.SmtpAuthExchangeFailed;
                _result.Detail = oauth.Name + " refused" + said;
            }

            FailReply(code, error, nowMs, true);
        }

        /// <summary>
        /// After a refused AUTH nothing weaker follows, except in one case: smtp.auth=auto, a challenge-response
        /// mechanism (SCRAM or CRAM-MD5) refused with 535 or 534 (RFC 4954 6: 534 asks for another mechanism;
        /// 4: a client MAY try another after any failure), on TLS whose certificate was verified. Only there
        /// does the password reach nobody but the configured server, which needs it for accounts whose stored
        /// hash cannot serve SCRAM or CRAM-MD5. On a clear or unverified link the refusal may come from whoever
        /// sits in the path to harvest the password, so the session ends. One fallback at most: a wrong password
        /// costs two attempts, not three.
        /// </summary>
        private bool TryAnotherMechanism(int code, long nowMs)
        {
            if (_options.AuthMode != SmtpAuthMode.Auto || (_mechanism.Kind & ChallengeResponse) == 0)
            {
                return false;
            }

            SaslMechanisms next = SaslFactory.Strongest(_authCandidates, _authCandidates & ~ChallengeResponse);
            if (next == SaslMechanisms.None || (code != 535 && code != 534))
            {
                return false;
            }

            if (!Encrypted || !_options.CertificateVerified)
            {
                _result.AuthNote = _mechanism.Name + " refused; " + SaslFactory.NameOf(next) + " not tried without verified TLS";
                return false;
            }

            _result.AuthNote = _mechanism.Name + " refused with " + code.ToString();
            ClearMechanism();
            StartAuth(next, nowMs);
            return true;
        }

        private void AnswerChallenge(long nowMs)
        {
            int length = _reader.TextLength;
            byte[] challenge = new byte[Base64.DecodedMaxLength(length)];
            int decoded = Base64.Decode(_reader.LineBuffer, _reader.TextOffset, length, challenge, 0);
            byte[] response = decoded < 0 ? null : _mechanism.Respond(challenge, 0, decoded);
            Array.Clear(challenge, 0, challenge.Length);
            if (response == null && _mechanism.IsComputing)
            {
                // The server waits while the key is derived; the command timeout bounds the derivation too.
                Expect(SmtpState.AuthComputing, nowMs + _options.MailTimeoutMs, "AUTH");
                return;
            }

            SendAuthResponse(response, nowMs);
        }

        private void SendAuthResponse(byte[] response, long nowMs)
        {
            if (response == null)
            {
                // RFC 4954 4: "*" cancels the exchange; the server answers 501.
                BeginCommand(SmtpState.AuthCancel, nowMs + _options.MailTimeoutMs, "AUTH");
                Out.Put("*");
                LogSent("*");
                Out.EndLine();
                return;
            }

            BeginCommand(SmtpState.Auth, nowMs + _options.MailTimeoutMs, "AUTH");
            LogSent(response.Length == 0 ? string.Empty : MaskedPayload);

            // The writer wipes the response once it is encoded; a bearer token may take several writes.
            _authLine.Start(response);
            _authLine.Fill(Out);
        }

        // The reply to a cancelled exchange: the code says what the mechanism found wrong.
        private void OnAuthCancelled(int code, long nowMs)
        {
            int error = UserErrorCode.SmtpAuthExchangeFailed;
            SaslFailure failure = _mechanism == null ? SaslFailure.None : _mechanism.Failure;
            switch (failure)
            {
                case SaslFailure.ServerNotAuthentic:
                    _result.Detail = "the server's SCRAM signature is wrong: it does not know the password, so it is not the server it claims to be";
                    error = UserErrorCode.ServerNotAuthentic;
                    break;
                case SaslFailure.IterationCountOutOfRange:
                    _result.Detail = "the server's SCRAM iteration count is outside " + Scram.MinIterations.ToString() + "-" + Scram.MaxIterations.ToString();
                    error = UserErrorCode.ScramIterationsOutOfRange;
                    break;
                case SaslFailure.CredentialsRejected:
                    _result.Detail = "the server rejected the SCRAM proof (user name or password)";
                    error = UserErrorCode.SmtpAuthFailed;
                    break;
                case SaslFailure.ServerTemporaryFailure:
                    _result.Detail = "the server reported a temporary SCRAM failure";
                    error = UserErrorCode.SmtpAuthTemporaryFailure;
                    break;
                case SaslFailure.UnsupportedExtension:
                    _result.Detail = "the server asked for a SCRAM extension the device does not support";
                    break;
                case SaslFailure.ServerError:
                    _result.Detail = "the server reported a SCRAM error";
                    break;
                default:
                    _result.Detail = "server sent a challenge the mechanism cannot answer";
                    break;
            }

            FailReply(code, error, nowMs, true);

            // Whatever the server answers to "*", the reason is the mechanism's: the journal shows it, not the 501.
            _result.ErrorCode = error;
            if (failure != SaslFailure.None)
            {
                _result.ReplyCode = 0;
                _result.ReplyText = string.Empty;
            }
        }

        private void SendHello(SmtpState state, long nowMs)
        {
            string verb = state == SmtpState.Ehlo ? "EHLO" : "HELO";
            SendCommand(verb + " " + Identity(), state, nowMs + _options.MailTimeoutMs, verb);
        }

        private string Identity()
        {
            if (_options.EhloName != null && _options.EhloName.Length > 0)
            {
                return _options.EhloName;
            }

            if (_localAddress.Length == 0)
            {
                return "[127.0.0.1]";
            }

            // RFC 5321 4.1.3: an IPv6 address literal carries the "IPv6:" tag.
            return _localAddress.IndexOf(':') >= 0 ? "[IPv6:" + _localAddress + "]" : "[" + _localAddress + "]";
        }

        private void SendMail(long nowMs)
        {
            long size = _message.Length;
            if (_capabilities.SizeLimit > 0 && size > _capabilities.SizeLimit)
            {
                _result.Stage = "MAIL";
                FailLocal(UserErrorCode.SmtpMessageTooLarge, "message of " + size.ToString() + " octets exceeds the server's limit of " + _capabilities.SizeLimit.ToString());
                SendQuit(nowMs);
                return;
            }

            string command = "MAIL FROM:<" + _options.Sender + ">";
            if (_capabilities.Has(SmtpExtensions.Size))
            {
                command = command + " SIZE=" + size.ToString();
            }

            if (_options.Pipelining && _capabilities.Has(SmtpExtensions.Pipelining) && SendGroup(command, nowMs))
            {
                return;
            }

            SendCommand(command, SmtpState.Mail, nowMs + _options.MailTimeoutMs, "MAIL");
        }

        /// <summary>
        /// RFC 2920: MAIL FROM, every RCPT TO and DATA in one write; DATA ends the group, since its reply
        /// changes what comes next. False (nothing queued) when the group does not fit the output buffer:
        /// the dialogue then goes one by one, in the same fixed memory.
        /// </summary>
        private bool SendGroup(string mail, long nowMs)
        {
            string[] to = _options.Recipients;
            bool chunking = _options.Chunking && _capabilities.Has(SmtpExtensions.Chunking);
            int length = mail.Length + 2 + (chunking ? 0 : 6);
            for (int i = 0; i < to.Length; i++)
            {
                length += 11 + to[i].Length;
            }

            BeginCommand(SmtpState.Mail, nowMs + _options.MailTimeoutMs, "MAIL");
            if (length > Out.Room)
            {
                return false;
            }

            _pipelined = true;
            _groupSent = 0;
            _groupEnds = new int[to.Length + (chunking ? 1 : 2)];
            int start = Out.Count;
            Out.Put(mail);
            Out.EndLine();
            LogSent(mail);
            _groupEnds[0] = Out.Count - start;
            for (int i = 0; i < to.Length; i++)
            {
                string rcpt = "RCPT TO:<" + to[i] + ">";
                Out.Put(rcpt);
                Out.EndLine();
                LogSent(rcpt);
                _groupEnds[i + 1] = Out.Count - start;
            }

            _groupSent = -start;
            if (chunking)
            {
                // RFC 3030 2: with PIPELINING, BDAT may follow the RCPTs without waiting; the message starts at once.
                _chunking = true;
                _chunkEnds = new long[ChunkSlots];
                _groupQueued = Out.Count - start;
                FillChunks();
                return true;
            }

            Out.Put("DATA");
            Out.EndLine();
            LogSent("DATA");
            _groupEnds[to.Length + 1] = Out.Count - start;
            return true;
        }

        // Replies the pipelined group still owes after the one just read.
        private int OwedReplies()
        {
            if (_chunking)
            {
                return OwedChunkingReplies();
            }

            switch (_state)
            {
                case SmtpState.Mail:
                    return _groupEnds.Length - 1;
                case SmtpState.Rcpt:
                    return _groupEnds.Length - 2 - _recipientIndex;
                default:
                    return 0;
            }
        }

        private void SendRecipient(long nowMs)
        {
            SendCommand("RCPT TO:<" + _options.Recipients[_recipientIndex] + ">", SmtpState.Rcpt, nowMs + _options.RcptTimeoutMs, "RCPT");
        }

        private void OnRecipientReply(int code, long nowMs)
        {
            if (code < 200 || (code >= 300 && code < 400))
            {
                ProtocolError("unexpected reply " + code.ToString() + " to RCPT");
                return;
            }

            _recipients[_recipientIndex] = new SmtpRecipientResult(_options.Recipients[_recipientIndex], code, _reader.Text);
            _recipientIndex++;
            if (_recipientIndex < _options.Recipients.Length)
            {
                if (_pipelined)
                {
                    SetDeadline(nowMs + _options.RcptTimeoutMs);
                }
                else
                {
                    SendRecipient(nowMs);
                }

                return;
            }

            if (_chunking)
            {
                if (!AnyAccepted())
                {
                    // No further chunk leaves; the replies owed to those sent are read before QUIT.
                    RecordNoRecipient();
                    SendQuit(nowMs);
                    return;
                }

                ExpectChunkReply(nowMs);
                return;
            }

            if (_pipelined)
            {
                // DATA has gone out with the group; its reply comes next whatever the recipients' fate.
                Expect(SmtpState.Data, nowMs + _options.DataTimeoutMs, "DATA");
                return;
            }

            if (AnyAccepted())
            {
                SendCommand("DATA", SmtpState.Data, nowMs + _options.DataTimeoutMs, "DATA");
                return;
            }

            RecordNoRecipient();
            SendQuit(nowMs);
        }

        private bool AnyAccepted()
        {
            for (int i = 0; i < _recipients.Length; i++)
            {
                if (_recipients[i] != null && _recipients[i].Accepted)
                {
                    return true;
                }
            }

            return false;
        }

        // The job fails only when no recipient was accepted: the error says why, from the recipients' replies.
        private void RecordNoRecipient()
        {
            bool temporary = false;
            bool authRequired = false;
            SmtpRecipientResult last = null;
            for (int i = 0; i < _recipients.Length; i++)
            {
                SmtpRecipientResult r = _recipients[i];
                temporary |= r.ReplyCode >= 400 && r.ReplyCode < 500;
                authRequired |= r.ReplyCode == 530;
                last = r;
            }

            int error = authRequired ? UserErrorCode.SmtpAuthRequired : (temporary ? UserErrorCode.SmtpTemporaryFailure : UserErrorCode.SmtpRecipientsRejected);
            _result.ErrorCode = error;
            _result.ReplyCode = last.ReplyCode;
            _result.ReplyText = last.ReplyText;
            _result.Detail = UserErrorCode.Describe(error);
        }

        /// <summary>
        /// The reply to a pipelined DATA when no recipient was accepted. RFC 2920 3.1: the client "cannot assume
        /// that the DATA command will be rejected just because none of the RCPT TO commands worked. If the DATA
        /// command was properly rejected the client SMTP can just issue RSET, but if the DATA command was accepted
        /// the client SMTP should send a single dot." No message byte is sent either way; the job fails as it
        /// would without pipelining, from the recipients' replies.
        /// </summary>
        private void OnDataAfterNoRecipient(int code, long nowMs)
        {
            RecordNoRecipient();
            if (code != 354)
            {
                SendQuit(nowMs);
                return;
            }

            SendLoneDot(nowMs);
        }

        private void SendLoneDot(long nowMs)
        {
            _result.ReplyNote = "354 to a pipelined DATA of a failed transaction: a lone dot sent, no message data";
            _loneDotSent = true;
            _drainReplies = 1;
            BeginCommand(SmtpState.Drain, nowMs + _options.FinalTimeoutMs, null);
            Out.Put(".");
            Out.EndLine();
            LogSent(".");
        }

        /// <summary>A reply owed to a pipelined group after its transaction failed: counted, and QUIT follows the last.</summary>
        private void OnDrainReply(int code, long nowMs)
        {
            _drainReplies--;
            if (_drainReplies > 0)
            {
                SetDeadline(nowMs + _options.RcptTimeoutMs);
                return;
            }

            if (code == 354 && !_loneDotSent && !_chunking)
            {
                // DATA of the failed group was accepted: RFC 2920 3.1, a single dot ends it without a message.
                SendLoneDot(nowMs);
                return;
            }

            SendQuit(nowMs);
        }

        /// <summary>
        /// In a pipelined group every reply answers one command in order (RFC 2920 3.1). A reply to a command
        /// not yet fully sent is out of turn: a protocol error, and the session ends with nothing more sent.
        /// </summary>
        private bool ReplyBeforeCommand()
        {
            if (_chunking)
            {
                return ChunkReplyBeforeCommand();
            }

            if (_groupEnds == null)
            {
                return false;
            }

            int index;
            switch (_state)
            {
                case SmtpState.Mail:
                    index = 0;
                    break;
                case SmtpState.Rcpt:
                    index = 1 + _recipientIndex;
                    break;
                case SmtpState.Data:
                    index = _groupEnds.Length - 1;
                    break;
                case SmtpState.Drain:
                    index = _groupEnds.Length - _drainReplies;
                    break;
                default:
                    _groupEnds = null;
                    return false;
            }

            if (index < 0 || index >= _groupEnds.Length || _groupSent >= _groupEnds[index])
            {
                return false;
            }

            ProtocolError("reply out of turn: it came before the pipelined command it would answer was sent");
            return true;
        }

        /// <summary>
        /// Fills the output buffer with the message, dot-stuffed, as full as whole lines allow, so each write is
        /// nearly the whole buffer. The reader writes straight into the buffer; lines whose added dots would not fit
        /// wait at its end (<see cref="_bodyTail"/>) and are stuffed at the next fill, so no second buffer is needed.
        /// </summary>
        private void FillBody(long nowMs)
        {
            Out.Compact();
            byte[] buffer = Out.Buffer;
            while (true)
            {
                int produced;
                if (_bodyTail > 0)
                {
                    produced = _bodyTail;
                    _bodyTail = 0;
                    Array.Copy(buffer, buffer.Length - produced, buffer, Out.End, produced);
                }
                else
                {
                    // One octet stays free, so the first line read always has room for its dot: a fill never stalls.
                    int room = _bodyDotHeavy ? ((Out.Room - 1) * 3) / 4 : Out.Room - 1;
                    if (_bodyComplete || room < BodyReadMinimumRoom)
                    {
                        break;
                    }

                    produced = ReadMessage(buffer, Out.End, room);
                    if (produced < 0)
                    {
                        return;
                    }

                    if (produced == 0)
                    {
                        _bodyComplete = true;
                        break;
                    }
                }

                Out.Advance(StuffWhatFits(buffer, Out.End, Out.End + produced) - Out.End);
                if (_bodyTail > 0)
                {
                    break;
                }
            }

            if (_bodyComplete && _bodyTail == 0 && Out.Room >= 3)
            {
                Out.Put(".");
                Out.EndLine();
                _state = SmtpState.DataEnd;
                _result.Stage = "final dot";
                LogSent(".");
                if (_pipelined)
                {
                    QueueQuitBehindMessage();
                }
            }
        }

        /// <summary>
        /// Dot-stuffs the whole lines in buffer[start..end) in place as far as the buffer has room for the added dots,
        /// and moves the lines behind that point to the very end of the buffer (<see cref="_bodyTail"/>). Returns the
        /// end of the stuffed part.
        /// </summary>
        private int StuffWhatFits(byte[] buffer, int start, int end)
        {
            // Moving the rest to the end frees exactly what the prefix needs: its dots must fit in what the read left over.
            int spare = buffer.Length - end;
            int dots = 0;
            int cut = end;
            for (int i = start; i < end; i++)
            {
                if (buffer[i] == (byte)'.' && (i == start || buffer[i - 1] == (byte)'\n'))
                {
                    if (dots == spare)
                    {
                        cut = i;
                        break;
                    }

                    dots++;
                }
            }

            if (cut < end)
            {
                _bodyDotHeavy = true;
                _bodyTail = end - cut;
                Array.Copy(buffer, cut, buffer, buffer.Length - _bodyTail, _bodyTail);
            }

            return DotStuffing.StuffInPlace(buffer, start, cut);
        }

        /// <summary>True once every octet of the last chunk has left.</summary>
        private bool LastChunkSent
        {
            get { return _lastQueued && _chunksSent == _chunksQueued; }
        }

        /// <summary>
        /// Fills the output buffer with the message as BDAT chunks (RFC 3030): data sent as it is (no dot-stuffing),
        /// each chunk behind "BDAT size" and the last behind "BDAT size LAST", then QUIT. Sizes come from the message's
        /// exact length, so a chunk spans many fills of the buffer. A read is whole lines and may run past the open
        /// chunk: what belongs to the next one is moved up behind room kept for its header, so no second buffer is
        /// needed. Once chunks are stopped (a refusal) the open chunk is still completed, and no other is started.
        /// </summary>
        private void FillChunks()
        {
            if (_chunkLeft == 0 && (_chunksStopped || _lastQueued))
            {
                return;
            }

            Out.Compact();
            if (Out.Room < ChunkMinimumRoom)
            {
                return;
            }

            byte[] buffer = Out.Buffer;
            while (buffer.Length - Out.End - ChunkHeaderRoom >= BodyReadMinimumRoom)
            {
                if (_chunkLeft == 0)
                {
                    if (_lastQueued || _chunksStopped || !StartChunk(0))
                    {
                        break;
                    }

                    if (_chunkLeft == 0)
                    {
                        break;
                    }
                }

                int at = Out.End;
                int produced = ReadMessage(buffer, at, buffer.Length - at - ChunkHeaderRoom);
                if (produced < 0)
                {
                    return;
                }

                if (produced == 0)
                {
                    MessageLengthWrong("the message ended before its announced length");
                    return;
                }

                int taken = produced < _chunkLeft ? produced : _chunkLeft;
                Out.Advance(taken);
                _chunkLeft -= taken;
                int rest = produced - taken;
                if (rest == 0)
                {
                    continue;
                }

                // The read ran past the open chunk: the rest opens the next chunk, unless there is none to open.
                if (_lastQueued)
                {
                    MessageLengthWrong("the message is longer than its announced length");
                    return;
                }

                if (_chunksStopped || !StartChunk(rest))
                {
                    break;
                }

                Out.Advance(rest);
                _chunkLeft -= rest;
            }

            if (_lastQueued && _chunkLeft == 0 && !_chunksStopped)
            {
                _chunksStopped = true;
                _result.Stage = "BDAT LAST";
                QueueQuitBehindMessage();
            }
        }

        /// <summary>
        /// Puts the next chunk's header at the buffer's end; <paramref name="pending"/> octets already read for it lie
        /// there and are moved up behind the header. False when no chunk slot is free.
        /// </summary>
        private bool StartChunk(int pending)
        {
            if (_chunksQueued - _chunksSent >= ChunkSlots)
            {
                return false;
            }

            long left = _message.Length - _messageChunked;
            int size = left > ChunkSize ? ChunkSize : (int)left;
            bool last = size == left;
            if (pending > size)
            {
                MessageLengthWrong("the message is longer than its announced length");
                return false;
            }

            // The header is written digit by digit: a chunk must not cost a string each.
            int headerLength = 5 + CommandBuffer.DecimalLength(size) + (last ? 5 : 0) + 2;
            byte[] buffer = Out.Buffer;
            Array.Copy(buffer, Out.End, buffer, Out.End + headerLength, pending);
            Out.Put("BDAT ");
            Out.PutDecimal(size);
            if (last)
            {
                Out.Put(" LAST");
            }

            Out.EndLine();
            if (Logging)
            {
                LogSent("BDAT " + size.ToString() + (last ? " LAST" : string.Empty));
            }

            _lastQueued = last;
            _chunkLeft = size;
            _messageChunked += size;
            _groupQueued += headerLength + size;
            _chunkEnds[_chunksQueued % ChunkSlots] = _groupQueued;
            _chunksQueued++;
            return true;
        }

        /// <summary>
        /// The message did not have the length its chunks were sized from: a chunk cannot be completed (or one is
        /// missing), so the connection is dropped before the server can take a broken message; #820, as for a
        /// document that cannot be read (it changed while it was sent).
        /// </summary>
        private void MessageLengthWrong(string detail)
        {
            FailLocal(UserErrorCode.DocumentError, detail);
            Finish();
        }

        /// <summary>
        /// RFC 2920 3.1: the message content may start a group, and QUIT may end one. QUIT follows the final dot or the
        /// last chunk in the same write when it fits; the reply to the message still decides the job, read first.
        /// </summary>
        private void QueueQuitBehindMessage()
        {
            if (Out.Room >= 6)
            {
                Out.Put("QUIT");
                Out.EndLine();
                LogSent("QUIT");
                _quitQueued = true;
            }
        }

        /// <summary>
        /// Reads message lines into buffer[offset..offset + count); 0 at the end. When the document goes away (a storage
        /// error) the transaction is abandoned, nothing is delivered (there is no final dot or last chunk), and -1 says so.
        /// </summary>
        private int ReadMessage(byte[] buffer, int offset, int count)
        {
            try
            {
                return _message.Read(buffer, offset, count);
            }
            catch (Exception e)
            {
                FailLocal(UserErrorCode.DocumentError, "document read failed: " + e.Message);
                Finish();
                return -1;
            }
        }

        /// <summary>Counts the chunks whose last octet has left, queues the next one, and moves the data deadline.</summary>
        private void OnChunksSent(int count, long nowMs)
        {
            while (_chunksSent < _chunksQueued && _chunkEnds[_chunksSent % ChunkSlots] <= _groupSent)
            {
                _chunksSent++;
            }

            FillChunks();
            if (count > 0 && (_state == SmtpState.Bdat || _state == SmtpState.DataEnd))
            {
                ChunkDeadline(nowMs);
            }
        }

        /// <summary>While chunks leave, each block has its 3 minutes; once the last has left, the server has 10 minutes to answer.</summary>
        private void ChunkDeadline(long nowMs)
        {
            if (!LastChunkSent)
            {
                SetDeadline(nowMs + _options.BlockTimeoutMs);
            }
            else if (!_finalDeadlineArmed)
            {
                _finalDeadlineArmed = true;
                SetDeadline(nowMs + _options.FinalTimeoutMs);
            }
        }

        /// <summary>Every recipient's reply is in and one was accepted: the chunks' replies come next, the last chunk's last.</summary>
        private void ExpectChunkReply(long nowMs)
        {
            bool lastNext = _lastQueued && _chunkReplies == _chunksQueued - 1;
            _state = lastNext ? SmtpState.DataEnd : SmtpState.Bdat;
            _result.Stage = lastNext ? "BDAT LAST" : "BDAT";
            ChunkDeadline(nowMs);
        }

        /// <summary>
        /// The reply to a chunk before the last. A 250 only says the chunk was received (RFC 3030 2); any refusal ends
        /// the transaction: no further chunk is queued, the replies owed to those sent are read, and QUIT follows.
        /// </summary>
        private void OnChunkReply(int code, long nowMs)
        {
            _chunkReplies++;
            if (code >= 200 && code < 300)
            {
                ExpectChunkReply(nowMs);
                return;
            }

            FailReply(code, code == 552 ? UserErrorCode.SmtpMessageTooLarge : UserErrorCode.SmtpMessageRejected, nowMs);
        }

        // Replies the group still owes after the one just read: the RCPTs' and one per chunk queued.
        private int OwedChunkingReplies()
        {
            int read;
            switch (_state)
            {
                case SmtpState.Mail:
                    read = 1;
                    break;
                case SmtpState.Rcpt:
                    read = 1 + _recipientIndex;
                    break;
                case SmtpState.Bdat:
                case SmtpState.DataEnd:
                    read = _groupEnds.Length + _chunkReplies;
                    break;
                default:
                    return 0;
            }

            return _groupEnds.Length + _chunksQueued - read;
        }

        /// <summary>With chunks, as in any pipelined group: a reply to a command (or chunk) not yet wholly sent is out of turn.</summary>
        private bool ChunkReplyBeforeCommand()
        {
            int index;
            switch (_state)
            {
                case SmtpState.Mail:
                    index = 0;
                    break;
                case SmtpState.Rcpt:
                    index = 1 + _recipientIndex;
                    break;
                case SmtpState.Bdat:
                case SmtpState.DataEnd:
                    index = _groupEnds.Length + _chunkReplies;
                    break;
                case SmtpState.Drain:
                    index = _groupEnds.Length + _chunksQueued - _drainReplies;
                    break;
                default:
                    return false;
            }

            bool sent = index < _groupEnds.Length ? _groupSent >= _groupEnds[index] : index - _groupEnds.Length < _chunksSent;
            if (sent)
            {
                return false;
            }

            ProtocolError("reply out of turn: it came before the pipelined command or chunk it would answer was sent");
            return true;
        }

        private void SendQuit(long nowMs)
        {
            // Whatever ends the transaction, no further chunk of the message is queued.
            _chunksStopped = true;
            if (_pipelined && _groupEnds != null && OwedReplies() > 0)
            {
                // RFC 2920 3.1: every reply of the group is read before the next command; QUIT follows the last.
                _drainReplies = OwedReplies();
                Expect(SmtpState.Drain, nowMs + _options.RcptTimeoutMs, null);
                return;
            }

            if (_quitQueued)
            {
                // QUIT went out behind the final dot or the last chunk: its reply is all that is left.
                Expect(SmtpState.Quit, nowMs + SmtpSessionOptions.QuitTimeoutMs, null);
                return;
            }

            _groupEnds = null;
            SendCommand("QUIT", SmtpState.Quit, nowMs + SmtpSessionOptions.QuitTimeoutMs, null);
        }

        private void SendCommand(string command, SmtpState next, long deadline, string stage)
        {
            _state = next;
            SendLine(command, deadline, stage);
        }

        private void BeginCommand(SmtpState next, long deadline, string stage)
        {
            _state = next;
            BeginCommand(deadline, stage);
        }

        private void Expect(SmtpState next, long deadline, string stage)
        {
            _state = next;
            Expect(deadline, stage);
        }

        private void SetReply(int code)
        {
            _result.ReplyCode = code;
            _result.ReplyText = _reader.Text;
        }

        private void FailReply(int code, int errorForPermanent, long nowMs)
        {
            FailReply(code, errorForPermanent, nowMs, false);
        }

        private void FailReply(int code, int errorForPermanent, long nowMs, bool authStage)
        {
            SetReply(code);
            int error;
            if (code >= 400 && code < 500)
            {
                error = authStage ? errorForPermanent : UserErrorCode.SmtpTemporaryFailure;
            }
            else if (code >= 500 && code < 600)
            {
                error = code == 530 ? UserErrorCode.SmtpAuthRequired : errorForPermanent;
            }
            else
            {
                ProtocolError("unexpected reply " + code.ToString());
                return;
            }

            if (code >= 500 && BasicAuthDisabled(_result.ReplyText))
            {
                error = UserErrorCode.BasicAuthDisabled;
                _result.Detail = "the server accepts no password login: set up OAuth 2.0 (smtp.auth=auto or xoauth2 with a signed-in account)";
            }

            _result.ErrorCode = error;
            if (_result.Detail.Length == 0)
            {
                _result.Detail = UserErrorCode.Describe(error);
            }

            ClearMechanism();
            SendQuit(nowMs);
        }

        /// <summary>
        /// Microsoft 365 refuses a password login with "5.7.30 Basic authentication is not supported for Client
        /// Submission", or "5.7.139 Authentication unsuccessful, basic authentication is disabled".
        /// </summary>
        private static bool BasicAuthDisabled(string text)
        {
            if (text.IndexOf("5.7.30 ") == 0 || text == "5.7.30")
            {
                return true;
            }

            return text.IndexOf("5.7.139") == 0 && (text.IndexOf("asic auth") > 0 || text.IndexOf("ASIC AUTH") > 0);
        }

        private void ClearMechanism()
        {
            if (_mechanism != null)
            {
                _mechanism.Clear();
                _mechanism = null;
            }
        }
    }
}
