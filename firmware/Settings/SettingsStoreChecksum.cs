namespace NetBoard.Firmware.Settings
{
    /// <summary>CRC-32 (IEEE 802.3, as in zip and PNG) of the settings file, and its trailer line.</summary>
    internal static class SettingsStoreChecksum
    {
        /// <summary>The start of the trailer line; eight lowercase hex digits and LF follow.</summary>
        public const string TrailerPrefix = "#crc32=";

        /// <summary>Length of the whole trailer line in bytes, LF included.</summary>
        public const int TrailerBytes = 7 + 8 + 1;

        private const uint ReflectedPolynomial = 0xEDB88320;

        private static readonly uint[] s_table = BuildTable();

        /// <summary>The CRC-32 of <paramref name="count"/> bytes from <paramref name="offset"/>.</summary>
        public static uint Compute(byte[] data, int offset, int count)
        {
            uint crc = 0xFFFFFFFF;
            int end = offset + count;
            for (int i = offset; i < end; i++)
            {
                crc = s_table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
            }

            return crc ^ 0xFFFFFFFF;
        }

        /// <summary>"#crc32=" + eight lowercase hex digits + LF.</summary>
        public static string Trailer(uint crc)
        {
            char[] digits = new char[8];
            for (int i = 7; i >= 0; i--)
            {
                digits[i] = "0123456789abcdef"[(int)(crc & 0xF)];
                crc >>= 4;
            }

            return TrailerPrefix + new string(digits) + "\n";
        }

        private static uint[] BuildTable()
        {
            // A 1 KiB table: the file is checked at every boot, and the bitwise loop is eight times slower.
            uint[] table = new uint[256];
            for (uint n = 0; n < 256; n++)
            {
                uint c = n;
                for (int k = 0; k < 8; k++)
                {
                    c = (c & 1) != 0 ? ReflectedPolynomial ^ (c >> 1) : c >> 1;
                }

                table[n] = c;
            }

            return table;
        }
    }
}
