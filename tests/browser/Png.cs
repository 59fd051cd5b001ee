using System;
using System.IO;

namespace NetBoard.Browser.Tests
{
    /// <summary>Reads what a PNG file says about itself: the signature and the IHDR chunk's size.</summary>
    public static class Png
    {
        private static readonly byte[] s_signature = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };

        /// <summary>Width and height from the IHDR chunk; fails the test when the file is not a PNG.</summary>
        public static (int Width, int Height) Size(string path)
        {
            byte[] head = new byte[24];
            using (FileStream file = File.OpenRead(path))
            {
                Assert.Equal(head.Length, file.Read(head, 0, head.Length));
            }

            for (int i = 0; i < s_signature.Length; i++)
            {
                Assert.True(head[i] == s_signature[i], path + " does not start with the PNG signature");
            }

            Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(head, 12, 4));
            return (BigEndian(head, 16), BigEndian(head, 20));
        }

        private static int BigEndian(byte[] bytes, int offset)
        {
            return (bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3];
        }
    }
}
