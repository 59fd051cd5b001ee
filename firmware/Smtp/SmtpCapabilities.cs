using NetBoard.Firmware.Sasl;

namespace NetBoard.Firmware.Smtp
{
    /// <summary>
    /// What the server announced in its EHLO reply, parsed line by line on index ranges
    /// (no strings are made). Forgotten as a whole after STARTTLS.
    /// </summary>
    public sealed class SmtpCapabilities
    {
        /// <summary>The extensions announced.</summary>
        public SmtpExtensions Extensions { get; private set; }

        /// <summary>The SASL mechanisms we know that the server offered.</summary>
        public SaslMechanisms AuthMechanisms { get; private set; }

        /// <summary>The SIZE limit in octets; 0 when SIZE is absent or announced without a limit.</summary>
        public long SizeLimit { get; private set; }

        /// <summary>True when <paramref name="extension"/> was announced.</summary>
        public bool Has(SmtpExtensions extension)
        {
            return (Extensions & extension) == extension;
        }

        /// <summary>Forgets everything (before EHLO, and again after TLS starts).</summary>
        public void Clear()
        {
            Extensions = SmtpExtensions.None;
            AuthMechanisms = SaslMechanisms.None;
            SizeLimit = 0;
        }

        /// <summary>
        /// Reads one EHLO keyword line (any line after the first): keyword, then parameters
        /// separated by spaces. Unknown keywords are ignored.
        /// </summary>
        public void ParseLine(byte[] text, int offset, int count)
        {
            int end = offset + count;
            int keyEnd = offset;
            while (keyEnd < end && text[keyEnd] != (byte)' ' && text[keyEnd] != (byte)'=')
            {
                keyEnd++;
            }

            int keyLength = keyEnd - offset;
            if (Matches(text, offset, keyLength, "AUTH"))
            {
                // "AUTH=" is the pre-RFC 4954 form some servers still announce beside the real one.
                Extensions |= SmtpExtensions.Auth;
                ParseMechanisms(text, keyEnd + 1, end);
            }
            else if (Matches(text, offset, keyLength, "STARTTLS"))
            {
                Extensions |= SmtpExtensions.StartTls;
            }
            else if (Matches(text, offset, keyLength, "SIZE"))
            {
                Extensions |= SmtpExtensions.Size;
                SizeLimit = ParseSize(text, keyEnd + 1, end);
            }
            else if (Matches(text, offset, keyLength, "8BITMIME"))
            {
                Extensions |= SmtpExtensions.EightBitMime;
            }
            else if (Matches(text, offset, keyLength, "PIPELINING"))
            {
                Extensions |= SmtpExtensions.Pipelining;
            }
            else if (Matches(text, offset, keyLength, "CHUNKING"))
            {
                Extensions |= SmtpExtensions.Chunking;
            }
            else if (Matches(text, offset, keyLength, "ENHANCEDSTATUSCODES"))
            {
                Extensions |= SmtpExtensions.EnhancedStatusCodes;
            }
        }

        private void ParseMechanisms(byte[] text, int start, int end)
        {
            int i = start;
            while (i < end)
            {
                while (i < end && text[i] == (byte)' ')
                {
                    i++;
                }

                int wordStart = i;
                while (i < end && text[i] != (byte)' ')
                {
                    i++;
                }

                if (i > wordStart)
                {
                    AuthMechanisms |= SaslFactory.FromName(text, wordStart, i - wordStart);
                }
            }
        }

        private static long ParseSize(byte[] text, int start, int end)
        {
            long value = 0;
            for (int i = start; i < end; i++)
            {
                byte b = text[i];
                if (b < (byte)'0' || b > (byte)'9')
                {
                    break;
                }

                value = (value * 10) + (b - '0');
                if (value > 0x7FFFFFFFFFFFL / 10)
                {
                    // Absurdly large: treat as no limit rather than overflow.
                    return 0;
                }
            }

            return value;
        }

        private static bool Matches(byte[] text, int offset, int count, string keyword)
        {
            if (count != keyword.Length)
            {
                return false;
            }

            for (int i = 0; i < count; i++)
            {
                int b = text[offset + i];
                if (b >= 'a' && b <= 'z')
                {
                    b -= 'a' - 'A';
                }

                if (b != keyword[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
