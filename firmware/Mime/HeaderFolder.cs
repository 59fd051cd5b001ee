using System;
using System.Collections;
using NetBoard.Firmware.Text;

namespace NetBoard.Firmware.Mime
{
    /// <summary>
    /// Builds header lines from whitespace-separated tokens, folding before a token that would pass
    /// <see cref="FoldLengthChars"/>; also writes RFC 2047 encoded-words and RFC 2231 parameters. Finished lines
    /// (ASCII, without CRLF) are appended to the list given to the constructor.
    /// </summary>
    internal sealed class HeaderFolder
    {
        /// <summary>The line length in chars (without CRLF) that folding keeps to when tokens allow.</summary>
        public const int FoldLengthChars = 78;

        /// <summary>The longest RFC 2047 encoded-word in chars.</summary>
        public const int MaxEncodedWordChars = 75;

        private const string EncodedWordPrefix = "=?UTF-8?B?";
        private const string EncodedWordSuffix = "?=";
        private const string AttributeChars = "!#$&+-.^_`|~";
        private const string HexDigits = "0123456789ABCDEF";

        // A UTF-8 character takes at most four bytes, which is eight base64 chars.
        private const int MinEncodedWordChars = 10 + 8 + 2;

        private readonly ArrayList _lines;
        private string _current;
        private bool _hasValue;

        /// <summary>Creates a folder that appends finished lines (byte[] without CRLF) to <paramref name="lines"/>.</summary>
        /// <param name="lines">The list receiving lines.</param>
        public HeaderFolder(ArrayList lines)
        {
            _lines = lines;
        }

        /// <summary>Adds a whole line as is.</summary>
        /// <param name="line">The ASCII line without CRLF.</param>
        public void AddLine(string line)
        {
            _lines.Add(ToBytes(line));
        }

        /// <summary>Starts a header field "name:".</summary>
        /// <param name="name">The field name.</param>
        public void Begin(string name)
        {
            _current = name + ":";
            _hasValue = false;
        }

        /// <summary>Adds a token after one space, folding first when it would not fit; empty tokens never fold.</summary>
        /// <param name="token">The ASCII token, without whitespace.</param>
        public void AddToken(string token)
        {
            if (_hasValue && token.Length > 0 && _current.Length + 1 + token.Length > FoldLengthChars)
            {
                Fold();
            }

            _current = _current + " " + token;
            _hasValue = true;
        }

        /// <summary>Adds text as RFC 2047 "B" encoded-words, each holding whole UTF-8 characters.</summary>
        /// <param name="text">The text; it may hold any characters.</param>
        public void AddEncodedWords(string text)
        {
            byte[] utf8 = Utf8.GetBytes(text);
            if (utf8.Length == 0)
            {
                return;
            }

            byte[] encoded = new byte[Base64.EncodedLength(MaxEncodedWordChars)];
            int position = 0;
            do
            {
                int room = FoldLengthChars - _current.Length - 1;
                if (room < MinEncodedWordChars && _hasValue)
                {
                    Fold();
                    room = FoldLengthChars - _current.Length - 1;
                }

                if (room > MaxEncodedWordChars)
                {
                    room = MaxEncodedWordChars;
                }

                if (room < MinEncodedWordChars)
                {
                    room = MinEncodedWordChars;
                }

                int maxBytes = ((room - EncodedWordPrefix.Length - EncodedWordSuffix.Length) / 4) * 3;
                int take = utf8.Length - position;
                if (take > maxBytes)
                {
                    take = maxBytes;

                    // Back up to the start of a character so no word splits a UTF-8 sequence.
                    while (take > 0 && (utf8[position + take] & 0xC0) == 0x80)
                    {
                        take--;
                    }
                }

                int length = Base64.Encode(utf8, position, take, encoded, 0);
                AddToken(EncodedWordPrefix + Ascii.GetString(encoded, 0, length) + EncodedWordSuffix);
                position += take;
            }
            while (position < utf8.Length);
        }

