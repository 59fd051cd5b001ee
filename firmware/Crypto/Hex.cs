namespace NetBoard.Firmware.Crypto
{
    /// <summary>Hexadecimal encoding into ASCII bytes, without allocating strings.</summary>
    public static class Hex
    {
        /// <summary>
        /// Writes each source byte as two lower-case ASCII hex digits ('0'-'9', 'a'-'f'),
        /// high nibble first; <paramref name="dst"/> receives 2 * <paramref name="count"/> bytes.
        /// </summary>
        /// <param name="src">Source bytes.</param>
        /// <param name="offset">Index of the first source byte.</param>
        /// <param name="count">Number of source bytes.</param>
        /// <param name="dst">Destination array.</param>
        /// <param name="dstOffset">Index where the first hex digit goes.</param>
        public static void ToLower(byte[] src, int offset, int count, byte[] dst, int dstOffset)
        {
            RangeCheck.Check(src, offset, count, "src");
            if (count > int.MaxValue / 2)
            {
                throw new System.ArgumentOutOfRangeException("count");
            }

            RangeCheck.Check(dst, dstOffset, count * 2, "dst");

            // Backwards, so expanding in place (dst at or after src in the same array) reads each byte before overwriting it.
            for (int i = count - 1; i >= 0; i--)
            {
                int value = src[offset + i];
                dst[dstOffset + 2 * i] = Digit(value >> 4);
                dst[dstOffset + 2 * i + 1] = Digit(value & 0x0F);
            }
        }

        private static byte Digit(int nibble)
        {
            return (byte)(nibble < 10 ? '0' + nibble : 'a' - 10 + nibble);
        }
    }
}
