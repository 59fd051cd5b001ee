namespace NetBoard.Firmware.Jobs
{
    /// <summary>What a transmission job sends.</summary>
    public enum JobKind
    {
        /// <summary>Scan to e-mail: the document as an attachment.</summary>
        Email,

        /// <summary>Internet fax, simple mode (RFC 3965): a TIFF image.</summary>
        Ifax,
    }
}
