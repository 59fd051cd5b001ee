using System;

namespace NetBoard.Firmware.Smtp
{
    /// <summary>Service extensions an EHLO reply announced.</summary>
    [Flags]
    public enum SmtpExtensions
    {
        /// <summary>Nothing announced (or the session fell back to HELO).</summary>
        None = 0,

        /// <summary>SMTP AUTH (RFC 4954), in the standard or the legacy "AUTH=" form.</summary>
        Auth = 1,

        /// <summary>STARTTLS (RFC 3207).</summary>
        StartTls = 2,

        /// <summary>SIZE (RFC 1870).</summary>
        Size = 4,

        /// <summary>8BITMIME (RFC 6152).</summary>
        EightBitMime = 8,

        /// <summary>PIPELINING (RFC 2920).</summary>
        Pipelining = 16,

        /// <summary>ENHANCEDSTATUSCODES (RFC 2034).</summary>
        EnhancedStatusCodes = 32,

        /// <summary>CHUNKING (RFC 3030): the message may go as BDAT chunks instead of DATA.</summary>
        Chunking = 64,
    }
}
