namespace NetBoard.Firmware.Pop
{
    /// <summary>How a <see cref="PopSession"/> logs in (RFC 1939 section 7, RFC 5034).</summary>
    public enum PopLoginMode
    {
        /// <summary>
        /// The strongest login the server offers: AUTH CRAM-MD5 when CAPA lists it under SASL, else APOP
        /// when the greeting carries a timestamp, else USER and PASS (only on an encrypted connection when
        /// plaintext login is denied). A refused login is final: nothing weaker follows it.
        /// </summary>
        Auto,

        /// <summary>USER and PASS (the password crosses the network in clear unless the connection is encrypted).</summary>
        UserPass,

        /// <summary>APOP with the MD5 digest of the greeting's timestamp and the password; fails when the greeting has no timestamp.</summary>
        Apop,

        /// <summary>AUTH CRAM-MD5 (RFC 5034 with RFC 2195): the HMAC-MD5 of the server's challenge keyed with the password.</summary>
        CramMd5,
    }
}
