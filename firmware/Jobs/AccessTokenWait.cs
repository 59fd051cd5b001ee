using System;
using NetBoard.Firmware.OAuth;

namespace NetBoard.Firmware.Jobs
{
    /// <summary>
    /// How a mail task gets the OAuth 2.0 access token for one attempt without blocking the scheduler: it looks at
    /// <see cref="IOAuthTokens"/> on each of its steps, asks once for a refresh when no token is valid, and gives up
    /// after <see cref="MaxWaitMs"/>. It never touches the network; the token task does.
    /// </summary>
    public sealed class AccessTokenWait
    {
        /// <summary>
        /// The longest an attempt waits for a token: a refresh or client-credentials request is one HTTPS exchange,
        /// and the token task's own timeouts end a stuck one well before this.
        /// </summary>
        public const int MaxWaitMs = 90000;

        /// <summary>How often the waiting task looks again, in milliseconds.</summary>
        public const int PollIntervalMs = 250;

        private readonly IOAuthTokens _tokens;
        private long _deadline;
        private bool _refreshAsked;
        private byte[] _token;

        /// <summary>Creates the wait on <paramref name="tokens"/>.</summary>
        public AccessTokenWait(IOAuthTokens tokens)
        {
            if (tokens == null)
            {
                throw new ArgumentNullException("tokens");
            }

            _tokens = tokens;
            Detail = string.Empty;
        }

        /// <summary>The user error code when <see cref="Poll"/> said Failed, else 0.</summary>
        public int ErrorCode { get; private set; }

        /// <summary>Why it failed, for the journal (never the token).</summary>
        public string Detail { get; private set; }

        /// <summary>
        /// True when the failure may pass without anyone acting (the authorization server was unreachable or slow):
        /// the job is retried as for other temporary errors. A needed sign-in is not: the job fails.
        /// </summary>
        public bool Transient { get; private set; }

        /// <summary>Starts waiting at <paramref name="nowMs"/>.</summary>
        /// <param name="nowMs">The scheduler's clock.</param>
        /// <param name="refreshAsked">True when the caller has just asked for a refresh itself (a refused token).</param>
        public void Begin(long nowMs, bool refreshAsked)
        {
            Wipe();
            _deadline = nowMs + MaxWaitMs;
            _refreshAsked = refreshAsked;
            ErrorCode = 0;
            Detail = string.Empty;
            Transient = false;
        }

        /// <summary>Looks once: Ready (take the token with <see cref="TakeToken"/>), Waiting (look again later) or Failed.</summary>
        public AccessTokenWaitResult Poll(long nowMs)
        {
            byte[] token = _tokens.CopyAccessToken(nowMs);
            if (token != null && token.Length > 0)
            {
                _token = token;
                return AccessTokenWaitResult.Ready;
            }

            OAuthTokenStatus status = _tokens.Status;
            if (status == OAuthTokenStatus.SignInNeeded)
            {
                return Fail(_tokens.ErrorCode, UserErrorCode.OAuthTokenRejected, "OAuth 2.0: sign-in needed (Authent./Encryption > OAuth 2.0 > Sign in)", false);
            }

            if (status == OAuthTokenStatus.Failed)
            {
                if (!_refreshAsked)
                {
                    // The token task retries after its back-off while a token is wanted.
                    _tokens.RequestRefresh(null);
                    _refreshAsked = true;
                }

                return Fail(_tokens.ErrorCode, UserErrorCode.OAuthTokenNotReady, "OAuth 2.0: the token request failed; the token task tries again", true);
            }

            if (status == OAuthTokenStatus.Off)
            {
                return Fail(UserErrorCode.SettingsIncomplete, UserErrorCode.SettingsIncomplete, "OAuth 2.0 is not configured (oauth.*)", false);
            }

            if (!_refreshAsked)
            {
                _tokens.RequestRefresh(null);
                _refreshAsked = true;
            }

            if (nowMs >= _deadline)
            {
                return Fail(UserErrorCode.OAuthTokenNotReady, UserErrorCode.OAuthTokenNotReady, "OAuth 2.0: no access token within " + (MaxWaitMs / 1000).ToString() + " s", true);
            }

            return AccessTokenWaitResult.Waiting;
        }

        /// <summary>The token found by the last Ready poll; the caller owns it and wipes it (<see cref="Array.Clear(Array, int, int)"/>).</summary>
        public byte[] TakeToken()
        {
            byte[] token = _token;
            _token = null;
            return token;
        }

        /// <summary>Wipes a token not taken.</summary>
        public void Wipe()
        {
            if (_token != null)
            {
                Array.Clear(_token, 0, _token.Length);
                _token = null;
            }
        }

        private AccessTokenWaitResult Fail(int code, int fallback, string detail, bool transient)
        {
            ErrorCode = code != 0 ? code : fallback;
            Detail = detail;
            Transient = transient;
            return AccessTokenWaitResult.Failed;
        }
    }
}
