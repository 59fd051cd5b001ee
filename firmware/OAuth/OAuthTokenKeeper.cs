using System;
using NetBoard.Firmware.Crypto;
using NetBoard.Firmware.Http;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Net;
using NetBoard.Firmware.Scheduling;
using NetBoard.Firmware.Settings;
using NetBoard.Firmware.Storage;
using NetBoard.Firmware.Text;
using NetBoard.Hal;

namespace NetBoard.Firmware.OAuth
{
    /// <summary>
    /// The board's OAuth 2.0 tokens and the scheduler task that gets them: the refresh-token grant (RFC 6749 6) and the
    /// client credentials grant (4.4) when a token is asked for or nears its expiry, and the device authorization grant
    /// (RFC 8628) when someone signs in from the panel or the virtual board. One token request at a time, driven through
    /// <see cref="HttpExchange"/> a bounded step at a time; it never waits on the network.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Tokens live in the credential store entry <see cref="TokenEntry"/> (refresh token, access token, its issue and expiry
    /// time on the wall clock, and the settings they belong to), written atomically in one record: a new refresh token
    /// and its access token are stored BEFORE the access token is handed out, so a power cut leaves the old pair or the
    /// new one. After a restart the access token is used again when the wall clock shows it still valid, else refreshed.
    /// A server that refuses a redeemed refresh token at once can only lose the pair to a cut between its answer and the
    /// write (then <see cref="OAuthTokenStatus.SignInNeeded"/>); a stored token is never removed before the server refused it.
    /// </para>
    /// <para>
    /// Allocation per token request: the request (form and headers, under 1 KB plus the refresh token or device code),
    /// the exchange's response line buffer and body (at most <see cref="HttpExchangeOptions.DefaultMaxBodySize"/>, doubled
    /// while an unannounced length grows), the parsed tokens (each at most <see cref="OAuthResponse.MaxTokenLength"/>)
    /// and the credential record written. Every secret buffer is wiped when the request ends.
    /// </para>
    /// <para>
    /// For https the request takes the TLS budget (<see cref="DeviceContext.TlsLock"/>) like a mail session, so a mail
    /// task must not hold that lock while it waits for a token.
    /// </para>
    /// </remarks>
    public sealed class OAuthTokenKeeper : MailTask, IOAuthTokens
    {
        /// <summary>The credential store entry holding the tokens.</summary>
        public const string TokenEntry = "oauth-token";

        /// <summary>The credential store entry holding the client secret.</summary>
        public const string ClientEntry = "oauth-client";

        /// <summary>The most an access token is kept back before its expiry (smaller for short-lived tokens: a fifth of the lifetime).</summary>
        public const int RefreshMarginMs = 60000;

        /// <summary>The first wait after a failed request; it doubles up to <see cref="MaxBackoffMs"/>.</summary>
        public const int FirstBackoffMs = 5000;

        /// <summary>The longest wait between failed requests.</summary>
        public const int MaxBackoffMs = 300000;

        /// <summary>The lifetime assumed when a token response has no expires_in, in seconds.</summary>
        public const int DefaultLifetimeS = 3600;

        /// <summary>The poll interval when the device authorization response has none (RFC 8628 3.2), in seconds.</summary>
        public const int DefaultPollIntervalS = 5;

        /// <summary>What slow_down adds to the poll interval (RFC 8628 3.5), in seconds.</summary>
        public const int SlowDownS = 5;

        /// <summary>How often an idle keeper looks at the settings again.</summary>
        public const int IdleCheckMs = 5000;

        /// <summary>The longest secret accepted for the client, in octets.</summary>
        public const int MaxClientSecretLength = 512;

        private const int OperationNone = 0;
        private const int OperationRefresh = 1;
        private const int OperationClientCredentials = 2;
        private const int OperationDeviceAuthorization = 3;
        private const int OperationDevicePoll = 4;

        private readonly DeviceContext _context;

        private DeviceSettings _seenSettings;
        private OAuthConfiguration _config;

        private byte[] _refresh;
        private byte[] _access;
        private long _accessExpiresMs;
        private long _accessMarginMs;
        private long _accessIssuedTicks;
        private long _accessExpiresTicks;
        private bool _used;
        private bool _wanted;
        private bool _unsaved;

        private int _errorCode;
        private bool _failed;
        private long _retryAtMs;
        private int _backoffMs;

