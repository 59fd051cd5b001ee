using System;
using NetBoard.Firmware.Crypto;

namespace NetBoard.Firmware.Tests.Crypto
{
    public class HexTests
    {
        [Fact]
        public void ToLower_EncodesEveryByteValue()
        {
            byte[] src = new byte[256];
            for (int i = 0; i < src.Length; i++)
            {
                src[i] = (byte)i;
            }

            byte[] dst = new byte[512];

            Hex.ToLower(src, 0, src.Length, dst, 0);

            Assert.Equal(Convert.ToHexString(src).ToLowerInvariant(), System.Text.Encoding.ASCII.GetString(dst));
        }

        [Fact]
        public void ToLower_HonoursOffsetsAndLeavesRestUntouched()
        {
            byte[] src = { 0x00, 0xAB, 0x0F, 0x00 };
            byte[] dst = TestBytes.Repeat((byte)'#', 8);

            Hex.ToLower(src, 1, 2, dst, 2);

            Assert.Equal("##ab0f##", System.Text.Encoding.ASCII.GetString(dst));
        }

        [Fact]
        public void ToLower_ExpandsInPlace()
        {
            byte[] buffer = { 0xDE, 0xAD, 0xBE, 0xEF, 0, 0, 0, 0 };

            Hex.ToLower(buffer, 0, 4, buffer, 0);

            Assert.Equal("deadbeef", System.Text.Encoding.ASCII.GetString(buffer));
        }

        [Fact]
        public void ToLower_RejectsTooSmallDestination()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => Hex.ToLower(new byte[4], 0, 4, new byte[7], 0));
            Assert.Throws<ArgumentNullException>(() => Hex.ToLower(null, 0, 0, new byte[1], 0));
        }
    }
}
