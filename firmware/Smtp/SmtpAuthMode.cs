namespace NetBoard.Firmware.Smtp
{
    /// <summary>The smtp.auth setting: which SASL mechanism the device may use.</summary>
    public enum SmtpAuthMode
    {
        /// <summary>Never authenticate.</summary>
        Off,

        /// <summary>
        /// The strongest mechanism both sides have: SCRAM-SHA-256, SCRAM-SHA-1, CRAM-MD5, PLAIN, LOGIN; with an OAuth 2.0
        /// access token, OAUTHBEARER or else XOAUTH2 and nothing else.
        /// </summary>
        Auto,

        /// <summary>CRAM-MD5 only (RFC 2195).</summary>
        CramMd5,

        /// <summary>PLAIN only (RFC 4616).</summary>
        Plain,

        /// <summary>LOGIN only.</summary>
        Login,

        /// <summary>SCRAM-SHA-256 only (RFC 7677).</summary>
        ScramSha256,

        /// <summary>SCRAM-SHA-1 only (RFC 5802).</summary>
        ScramSha1,

        /// <summary>XOAUTH2 only, with the OAuth 2.0 access token.</summary>
        XOAuth2,

        /// <summary>OAUTHBEARER only (RFC 7628), with the OAuth 2.0 access token.</summary>
        OAuthBearer,
    }
}
