namespace NetBoard.Firmware.Mime
{
    /// <summary>One printable document taken out of a received message and committed to storage.</summary>
    public sealed class ReceivedPart
    {
        /// <summary>The storage name the decoded document was committed under.</summary>
        public string StorageName { get; internal set; }

        /// <summary>The document format: "image/tiff", "application/pdf" or "image/jpeg" (also for an octet-stream part named by its extension).</summary>
        public string ContentType { get; internal set; }

        /// <summary>The file name the sender gave (decoded), or null when there was none.</summary>
        public string FileName { get; internal set; }

        /// <summary>The decoded length in bytes.</summary>
        public long Length { get; internal set; }
    }
}
