namespace NetBoard.Firmware.Pop
{
    /// <summary>The pop.security setting: how the POP session is encrypted.</summary>
    public enum PopSecurity
    {
        /// <summary>No encryption.</summary>
        None,

        /// <summary>STLS (RFC 2595) before login; a server that refuses it fails the session: no downgrade.</summary>
        Stls,

        /// <summary>TLS from the first byte (POP3S, port 995; RFC 8314).</summary>
        Implicit,
    }
}
