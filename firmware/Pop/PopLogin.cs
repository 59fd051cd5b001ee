using System;
using NetBoard.Firmware.Crypto;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Net;
using NetBoard.Firmware.Sasl;
using NetBoard.Firmware.Text;

namespace NetBoard.Firmware.Pop
{
    /// <summary>
    /// The login phase of a <see cref="PopSession"/> and what only it knows: the greeting's APOP timestamp,
    /// what CAPA announced (STLS, SASL CRAM-MD5 and SCRAM, PIPELINING), whether STLS has to come first, the SASL
    /// exchange in progress. It answers the greeting, CAPA, STLS, USER, PASS, APOP and AUTH replies and hands the
    /// session on once the server accepted the login.
    /// </summary>
    /// <remarks>
    /// Where CAPA announces PIPELINING (RFC 2449 6.6), USER and PASS leave in one write, and in a login-only
    /// session (POP before SMTP) QUIT goes with them, or with APOP; the replies are matched in order. A refused
    /// USER still gets its PASS refused before anything else is read; the login fails as one by one (#813,
    /// nothing weaker follows). The AUTH exchanges wait for each challenge and are not pipelined.
    /// </remarks>
    internal sealed class PopLogin
    {
        // RFC 2449 4: a command line, CRLF included, is at most 255 octets.
        private const int MaxCommandLineOctets = 255;

        private readonly PopSession _session;
        private readonly PopSessionOptions _options;
        private readonly byte[] _timestamp = new byte[PopLineReader.MaxLineLength];
        private int _timestampLength;
        private bool _capaStls;
        private bool _capaPipelining;
        private bool _pipelined;
        private bool _userRefused;
        private bool _capaCramMd5;
        private SaslMechanisms _capaScram;
        private SaslMechanisms _capaOAuth;
        private readonly Base64LineWriter _authLine = new Base64LineWriter();
        private SaslMechanism _mechanism;
        private bool _authCancelled;
        private SaslFailure _authFailure;
        private string _authName;
        private byte[] _pendingInitialResponse;

        /// <summary>Creates the login phase of <paramref name="session"/>.</summary>
        internal PopLogin(PopSession session, PopSessionOptions options)
        {
            _session = session;
            _options = options;
        }

        private bool NeedsStls
        {
            get { return _options.Security == PopSecurity.Stls && !_session.TlsUp; }
        }

        private bool Encrypted
        {
            get { return _options.Security == PopSecurity.Implicit || _session.TlsUp; }
        }

        /// <summary>A "+" continuation in answer to AUTH: a challenge of the SASL mechanism (CRAM-MD5, SCRAM).</summary>
        internal void OnContinuation(long nowMs)
        {
            // RFC 5034 4: "+ " then the base64 challenge.
            PopLineReader reader = _session.Reader;
            int start = reader.Length > 1 ? 2 : 1;
            int length = reader.Length - start;
            byte[] challenge = new byte[Base64.DecodedMaxLength(length)];
            int decoded = Base64.Decode(reader.LineBuffer, start, length, challenge, 0);
            byte[] response;
            if (_pendingInitialResponse != null)
            {
                // The initial response did not fit on the AUTH line: an empty challenge asks for it, anything else is wrong.
                response = decoded == 0 ? _pendingInitialResponse : null;
                if (response == null)
                {
                    Array.Clear(_pendingInitialResponse, 0, _pendingInitialResponse.Length);
                }

                _pendingInitialResponse = null;
            }
            else
            {
                response = decoded < 0 || _mechanism == null ? null : _mechanism.Respond(challenge, 0, decoded);
            }

            Array.Clear(challenge, 0, challenge.Length);
            if (response == null && _mechanism != null && _mechanism.IsComputing)
            {
                // The server waits while the key is derived; the command timeout bounds the derivation too.
                _session.AwaitComputation(nowMs);
                return;
            }

            SendResponse(response, nowMs);
        }

        /// <summary>Runs one slice of SCRAM's key derivation and sends the answer once it is ready.</summary>
        internal void Compute(long nowMs)
        {
            if (_mechanism == null)
            {
                return;
            }

            byte[] response = _mechanism.Continue(_options.ScramRoundsPerStep);
            if (response == null && _mechanism.IsComputing)
            {
                return;
            }

            SendResponse(response, nowMs);
        }

