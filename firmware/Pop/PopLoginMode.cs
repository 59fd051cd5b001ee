namespace NetBoard.Firmware.Pop
{
    /// <summary>How a <see cref="PopSession"/> logs in (RFC 1939 section 7, RFC 5034).</summary>
    public enum PopLoginMode
    {
        /// <summary>
        /// The strongest login the server offers: AUTH SCRAM-SHA-256, then SCRAM-SHA-1, then CRAM-MD5 when CAPA lists
        /// them under SASL (SCRAM only with a random source), else APOP
        /// when the greeting carries a timestamp, else USER and PASS (only on an encrypted connection when
        /// plaintext login is denied). A refused login is final: nothing weaker follows it. With an OAuth 2.0 access
        /// token: AUTH OAUTHBEARER, else AUTH XOAUTH2, and nothing else.
        /// </summary>
        Auto,

        /// <summary>USER and PASS (the password crosses the network in clear unless the connection is encrypted).</summary>
        UserPass,

        /// <summary>APOP with the MD5 digest of the greeting's timestamp and the password; fails when the greeting has no timestamp.</summary>
        Apop,

        /// <summary>AUTH CRAM-MD5 (RFC 5034 with RFC 2195): the HMAC-MD5 of the server's challenge keyed with the password.</summary>
        CramMd5,

        /// <summary>AUTH SCRAM-SHA-256 (RFC 5034 with RFC 7677): the password never crosses the wire and the server proves itself.</summary>
        ScramSha256,

        /// <summary>AUTH SCRAM-SHA-1 (RFC 5034 with RFC 5802).</summary>
        ScramSha1,

        /// <summary>AUTH XOAUTH2 with the OAuth 2.0 access token.</summary>
        XOAuth2,

        /// <summary>AUTH OAUTHBEARER (RFC 7628) with the OAuth 2.0 access token.</summary>
        OAuthBearer,
    }
}
