using NetBoard.Firmware.Text;

namespace NetBoard.Firmware.Mime
{
    /// <summary>
    /// Decodes RFC 2047 encoded-words ("=?charset?B?...?=" and "=?charset?Q?...?=") in header text. Whitespace
    /// between adjacent encoded-words is dropped, and adjacent words in one charset are joined before decoding so a
    /// character split across two words survives. A word in an unknown charset or with a broken payload stays as it is.
    /// </summary>
    internal static class MimeWordDecoder
    {
        private const byte PadByte = (byte)'=';

        /// <summary>Decodes the encoded-words in <paramref name="text"/>.</summary>
        /// <param name="text">The unfolded header text; null stays null.</param>
        /// <returns>The text with its encoded-words decoded.</returns>
        public static string Decode(string text)
        {
            if (text == null || text.IndexOf("=?") < 0)
            {
                return text;
            }

            // Decoding never lengthens: each decoded char comes from at least one byte, each byte from at least one char.
            char[] output = new char[text.Length];
            byte[] pending = new byte[text.Length];
            int outputCount = 0;
            int pendingCount = 0;
            string pendingCharset = null;
            int copyFrom = 0;
            bool afterWord = false;
            int searchFrom = 0;
            while (true)
            {
                int start = text.IndexOf("=?", searchFrom);
                if (start < 0)
                {
                    break;
                }

                int charsetEnd = text.IndexOf('?', start + 2);
                int wordEnd = WordEnd(text, start, charsetEnd);
                if (wordEnd < 0)
                {
                    searchFrom = start + 2;
                    continue;
                }

                string charset = text.Substring(start + 2, charsetEnd - start - 2);
                if (pendingCharset != null && charset.ToLower() != pendingCharset.ToLower())
                {
                    outputCount = Flush(pendingCharset, pending, pendingCount, output, outputCount);
                    pendingCount = 0;
                }

                int payloadStart = charsetEnd + 3;
                int decoded = DecodePayload(text, charsetEnd + 1, payloadStart, wordEnd - 2, pending, pendingCount);
                if (decoded < 0 || !MimeCharsetDecoder.IsKnown(charset))
                {
                    searchFrom = start + 2;
                    continue;
                }

                if (!afterWord || !IsWhitespace(text, copyFrom, start))
                {
                    outputCount = Flush(pendingCharset, pending, pendingCount, output, outputCount);
                    outputCount = Copy(text, copyFrom, start, output, outputCount);

                    // The flush emptied the pending bytes, so this word's bytes move to the front.
                    for (int i = 0; i < decoded; i++)
                    {
                        pending[i] = pending[pendingCount + i];
                    }

                    pendingCount = 0;
                }

                pendingCount += decoded;
                pendingCharset = charset;
                afterWord = true;
                copyFrom = wordEnd;
                searchFrom = wordEnd;
            }

            outputCount = Flush(pendingCharset, pending, pendingCount, output, outputCount);
            outputCount = Copy(text, copyFrom, text.Length, output, outputCount);
            return new string(output, 0, outputCount);
        }

        /// <summary>Finds the end of an encoded-word starting at <paramref name="start"/>.</summary>
        /// <returns>The index just past "?=", or -1 when no well-formed word starts there.</returns>
        private static int WordEnd(string text, int start, int charsetEnd)
        {
            // "=?" charset "?" B|Q "?" payload "?="; the payload may be empty but holds no '?' and no whitespace.
            if (charsetEnd <= start + 2 || charsetEnd + 2 >= text.Length || text[charsetEnd + 2] != '?')
            {
                return -1;
            }

            char encoding = text[charsetEnd + 1];
            if (encoding != 'B' && encoding != 'b' && encoding != 'Q' && encoding != 'q')
            {
                return -1;
            }

            for (int i = start + 2; i < charsetEnd; i++)
            {
                if (text[i] <= ' ')
                {
                    return -1;
                }
            }

            int payloadEnd = text.IndexOf('?', charsetEnd + 3);
            if (payloadEnd < 0 || payloadEnd + 1 >= text.Length || text[payloadEnd + 1] != '=')
            {
                return -1;
            }

            for (int i = charsetEnd + 3; i < payloadEnd; i++)
            {
                if (text[i] <= ' ')
                {
                    return -1;
                }
            }

            return payloadEnd + 2;
        }

        /// <summary>Decodes a word's payload into <paramref name="dst"/> from <paramref name="dstOffset"/>.</summary>
        /// <returns>The number of bytes, or -1 when the payload is broken.</returns>
        private static int DecodePayload(string text, int encodingIndex, int start, int end, byte[] dst, int dstOffset)
        {
            char encoding = text[encodingIndex];
            if (encoding == 'B' || encoding == 'b')
            {
                // Senders often drop the padding; restore it so the strict decoder takes the word.
                int length = end - start;
                if ((length & 3) == 1)
                {
                    return -1;
                }

                byte[] encoded = new byte[(length + 3) & ~3];
                for (int i = 0; i < length; i++)
                {
                    char c = text[start + i];
                    encoded[i] = c < 0x80 ? (byte)c : (byte)0;
                }

                for (int i = length; i < encoded.Length; i++)
                {
                    encoded[i] = PadByte;
                }

                return Base64.Decode(encoded, 0, encoded.Length, dst, dstOffset);
            }

            int p = dstOffset;
            for (int i = start; i < end; i++)
            {
                char c = text[i];
                if (c == '_')
                {
                    dst[p++] = (byte)' ';
                }
                else if (c == '=' && i + 2 < end && HexValue(text, i + 1) >= 0 && HexValue(text, i + 2) >= 0)
                {
                    dst[p++] = (byte)((HexValue(text, i + 1) << 4) | HexValue(text, i + 2));
                    i += 2;
                }
                else if (c < 0x80)
                {
                    dst[p++] = (byte)c;
                }
                else
                {
                    return -1;
                }
            }

            return p - dstOffset;
        }

        private static int Flush(string charset, byte[] pending, int count, char[] output, int outputCount)
        {
            if (count == 0)
            {
                return outputCount;
            }

            string decoded = MimeCharsetDecoder.GetString(charset, pending, 0, count);
            return Copy(decoded, 0, decoded.Length, output, outputCount);
        }

        private static int Copy(string s, int start, int end, char[] output, int outputCount)
        {
            for (int i = start; i < end; i++)
            {
                output[outputCount++] = s[i];
            }

            return outputCount;
        }

        private static bool IsWhitespace(string s, int start, int end)
        {
            for (int i = start; i < end; i++)
            {
                char c = s[i];
                if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
                {
                    return false;
                }
            }

            return true;
        }

        private static int HexValue(string s, int index)
        {
            if (index >= s.Length)
            {
                return -1;
            }

            char c = s[index];
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
