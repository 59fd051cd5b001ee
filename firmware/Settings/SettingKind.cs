namespace NetBoard.Firmware.Settings
{
    /// <summary>How a setting's value is validated, entered on the panel and shown.</summary>
    public enum SettingKind
    {
        /// <summary>Free text (printable characters).</summary>
        Text,

        /// <summary>Free text that is never shown or logged (passwords).</summary>
        Secret,

        /// <summary>A host name (RFC 1123) or a dotted IPv4 address.</summary>
        Host,

        /// <summary>An e-mail address (ASCII local@domain).</summary>
        Email,

        /// <summary>A dotted IPv4 address, or empty.</summary>
        Address,

        /// <summary>One of a fixed list of words.</summary>
        Choice,

        /// <summary>A whole number within a range.</summary>
        Number,

        /// <summary>An https URL, or an http URL to the device itself (loopback), or empty.</summary>
        Url,
    }
}
