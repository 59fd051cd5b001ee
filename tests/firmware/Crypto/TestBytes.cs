using System;

namespace NetBoard.Firmware.Tests.Crypto
{
    /// <summary>Small byte helpers for the crypto and SASL tests.</summary>
    internal static class TestBytes
    {
        internal static byte[] Ascii(string text)
        {
            byte[] bytes = new byte[text.Length];
            for (int i = 0; i < text.Length; i++)
            {
                bytes[i] = checked((byte)text[i]);
            }

            return bytes;
        }

        internal static byte[] Repeat(byte value, int count)
        {
            byte[] bytes = new byte[count];
            for (int i = 0; i < count; i++)
            {
                bytes[i] = value;
            }

            return bytes;
        }

        internal static byte[] FromHex(string hex)
        {
            return Convert.FromHexString(hex);
        }

        internal static string ToHex(byte[] bytes)
        {
            return Convert.ToHexString(bytes).ToLowerInvariant();
        }
    }
}
