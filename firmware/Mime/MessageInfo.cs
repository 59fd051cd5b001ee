using System;

namespace NetBoard.Firmware.Mime
{
    /// <summary>What a scan-to-email message says: addresses, subject, ids, the text part and the attachment's name and type.</summary>
    public sealed class MessageInfo
    {
        private const string BoundaryChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        private const string HexDigits = "0123456789ABCDEF";

        // "=_" can occur neither in base64 nor in quoted-printable output, so no encoded body can hold the boundary.
        private const string BoundaryPrefix = "=_NB_";
        private const int BoundaryRandomChars = 24;
        private const int MessageIdRandomHexDigits = 16;

        /// <summary>The sender's address (addr-spec, ASCII, e.g. "scanner@example.com").</summary>
        public string FromAddress { get; set; }

        /// <summary>The sender's display name; may be empty or null, may hold non-ASCII text.</summary>
        public string FromName { get; set; }

        /// <summary>The recipients' addresses (addr-spec, ASCII); at least one.</summary>
        public string[] To { get; set; }

        /// <summary>The subject; may be empty and may hold non-ASCII text.</summary>
        public string Subject { get; set; }

        /// <summary>The origination date, in UTC.</summary>
        public DateTime Date { get; set; }

        /// <summary>The message id without the angle brackets, e.g. "20261129130509.1A2B@example.com".</summary>
        public string MessageId { get; set; }

        /// <summary>The multipart boundary (1 to 70 chars of RFC 2046 bchars, no spaces); see <see cref="NewBoundary"/>.</summary>
        public string Boundary { get; set; }

        /// <summary>The text of the text/plain part; may be empty and may hold non-ASCII text. Line ends become CRLF.</summary>
        public string BodyText { get; set; }

        /// <summary>The attachment's file name, e.g. "scan0001.pdf"; may hold non-ASCII text.</summary>
        public string AttachmentName { get; set; }

        /// <summary>The attachment's content type, e.g. "application/pdf"; null or empty derives it from the file name.</summary>
        public string AttachmentType { get; set; }

        /// <summary>Maps a file name's extension to a content type (case-insensitive).</summary>
        /// <param name="fileName">The file name.</param>
        /// <returns>The content type; "application/octet-stream" when the extension is unknown.</returns>
        public static string ContentTypeForFileName(string fileName)
        {
            if (fileName == null)
            {
                return "application/octet-stream";
            }

            int dot = fileName.LastIndexOf('.');
            string extension = dot < 0 ? string.Empty : fileName.Substring(dot + 1).ToLower();
            if (extension == "pdf")
            {
                return "application/pdf";
            }

            if (extension == "tif" || extension == "tiff")
            {
                return "image/tiff";
            }

            if (extension == "jpg" || extension == "jpeg")
            {
                return "image/jpeg";
            }

            if (extension == "png")
            {
                return "image/png";
            }

            if (extension == "txt")
            {
                return "text/plain";
            }

            return "application/octet-stream";
        }

        /// <summary>Makes a unique-looking message id "yyyyMMddHHmmss.RANDOMHEX@domain" (without angle brackets).</summary>
        /// <param name="random">The random source.</param>
        /// <param name="utc">The current time in UTC.</param>
        /// <param name="domain">The right-hand side, e.g. the sender's domain; printable ASCII without spaces or brackets.</param>
        /// <returns>The message id.</returns>
        public static string NewMessageId(Random random, DateTime utc, string domain)
        {
            if (random == null)
            {
                throw new ArgumentNullException("random");
            }

            if (!IsIdText(domain) || domain.IndexOf('@') >= 0)
            {
                throw new ArgumentException("domain must be printable ASCII without spaces, '@', '<' or '>'", "domain");
            }

            char[] hex = new char[MessageIdRandomHexDigits];
            for (int i = 0; i < hex.Length; i++)
            {
                hex[i] = HexDigits[random.Next(16)];
            }

            return MailDate.Stamp(utc) + "." + new string(hex) + "@" + domain;
        }

        /// <summary>
        /// Makes a random multipart boundary "=_NB_" plus 24 letters and digits. It is a valid RFC 2046 boundary and,
        /// since "=_" never occurs in base64, cannot appear inside an encoded part.
        /// </summary>
        /// <param name="random">The random source.</param>
        /// <returns>The boundary, 29 chars.</returns>
        public static string NewBoundary(Random random)
        {
            if (random == null)
            {
                throw new ArgumentNullException("random");
            }

            char[] chars = new char[BoundaryRandomChars];
            for (int i = 0; i < chars.Length; i++)
            {
                chars[i] = BoundaryChars[random.Next(BoundaryChars.Length)];
            }

            return BoundaryPrefix + new string(chars);
        }

        /// <summary>Tells whether text is non-empty printable ASCII without spaces or angle brackets.</summary>
        /// <param name="s">The text.</param>
        /// <returns>True when it can stand in an id or address.</returns>
        internal static bool IsIdText(string s)
        {
            if (s == null || s.Length == 0)
            {
                return false;
            }

            for (int i = 0; i < s.Length; i++)
            {
                char c = s[i];
                if (c <= 0x20 || c > 0x7E || c == '<' || c == '>')
                {
                    return false;
                }
            }

            return true;
        }
    }
}
