namespace NetBoard.Firmware.Mime
{
    /// <summary>The header fields of a received message or body part that extraction looks at, unfolded and raw.</summary>
    internal sealed class IncomingPartHeader
    {
        /// <summary>The Content-Type value as written, or null.</summary>
        public string RawContentType { get; set; }

        /// <summary>The Content-Transfer-Encoding value as written, or null.</summary>
        public string RawTransferEncoding { get; set; }

        /// <summary>The Content-Disposition value as written, or null.</summary>
        public string RawDisposition { get; set; }

        /// <summary>The Subject value as written, or null.</summary>
        public string RawSubject { get; set; }

        /// <summary>The From value as written, or null.</summary>
        public string RawFrom { get; set; }

        /// <summary>The media type in lower case ("image/tiff"); "text/plain" when absent or not of the form type/subtype (RFC 2045).</summary>
        public string ContentType
        {
            get
            {
                string type = MimeParameterDecoder.GetValue(RawContentType);
                int slash = type.IndexOf('/');
                if (slash <= 0 || slash == type.Length - 1)
                {
                    return "text/plain";
                }

                return type;
            }
        }

        /// <summary>The transfer encoding in lower case; "7bit" when absent.</summary>
        public string TransferEncoding
        {
            get
            {
                string encoding = MimeParameterDecoder.GetValue(RawTransferEncoding);
                return encoding.Length == 0 ? "7bit" : encoding;
            }
        }

        /// <summary>The multipart boundary, or null.</summary>
        public string Boundary
        {
            get { return MimeParameterDecoder.GetParameter(RawContentType, "boundary", false); }
        }

        /// <summary>The file name from Content-Disposition's filename or else Content-Type's name, decoded; or null.</summary>
        public string FileName
        {
            get
            {
                string name = MimeParameterDecoder.GetParameter(RawDisposition, "filename", true);
                if (name == null || name.Length == 0)
                {
                    name = MimeParameterDecoder.GetParameter(RawContentType, "name", true);
                }

                return name;
            }
        }
    }
}
