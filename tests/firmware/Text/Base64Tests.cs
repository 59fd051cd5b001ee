using System;
using System.Text;
using NetBoard.Firmware.Text;

namespace NetBoard.Firmware.Tests.Text
{
    public class Base64Tests
    {
        [Fact]
        public void EncodesLikeConvertOnRandomData()
        {
            Random random = new Random(42);
            for (int length = 0; length < 300; length++)
            {
                byte[] data = new byte[length];
                random.NextBytes(data);
                int offset = random.Next(5);
                byte[] dst = new byte[offset + Base64.EncodedLength(length) + 3];
                int written = Base64.Encode(data, 0, length, dst, offset);
                string expected = Convert.ToBase64String(data);
                Assert.Equal(expected.Length, written);
                Assert.Equal(expected, Encoding.ASCII.GetString(dst, offset, written));
            }
        }

        [Fact]
        public void DecodesWhatConvertEncodes()
        {
            Random random = new Random(43);
            for (int length = 0; length < 300; length++)
            {
                byte[] data = new byte[length];
                random.NextBytes(data);
                byte[] text = Encoding.ASCII.GetBytes(Convert.ToBase64String(data));
                byte[] dst = new byte[Base64.DecodedMaxLength(text.Length)];
                int written = Base64.Decode(text, 0, text.Length, dst, 0);
                Assert.Equal(length, written);
                Assert.Equal(data, dst.AsSpan(0, written).ToArray());
            }
        }

        [Fact]
        public void EncodesAndDecodesSubranges()
        {
            byte[] data = Encoding.ASCII.GetBytes("xxfoobarxx");
            byte[] encoded = new byte[8];
            Assert.Equal(8, Base64.Encode(data, 2, 6, encoded, 0));
            Assert.Equal("Zm9vYmFy", Encoding.ASCII.GetString(encoded));
            byte[] decoded = new byte[8];
            Assert.Equal(6, Base64.Decode(encoded, 0, 8, decoded, 2));
            Assert.Equal("foobar", Encoding.ASCII.GetString(decoded, 2, 6));
        }

        [Theory]
        [InlineData("", 0)]
        [InlineData("Zg==", 1)]
        [InlineData("Zm8=", 2)]
        [InlineData("Zm9v", 3)]
        public void DecodesRfc4648Vectors(string text, int expected)
        {
            byte[] src = Encoding.ASCII.GetBytes(text);
            Assert.Equal(expected, Base64.Decode(src, 0, src.Length, new byte[3], 0));
        }

        [Theory]
        [InlineData("Zg=")]
        [InlineData("Zm9")]
        [InlineData("Z")]
        [InlineData("Zm9vY")]
        [InlineData("Zm 9")]
        [InlineData("Zm9v\r\nYmFy")]
        [InlineData("Zm9v YmFy")]
        [InlineData("Zm9-")]
        [InlineData("Zm9_")]
        [InlineData("Zm9*")]
        [InlineData("Z===")]
        [InlineData("====")]
        [InlineData("=Zm9")]
        [InlineData("Zg=a")]
        [InlineData("Zg==Zm9v")]
        [InlineData("Zm8=Zm9v")]
        [InlineData("Zh==")]
        [InlineData("Zm9=")]
        public void DecodeRejectsInvalidInput(string text)
        {
            byte[] src = Encoding.ASCII.GetBytes(text);
            Assert.Equal(-1, Base64.Decode(src, 0, src.Length, new byte[Base64.DecodedMaxLength(src.Length)], 0));
        }

        [Fact]
        public void DecodeRejectsNonAsciiBytes()
        {
            byte[] src = { (byte)'Z', (byte)'m', 0xC3, (byte)'v' };
            Assert.Equal(-1, Base64.Decode(src, 0, src.Length, new byte[3], 0));
        }

        [Fact]
        public void LengthHelpersMatchTheFormat()
        {
            Assert.Equal(0, Base64.EncodedLength(0));
            Assert.Equal(4, Base64.EncodedLength(1));
            Assert.Equal(4, Base64.EncodedLength(3));
            Assert.Equal(76, Base64.EncodedLength(57));
            Assert.Equal(80, Base64.EncodedLength(58));
            Assert.Equal(0, Base64.DecodedMaxLength(0));
            Assert.Equal(57, Base64.DecodedMaxLength(76));
        }

        [Fact]
        public void GuardsRejectTooSmallDestination()
        {
            byte[] src = new byte[3];
            Assert.Throws<ArgumentOutOfRangeException>(() => Base64.Encode(src, 0, 3, new byte[3], 0));
            Assert.Throws<ArgumentOutOfRangeException>(() => Base64.Decode(Encoding.ASCII.GetBytes("Zm9v"), 0, 4, new byte[2], 0));

            // Padding shrinks the need: "Zm8=" fits exactly into two bytes.
            Assert.Equal(2, Base64.Decode(Encoding.ASCII.GetBytes("Zm8="), 0, 4, new byte[2], 0));
        }

        [Fact]
        public void DecodeRejectsCorruptionAnywhereInLongInput()
        {
            byte[] data = new byte[3000];
            new Random(6).NextBytes(data);
            byte[] text = Encoding.ASCII.GetBytes(Convert.ToBase64String(data));
            byte[] dst = new byte[data.Length];
            Random random = new Random(8);
            byte[] badSymbols = Encoding.ASCII.GetBytes(" \r\n\t-_.*=");
            for (int i = 0; i < 200; i++)
            {
                byte[] corrupt = (byte[])text.Clone();
                int position = random.Next(corrupt.Length - 4);
                corrupt[position] = badSymbols[random.Next(badSymbols.Length)];
                Assert.Equal(-1, Base64.Decode(corrupt, 0, corrupt.Length, dst, 0));
            }
        }
    }
}
