namespace NetBoard.Firmware.Smtp
{
    /// <summary>The smtp.auth setting: which SASL mechanism the device may use.</summary>
    public enum SmtpAuthMode
    {
        /// <summary>Never authenticate.</summary>
        Off,

        /// <summary>The strongest mechanism both sides have: CRAM-MD5, then PLAIN, then LOGIN.</summary>
        Auto,

        /// <summary>CRAM-MD5 only (RFC 2195).</summary>
        CramMd5,

        /// <summary>PLAIN only (RFC 4616).</summary>
        Plain,

        /// <summary>LOGIN only.</summary>
        Login,
    }
}
