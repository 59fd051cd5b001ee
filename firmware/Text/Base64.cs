using System;

namespace NetBoard.Firmware.Text
{
    /// <summary>
    /// RFC 4648 base64 with the standard alphabet and '=' padding, on byte arrays, without line breaks.
    /// The decoder is strict: it accepts only canonical encoder output.
    /// </summary>
    public static class Base64
    {
        private const int InvalidSymbol = -1;
        private const byte PadByte = (byte)'=';

        private static readonly byte[] s_alphabet = BuildAlphabet();
        private static readonly sbyte[] s_values = BuildValues();

        /// <summary>Returns the number of base64 bytes <paramref name="count"/> input bytes encode to.</summary>
        /// <param name="count">The input length in bytes.</param>
        /// <returns>The padded output length in bytes.</returns>
        public static int EncodedLength(int count)
        {
            if (count < 0 || count > 1610612733)
            {
                throw new ArgumentOutOfRangeException("count");
            }

            return ((count + 2) / 3) * 4;
        }

        /// <summary>Encodes bytes as base64 with padding and no line breaks.</summary>
        /// <param name="src">The input bytes.</param>
        /// <param name="offset">The first input byte.</param>
        /// <param name="count">How many input bytes to encode.</param>
        /// <param name="dst">The destination; needs <see cref="EncodedLength"/> bytes of room from <paramref name="dstOffset"/>.</param>
        /// <param name="dstOffset">Where the first output byte goes.</param>
        /// <returns>The number of bytes written.</returns>
        public static int Encode(byte[] src, int offset, int count, byte[] dst, int dstOffset)
        {
            if (src == null)
            {
                throw new ArgumentNullException("src");
            }

            if (dst == null)
            {
                throw new ArgumentNullException("dst");
            }

            if (offset < 0 || count < 0 || offset > src.Length - count)
            {
                throw new ArgumentOutOfRangeException("count");
            }

            int outLength = EncodedLength(count);
            if (dstOffset < 0 || dstOffset > dst.Length - outLength)
            {
                throw new ArgumentOutOfRangeException("dstOffset");
            }

            byte[] alphabet = s_alphabet;
            int i = offset;
            int fullEnd = offset + (count - (count % 3));
            int p = dstOffset;
            while (i < fullEnd)
            {
                int v = (src[i] << 16) | (src[i + 1] << 8) | src[i + 2];
                dst[p] = alphabet[v >> 18];
                dst[p + 1] = alphabet[(v >> 12) & 0x3F];
                dst[p + 2] = alphabet[(v >> 6) & 0x3F];
                dst[p + 3] = alphabet[v & 0x3F];
                i += 3;
                p += 4;
            }

            int rest = count % 3;
            if (rest == 1)
            {
                int v = src[i] << 16;
                dst[p] = alphabet[v >> 18];
                dst[p + 1] = alphabet[(v >> 12) & 0x3F];
                dst[p + 2] = PadByte;
                dst[p + 3] = PadByte;
                p += 4;
            }
            else if (rest == 2)
            {
                int v = (src[i] << 16) | (src[i + 1] << 8);
                dst[p] = alphabet[v >> 18];
                dst[p + 1] = alphabet[(v >> 12) & 0x3F];
                dst[p + 2] = alphabet[(v >> 6) & 0x3F];
                dst[p + 3] = PadByte;
                p += 4;
            }

            return p - dstOffset;
        }

        /// <summary>Returns the room <see cref="Decode"/> needs for <paramref name="count"/> base64 bytes.</summary>
        /// <param name="count">The base64 input length in bytes.</param>
        /// <returns>An upper bound of the decoded length in bytes.</returns>
        public static int DecodedMaxLength(int count)
        {
            if (count < 0)
            {
                throw new ArgumentOutOfRangeException("count");
            }

            return ((count + 3) / 4) * 3;
        }

