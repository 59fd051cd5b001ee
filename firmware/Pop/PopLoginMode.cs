namespace NetBoard.Firmware.Pop
{
    /// <summary>How a <see cref="PopSession"/> logs in (RFC 1939 section 7).</summary>
    public enum PopLoginMode
    {
        /// <summary>
        /// USER and PASS, except that APOP is used when the server answered CAPA without listing USER
        /// and its greeting carries an APOP timestamp. A server that refuses CAPA gets USER and PASS.
        /// </summary>
        Auto,

        /// <summary>USER and PASS (the password crosses the network in clear).</summary>
        UserPass,

        /// <summary>APOP with the MD5 digest of the greeting's timestamp and the password; fails when the greeting has no timestamp.</summary>
        Apop,
    }
}