        /// <summary>The connection took output: the rest of a long SASL line (a bearer token) goes into the buffer.</summary>
        internal void OnOutputSent()
        {
            if (_authLine.IsActive)
            {
                _authLine.Fill(_session.Commands);
            }
        }

        /// <summary>Drops the SASL exchange in progress, clearing its secrets (the session ended, or the exchange did).</summary>
        internal void Clear()
        {
            _authLine.Clear();
            if (_mechanism != null)
            {
                _mechanism.Clear();
                _mechanism = null;
            }

            if (_pendingInitialResponse != null)
            {
                Array.Clear(_pendingInitialResponse, 0, _pendingInitialResponse.Length);
                _pendingInitialResponse = null;
            }
        }

        private void SendResponse(byte[] response, long nowMs)
        {
            CommandBuffer output = _session.Commands;
            if (response == null || SaslAuthLine.ResponseLineLength(response.Length) > SaslAuthLine.SmtpLineLimit)
            {
                if (response != null)
                {
                    Array.Clear(response, 0, response.Length);
                }

                // RFC 5034 4: "*" cancels the exchange; the server answers -ERR.
                _authCancelled = true;
                _authFailure = _mechanism == null ? SaslFailure.None : _mechanism.Failure;
                Clear();
                _session.BeginCommand(PopState.Auth, nowMs, "AUTH");
                output.Put("*");
                output.EndLine();
                _session.LogCommand("*");
                return;
            }

            _session.BeginCommand(PopState.Auth, nowMs, "AUTH");
            _session.LogCommand(response.Length == 0 ? string.Empty : PopSession.Masked);

            // A bearer token makes a line longer than the output buffer: it goes out in pieces, and is wiped once encoded.
            _authLine.Start(response);
            _authLine.Fill(output);
        }

        /// <summary>A status line (+OK or -ERR) in answer to the greeting or a login command.</summary>
        internal void OnReply(PopState state, bool ok, long nowMs)
        {
            switch (state)
            {
                case PopState.Greeting:
                    if (ok)
                    {
                        FindTimestamp();
                        _session.SendCommand("CAPA", PopState.Capa, nowMs, "CAPA");
                    }
                    else
                    {
                        // The server refuses service; it closes the connection itself.
                        _session.SetReply();
                        _session.Fail(UserErrorCode.PopConnectFailed, "server refused the session");
                        _session.End();
                    }

                    break;

                case PopState.Capa:
                    if (ok)
                    {
                        _session.BeginList();
                    }
                    else if (NeedsStls)
                    {
                        // Without CAPA nothing says whether STLS works: asking is safe, no secret goes with it.
                        _session.SendCommand("STLS", PopState.Stls, nowMs, "STLS");
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
                        _session.AwaitStlsHandshake(nowMs);
                    }
                    else
                    {
                        _session.SetReply();
                        _session.Fail(UserErrorCode.TlsNotOffered, "server refused STLS");
                        _session.SendQuit(nowMs);
                    }

                    break;

                case PopState.User:
                    if (ok && _pipelined)
                    {
                        // PASS has already gone: its reply is next.
                        _session.ExpectGroupReply(PopState.Pass, nowMs, "PASS");
                    }
                    else if (ok)
                    {
                        SendPass(nowMs);
                    }
                    else if (_pipelined)
                    {
                        // The PASS sent behind the refused USER is answered too (-ERR); QUIT follows its reply.
                        _userRefused = true;
                        RecordLoginFailure();
                        _session.ExpectGroupReply(PopState.Pass, nowMs, null);
                    }
                    else
                    {
                        FailLogin(nowMs);
                    }

                    break;

                default:
                    if (_userRefused)
                    {
                        // Whatever PASS got, the login failed at USER.
                        _session.SendQuit(nowMs);
                        break;
                    }

                    if (ok && _mechanism != null && _mechanism.AwaitsServerProof)
                    {
                        // SCRAM: success without the server's signature is a server that never proved itself.
                        Clear();
                        _session.Result.Stage = "AUTH";
                        _session.Fail(UserErrorCode.ServerNotAuthentic, "the server reported success without proving it knows the password (no SCRAM server signature)");
                        _session.SendQuit(nowMs);
                        break;
                    }

                    if (!ok && !_authCancelled && _mechanism != null)
                    {
                        _mechanism.Rejected();
                    }

                    OAuthSaslMechanism oauth = _mechanism as OAuthSaslMechanism;
                    if (!ok && !_authCancelled && oauth != null)
                    {
                        OAuthSaslStatus status = oauth.ErrorStatus;
                        string statusText = oauth.ErrorStatusText;
                        string scope = oauth.ErrorScope;
                        Clear();
                        FailOAuth(status, statusText, scope, nowMs);
                        break;
                    }

                    Clear();
                    if (ok)
                    {
                        _session.OnLoggedIn(state == PopState.Auth ? _authName : (state == PopState.Apop ? "APOP" : "USER"), nowMs);
                    }
                    else if (_authCancelled)
                    {
                        _session.Result.Stage = "AUTH";
                        FailCancelledAuth(nowMs);
                    }
                    else
                    {
                        // No weaker login follows a refused one: the refusal means the credentials, not the method.
                        FailLogin(nowMs);
                    }

                    break;
            }
        }

