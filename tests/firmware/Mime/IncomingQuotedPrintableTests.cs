using System;
using System.IO;
using System.Text;
using MimeKit;
using MimeKit.IO;
using MimeKit.IO.Filters;
using NetBoard.Firmware.Mime;

namespace NetBoard.Firmware.Tests.Mime
{
    public class IncomingQuotedPrintableTests
    {
        /// <summary>Decodes encoded text the way the reader does: line by line in random pieces, with Finish at the end.</summary>
        private static byte[] DecodeLines(byte[] encoded, Random random, int maxPiece)
        {
            MimeQuotedPrintableDecoder decoder = new MimeQuotedPrintableDecoder();
            MemoryStream output = new MemoryStream();
            byte[] buffer = new byte[MimeQuotedPrintableDecoder.MaxOutputLength(maxPiece)];
            int lineStart = 0;
            while (true)
            {
                int lf = Array.IndexOf(encoded, (byte)'\n', lineStart);
                int lineEnd = lf < 0 ? encoded.Length : lf;
                int contentEnd = lf > lineStart && encoded[lf - 1] == '\r' ? lf - 1 : lineEnd;
                int position = lineStart;
                while (position < contentEnd)
                {
                    int piece = Math.Min(random.Next(1, maxPiece + 1), contentEnd - position);
                    output.Write(buffer, 0, decoder.Decode(encoded, position, piece, buffer, 0));
                    position += piece;
                }

                if (lf < 0)
                {
                    output.Write(buffer, 0, decoder.Finish(buffer, 0));
                    return output.ToArray();
                }

                output.Write(buffer, 0, decoder.LineBreak(buffer, 0));
                lineStart = lf + 1;
            }
        }

        private static string Decode(string encoded)
        {
            return Encoding.Latin1.GetString(DecodeLines(Encoding.Latin1.GetBytes(encoded), new Random(1), 2));
        }

        private static byte[] MimeKitEncode(byte[] data)
        {
            MemoryStream encoded = new MemoryStream();
            using (FilteredStream filtered = new FilteredStream(encoded))
            {
                filtered.Add(EncoderFilter.Create(ContentEncoding.QuotedPrintable));
                filtered.Add(new Unix2DosFilter());
                filtered.Write(data, 0, data.Length);
                filtered.Flush();
            }

            return encoded.ToArray();
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        [InlineData(4)]
        public void DecodesWhatMimeKitEncodes(int seed)
        {
            Random random = new Random(seed);
            MemoryStream text = new MemoryStream();
            for (int line = 0; line < 200; line++)
            {
                int length = random.Next(0, 250);
                for (int i = 0; i < length; i++)
                {
                    int kind = random.Next(8);
                    text.WriteByte(kind switch
                    {
                        0 => (byte)' ',
                        1 => (byte)'\t',
                        2 => (byte)'=',
                        3 => (byte)random.Next(0x80, 0x100),
                        _ => (byte)random.Next(0x21, 0x7F),
                    });
                }

                text.Write(line % 3 == 0 ? Encoding.ASCII.GetBytes(" \r\n") : Encoding.ASCII.GetBytes("\r\n"));
            }

            text.Write(Encoding.ASCII.GetBytes("no line break at the end \t"));
            byte[] data = text.ToArray();
            byte[] encoded = MimeKitEncode(data);

            foreach (int maxPiece in new[] { 1, 7, 100 })
            {
                Assert.Equal(data, DecodeLines(encoded, random, maxPiece));
            }
        }

        [Theory]
        [InlineData("a=3Db", "a=b")]
        [InlineData("caf=c3=a9", "caf\u00c3\u00a9")]
        [InlineData("soft=\r\nbreak", "softbreak")]
        [InlineData("soft= \t\r\nbreak", "softbreak")]
        [InlineData("hard  \r\nbreak\t", "hard\r\nbreak")]
        [InlineData("kept =20\r\nx", "kept  \r\nx")]
        [InlineData("a b\tc", "a b\tc")]
        [InlineData("stray =x and =", "stray =x and ")]
        [InlineData("half =4\r\nx", "half =4\r\nx")]
        [InlineData("half =4", "half =4")]
        [InlineData("= x", "= x")]
        [InlineData("a=  \t", "a")]
        [InlineData("\r\n\r\n", "\r\n\r\n")]
        [InlineData("", "")]
        public void HandlesEscapesBreaksAndWhitespace(string encoded, string expected)
        {
            Assert.Equal(expected, Decode(encoded));
        }

        [Fact]
        public void WhitespaceRunsLongerThanTheHoldAreKeptWhenTextFollows()
        {
            string spaces = new string(' ', (MimeQuotedPrintableDecoder.MaxHeldWhitespaceBytes * 2) + 3);
            Assert.Equal(spaces + "x", Decode(spaces + "x"));
            Assert.Equal("x" + spaces + "y\r\nz", Decode("x" + spaces + "y\r\nz"));
        }
    }
}