        private int _operation;
        private HttpRequest _request;
        private HttpExchange _exchange;
        private SessionTransfer _transfer;
        private byte[] _secret;
        private byte[] _sentToken;

        private OAuthSignInState _signIn;
        private int _signInError;
        private string _userCode;
        private string _verificationUri;
        private string _verificationUriComplete;
        private byte[] _deviceCode;
        private int _pollIntervalS;
        private long _nextPollMs;
        private long _deviceExpiresMs;

        /// <summary>Creates the keeper over the device context; it loads the stored tokens on its first step.</summary>
        /// <param name="context">The device context (settings, clock, connector, credential store, TLS budget, session log).</param>
        public OAuthTokenKeeper(DeviceContext context)
            : base("oauth")
        {
            if (context == null)
            {
                throw new ArgumentNullException("context");
            }

            _context = context;
            _userCode = string.Empty;
            _verificationUri = string.Empty;
            _verificationUriComplete = string.Empty;
        }

        /// <inheritdoc />
        public bool IsConfigured
        {
            get
            {
                Sync();
                return _config.IsOn;
            }
        }

        /// <inheritdoc />
        public OAuthTokenStatus Status
        {
            get
            {
                Sync();
                if (!_config.IsOn)
                {
                    return OAuthTokenStatus.Off;
                }

                if (_config.Problem != null)
                {
                    return OAuthTokenStatus.Failed;
                }

                if (HasValidAccess(_context.Clock.NowMs))
                {
                    return OAuthTokenStatus.Ready;
                }

                if (!_config.IsClientCredentials && _refresh == null)
                {
                    return OAuthTokenStatus.SignInNeeded;
                }

                if (_failed)
                {
                    return OAuthTokenStatus.Failed;
                }

                return OAuthTokenStatus.Refreshing;
            }
        }

        /// <inheritdoc />
        public int ErrorCode
        {
            get
            {
                OAuthTokenStatus status = Status;
                if (status == OAuthTokenStatus.Failed && _config.Problem != null)
                {
                    return _config.ProblemCode;
                }

                if (status == OAuthTokenStatus.SignInNeeded)
                {
                    return _errorCode != UserErrorCode.None ? _errorCode : UserErrorCode.OAuthSignInNeeded;
                }

                return status == OAuthTokenStatus.Failed ? _errorCode : UserErrorCode.None;
            }
        }

        /// <summary>True when a refresh token is held (device sign-in done and not refused since).</summary>
        public bool IsSignedIn
        {
            get
            {
                Sync();
                return _refresh != null;
            }
        }

        /// <summary>Where the last sign-in is.</summary>
        public OAuthSignInState SignInState
        {
            get { return _signIn; }
        }

        /// <summary>The user error code of a failed sign-in, else 0.</summary>
        public int SignInErrorCode
        {
            get { return _signInError; }
        }

        /// <summary>The user code to enter at the verification page while <see cref="SignInState"/> is WaitingForUser.</summary>
        public string UserCode
        {
            get { return _userCode; }
        }

        /// <summary>The verification page (verification_uri) while <see cref="SignInState"/> is WaitingForUser.</summary>
        public string VerificationUri
        {
            get { return _verificationUri; }
        }

        /// <summary>verification_uri_complete when the server gave one, else empty.</summary>
        public string VerificationUriComplete
        {
            get { return _verificationUriComplete; }
        }

        /// <summary>True when a client secret is stored.</summary>
        public bool HasClientSecret
        {
            get
            {
                CredentialEntry entry = _context.Credentials.Read(ClientEntry);
                if (entry == null)
                {
                    return false;
                }

                bool has = entry.GetText("secret") != null;
                entry.Clear();
                return has;
            }
        }

        /// <inheritdoc />
        public byte[] CopyAccessToken(long nowMs)
        {
            Sync();
            if (!HasValidAccess(nowMs))
            {
                return null;
            }

            _used = true;
            byte[] copy = new byte[_access.Length];
            Array.Copy(_access, copy, copy.Length);
            return copy;
        }

        /// <inheritdoc />
        public void RequestRefresh(byte[] rejected)
        {
            Sync();
            if (rejected != null && _access != null && _access.Length == rejected.Length
                && FixedTime.AreEqual(_access, 0, rejected, 0, rejected.Length))
            {
                DropAccess();
            }

            _wanted = true;
            Wake();
        }

