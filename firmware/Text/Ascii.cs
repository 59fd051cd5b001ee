using System;

namespace NetBoard.Firmware.Text
{
    /// <summary>US-ASCII conversion without System.Text.Encoding; anything outside 7 bits becomes '?'.</summary>
    public static class Ascii
    {
        /// <summary>Decodes bytes as US-ASCII; bytes of 0x80 and above become '?'.</summary>
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

            char[] chars = new char[count];
            for (int i = 0; i < count; i++)
            {
                byte b = src[offset + i];
                chars[i] = b < 0x80 ? (char)b : '?';
            }

            return new string(chars);
        }

        /// <summary>Encodes text as US-ASCII, one byte per char; chars above 0x7F become '?'.</summary>
        /// <param name="s">The text; null counts as empty.</param>
        /// <param name="dst">The destination; needs s.Length bytes of room from <paramref name="offset"/>.</param>
        /// <param name="offset">Where the first byte goes.</param>
        /// <returns>The number of bytes written (always s.Length).</returns>
        public static int GetBytes(string s, byte[] dst, int offset)
        {
            if (dst == null)
            {
                throw new ArgumentNullException("dst");
            }

            int length = s == null ? 0 : s.Length;
            if (offset < 0 || offset > dst.Length - length)
            {
                throw new ArgumentOutOfRangeException("offset");
            }

            for (int i = 0; i < length; i++)
            {
                char c = s[i];
                dst[offset + i] = c < 0x80 ? (byte)c : (byte)'?';
            }

            return length;
        }

        /// <summary>Tells whether every char of <paramref name="s"/> is 7-bit (null and empty are ASCII).</summary>
        /// <param name="s">The text.</param>
        /// <returns>True when no char is above 0x7F.</returns>
        public static bool IsAscii(string s)
        {
            if (s == null)
            {
                return true;
            }

            for (int i = 0; i < s.Length; i++)
            {
                if (s[i] > 0x7F)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
