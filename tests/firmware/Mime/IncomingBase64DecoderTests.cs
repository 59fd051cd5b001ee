using System;
using System.IO;
using System.Text;
using NetBoard.Firmware.Mime;

namespace NetBoard.Firmware.Tests.Mime
{
    public class IncomingBase64DecoderTests
    {
        /// <summary>Feeds the input in random pieces and returns the decoded bytes, or null when the decoder rejected it.</summary>
        private static byte[] DecodeInPieces(byte[] input, Random random, int maxPiece)
        {
            MimeBase64Decoder decoder = new MimeBase64Decoder();
            MemoryStream output = new MemoryStream();
            byte[] buffer = new byte[MimeBase64Decoder.MaxOutputLength(maxPiece)];
            int position = 0;
            while (position < input.Length)
            {
                int piece = Math.Min(random.Next(0, maxPiece + 1), input.Length - position);
                int n = decoder.Decode(input, position, piece, buffer, 0);
                if (n < 0)
                {
                    Assert.True(decoder.Failed);
                    return null;
                }

                output.Write(buffer, 0, n);
                position += piece;
            }

            int tail = decoder.Finish(buffer, 0);
            if (tail < 0)
            {
                Assert.True(decoder.Failed);
                return null;
            }

            output.Write(buffer, 0, tail);
            return output.ToArray();
        }

        private static byte[] Decode(string input)
        {
            return DecodeInPieces(Encoding.ASCII.GetBytes(input), new Random(1), 3);
        }

        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        [InlineData(57)]
        [InlineData(1000)]
        [InlineData(20001)]
        public void DecodesWrappedBase64InAnyPieces(int length)
        {
            Random random = new Random(length);
            byte[] data = new byte[length];
            random.NextBytes(data);
            string encoded = Convert.ToBase64String(data, Base64FormattingOptions.InsertLineBreaks);

            // Layout whitespace of every kind, including space runs and bare LFs, must not matter.
            string padded = encoded.Replace("\r\n", random.Next(2) == 0 ? " \t\r\n" : "\n");
            foreach (int maxPiece in new[] { 1, 7, 300, 5000 })
            {
                Assert.Equal(data, DecodeInPieces(Encoding.ASCII.GetBytes(padded), random, maxPiece));
            }
        }

        [Theory]
        [InlineData("QQ==", new byte[] { 0x41 })]
        [InlineData("QUI=", new byte[] { 0x41, 0x42 })]
        [InlineData("QU JD\r\n", new byte[] { 0x41, 0x42, 0x43 })]
        [InlineData("QQ=\r\n=", new byte[] { 0x41 })]
        [InlineData(" \r\n", new byte[0])]
        public void AcceptsPaddingAndWhitespaceAnywhere(string input, byte[] expected)
        {
            Assert.Equal(expected, Decode(input));
        }

        [Theory]
        [InlineData("QU!D")]
        [InlineData("Q===")]
        [InlineData("=QUI")]
        [InlineData("QQ=A")]
        [InlineData("QQ==QUJD")]
        [InlineData("QUJDQ")]
        [InlineData("QUJDQUI")]
        [InlineData("QR==")]
        [InlineData("QU-D")]
        public void RejectsWhatIsNotWholeBase64(string input)
        {
            Assert.Null(Decode(input));
        }

        [Fact]
        public void StaysFailedUntilReset()
        {
            MimeBase64Decoder decoder = new MimeBase64Decoder();
            byte[] output = new byte[MimeBase64Decoder.MaxOutputLength(8)];

            // Groups wait in the staging area, so a foreign char may only show when the body ends.
            Assert.InRange(decoder.Decode(Encoding.ASCII.GetBytes("QU*D"), 0, 4, output, 0), -1, 0);
            Assert.Equal(-1, decoder.Finish(output, 0));
            Assert.True(decoder.Failed);
            Assert.Equal(-1, decoder.Decode(Encoding.ASCII.GetBytes("QUJD"), 0, 4, output, 0));
            Assert.Equal(-1, decoder.Finish(output, 0));

            decoder.Reset();
            Assert.False(decoder.Failed);
            int n = decoder.Decode(Encoding.ASCII.GetBytes("QUJ"), 0, 3, output, 0);
            n += decoder.Decode(Encoding.ASCII.GetBytes("D"), 0, 1, output, n);
            n += decoder.Finish(output, n);
            Assert.Equal(3, n);
            Assert.Equal(new byte[] { 0x41, 0x42, 0x43 }, output.AsSpan(0, 3).ToArray());
        }
    }
}