        /// <summary>
        /// Adds a parameter "attribute=value": quoted when the value is printable ASCII and fits a line, otherwise
        /// RFC 2231 UTF-8 percent-encoding, split into numbered sections that each fit a line.
        /// </summary>
        /// <param name="attribute">The parameter name.</param>
        /// <param name="value">The parameter value.</param>
        /// <param name="last">False to end the parameter with ';' because another follows.</param>
        public void AddParameter(string attribute, string value, bool last)
        {
            string separator = last ? string.Empty : ";";
            if (IsPrintableAscii(value))
            {
                string quoted = attribute + "=" + Quote(value) + separator;
                if (quoted.Length + 1 <= FoldLengthChars)
                {
                    AddToken(quoted);
                    return;
                }
            }

            byte[] utf8 = Utf8.GetBytes(value);
            string single = attribute + "*=utf-8''" + PercentEncode(utf8, 0, utf8.Length) + separator;
            if (single.Length + 1 <= FoldLengthChars)
            {
                AddToken(single);
                return;
            }

            int position = 0;
            int section = 0;
            while (position < utf8.Length)
            {
                string prefix = attribute + "*" + section.ToString() + "*=" + (section == 0 ? "utf-8''" : string.Empty);
                int room = FoldLengthChars - 1 - prefix.Length - 1;
                int end = position;
                int used = 0;
                while (end < utf8.Length)
                {
                    int charEnd = end + 1;
                    while (charEnd < utf8.Length && (utf8[charEnd] & 0xC0) == 0x80)
                    {
                        charEnd++;
                    }

                    int cost = EncodedCost(utf8, end, charEnd - end);
                    if (used + cost > room && end > position)
                    {
                        break;
                    }

                    used += cost;
                    end = charEnd;
                }

                bool lastSection = end >= utf8.Length;
                AddToken(prefix + PercentEncode(utf8, position, end - position) + (lastSection ? separator : ";"));
                position = end;
                section++;
            }
        }

        /// <summary>Ends the current header field and stores its last line.</summary>
        public void End()
        {
            _lines.Add(ToBytes(_current));
            _current = null;
        }

        /// <summary>Tells whether every char is in 0x20..0x7E.</summary>
        /// <param name="s">The text.</param>
        /// <returns>True for printable ASCII (and for the empty string).</returns>
        public static bool IsPrintableAscii(string s)
        {
            for (int i = 0; i < s.Length; i++)
            {
                char c = s[i];
                if (c < 0x20 || c > 0x7E)
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Makes an RFC 5322 quoted-string, escaping '"' and '\'.</summary>
        /// <param name="s">Printable ASCII text.</param>
        /// <returns>The quoted string.</returns>
        public static string Quote(string s)
        {
            string result = "\"";
            int start = 0;
            for (int i = 0; i < s.Length; i++)
            {
                char c = s[i];
                if (c == '"' || c == '\\')
                {
                    result = result + s.Substring(start, i - start) + "\\";
                    start = i;
                }
            }

            return result + s.Substring(start) + "\"";
        }

        private void Fold()
        {
            _lines.Add(ToBytes(_current));
            _current = string.Empty;
        }

        private static int EncodedCost(byte[] utf8, int offset, int count)
        {
            int cost = 0;
            for (int i = offset; i < offset + count; i++)
            {
                cost += IsAttributeChar(utf8[i]) ? 1 : 3;
            }

            return cost;
        }

        private static bool IsAttributeChar(byte b)
        {
            if ((b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9'))
            {
                return true;
            }

            return b < 0x80 && AttributeChars.IndexOf((char)b) >= 0;
        }

        private static string PercentEncode(byte[] utf8, int offset, int count)
        {
            char[] chars = new char[count * 3];
            int n = 0;
            for (int i = offset; i < offset + count; i++)
            {
                byte b = utf8[i];
                if (IsAttributeChar(b))
                {
                    chars[n++] = (char)b;
                }
                else
                {
                    chars[n++] = '%';
                    chars[n++] = HexDigits[b >> 4];
                    chars[n++] = HexDigits[b & 0x0F];
                }
            }

            return new string(chars, 0, n);
        }

        private static byte[] ToBytes(string line)
        {
            byte[] bytes = new byte[line.Length];
            Ascii.GetBytes(line, bytes, 0);
            return bytes;
        }
    }
}
