using NetBoard.Firmware.Text;

namespace NetBoard.Firmware.Mime
{
    /// <summary>
    /// Reads structured MIME header values such as Content-Type and Content-Disposition: the main value and named
    /// parameters, quoted or not, with RFC 2231 continuations ("name*0", "name*1*") and charset-tagged
    /// percent-encoding ("name*=utf-8''%C3%A4"), and, for plain values, RFC 2047 encoded-words as many mailers write them.
    /// </summary>
    internal static class MimeParameterDecoder
    {
        /// <summary>The RFC 2231 sections of one parameter that are read at most.</summary>
        public const int MaxSections = 32;

        /// <summary>Returns the main value: the text before the first ';' or comment, trimmed and in lower case.</summary>
        /// <param name="field">The unfolded field value; null counts as empty.</param>
        /// <returns>The main value, e.g. "multipart/mixed" or "base64"; empty when there is none.</returns>
        public static string GetValue(string field)
        {
            if (field == null)
            {
                return string.Empty;
            }

            int end = 0;
            while (end < field.Length && field[end] != ';' && field[end] != '(')
            {
                end++;
            }

            return field.Substring(0, end).Trim().ToLower();
        }

        /// <summary>Returns a parameter's value; an RFC 2231 form wins over a plain one of the same name.</summary>
        /// <param name="field">The unfolded field value; null counts as empty.</param>
        /// <param name="attribute">The parameter name in lower case, e.g. "boundary" or "filename".</param>
        /// <param name="decodeWords">True to decode RFC 2047 encoded-words in a plain value (never for a boundary).</param>
        /// <returns>The decoded value, or null when the parameter is absent.</returns>
        public static string GetParameter(string field, string attribute, bool decodeWords)
        {
            if (field == null)
            {
                return null;
            }

            string plain = null;
            string[] sections = null;
            bool[] extended = null;
            int length = field.Length;
            int i = field.IndexOf(';');
            if (i < 0)
            {
                return null;
            }

            while (i < length)
            {
                char c = field[i];
                if (c == ';' || c == ' ' || c == '\t' || c == '\r' || c == '\n')
                {
                    i++;
                    continue;
                }

                int nameStart = i;
                while (i < length && field[i] != '=' && field[i] != ';')
                {
                    i++;
                }

                if (i >= length || field[i] == ';')
                {
                    continue;
                }

                string name = field.Substring(nameStart, i - nameStart).Trim().ToLower();
                i++;
                while (i < length && (field[i] == ' ' || field[i] == '\t'))
                {
                    i++;
                }

                string value;
                if (i < length && field[i] == '"')
                {
                    i = ReadQuoted(field, i + 1, out value);
                }
                else
                {
                    int valueStart = i;
                    while (i < length && field[i] != ';')
                    {
                        i++;
                    }

                    value = field.Substring(valueStart, i - valueStart).Trim();
                }

                if (name == attribute)
                {
                    if (plain == null)
                    {
                        plain = value;
                    }

                    continue;
                }

                int section = SectionNumber(name, attribute, out bool isExtended);
                if (section >= 0)
                {
                    if (sections == null)
                    {
                        sections = new string[MaxSections];
                        extended = new bool[MaxSections];
                    }

                    if (sections[section] == null)
                    {
                        sections[section] = value;
                        extended[section] = isExtended;
                    }
                }
            }

            if (sections != null && sections[0] != null)
            {
                return JoinSections(sections, extended);
            }

            if (plain == null)
            {
                return null;
            }

            return decodeWords ? MimeWordDecoder.Decode(plain) : plain;
        }

        /// <summary>Reads a quoted-string body after its opening quote, undoing backslash escapes.</summary>
        /// <returns>The index just past the closing quote (or the end of the field when it is missing).</returns>
        private static int ReadQuoted(string field, int start, out string value)
        {
            char[] chars = new char[field.Length - start];
            int n = 0;
            int i = start;
            while (i < field.Length && field[i] != '"')
            {
                if (field[i] == '\\' && i + 1 < field.Length)
                {
                    i++;
                }

                chars[n++] = field[i];
                i++;
            }

            value = new string(chars, 0, n);
            return i < field.Length ? i + 1 : i;
        }

        /// <summary>
        /// Tells which RFC 2231 section a parameter name is: "attr*" is the single extended section 0, "attr*N" and
        /// "attr*N*" are section N, plain or extended.
        /// </summary>
        /// <returns>The section number, or -1 when the name is not a section of the attribute.</returns>
        private static int SectionNumber(string name, string attribute, out bool isExtended)
        {
            isExtended = false;
            int prefix = attribute.Length + 1;
            if (name.Length < prefix || name[attribute.Length] != '*' || name.Substring(0, attribute.Length) != attribute)
            {
                return -1;
            }

            if (name.Length == prefix)
            {
                isExtended = true;
                return 0;
            }

            int end = name.Length;
            if (name[end - 1] == '*')
            {
                isExtended = true;
                end--;
            }

            int number = 0;
            for (int i = prefix; i < end; i++)
            {
                char c = name[i];
                if (c < '0' || c > '9' || number >= MaxSections)
                {
                    return -1;
                }

                number = (number * 10) + (c - '0');
            }

            return end > prefix && number < MaxSections ? number : -1;
        }

        /// <summary>Joins sections 0, 1, ... up to the first missing one and decodes them in section 0's charset.</summary>
        private static string JoinSections(string[] sections, bool[] extended)
        {
            string charset = null;
            string first = sections[0];
            int dataStart = 0;
            if (extended[0])
            {
                int quote = first.IndexOf('\'');
                int secondQuote = quote < 0 ? -1 : first.IndexOf('\'', quote + 1);
                if (secondQuote >= 0)
                {
                    charset = first.Substring(0, quote);
                    dataStart = secondQuote + 1;
                }
            }

            int count = 0;
            int room = 0;
            while (count < MaxSections && sections[count] != null)
            {
                // A UTF-16 unit never takes more than three UTF-8 bytes, whatever the section holds.
                room += sections[count].Length * 3;
                count++;
            }

            byte[] bytes = new byte[room];
            int n = 0;
            for (int s = 0; s < count; s++)
            {
                string text = s == 0 ? first.Substring(dataStart) : sections[s];
                if (!extended[s])
                {
                    n += Utf8.GetBytes(text, bytes, n);
                    continue;
                }

                for (int i = 0; i < text.Length; i++)
                {
                    char c = text[i];
                    int high = i + 2 < text.Length ? HexValue(text[i + 1]) : -1;
                    int low = high >= 0 ? HexValue(text[i + 2]) : -1;
                    if (c == '%' && low >= 0)
                    {
                        bytes[n++] = (byte)((high << 4) | low);
                        i += 2;
                    }
                    else if (c < 0x80)
                    {
                        bytes[n++] = (byte)c;
                    }
                    else
                    {
                        n += Utf8.GetBytes(text.Substring(i, 1), bytes, n);
                    }
                }
            }

            string decoded = charset == null || charset.Length == 0 ? null : MimeCharsetDecoder.GetString(charset, bytes, 0, n);
            return decoded != null ? decoded : Utf8.GetString(bytes, 0, n);
        }

        private static int HexValue(char c)
        {
            if (c >= '0' && c <= '9')
            {
                return c - '0';
            }

            if (c >= 'A' && c <= 'F')
            {
                return c - 'A' + 10;
            }

            if (c >= 'a' && c <= 'f')
            {
                return c - 'a' + 10;
            }

            return -1;
        }
    }
}