        /// <summary>
        /// Starts a device sign-in (RFC 8628); a running one is abandoned. Returns null, or why it cannot start
        /// (OAuth off, settings incomplete, app-only grant).
        /// </summary>
        public string StartSignIn()
        {
            Sync();
            if (!_config.IsOn)
            {
                return "OAuth 2.0 is off";
            }

            if (_config.IsClientCredentials)
            {
                return "app-only needs no sign-in";
            }

            if (_config.Problem != null)
            {
                return _config.Problem;
            }

            EndSignIn();
            if (_operation == OperationDeviceAuthorization || _operation == OperationDevicePoll)
            {
                AbortExchange();
            }

            _signIn = OAuthSignInState.Starting;
            _signInError = UserErrorCode.None;
            Wake();
            return null;
        }

        /// <summary>Abandons a running sign-in.</summary>
        public void CancelSignIn()
        {
            if (_signIn == OAuthSignInState.Starting || _signIn == OAuthSignInState.WaitingForUser)
            {
                if (_operation == OperationDeviceAuthorization || _operation == OperationDevicePoll)
                {
                    AbortExchange();
                }

                EndSignIn();
                _signIn = OAuthSignInState.Idle;
            }
        }

        /// <summary>Forgets the tokens (memory and credential store). Returns null, or why the store could not be changed.</summary>
        public string SignOut()
        {
            CancelSignIn();
            if (_operation != OperationNone)
            {
                AbortExchange();
            }

            ForgetTokens();
            _signIn = OAuthSignInState.Idle;
            _errorCode = UserErrorCode.None;
            try
            {
                _context.Credentials.Delete(TokenEntry);
            }
            catch (Exception)
            {
                return "token store not changed";
            }

            return null;
        }

        /// <summary>
        /// Stores the client secret (write-only: it is never read back to the panel, the web page or a log). Empty clears it.
        /// Returns null, or why it was refused.
        /// </summary>
        /// <param name="secret">The secret as UTF-8; the caller wipes its array.</param>
        public string SetClientSecret(byte[] secret)
        {
            if (secret == null || secret.Length == 0)
            {
                try
                {
                    _context.Credentials.Delete(ClientEntry);
                }
                catch (Exception)
                {
                    return "secret not removed";
                }

                return null;
            }

            if (secret.Length > MaxClientSecretLength)
            {
                return "longer than " + MaxClientSecretLength.ToString() + " octets";
            }

            for (int i = 0; i < secret.Length; i++)
            {
                if (secret[i] < 0x20 || secret[i] == 0x7F)
                {
                    return "contains control characters";
                }
            }

            CredentialEntry entry = new CredentialEntry();
            try
            {
                entry.Set("secret", secret, 0, secret.Length);
                _context.Credentials.Write(ClientEntry, entry);
            }
            catch (Exception)
            {
                return "secret not saved";
            }
            finally
            {
                entry.Clear();
            }

            // A client refused for its secret may now be accepted.
            _failed = false;
            _retryAtMs = 0;
            _wanted = true;
            Wake();
            return null;
        }

        /// <summary>One line for a status screen: provider and state, never a token.</summary>
        public string StatusLine()
        {
            OAuthTokenStatus status = Status;
            switch (status)
            {
                case OAuthTokenStatus.Off:
                    return "OAuth: off";
                case OAuthTokenStatus.Ready:
                    return "OAuth: ready" + (_unsaved ? " " + UserErrorCode.Format(UserErrorCode.OAuthTokenNotSaved) : string.Empty);
                case OAuthTokenStatus.Refreshing:
                    return "OAuth: getting token";
                case OAuthTokenStatus.SignInNeeded:
                    return "OAuth: sign-in needed " + UserErrorCode.Format(ErrorCode);
                default:
                    return "OAuth: failed " + UserErrorCode.Format(ErrorCode) + " " + UserErrorCode.Describe(ErrorCode);
            }
        }

        /// <summary>Does the next piece of token work.</summary>
        public override void Step(long nowMs)
        {
            Sync();
            if (_exchange != null)
            {
                if (!StepTransfer(_transfer, nowMs))
                {
                    return;
                }

                Finish(nowMs);
            }

            if (_unsaved && nowMs >= _retryAtMs)
            {
                SaveTokens(nowMs);
            }

            if (_config.IsOn && _config.Problem == null && StartNext(nowMs))
            {
                return;
            }

            SleepUntil(NextWake(nowMs));
        }

