namespace NetBoard.Firmware.Crypto
{
    /// <summary>Comparisons whose running time does not depend on where the inputs differ (for proofs and signatures).</summary>
    public static class FixedTime
    {
        /// <summary>True when the two ranges hold the same bytes; every byte is looked at whatever the first difference.</summary>
        /// <param name="a">First array.</param>
        /// <param name="aOffset">Index of the first byte of the first range.</param>
        /// <param name="b">Second array.</param>
        /// <param name="bOffset">Index of the first byte of the second range.</param>
        /// <param name="count">Number of bytes to compare.</param>
        public static bool AreEqual(byte[] a, int aOffset, byte[] b, int bOffset, int count)
        {
            RangeCheck.Check(a, aOffset, count, "a");
            RangeCheck.Check(b, bOffset, count, "b");

            int difference = 0;
            for (int i = 0; i < count; i++)
            {
                difference |= a[aOffset + i] ^ b[bOffset + i];
            }

            return difference == 0;
        }
    }
}
