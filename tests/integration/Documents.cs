using System.Buffers.Binary;
using System.Security.Cryptography;

namespace NetBoard.Integration.Tests
{
    /// <summary>Test documents: random bytes, and a small valid TIFF built field by field.</summary>
    internal static class Documents
    {
        public static byte[] Random(int length)
        {
            return RandomNumberGenerator.GetBytes(length);
        }

        /// <summary>A fresh token for a Subject, so a test finds its own message and no other test's.</summary>
        public static string Token()
        {
            return "T" + Guid.NewGuid().ToString("N").Substring(0, 16);
        }

        /// <summary>
        /// A little-endian baseline bilevel TIFF (one strip, uncompressed, 204x196 dpi like a fax) of
        /// <paramref name="width"/> x <paramref name="height"/> pixels with random pixel data.
        /// </summary>
        public static byte[] Tiff(int width, int height)
        {
            int rowBytes = (width + 7) / 8;
            int stripBytes = rowBytes * height;
            const int entryCount = 12;
            const int ifdOffset = 8;
            int ifdLength = 2 + (entryCount * 12) + 4;
            int xResOffset = ifdOffset + ifdLength;
            int yResOffset = xResOffset + 8;
            int stripOffset = yResOffset + 8;

            byte[] tiff = new byte[stripOffset + stripBytes];
            Span<byte> s = tiff;
            s[0] = (byte)'I';
            s[1] = (byte)'I';
            BinaryPrimitives.WriteUInt16LittleEndian(s.Slice(2), 42);
            BinaryPrimitives.WriteUInt32LittleEndian(s.Slice(4), ifdOffset);
            BinaryPrimitives.WriteUInt16LittleEndian(s.Slice(ifdOffset), entryCount);

            int at = ifdOffset + 2;
            // tags in ascending order, as TIFF 6.0 requires
            Entry(s, ref at, 256, 3, (uint)width);          // ImageWidth
            Entry(s, ref at, 257, 3, (uint)height);         // ImageLength
            Entry(s, ref at, 258, 3, 1);                    // BitsPerSample
            Entry(s, ref at, 259, 3, 1);                    // Compression: none
            Entry(s, ref at, 262, 3, 0);                    // PhotometricInterpretation: WhiteIsZero
            Entry(s, ref at, 273, 4, (uint)stripOffset);    // StripOffsets
            Entry(s, ref at, 277, 3, 1);                    // SamplesPerPixel
            Entry(s, ref at, 278, 3, (uint)height);         // RowsPerStrip
            Entry(s, ref at, 279, 4, (uint)stripBytes);     // StripByteCounts
            Entry(s, ref at, 282, 5, (uint)xResOffset);     // XResolution (RATIONAL at offset)
            Entry(s, ref at, 283, 5, (uint)yResOffset);     // YResolution
            Entry(s, ref at, 296, 3, 2);                    // ResolutionUnit: inch
            BinaryPrimitives.WriteUInt32LittleEndian(s.Slice(at), 0); // no next IFD

            BinaryPrimitives.WriteUInt32LittleEndian(s.Slice(xResOffset), 204);
            BinaryPrimitives.WriteUInt32LittleEndian(s.Slice(xResOffset + 4), 1);
            BinaryPrimitives.WriteUInt32LittleEndian(s.Slice(yResOffset), 196);
            BinaryPrimitives.WriteUInt32LittleEndian(s.Slice(yResOffset + 4), 1);
            RandomNumberGenerator.Fill(s.Slice(stripOffset));
            return tiff;
        }

        private static void Entry(Span<byte> s, ref int at, ushort tag, ushort type, uint value)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(s.Slice(at), tag);
            BinaryPrimitives.WriteUInt16LittleEndian(s.Slice(at + 2), type);
            BinaryPrimitives.WriteUInt32LittleEndian(s.Slice(at + 4), 1);
            if (type == 3)
            {
                // a SHORT sits left-justified in the 4-byte value field
                BinaryPrimitives.WriteUInt16LittleEndian(s.Slice(at + 8), (ushort)value);
                BinaryPrimitives.WriteUInt16LittleEndian(s.Slice(at + 10), 0);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(s.Slice(at + 8), value);
            }

            at += 12;
        }
    }
}
