using System;

namespace NetBoard.Firmware.Text
{
    /// <summary>
    /// UTF-8 conversion without System.Text.Encoding. Lone surrogates and malformed byte sequences become
    /// U+FFFD (one per maximal invalid subpart, as the Unicode standard recommends); nothing here throws on bad data.
    /// </summary>
    public static class Utf8
    {
        private const char ReplacementChar = '\uFFFD';

        /// <summary>Returns the number of bytes <see cref="GetBytes(string)"/> produces for <paramref name="s"/>.</summary>
        /// <param name="s">The text; null counts as empty.</param>
        /// <returns>The UTF-8 byte count.</returns>
        public static int GetByteCount(string s)
        {
            if (s == null)
            {
                return 0;
            }

            int count = 0;
            int length = s.Length;
            for (int i = 0; i < length; i++)
            {
                char c = s[i];
                if (c < 0x80)
                {
                    count += 1;
                }
                else if (c < 0x800)
                {
                    count += 2;
                }
                else if (IsHighSurrogate(c) && i + 1 < length && IsLowSurrogate(s[i + 1]))
                {
                    count += 4;
                    i++;
                }
                else
                {
                    // Everything else, including a lone surrogate written as U+FFFD, takes three bytes.
                    count += 3;
                }
            }

            return count;
        }

        /// <summary>Writes the UTF-8 bytes of <paramref name="s"/> into <paramref name="dst"/>.</summary>
        /// <param name="s">The text; null counts as empty.</param>
        /// <param name="dst">The destination; needs <see cref="GetByteCount"/> bytes of room from <paramref name="offset"/>.</param>
        /// <param name="offset">Where the first byte goes.</param>
        /// <returns>The number of bytes written.</returns>
        public static int GetBytes(string s, byte[] dst, int offset)
        {
            if (dst == null)
            {
                throw new ArgumentNullException("dst");
            }

            int needed = GetByteCount(s);
            if (offset < 0 || offset > dst.Length - needed)
            {
                throw new ArgumentOutOfRangeException("offset");
            }

            if (needed == 0)
            {
                return 0;
            }

            int p = offset;
            int length = s.Length;
            for (int i = 0; i < length; i++)
            {
                int c = s[i];
                if (c < 0x80)
                {
                    dst[p++] = (byte)c;
                }
                else if (c < 0x800)
                {
                    dst[p++] = (byte)(0xC0 | (c >> 6));
                    dst[p++] = (byte)(0x80 | (c & 0x3F));
                }
                else if (IsHighSurrogate((char)c) && i + 1 < length && IsLowSurrogate(s[i + 1]))
                {
                    int cp = 0x10000 + ((c - 0xD800) << 10) + (s[i + 1] - 0xDC00);
                    i++;
                    dst[p++] = (byte)(0xF0 | (cp >> 18));
                    dst[p++] = (byte)(0x80 | ((cp >> 12) & 0x3F));
                    dst[p++] = (byte)(0x80 | ((cp >> 6) & 0x3F));
                    dst[p++] = (byte)(0x80 | (cp & 0x3F));
                }
                else
                {
                    if (c >= 0xD800 && c <= 0xDFFF)
                    {
                        c = ReplacementChar;
                    }

                    dst[p++] = (byte)(0xE0 | (c >> 12));
                    dst[p++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                    dst[p++] = (byte)(0x80 | (c & 0x3F));
                }
            }

            return p - offset;
        }

        /// <summary>Returns the UTF-8 bytes of <paramref name="s"/> in a new array.</summary>
        /// <param name="s">The text; null counts as empty.</param>
        /// <returns>The encoded bytes.</returns>
        public static byte[] GetBytes(string s)
        {
            byte[] result = new byte[GetByteCount(s)];
            GetBytes(s, result, 0);
            return result;
        }

        /// <summary>Decodes UTF-8 bytes; malformed input becomes U+FFFD.</summary>
        /// <param name="src">The bytes.</param>
        /// <param name="offset">The first byte to decode.</param>
        /// <param name="count">How many bytes to decode.</param>
        /// <returns>The decoded text.</returns>
        public static string GetString(byte[] src, int offset, int count)
        {
            if (src == null)
            {
                throw new ArgumentNullException("src");
            }

            if (offset < 0 || count < 0 || offset > src.Length - count)
            {
                throw new ArgumentOutOfRangeException("count");
            }

            if (count == 0)
            {
                return string.Empty;
            }

            // UTF-8 never yields more UTF-16 units than it has bytes, so one array of count chars is enough.
            char[] chars = new char[count];
            int n = 0;
            int i = offset;
            int end = offset + count;
            while (i < end)
            {
                int b0 = src[i];
                if (b0 < 0x80)
                {
                    chars[n++] = (char)b0;
                    i++;
                    continue;
                }

                int needed;
                int low = 0x80;
                int high = 0xBF;
                int cp;
                if (b0 >= 0xC2 && b0 <= 0xDF)
                {
                    needed = 1;
                    cp = b0 & 0x1F;
                }
                else if (b0 >= 0xE0 && b0 <= 0xEF)
                {
                    needed = 2;
                    cp = b0 & 0x0F;
                    if (b0 == 0xE0)
                    {
                        low = 0xA0;
                    }
                    else if (b0 == 0xED)
                    {
                        high = 0x9F;
                    }
                }
                else if (b0 >= 0xF0 && b0 <= 0xF4)
                {
                    needed = 3;
                    cp = b0 & 0x07;
                    if (b0 == 0xF0)
                    {
                        low = 0x90;
                    }
                    else if (b0 == 0xF4)
                    {
                        high = 0x8F;
                    }
                }
                else
                {
                    chars[n++] = ReplacementChar;
                    i++;
                    continue;
                }

                // Consume continuation bytes while they are valid; the first bad one starts the next sequence.
                int j = i + 1;
                int taken = 0;
                while (taken < needed && j < end)
                {
                    int b = src[j];
                    if (b < low || b > high)
                    {
                        break;
                    }

                    cp = (cp << 6) | (b & 0x3F);
                    low = 0x80;
                    high = 0xBF;
                    j++;
                    taken++;
                }

                if (taken < needed)
                {
                    chars[n++] = ReplacementChar;
                    i = j;
                    continue;
                }

                if (cp >= 0x10000)
                {
                    cp -= 0x10000;
                    chars[n++] = (char)(0xD800 + (cp >> 10));
                    chars[n++] = (char)(0xDC00 + (cp & 0x3FF));
                }
                else
                {
                    chars[n++] = (char)cp;
                }

                i = j;
            }

            return new string(chars, 0, n);
        }

        private static bool IsHighSurrogate(char c)
        {
            return c >= 0xD800 && c <= 0xDBFF;
        }

        private static bool IsLowSurrogate(char c)
        {
            return c >= 0xDC00 && c <= 0xDFFF;
        }
    }
}
