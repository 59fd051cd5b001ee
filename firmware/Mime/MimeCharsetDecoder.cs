using System;
using NetBoard.Firmware.Text;

namespace NetBoard.Firmware.Mime
{
    /// <summary>
    /// Turns header bytes in a MIME charset into text: UTF-8, US-ASCII, ISO-8859-1 and windows-1252 (the charsets
    /// mail clients actually put into subjects and file names). Other charsets are reported as unknown.
    /// </summary>
    internal static class MimeCharsetDecoder
    {
        private const int KindUnknown = 0;
        private const int KindUtf8 = 1;
        private const int KindAscii = 2;
        private const int KindLatin1 = 3;
        private const int KindWindows1252 = 4;

        // windows-1252 0x80..0x9F; the five unassigned places stay as their ISO-8859-1 control chars.
        private const string Windows1252High =
            "\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F" +
            "\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178";

        /// <summary>Tells whether <see cref="GetString"/> knows the charset.</summary>
        /// <param name="charset">The charset name, any letter case; an RFC 2231 "*language" suffix is ignored.</param>
        /// <returns>True for the supported charsets.</returns>
        public static bool IsKnown(string charset)
        {
            return Kind(charset) != KindUnknown;
        }

        /// <summary>Decodes bytes in the given charset.</summary>
        /// <param name="charset">The charset name, any letter case; an RFC 2231 "*language" suffix is ignored.</param>
        /// <param name="src">The bytes.</param>
        /// <param name="offset">The first byte.</param>
        /// <param name="count">How many bytes.</param>
        /// <returns>The text, or null when the charset is unknown.</returns>
        public static string GetString(string charset, byte[] src, int offset, int count)
        {
            if (src == null)
            {
                throw new ArgumentNullException("src");
            }

            if (offset < 0 || count < 0 || offset > src.Length - count)
            {
                throw new ArgumentOutOfRangeException("count");
            }

            int kind = Kind(charset);
            if (kind == KindUtf8)
            {
                return Utf8.GetString(src, offset, count);
            }

            if (kind == KindAscii)
            {
                return Ascii.GetString(src, offset, count);
            }

            if (kind == KindUnknown)
            {
                return null;
            }

            char[] chars = new char[count];
            for (int i = 0; i < count; i++)
            {
                int b = src[offset + i];
                chars[i] = kind == KindWindows1252 && b >= 0x80 && b < 0xA0 ? Windows1252High[b - 0x80] : (char)b;
            }

            return new string(chars);
        }

        private static int Kind(string charset)
        {
            if (charset == null)
            {
                return KindUnknown;
            }

            int star = charset.IndexOf('*');
            string name = (star >= 0 ? charset.Substring(0, star) : charset).Trim().ToLower();
            if (name == "utf-8" || name == "utf8")
            {
                return KindUtf8;
            }

            if (name == "us-ascii" || name == "ascii")
            {
                return KindAscii;
            }

            if (name == "iso-8859-1" || name == "iso8859-1" || name == "iso_8859-1" || name == "latin1" || name == "l1")
            {
                return KindLatin1;
            }

            if (name == "windows-1252" || name == "cp1252")
            {
                return KindWindows1252;
            }

            return KindUnknown;
        }
    }
}
