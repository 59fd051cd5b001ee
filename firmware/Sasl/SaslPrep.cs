using System;

namespace NetBoard.Firmware.Sasl
{
    /// <summary>
    /// The part of SASLprep (RFC 4013) the device applies to SCRAM user names and passwords, on UTF-8 bytes.
    /// Done: printable ASCII passes unchanged; non-ASCII spaces (RFC 3454 table C.1.2) become U+0020; the
    /// "commonly mapped to nothing" characters (table B.1, e.g. soft hyphen, zero-width joiners, variation
    /// selectors) are removed; control characters, private-use code points, non-characters, surrogates,
    /// tagging and directional formatting characters and malformed UTF-8 are refused (tables C.2 to C.9).
    /// Not done: Unicode normalization (NFKC, which needs the Unicode tables) and the right-to-left checks:
    /// other non-ASCII characters pass unchanged, which is correct for text already in NFKC (composed
    /// accented letters typed on the panel or in the settings file are) but not for compatibility forms such
    /// as full-width letters or ligatures.
    /// </summary>
    public static class SaslPrep
    {
        private const int Space = 0x20;

        /// <summary>Prepares a string given as UTF-8 bytes.</summary>
        /// <param name="utf8">The string as UTF-8.</param>
        /// <returns>The prepared string as new UTF-8 bytes (the caller owns and wipes them), or null when it holds a prohibited character or is not UTF-8.</returns>
        public static byte[] Prepare(byte[] utf8)
        {
            if (utf8 == null)
            {
                throw new ArgumentNullException("utf8");
            }

            // Mapping never makes the text longer: a space is one byte, removals shrink it.
            byte[] output = new byte[utf8.Length];
            int n = 0;
            int i = 0;
            while (i < utf8.Length)
            {
                int length = SequenceLength(utf8, i);
                if (length == 0)
                {
                    Array.Clear(output, 0, output.Length);
                    return null;
                }

                int cp = Decode(utf8, i, length);
                if (IsMappedToNothing(cp))
                {
                    i += length;
                    continue;
                }

                if (IsNonAsciiSpace(cp))
                {
                    output[n++] = Space;
                    i += length;
                    continue;
                }

                if (IsProhibited(cp))
                {
                    Array.Clear(output, 0, output.Length);
                    return null;
                }

                Array.Copy(utf8, i, output, n, length);
                n += length;
                i += length;
            }

            if (n == output.Length)
            {
                return output;
            }

            byte[] result = new byte[n];
            Array.Copy(output, result, n);
            Array.Clear(output, 0, output.Length);
            return result;
        }

        // The length of the well-formed UTF-8 sequence at i (RFC 3629), or 0 when it is malformed.
        private static int SequenceLength(byte[] s, int i)
        {
            int b0 = s[i];
            int needed;
            int low = 0x80;
            int high = 0xBF;
            if (b0 < 0x80)
            {
                return 1;
            }

            if (b0 >= 0xC2 && b0 <= 0xDF)
            {
                needed = 1;
            }
            else if (b0 >= 0xE0 && b0 <= 0xEF)
            {
                needed = 2;
                low = b0 == 0xE0 ? 0xA0 : 0x80;

                // 0xED A0-BF would be a surrogate (table C.5).
                high = b0 == 0xED ? 0x9F : 0xBF;
            }
            else if (b0 >= 0xF0 && b0 <= 0xF4)
            {
                needed = 3;
                low = b0 == 0xF0 ? 0x90 : 0x80;
                high = b0 == 0xF4 ? 0x8F : 0xBF;
            }
            else
            {
                return 0;
            }

            if (i + needed >= s.Length)
            {
                return 0;
            }

            for (int k = 1; k <= needed; k++)
            {
                int b = s[i + k];
                if (b < low || b > high)
                {
                    return 0;
                }

                low = 0x80;
                high = 0xBF;
            }

            return needed + 1;
        }

        private static int Decode(byte[] s, int i, int length)
        {
            int b0 = s[i];
            switch (length)
            {
                case 1:
                    return b0;
                case 2:
                    return ((b0 & 0x1F) << 6) | (s[i + 1] & 0x3F);
                case 3:
                    return ((b0 & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
                default:
                    return ((b0 & 0x07) << 18) | ((s[i + 1] & 0x3F) << 12) | ((s[i + 2] & 0x3F) << 6) | (s[i + 3] & 0x3F);
            }
        }

        // RFC 3454 table B.1.
        private static bool IsMappedToNothing(int cp)
        {
            return cp == 0x00AD || cp == 0x034F || cp == 0x1806 || (cp >= 0x180B && cp <= 0x180D)
                || (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF;
        }

        // RFC 3454 table C.1.2 (U+200B is in B.1 as well and is removed first, as other SASLprep implementations do).
        private static bool IsNonAsciiSpace(int cp)
        {
            return cp == 0x00A0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F || cp == 0x205F || cp == 0x3000;
        }

        // RFC 4013 section 2.3: tables C.2.1, C.2.2, C.3, C.4, C.5 (already refused as malformed UTF-8), C.6, C.7, C.8, C.9.
        private static bool IsProhibited(int cp)
        {
            if (cp < 0x20 || cp == 0x7F)
            {
                return true;
            }

            if (cp < 0x80)
            {
                return false;
            }

            return (cp >= 0x80 && cp <= 0x9F)
                || cp == 0x06DD || cp == 0x070F || cp == 0x180E || (cp >= 0x200C && cp <= 0x200F)
                || (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2063) || (cp >= 0x206A && cp <= 0x206F)
                || cp == 0x0340 || cp == 0x0341
                || (cp >= 0x2FF0 && cp <= 0x2FFB)
                || (cp >= 0xD800 && cp <= 0xDFFF)
                || (cp >= 0xE000 && cp <= 0xF8FF)
                || (cp >= 0xFDD0 && cp <= 0xFDEF)
                || cp == 0xFEFF
                || (cp >= 0xFFF9 && cp <= 0xFFFD)
                || (cp & 0xFFFE) == 0xFFFE
                || (cp >= 0x1D173 && cp <= 0x1D17A)
                || cp == 0xE0001 || (cp >= 0xE0020 && cp <= 0xE007F)
                || cp >= 0xF0000;
        }
    }
}