        private bool StartNext(long nowMs)
        {
            if (_signIn == OAuthSignInState.Starting)
            {
                return Begin(OperationDeviceAuthorization, nowMs);
            }

            if (_signIn == OAuthSignInState.WaitingForUser)
            {
                if (nowMs >= _deviceExpiresMs)
                {
                    FailSignIn(UserErrorCode.OAuthCodeExpired);
                }
                else if (nowMs >= _nextPollMs)
                {
                    return Begin(OperationDevicePoll, nowMs);
                }
            }

            // A new refresh token is redeemed only once it is stored.
            if (_unsaved || nowMs < _retryAtMs || !NeedsToken(nowMs))
            {
                return false;
            }

            if (_config.IsClientCredentials)
            {
                return Begin(OperationClientCredentials, nowMs);
            }

            return _refresh != null && Begin(OperationRefresh, nowMs);
        }

        private bool NeedsToken(long nowMs)
        {
            if (_access == null || nowMs >= _accessExpiresMs - _accessMarginMs)
            {
                return _wanted;
            }

            // Renewed ahead of expiry only while the mail tasks use it.
            return _used && nowMs >= _accessExpiresMs - (2 * _accessMarginMs);
        }

        private long NextWake(long nowMs)
        {
            long wake = nowMs + IdleCheckMs;
            if (_signIn == OAuthSignInState.WaitingForUser)
            {
                wake = Min(wake, Min(_nextPollMs, _deviceExpiresMs));
            }

            if (_retryAtMs > nowMs && (_wanted || _unsaved))
            {
                wake = Min(wake, _retryAtMs);
            }

            if (_access != null && _used)
            {
                wake = Min(wake, _accessExpiresMs - (2 * _accessMarginMs));
            }

            return wake > nowMs ? wake : nowMs + 1;
        }

        private bool Begin(int operation, long nowMs)
        {
            HttpUrl url = operation == OperationDeviceAuthorization ? _config.DeviceEndpoint : _config.TokenEndpoint;
            if (url.Secure && !AcquireLocks(_context, false, true))
            {
                // Waits for the TLS budget (AcquireLocks set the wait).
                return true;
            }

            HttpForm form = new HttpForm();
            HttpRequest request = new HttpRequest("POST", url.Host, url.Port, url.Secure, url.Target);
            request.AddHeader("Accept", "application/json");
            request.Form = form;
            _secret = ReadClientSecret();
            if (_config.IsClientCredentials && _secret == null)
            {
                ReleaseLocks(_context);
                Fail(UserErrorCode.OAuthSettingsIncomplete, nowMs, true);
                return false;
            }

            if (_secret != null)
            {
                // client_secret_basic (RFC 6749 2.3.1), which every server must support.
                request.SetBasicAuthorization(Utf8.GetBytes(_config.ClientId), _secret);
            }
            else
            {
                form.Add("client_id", _config.ClientId);
            }

            switch (operation)
            {
                case OperationDeviceAuthorization:
                    form.Add("scope", _config.Scope);
                    break;
                case OperationDevicePoll:
                    form.Add("grant_type", OAuthConfiguration.DeviceCodeGrantType);
                    form.Add("device_code", _deviceCode);
                    break;
                case OperationClientCredentials:
                    form.Add("grant_type", "client_credentials");
                    if (_config.Scope.Length > 0)
                    {
                        form.Add("scope", _config.Scope);
                    }

                    break;
                default:
                    form.Add("grant_type", "refresh_token");
                    _sentToken = Copy(_refresh);
                    form.Add("refresh_token", _sentToken);
                    break;
            }

            _operation = operation;
            _request = request;
            _exchange = new HttpExchange(request, null, _context.SessionLog);
            _transfer = _exchange.CreateTransfer(_context.Connector, _context.Clock, _context.Settings.Get(SettingKeys.NetLocalAddress), SendPlan.CreateTlsPolicy(_context.Settings));
            if (operation != OperationDevicePoll && operation != OperationDeviceAuthorization)
            {
                _wanted = false;
            }

            RunAgain();
            return true;
        }