        /// <summary>One line of the CAPA list.</summary>
        internal void OnCapaLine()
        {
            PopLineReader reader = _session.Reader;
            if (_session.LogsDialogue)
            {
                _session.LogReply(reader.Text);
            }

            if (FirstWordIs(reader.LineBuffer, reader.DataOffset, reader.Length, "STLS"))
            {
                _capaStls = true;
            }
            else if (FirstWordIs(reader.LineBuffer, reader.DataOffset, reader.Length, "PIPELINING"))
            {
                _capaPipelining = _options.Pipelining;
            }
            else if (FirstWordIs(reader.LineBuffer, reader.DataOffset, reader.Length, "SASL"))
            {
                _capaCramMd5 = HasWord(reader.LineBuffer, reader.DataOffset + 5, reader.Length, "CRAM-MD5");
                _capaOAuth = SaslMechanisms.None;
                if (HasWord(reader.LineBuffer, reader.DataOffset + 5, reader.Length, SaslFactory.XOAuth2Name))
                {
                    _capaOAuth |= SaslMechanisms.XOAuth2;
                }

                if (HasWord(reader.LineBuffer, reader.DataOffset + 5, reader.Length, SaslFactory.OAuthBearerName))
                {
                    _capaOAuth |= SaslMechanisms.OAuthBearer;
                }

                _capaScram = SaslMechanisms.None;
                if (HasWord(reader.LineBuffer, reader.DataOffset + 5, reader.Length, SaslFactory.ScramSha256Name))
                {
                    _capaScram |= SaslMechanisms.ScramSha256;
                }

                if (HasWord(reader.LineBuffer, reader.DataOffset + 5, reader.Length, SaslFactory.ScramSha1Name))
                {
                    _capaScram |= SaslMechanisms.ScramSha1;
                }
            }
        }

        /// <summary>The CAPA list ended: STLS first when the settings ask for it, else the login.</summary>
        internal void OnCapaEnd(long nowMs)
        {
            if (!NeedsStls)
            {
                Login(nowMs);
            }
            else if (_capaStls)
            {
                _session.SendCommand("STLS", PopState.Stls, nowMs, "STLS");
            }
            else
            {
                // No downgrade: without STLS nothing more is sent, least of all a password.
                _session.Result.Stage = "STLS";
                _session.Fail(UserErrorCode.TlsNotOffered, "server does not offer STLS");
                _session.SendQuit(nowMs);
            }
        }