        /// <summary>
        /// Decodes strict base64: length a multiple of 4, only alphabet characters, '=' padding only at the end,
        /// no whitespace, and zero unused bits before the padding. Empty input decodes to nothing.
        /// </summary>
        /// <param name="src">The base64 bytes.</param>
        /// <param name="offset">The first input byte.</param>
        /// <param name="count">How many input bytes to decode.</param>
        /// <param name="dst">The destination; needs room for the decoded bytes (at most <see cref="DecodedMaxLength"/>) from <paramref name="dstOffset"/>.</param>
        /// <param name="dstOffset">Where the first decoded byte goes.</param>
        /// <returns>The number of bytes written, or -1 when the input is not valid base64 (dst may then be partly written).</returns>
        public static int Decode(byte[] src, int offset, int count, byte[] dst, int dstOffset)
        {
            if (src == null)
            {
                throw new ArgumentNullException("src");
            }

            if (dst == null)
            {
                throw new ArgumentNullException("dst");
            }

            if (offset < 0 || count < 0 || offset > src.Length - count)
            {
                throw new ArgumentOutOfRangeException("count");
            }

            if (count == 0)
            {
                return 0;
            }

            if ((count & 3) != 0)
            {
                return -1;
            }

            // The room guard uses the exact length so a buffer sized for the decoded data is accepted.
            int exactLength = (count / 4) * 3;
            if (src[offset + count - 1] == PadByte)
            {
                exactLength -= src[offset + count - 2] == PadByte ? 2 : 1;
            }

            if (dstOffset < 0 || dstOffset > dst.Length - exactLength)
            {
                throw new ArgumentOutOfRangeException("dstOffset");
            }

            sbyte[] values = s_values;
            int p = dstOffset;
            int lastQuad = offset + count - 4;
            int i = offset;
            while (i < lastQuad)
            {
                int a = values[src[i]];
                int b = values[src[i + 1]];
                int c = values[src[i + 2]];
                int d = values[src[i + 3]];

                // Any invalid symbol is -1, which makes the OR negative.
                if ((a | b | c | d) < 0)
                {
                    return -1;
                }

                int v = (a << 18) | (b << 12) | (c << 6) | d;
                dst[p] = (byte)(v >> 16);
                dst[p + 1] = (byte)(v >> 8);
                dst[p + 2] = (byte)v;
                i += 4;
                p += 3;
            }

            int a1 = values[src[i]];
            int b1 = values[src[i + 1]];
            if ((a1 | b1) < 0)
            {
                return -1;
            }

            byte c1 = src[i + 2];
            byte d1 = src[i + 3];
            if (d1 == PadByte)
            {
                if (c1 == PadByte)
                {
                    if ((b1 & 0x0F) != 0)
                    {
                        return -1;
                    }

                    dst[p++] = (byte)((a1 << 2) | (b1 >> 4));
                    return p - dstOffset;
                }

                int c2 = values[c1];
                if (c2 < 0 || (c2 & 0x03) != 0)
                {
                    return -1;
                }

                int v2 = (a1 << 18) | (b1 << 12) | (c2 << 6);
                dst[p++] = (byte)(v2 >> 16);
                dst[p++] = (byte)(v2 >> 8);
                return p - dstOffset;
            }

            int c3 = values[c1];
            int d3 = values[d1];
            if ((c3 | d3) < 0)
            {
                return -1;
            }

            int v3 = (a1 << 18) | (b1 << 12) | (c3 << 6) | d3;
            dst[p++] = (byte)(v3 >> 16);
            dst[p++] = (byte)(v3 >> 8);
            dst[p++] = (byte)v3;
            return p - dstOffset;
        }

        private static byte[] BuildAlphabet()
        {
            byte[] table = new byte[64];
            for (int i = 0; i < 26; i++)
            {
                table[i] = (byte)('A' + i);
                table[26 + i] = (byte)('a' + i);
            }

            for (int i = 0; i < 10; i++)
            {
                table[52 + i] = (byte)('0' + i);
            }

            table[62] = (byte)'+';
            table[63] = (byte)'/';
            return table;
        }

        private static sbyte[] BuildValues()
        {
            sbyte[] table = new sbyte[256];
            for (int i = 0; i < table.Length; i++)
            {
                table[i] = InvalidSymbol;
            }

            byte[] alphabet = BuildAlphabet();
            for (int i = 0; i < alphabet.Length; i++)
            {
                table[alphabet[i]] = (sbyte)i;
            }

            return table;
        }
    }
}
