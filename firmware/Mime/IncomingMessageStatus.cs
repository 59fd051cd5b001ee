namespace NetBoard.Firmware.Mime
{
    /// <summary>How extracting the printable documents of a received message ended.</summary>
    public enum IncomingMessageStatus
    {
        /// <summary>The message was read to its end and at least one printable document was committed.</summary>
        Ok = 0,

        /// <summary>The message is well-formed but holds no printable part; the result lists the types it saw.</summary>
        NoPrintablePart = 1,

        /// <summary>
        /// The message is broken (missing closing boundary, truncated part, bad base64, nesting too deep). The
        /// documents that ended properly are committed and listed; the broken one's partial file is deleted.
        /// </summary>
        Malformed = 2,

        /// <summary>Reading the message or writing a document failed (an I/O error of the storage).</summary>
        StorageError = 3,
    }
}