        /// <summary>
        /// The TLS handshake after STLS succeeded. RFC 2595 4: what CAPA said before TLS is forgotten
        /// and asked again; the greeting's APOP timestamp stays (the greeting is not repeated).
        /// </summary>
        internal void OnTlsStarted(long nowMs)
        {
            _capaStls = false;
            _capaPipelining = false;
            _capaCramMd5 = false;
            _capaScram = SaslMechanisms.None;
            _capaOAuth = SaslMechanisms.None;
            _session.SendCommand("CAPA", PopState.Capa, nowMs, "CAPA");
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

            if (UsesOAuth)
            {
                LoginOAuth(nowMs);
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
                if (_options.Random != null && (_capaScram & SaslMechanisms.ScramSha1) != 0)
                {
                    mode = PopLoginMode.ScramSha1;
                }

                if (_options.Random != null && (_capaScram & SaslMechanisms.ScramSha256) != 0)
                {
                    mode = PopLoginMode.ScramSha256;
                }
            }

            if (mode == PopLoginMode.CramMd5)
            {
                SendAuth(SaslMechanisms.CramMd5, nowMs);
                return;
            }

            if (mode == PopLoginMode.ScramSha256 || mode == PopLoginMode.ScramSha1)
            {
                if (_options.Random == null)
                {
                    FailLocalLogin("AUTH", "SCRAM needs a random source, and the board has none", nowMs);
                    return;
                }

                SendAuth(mode == PopLoginMode.ScramSha256 ? SaslMechanisms.ScramSha256 : SaslMechanisms.ScramSha1, nowMs);
                return;
            }

            if (mode == PopLoginMode.UserPass)
            {
                SendUser(nowMs);
                return;
            }

            CommandBuffer output = _session.Commands;
            if (_timestampLength == 0)
            {
                FailLocalLogin("APOP", "server greeting carries no APOP timestamp", nowMs);
                return;
            }

            if (user.Length + 8 + (2 * Md5.HashSizeBytes) > PopSession.OutputBufferSize)
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
            bool withQuit = QuitGoesAlong && user.Length + 8 + (2 * Md5.HashSizeBytes) + 6 <= PopSession.OutputBufferSize;
            _session.BeginCommand(PopState.Apop, nowMs, "APOP");
            if (withQuit)
            {
                _session.BeginGroup();
            }

            output.Put("APOP ");
            output.PutBytes(user);
            output.Put(" ");
            Hex.ToLower(digest, 0, digest.Length, output.Buffer, output.End);
            output.Advance(2 * digest.Length);
            Array.Clear(digest, 0, digest.Length);
            output.EndLine();
            _session.LogCommand("APOP " + Utf8.GetString(user, 0, user.Length) + " " + PopSession.Masked);
            if (withQuit)
            {
                _session.EndGroupCommand(false);
                PutQuit();
            }
        }

        // RFC 2449 6.6: in a login-only session QUIT may follow the login command without waiting, where CAPA allows it.
        private bool QuitGoesAlong
        {
            get { return _capaPipelining && _options.Mode == PopSessionMode.LoginOnly; }
        }

        private void PutQuit()
        {
            CommandBuffer output = _session.Commands;
            output.Put("QUIT");
            output.EndLine();
            _session.LogCommand("QUIT");
            _session.EndGroupCommand(true);
        }

        // With a token, Auto means OAuth only: no password login is tried beside it.
        private bool UsesOAuth
        {
            get
            {
                PopLoginMode mode = _options.LoginMode;
                return mode == PopLoginMode.XOAuth2 || mode == PopLoginMode.OAuthBearer || (mode == PopLoginMode.Auto && _options.AccessToken != null);
            }
        }

        /// <summary>
        /// AUTH OAUTHBEARER or XOAUTH2 with the access token (RFC 5034, RFC 7628). Auto takes the one CAPA lists,
        /// OAUTHBEARER first; an explicit mode is tried as set. A real token never fits RFC 2449's 255-octet command
        /// line, so it follows the server's empty "+" challenge.
        /// </summary>
        private void LoginOAuth(long nowMs)
        {
            byte[] token = _options.AccessToken;
            PopLoginMode mode = _options.LoginMode;
            SaslMechanisms kind = mode == PopLoginMode.XOAuth2 ? SaslMechanisms.XOAuth2 : SaslMechanisms.OAuthBearer;
            if (mode == PopLoginMode.Auto)
            {
                if (_capaOAuth == SaslMechanisms.None)
                {
                    FailLocalLogin("AUTH", UserErrorCode.OAuthNotOffered, "server offers neither OAUTHBEARER nor XOAUTH2", nowMs);
                    return;
                }

                kind = (_capaOAuth & SaslMechanisms.OAuthBearer) != 0 ? SaslMechanisms.OAuthBearer : SaslMechanisms.XOAuth2;
            }

            if (token == null || token.Length == 0)
            {
                FailLocalLogin("AUTH", UserErrorCode.OAuthTokenUnusable, "no OAuth 2.0 access token for " + SaslFactory.NameOf(kind), nowMs);
                return;
            }

            if (!_options.AllowPlaintextLogin && !Encrypted)
            {
                FailLocalLogin("AUTH", "the access token is not sent without encryption (pop.auth.plaintext=deny)", nowMs);
                return;
            }

            _mechanism = SaslFactory.Create(kind, _options.User, token);
            _authName = _mechanism.Name;
            _authCancelled = false;
            _authFailure = SaslFailure.None;
            int length = ((OAuthSaslMechanism)_mechanism).InitialResponseLength;
            string reason = null;
            if (length < 0)
            {
                reason = "the access token is not bearer-token syntax (RFC 6750), or the user name holds a control character";
            }
            else if (SaslAuthLine.ResponseLineLength(length) > SaslAuthLine.SmtpLineLimit)
            {
                reason = "the access token is too long: " + _authName + " would need a line of " + SaslAuthLine.ResponseLineLength(length).ToString() + " octets";
            }

            if (reason != null)
            {
                Clear();
                FailLocalLogin("AUTH", UserErrorCode.OAuthTokenUnusable, reason, nowMs);
                return;
            }

            string command = "AUTH " + _authName;
            if (!SaslAuthLine.InitialResponseFits(_authName, length, SaslAuthLine.PopLineLimit))
            {
                // The mechanism answers the server's empty challenge with its initial response.
                _session.SendCommand(command, PopState.Auth, nowMs, "AUTH");
                return;
            }

            CommandBuffer output = _session.Commands;
            _session.BeginCommand(PopState.Auth, nowMs, "AUTH");
            output.Put(command + " ");
            _authLine.Start(_mechanism.InitialResponse());
            _authLine.Fill(output);
            _session.LogCommand(command + " " + PopSession.Masked);
        }