        private void Finish(long nowMs)
        {
            HttpResult result = _exchange.Result;
            int operation = _operation;
            byte[] sent = _sentToken;
            _sentToken = null;
            OAuthResponse response = null;
            int failure = UserErrorCode.None;
            if (!result.Success)
            {
                failure = result.Error == HttpError.ConnectFailed || result.Error == HttpError.TimedOut || result.Error == HttpError.ConnectionLost
                    ? UserErrorCode.ForNetError(result.NetError, UserErrorCode.OAuthServerUnreachable)
                    : UserErrorCode.OAuthServerError;
            }
            else
            {
                response = OAuthResponse.Parse(result.Body, 0, result.BodyLength);
                if (!response.IsValid)
                {
                    failure = UserErrorCode.OAuthServerError;
                }
                else if (result.StatusCode >= 500 || (result.StatusCode != 200 && !response.IsError))
                {
                    failure = UserErrorCode.OAuthServerError;
                }
            }

            result.Clear();
            EndExchange();
            if (failure != UserErrorCode.None)
            {
                Wipe(sent);
                if (response != null)
                {
                    response.Clear();
                }

                OnRequestFailed(operation, failure, nowMs);
                return;
            }

            if (operation == OperationDeviceAuthorization)
            {
                OnDeviceAuthorization(response, nowMs);
            }
            else if (response.IsError)
            {
                OnTokenError(operation, response.Error, sent, nowMs);
            }
            else
            {
                OnTokens(operation, response, sent, nowMs);
            }

            Wipe(sent);
            response.Clear();
        }

        private void OnRequestFailed(int operation, int code, long nowMs)
        {
            if (operation == OperationDevicePoll)
            {
                // The code stays valid until it expires: poll again at the interval.
                _nextPollMs = nowMs + (_pollIntervalS * 1000L);
                return;
            }

            if (operation == OperationDeviceAuthorization)
            {
                FailSignIn(code);
                return;
            }

            _wanted = true;
            Fail(code, nowMs, false);
        }

        private void OnDeviceAuthorization(OAuthResponse response, long nowMs)
        {
            if (response.IsError)
            {
                FailSignIn(ClientErrorCode(response.Error));
                return;
            }

            if (response.DeviceCode == null || response.UserCode.Length == 0 || response.VerificationUri.Length == 0)
            {
                FailSignIn(UserErrorCode.OAuthServerError);
                return;
            }

            _deviceCode = Copy(response.DeviceCode);
            _userCode = response.UserCode;
            _verificationUri = response.VerificationUri;
            _verificationUriComplete = response.VerificationUriComplete;
            _pollIntervalS = response.Interval > 0 ? response.Interval : DefaultPollIntervalS;
            int lifetimeS = response.ExpiresIn > 0 ? response.ExpiresIn : 900;
            _deviceExpiresMs = nowMs + (lifetimeS * 1000L);
            _nextPollMs = nowMs + (_pollIntervalS * 1000L);
            _signIn = OAuthSignInState.WaitingForUser;
        }

        private void OnTokenError(int operation, string error, byte[] sent, long nowMs)
        {
            if (operation == OperationDevicePoll)
            {
                if (error == "authorization_pending")
                {
                    _nextPollMs = nowMs + (_pollIntervalS * 1000L);
                }
                else if (error == "slow_down")
                {
                    _pollIntervalS += SlowDownS;
                    _nextPollMs = nowMs + (_pollIntervalS * 1000L);
                }
                else if (error == "access_denied")
                {
                    FailSignIn(UserErrorCode.OAuthAccessDenied);
                }
                else if (error == "expired_token")
                {
                    FailSignIn(UserErrorCode.OAuthCodeExpired);
                }
                else
                {
                    FailSignIn(ClientErrorCode(error));
                }

                return;
            }

            if (operation == OperationRefresh && error == "invalid_grant")
            {
                // Refused for good (expired, revoked, password changed), unless a sign-in has stored another meanwhile.
                if (_refresh != null && sent != null && SameBytes(_refresh, sent))
                {
                    ForgetTokens();
                    DeleteStoredTokens();
                    _errorCode = UserErrorCode.OAuthGrantRefused;
                    _failed = false;
                }

                return;
            }

            int code = ClientErrorCode(error);
            Fail(code, nowMs, code == UserErrorCode.OAuthClientRejected);
        }

