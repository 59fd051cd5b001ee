namespace NetBoard.Firmware.Mime
{
    /// <summary>What <see cref="IncomingMessageReader.Extract"/> found in a received message.</summary>
    public sealed class IncomingMessageResult
    {
        /// <summary>How the extraction ended.</summary>
        public IncomingMessageStatus Status { get; internal set; }

        /// <summary>True when the whole message was read and at least one printable document was committed.</summary>
        public bool Ok
        {
            get { return Status == IncomingMessageStatus.Ok; }
        }

        /// <summary>A short description of what went wrong, for the journal; null when <see cref="Ok"/>.</summary>
        public string Error { get; internal set; }

        /// <summary>The decoded Subject (RFC 2047 encoded-words resolved), or an empty string when there was none.</summary>
        public string Subject { get; internal set; }

        /// <summary>The decoded From field (display name and address as written), or an empty string when there was none.</summary>
        public string From { get; internal set; }

        /// <summary>The committed documents in message order; empty but never null.</summary>
        public ReceivedPart[] Parts { get; internal set; }

        /// <summary>
        /// The types of the leaf parts that were not printed, each once in order of first appearance (e.g. "text/plain",
        /// or "image/tiff (x-uuencode)" for a printable type in an unsupported transfer encoding); never null.
        /// </summary>
        public string[] SkippedTypes { get; internal set; }
    }
}