        /// <summary>
        /// The server refused the token. invalid_token, "401" or a plain -ERR may pass with a refreshed token
        /// (<see cref="PopResult.TokenRejected"/>); a token without the scope does not. Nothing else is tried.
        /// </summary>
        private void FailOAuth(OAuthSaslStatus status, string statusText, string scope, long nowMs)
        {
            _session.SetReply();
            string text = _session.Result.ReplyText;
            string said = status == OAuthSaslStatus.None ? string.Empty : " (error status \"" + statusText + "\")";
            if (text.IndexOf("[IN-USE]") == 0 || text.IndexOf("[SYS/TEMP]") == 0 || text.IndexOf("[LOGIN-DELAY]") == 0)
            {
                _session.Fail(UserErrorCode.PopConnectFailed, "server refused the login for now");
            }
            else if (status == OAuthSaslStatus.InsufficientScope)
            {
                _session.Fail(UserErrorCode.OAuthScopeInsufficient, "the access token lacks the scope the server needs" + (scope.Length > 0 ? " (" + scope + ")" : string.Empty));
            }
            else if (status == OAuthSaslStatus.InvalidToken || status == OAuthSaslStatus.None)
            {
                _session.Result.TokenRejected = true;
                _session.Fail(UserErrorCode.OAuthTokenRejected, "the server refused the access token" + said);
            }
            else
            {
                _session.Fail(UserErrorCode.PopAuthFailed, _authName + " refused" + said);
            }

            _session.SendQuit(nowMs);
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

            if (user.Length + 7 > PopSession.OutputBufferSize)
            {
                FailLocalLogin("USER", "user name too long to send", nowMs);
                return;
            }

            CommandBuffer output = _session.Commands;
            byte[] password = _options.Password;

            // USER, PASS (and QUIT) as one group only while they fit the output buffer together.
            _pipelined = _capaPipelining && user.Length + 7 + password.Length + 7 + 6 <= PopSession.OutputBufferSize;
            _session.BeginCommand(PopState.User, nowMs, "USER");
            if (_pipelined)
            {
                _session.BeginGroup();
            }

            output.Put("USER ");
            output.PutBytes(user);
            output.EndLine();
            _session.LogCommand("USER " + Utf8.GetString(user, 0, user.Length));
            if (!_pipelined)
            {
                return;
            }

            _session.EndGroupCommand(false);
            PutPass();
            _session.EndGroupCommand(false);
            if (QuitGoesAlong)
            {
                PutQuit();
            }
        }