        private void OnTokens(int operation, OAuthResponse response, byte[] sent, long nowMs)
        {
            if (response.AccessToken == null || (response.TokenType.Length > 0 && !IsBearer(response.TokenType)))
            {
                if (operation == OperationDevicePoll)
                {
                    FailSignIn(UserErrorCode.OAuthServerError);
                }
                else
                {
                    _wanted = true;
                    Fail(UserErrorCode.OAuthServerError, nowMs, false);
                }

                return;
            }

            if (operation == OperationRefresh && (_refresh == null || sent == null || !SameBytes(_refresh, sent)))
            {
                // A sign-in or sign-out replaced the token while this refresh ran: its answer belongs to the old one.
                return;
            }

            ForgetTokens();
            if (response.RefreshToken != null)
            {
                _refresh = Copy(response.RefreshToken);
            }
            else if (operation == OperationRefresh)
            {
                // No rotation: the redeemed refresh token stays valid.
                _refresh = Copy(sent);
            }

            _access = Copy(response.AccessToken);
            int lifetimeS = response.ExpiresIn > 0 ? response.ExpiresIn : DefaultLifetimeS;
            long lifetimeMs = lifetimeS * 1000L;
            _accessExpiresMs = nowMs + lifetimeMs;
            _accessMarginMs = lifetimeMs / 5 < RefreshMarginMs ? lifetimeMs / 5 : RefreshMarginMs;
            _accessIssuedTicks = _context.Clock.UtcNow.Ticks;
            _accessExpiresTicks = _accessIssuedTicks + (lifetimeMs * TimeSpan.TicksPerMillisecond);
            _used = false;
            _failed = false;
            _backoffMs = 0;
            _retryAtMs = 0;
            _errorCode = UserErrorCode.None;
            if (operation == OperationDevicePoll)
            {
                EndSignIn();
                _signIn = OAuthSignInState.SignedIn;
            }

            // Stored before the access token is handed out: the rotated refresh token must survive a restart.
            SaveTokens(nowMs);
        }

        private void SaveTokens(long nowMs)
        {
            CredentialEntry entry = new CredentialEntry();
            try
            {
                entry.SetText("config", _config.Fingerprint);
                if (_refresh != null)
                {
                    entry.Set("refresh", _refresh, 0, _refresh.Length);
                }

                if (_access != null)
                {
                    entry.Set("access", _access, 0, _access.Length);
                    entry.SetText("issued", _accessIssuedTicks.ToString());
                    entry.SetText("expires", _accessExpiresTicks.ToString());
                }

                _context.Credentials.Write(TokenEntry, entry);
                _unsaved = false;
            }
            catch (Exception)
            {
                _unsaved = true;
                _errorCode = UserErrorCode.OAuthTokenNotSaved;
                _retryAtMs = nowMs + FirstBackoffMs;
            }
            finally
            {
                entry.Clear();
            }
        }

        private void Load()
        {
            CredentialEntry entry = _context.Credentials.Read(TokenEntry);
            if (entry == null)
            {
                return;
            }

            try
            {
                if (entry.GetText("config") != _config.Fingerprint)
                {
                    return;
                }

                _refresh = entry.Get("refresh");
                byte[] access = entry.Get("access");
                long issued = ParseLong(entry.GetText("issued"));
                long expires = ParseLong(entry.GetText("expires"));
                long now = _context.Clock.UtcNow.Ticks;
                long lifetimeMs = (expires - issued) / TimeSpan.TicksPerMillisecond;
                if (access != null && issued > 0 && issued <= now && now < expires)
                {
                    // Wall-clock expiry turned into the scheduler's clock; a clock set back before issue discards it.
                    _access = access;
                    _accessIssuedTicks = issued;
                    _accessExpiresTicks = expires;
                    _accessExpiresMs = _context.Clock.NowMs + ((expires - now) / TimeSpan.TicksPerMillisecond);
                    _accessMarginMs = lifetimeMs / 5 < RefreshMarginMs ? lifetimeMs / 5 : RefreshMarginMs;
                }
                else
                {
                    Wipe(access);
                }
            }
            finally
            {
                entry.Clear();
            }
        }

        /// <summary>Follows the settings in force: tokens of another client or provider are dropped from memory.</summary>
        private void Sync()
        {
            DeviceSettings settings = _context.Settings;
            if (settings == _seenSettings)
            {
                return;
            }

            _seenSettings = settings;
            OAuthConfiguration config = OAuthConfiguration.From(settings);
            bool changed = _config == null || config.Fingerprint != _config.Fingerprint || config.Scope != _config.Scope;
            _config = config;
            if (!changed)
            {
                return;
            }

            if (_operation != OperationNone)
            {
                AbortExchange();
            }

            CancelSignIn();
            _signIn = OAuthSignInState.Idle;
            ForgetTokens();
            _failed = false;
            _errorCode = UserErrorCode.None;
            _retryAtMs = 0;
            _backoffMs = 0;
            _unsaved = false;
            if (config.IsOn && config.Problem == null)
            {
                Load();
                _wanted = true;
                Wake();
            }
        }

