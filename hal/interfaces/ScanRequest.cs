namespace NetBoard.Hal
{
    /// <summary>A document the scan/fax engine has put in storage, with where it should go.</summary>
    public sealed class ScanRequest
    {
        /// <summary>Creates a request.</summary>
        public ScanRequest(string documentName, bool isIfax, string[] recipients, string subject)
        {
            DocumentName = documentName;
            IsIfax = isIfax;
            Recipients = recipients;
            Subject = subject;
        }

        /// <summary>The scanned document's name in storage.</summary>
        public string DocumentName { get; private set; }

        /// <summary>True for an Internet fax (TIFF), false for scan to e-mail.</summary>
        public bool IsIfax { get; private set; }

        /// <summary>The destination addresses chosen at the panel or from the address book.</summary>
        public string[] Recipients { get; private set; }

        /// <summary>The subject, or an empty string for the default.</summary>
        public string Subject { get; private set; }
    }
}