        private void SendAuth(SaslMechanisms kind, long nowMs)
        {
            // RFC 5034 4: AUTH names the mechanism; CRAM-MD5 has no initial response, the server challenges first.
            _mechanism = SaslFactory.Create(kind, _options.User, _options.Password, _options.Random, _options.SaltedPasswords);
            _authName = _mechanism.Name;
            _authCancelled = false;
            _authFailure = SaslFailure.None;
            string command = "AUTH " + _mechanism.Name;
            byte[] initial = _mechanism.HasInitialResponse ? _mechanism.InitialResponse() : null;
            if (_mechanism.HasInitialResponse && initial == null)
            {
                // SCRAM refuses what SASLprep prohibits.
                Clear();
                FailLocalLogin("AUTH", "user name or password cannot be sent with " + _authName, nowMs);
                return;
            }

            if (initial == null)
            {
                _session.SendCommand(command, PopState.Auth, nowMs, "AUTH");
                return;
            }

            // RFC 5034 4 / RFC 2449 4: the initial response goes with AUTH only while the line stays within 255 octets.
            if (command.Length + 1 + Base64.EncodedLength(initial.Length) + 2 > MaxCommandLineOctets)
            {
                // Kept for the server's empty challenge, which asks for it.
                _session.SendCommand(command, PopState.Auth, nowMs, "AUTH");
                _pendingInitialResponse = initial;
                return;
            }

            CommandBuffer output = _session.Commands;
            _session.BeginCommand(PopState.Auth, nowMs, "AUTH");
            output.Put(command + " ");
            output.PutBase64(initial);
            output.EndLine();
            Array.Clear(initial, 0, initial.Length);
            _session.LogCommand(command + " " + PopSession.Masked);
        }

        // The reply to a cancelled exchange: the code says what the mechanism found wrong.
        private void FailCancelledAuth(long nowMs)
        {
            switch (_authFailure)
            {
                case SaslFailure.ServerNotAuthentic:
                    _session.Fail(UserErrorCode.ServerNotAuthentic, "the server's SCRAM signature is wrong: it does not know the password, so it is not the server it claims to be");
                    break;
                case SaslFailure.IterationCountOutOfRange:
                    _session.Fail(UserErrorCode.ScramIterationsOutOfRange, "the server's SCRAM iteration count is outside " + Scram.MinIterations.ToString() + "-" + Scram.MaxIterations.ToString());
                    break;
                case SaslFailure.CredentialsRejected:
                    _session.Fail(UserErrorCode.PopAuthFailed, "the server rejected the SCRAM proof (user name or password)");
                    break;
                case SaslFailure.ServerTemporaryFailure:
                    _session.Fail(UserErrorCode.PopConnectFailed, "the server reported a temporary SCRAM failure");
                    break;
                default:
                    _session.SetReply();
                    _session.Fail(UserErrorCode.PopAuthFailed, _authName + " exchange failed (bad challenge)");
                    break;
            }

            _session.SendQuit(nowMs);
        }

        private void SendPass(long nowMs)
        {
            byte[] password = _options.Password;
            if (password.Length + 7 > PopSession.OutputBufferSize)
            {
                FailLocalLogin("PASS", "password too long to send", nowMs);
                return;
            }

            _session.BeginCommand(PopState.Pass, nowMs, "PASS");
            PutPass();
        }

        private void PutPass()
        {
            CommandBuffer output = _session.Commands;
            output.Put("PASS ");
            output.PutBytes(_options.Password);
            output.EndLine();
            _session.LogCommand("PASS " + PopSession.Masked);
        }

        private void FailLogin(long nowMs)
        {
            RecordLoginFailure();
            _session.SendQuit(nowMs);
        }

        private void RecordLoginFailure()
        {
            _session.SetReply();
            string text = _session.Result.ReplyText;

            // RFC 2449 8.1 and RFC 3206: these say "not now", not "wrong credentials".
            if (text.IndexOf("[IN-USE]") == 0 || text.IndexOf("[LOGIN-DELAY]") == 0 || text.IndexOf("[SYS/TEMP]") == 0)
            {
                _session.Fail(UserErrorCode.PopConnectFailed, "server refused the login for now");
            }
            else
            {
                _session.Fail(UserErrorCode.PopAuthFailed, UserErrorCode.Describe(UserErrorCode.PopAuthFailed));
            }
        }

        private void FailLocalLogin(string stage, string detail, long nowMs)
        {
            FailLocalLogin(stage, UserErrorCode.PopAuthFailed, detail, nowMs);
        }

        private void FailLocalLogin(string stage, int error, string detail, long nowMs)
        {
            _session.Result.Stage = stage;
            _session.Fail(error, detail);
            _session.SendQuit(nowMs);
        }

        private void FindTimestamp()
        {
            // RFC 1939 7: the greeting's APOP timestamp has the syntax of a msg-id, <...@...>.
            PopLineReader reader = _session.Reader;
            byte[] line = reader.LineBuffer;
            int end = reader.Length;
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