        private void Fail(int code, long nowMs, bool longWait)
        {
            _failed = true;
            _errorCode = code;
            _backoffMs = longWait ? MaxBackoffMs : (_backoffMs == 0 ? FirstBackoffMs : (_backoffMs * 2 > MaxBackoffMs ? MaxBackoffMs : _backoffMs * 2));
            _retryAtMs = nowMs + _backoffMs;
        }

        private void FailSignIn(int code)
        {
            EndSignIn();
            _signIn = OAuthSignInState.Failed;
            _signInError = code;
        }

        private void EndSignIn()
        {
            Wipe(_deviceCode);
            _deviceCode = null;
            _userCode = string.Empty;
            _verificationUri = string.Empty;
            _verificationUriComplete = string.Empty;
        }

        private static int ClientErrorCode(string error)
        {
            if (error == "invalid_client" || error == "unauthorized_client" || error == "invalid_scope"
                || error == "unsupported_grant_type" || error == "invalid_request" || error == "invalid_grant")
            {
                return UserErrorCode.OAuthClientRejected;
            }

            return error == "access_denied" ? UserErrorCode.OAuthAccessDenied : UserErrorCode.OAuthServerError;
        }

        private byte[] ReadClientSecret()
        {
            CredentialEntry entry = _context.Credentials.Read(ClientEntry);
            if (entry == null)
            {
                return null;
            }

            byte[] secret = entry.Get("secret");
            entry.Clear();
            return secret;
        }

        private void EndExchange()
        {
            if (_request != null)
            {
                if (_request.BasicUser != null)
                {
                    Wipe(_request.BasicUser);
                }

                _request.Clear();
            }

            Wipe(_secret);
            _secret = null;
            _request = null;
            _exchange = null;
            _transfer = null;
            _operation = OperationNone;
            ReleaseLocks(_context);
        }

        private void AbortExchange()
        {
            if (_transfer != null && _transfer.Connection != null)
            {
                _transfer.Connection.Close();
            }

            if (_exchange != null)
            {
                _exchange.Result.Clear();
            }

            if (_operation == OperationRefresh || _operation == OperationClientCredentials)
            {
                _wanted = true;
            }

            Wipe(_sentToken);
            _sentToken = null;
            EndExchange();
        }

        private bool HasValidAccess(long nowMs)
        {
            return _access != null && nowMs < _accessExpiresMs - _accessMarginMs;
        }

        private void DropAccess()
        {
            Wipe(_access);
            _access = null;
        }

        private void ForgetTokens()
        {
            DropAccess();
            Wipe(_refresh);
            _refresh = null;
            _used = false;
        }

        private void DeleteStoredTokens()
        {
            try
            {
                _context.Credentials.Delete(TokenEntry);
            }
            catch (Exception)
            {
                // The refused token does no harm on flash: the next sign-in replaces it.
            }
        }

        private static bool IsBearer(string type)
        {
            return type.Length == 6 && (type[0] == 'B' || type[0] == 'b') && type.Substring(1).ToLower() == "earer";
        }

        private static bool SameBytes(byte[] a, byte[] b)
        {
            return a.Length == b.Length && FixedTime.AreEqual(a, 0, b, 0, a.Length);
        }

        private static long ParseLong(string text)
        {
            if (text == null || text.Length == 0 || text.Length > 19)
            {
                return 0;
            }

            long value = 0;
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] < '0' || text[i] > '9')
                {
                    return 0;
                }

                value = (value * 10) + (text[i] - '0');
            }

            return value;
        }

        private static long Min(long a, long b)
        {
            return a < b ? a : b;
        }

        private static byte[] Copy(byte[] value)
        {
            if (value == null)
            {
                return null;
            }

            byte[] copy = new byte[value.Length];
            Array.Copy(value, copy, value.Length);
            return copy;
        }

        private static void Wipe(byte[] value)
        {
            if (value != null)
            {
                Array.Clear(value, 0, value.Length);
            }
        }
    }
}
