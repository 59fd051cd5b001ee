namespace NetBoard.Firmware.Jobs
{
    /// <summary>
    /// The user error codes the device reports on the panel, in the journal and in the
    /// transmission report ("#839"). The README's Troubleshooting table lists the same codes.
    /// </summary>
    public static class UserErrorCode
    {
        /// <summary>No error.</summary>
        public const int None = 0;

        /// <summary>The SMTP server's name could not be resolved.</summary>
        public const int SmtpHostNotFound = 801;

        /// <summary>The SMTP server refused the connection, could not be reached, or did not answer in time.</summary>
        public const int SmtpConnectFailed = 802;

        /// <summary>The SMTP connection was lost or a reply did not come in time during the session.</summary>
        public const int SmtpConnectionLost = 803;

        /// <summary>The SMTP server broke the protocol (malformed or over-long reply, unexpected code).</summary>
        public const int SmtpProtocolError = 804;

        /// <summary>The SMTP server refused for now (4xx reply); the job is retried.</summary>
        public const int SmtpTemporaryFailure = 805;

        /// <summary>The SMTP server refused the session or the sender address (5xx to the greeting, EHLO/HELO or MAIL FROM).</summary>
        public const int SmtpSenderRejected = 806;

        /// <summary>The SMTP server rejected every recipient (unknown user, relay denied).</summary>
        public const int SmtpRecipientsRejected = 807;

        /// <summary>The SMTP server rejected the message content (5xx to DATA or after the final dot).</summary>
        public const int SmtpMessageRejected = 808;

        /// <summary>The message is larger than the server accepts (SIZE limit or 552).</summary>
        public const int SmtpMessageTooLarge = 809;

        /// <summary>POP server connection error (name not resolved, refused, timed out, no greeting, protocol error before login).</summary>
        public const int PopConnectFailed = 810;

        /// <summary>POP reception interrupted: the connection was lost or a reply did not come in time after login.</summary>
        public const int PopReceptionInterrupted = 811;

        /// <summary>POP server error after login: an unexpected -ERR or a broken reply to UIDL, LIST, RETR or DELE.</summary>
        public const int PopServerError = 812;

        /// <summary>POP authentication error (USER/PASS or APOP rejected).</summary>
        public const int PopAuthFailed = 813;

        /// <summary>The document to send could not be read, or is not of the kind the job needs.</summary>
        public const int DocumentError = 820;

        /// <summary>The settings needed for the job are missing or invalid (e.g. no SMTP server set).</summary>
        public const int SettingsIncomplete = 821;

        /// <summary>The server requires authentication (530) but the device could not authenticate.</summary>
        public const int SmtpAuthRequired = 830;

        /// <summary>The server refused the mechanism as too weak (534).</summary>
        public const int SmtpAuthTooWeak = 834;

        /// <summary>The server requires encryption for this mechanism (538).</summary>
        public const int SmtpAuthNeedsEncryption = 838;

        /// <summary>SMTP authentication failed: user name or password rejected (535).</summary>
        public const int SmtpAuthFailed = 839;

        /// <summary>SMTP authentication failed temporarily (454 or another 4xx); retried.</summary>
        public const int SmtpAuthTemporaryFailure = 840;

        /// <summary>The SMTP authentication exchange failed (bad challenge, cancelled, mechanism refused).</summary>
        public const int SmtpAuthExchangeFailed = 841;

        /// <summary>
        /// The server did not prove it knows the password (SCRAM server signature wrong or missing): it is not the
        /// server it claims to be, so the device went no further (SMTP or POP).
        /// </summary>
        public const int ServerNotAuthentic = 842;

        /// <summary>The server's SCRAM iteration count is below 4096 or above 65536 (SMTP or POP).</summary>
        public const int ScramIterationsOutOfRange = 843;

        /// <summary>
        /// The server refused a password login because it accepts only OAuth 2.0 (Microsoft 365's "5.7.30 Basic
        /// authentication is not supported", "5.7.139 ... basic authentication is disabled"): switch to OAuth 2.0.
        /// </summary>
        public const int BasicAuthDisabled = 844;

        /// <summary>The mail server refused the OAuth 2.0 access token, also after one refresh (SMTP or POP): sign in again.</summary>
        public const int OAuthTokenRejected = 845;

        /// <summary>The OAuth 2.0 access token lacks the scope the mail server needs (insufficient_scope, 403).</summary>
        public const int OAuthScopeInsufficient = 846;

        /// <summary>OAuth 2.0 is configured but the mail server offers neither XOAUTH2 nor OAUTHBEARER: nothing else is tried.</summary>
        public const int OAuthNotOffered = 847;

        /// <summary>The OAuth 2.0 access token cannot be sent: not bearer-token syntax, or longer than the device sends on an AUTH line.</summary>
        public const int OAuthTokenUnusable = 848;

        /// <summary>No OAuth 2.0 access token came in time from the authorization server for the attempt; retried.</summary>
        public const int OAuthTokenNotReady = 849;

        /// <summary>Encryption is set but the server does not offer STARTTLS/STLS, or refused it: nothing is sent in clear.</summary>
        public const int TlsNotOffered = 851;

        /// <summary>The TLS handshake failed (no common TLS 1.2+ version or cipher, cut off, not a TLS port).</summary>
        public const int TlsHandshakeFailed = 852;

        /// <summary>The server's certificate was refused (untrusted CA, expired, wrong host name).</summary>
        public const int TlsCertificateRejected = 853;

        /// <summary>The server answered STARTTLS/STLS with a temporary refusal (454); retried.</summary>
        public const int TlsTemporarilyUnavailable = 854;

        /// <summary>OAuth 2.0 is set up for device sign-in but nobody has signed in (or the account was signed out).</summary>
        public const int OAuthSignInNeeded = 860;

        /// <summary>The authorization server refused the stored refresh token (invalid_grant: expired, revoked, password changed): sign in again.</summary>
        public const int OAuthGrantRefused = 861;

        /// <summary>The authorization server could not be reached or did not answer in time; retried.</summary>
        public const int OAuthServerUnreachable = 862;

        /// <summary>The authorization server failed (5xx, malformed HTTP or JSON, unexpected answer); retried.</summary>
        public const int OAuthServerError = 863;

        /// <summary>The person at the verification page denied the sign-in (access_denied).</summary>
        public const int OAuthAccessDenied = 864;

        /// <summary>The sign-in code expired before anyone entered it (expired_token).</summary>
        public const int OAuthCodeExpired = 865;

        /// <summary>The authorization server refused the client: client id, client secret, scope or grant not allowed for it.</summary>
        public const int OAuthClientRejected = 866;

        /// <summary>The OAuth 2.0 settings are incomplete (client id, endpoints, tenant, or the client secret for app-only).</summary>
        public const int OAuthSettingsIncomplete = 867;

        /// <summary>A new token could not be written to the credential store; it is used, and writing is retried.</summary>
        public const int OAuthTokenNotSaved = 868;

        /// <summary>A short English reason for <paramref name="code"/>, for the panel and the journal.</summary>
        public static string Describe(int code)
        {
            switch (code)
            {
                case None: return "OK";
                case SmtpHostNotFound: return "SMTP server name not found";
                case SmtpConnectFailed: return "cannot connect to SMTP server";
                case SmtpConnectionLost: return "SMTP connection lost or timed out";
                case SmtpProtocolError: return "SMTP protocol error";
                case SmtpTemporaryFailure: return "SMTP server busy, will retry";
                case SmtpSenderRejected: return "SMTP server refused sender";
                case SmtpRecipientsRejected: return "all recipients rejected";
                case SmtpMessageRejected: return "message rejected by server";
                case SmtpMessageTooLarge: return "message too large for server";
                case PopConnectFailed: return "POP server connection error";
                case PopReceptionInterrupted: return "POP reception interrupted";
                case PopServerError: return "POP server error";
                case PopAuthFailed: return "POP authentication error";
                case DocumentError: return "document cannot be read";
                case SettingsIncomplete: return "e-mail settings incomplete";
                case SmtpAuthRequired: return "server requires SMTP authentication";
                case SmtpAuthTooWeak: return "SMTP auth mechanism too weak";
                case SmtpAuthNeedsEncryption: return "SMTP auth needs encryption";
                case SmtpAuthFailed: return "SMTP authentication failed";
                case SmtpAuthTemporaryFailure: return "SMTP authentication failed temporarily";
                case SmtpAuthExchangeFailed: return "SMTP authentication exchange failed";
                case ServerNotAuthentic: return "server not authentic (SCRAM)";
                case ScramIterationsOutOfRange: return "SCRAM iteration count refused";
                case BasicAuthDisabled: return "password login disabled, use OAuth 2.0";
                case OAuthTokenRejected: return "OAuth token refused, sign in again";
                case OAuthScopeInsufficient: return "OAuth token lacks mail scope";
                case OAuthNotOffered: return "server offers no OAuth login";
                case OAuthTokenUnusable: return "OAuth token cannot be sent";
                case OAuthTokenNotReady: return "no OAuth token yet, will retry";
                case TlsNotOffered: return "server does not offer encryption";
                case TlsHandshakeFailed: return "TLS handshake failed";
                case TlsCertificateRejected: return "server certificate rejected";
                case TlsTemporarilyUnavailable: return "TLS temporarily unavailable";
                case OAuthSignInNeeded: return "OAuth 2.0 sign-in needed";
                case OAuthGrantRefused: return "OAuth sign-in expired, sign in again";
                case OAuthServerUnreachable: return "cannot reach OAuth server";
                case OAuthServerError: return "OAuth server error, will retry";
                case OAuthAccessDenied: return "OAuth sign-in denied";
                case OAuthCodeExpired: return "OAuth sign-in code expired";
                case OAuthClientRejected: return "OAuth client id/secret/scope refused";
                case OAuthSettingsIncomplete: return "OAuth settings incomplete";
                case OAuthTokenNotSaved: return "OAuth token not saved";
                default: return "error";
            }
        }

        /// <summary>True when a later attempt may succeed without the user changing anything.</summary>
        public static bool IsTransient(int code)
        {
            switch (code)
            {
                case SmtpHostNotFound:
                case SmtpConnectFailed:
                case SmtpConnectionLost:
                case SmtpTemporaryFailure:
                case PopConnectFailed:
                case PopReceptionInterrupted:
                case PopServerError:
                case SmtpAuthTemporaryFailure:
                case TlsTemporarilyUnavailable:
                case OAuthTokenNotReady:
                case OAuthServerUnreachable:
                case OAuthServerError:
                case OAuthTokenNotSaved:
                    return true;
                default:
                    return false;
            }
        }

        /// <summary>The TLS code for a connection that failed with <paramref name="error"/>, else <paramref name="otherwise"/>.</summary>
        public static int ForNetError(NetBoard.Hal.NetError error, int otherwise)
        {
            if (error == NetBoard.Hal.NetError.Certificate)
            {
                return TlsCertificateRejected;
            }

            return error == NetBoard.Hal.NetError.Tls ? TlsHandshakeFailed : otherwise;
        }

        /// <summary>"#839" for 839; an empty string for <see cref="None"/>.</summary>
        public static string Format(int code)
        {
            return code == None ? string.Empty : "#" + code.ToString();
        }
    }
}
