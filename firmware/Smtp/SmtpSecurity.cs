namespace NetBoard.Firmware.Smtp
{
    /// <summary>The smtp.security setting: how the session is encrypted.</summary>
    public enum SmtpSecurity
    {
        /// <summary>No encryption.</summary>
        None,

        /// <summary>STARTTLS (RFC 3207) after EHLO; a server that does not offer it fails the job: no downgrade.</summary>
        StartTls,

        /// <summary>TLS from the first byte (SMTPS, port 465; RFC 8314).</summary>
        Implicit,
    }
}
