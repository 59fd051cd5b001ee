namespace NetBoard.Firmware.Storage
{
    /// <summary>CRC-32 (IEEE 802.3, reflected, as in zlib) for record checksums.</summary>
    public static class Crc32
    {
        private static readonly uint[] s_table = BuildTable();

        /// <summary>The CRC of <paramref name="count"/> bytes, continuing from <paramref name="crc"/> (start with 0).</summary>
        public static uint Update(uint crc, byte[] data, int offset, int count)
        {
            uint c = ~crc;
            int end = offset + count;
            for (int i = offset; i < end; i++)
            {
                c = s_table[(c ^ data[i]) & 0xFF] ^ (c >> 8);
            }

            return ~c;
        }

        private static uint[] BuildTable()
        {
            uint[] table = new uint[256];
            for (uint n = 0; n < 256; n++)
            {
                uint c = n;
                for (int k = 0; k < 8; k++)
                {
                    c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
                }

                table[n] = c;
            }

            return table;
        }
    }
}
