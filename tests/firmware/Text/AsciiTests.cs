using System;
using NetBoard.Firmware.Text;

namespace NetBoard.Firmware.Tests.Text
{
    public class AsciiTests
    {
        [Fact]
        public void GetStringMapsHighBytesToQuestionMark()
        {
            byte[] data = { 0x41, 0x80, 0x7F, 0xFF, 0x20 };
            Assert.Equal("A?\u007F? ", Ascii.GetString(data, 0, data.Length));
            Assert.Equal("?\u007F", Ascii.GetString(data, 1, 2));
        }

        [Fact]
        public void GetBytesMapsWideCharsToQuestionMark()
        {
            byte[] dst = new byte[6];
            int written = Ascii.GetBytes("Zü\u20ACx", dst, 1);
            Assert.Equal(4, written);
            Assert.Equal(new byte[] { 0, 0x5A, 0x3F, 0x3F, 0x78, 0 }, dst);
        }

        [Fact]
        public void GetBytesThrowsWhenDestinationIsTooSmall()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => Ascii.GetBytes("abc", new byte[3], 1));
        }

        [Theory]
        [InlineData("", true)]
        [InlineData("plain text\r\n\u007F", true)]
        [InlineData("B\u00fcro", false)]
        [InlineData("\u0080", false)]
        public void IsAsciiTellsSevenBitText(string s, bool expected)
        {
            Assert.Equal(expected, Ascii.IsAscii(s));
        }
    }
}
