using System;
using System.Text;
using NetBoard.Firmware.Text;

namespace NetBoard.Firmware.Tests.Text
{
    public class Utf8Tests
    {
        private static string RandomString(Random random, int length)
        {
            char[] chars = new char[length];
            for (int i = 0; i < length; i++)
            {
                int kind = random.Next(6);
                switch (kind)
                {
                    case 0:
                        chars[i] = (char)random.Next(0x80);
                        break;
                    case 1:
                        chars[i] = (char)random.Next(0x80, 0x800);
                        break;
                    case 2:
                        chars[i] = (char)random.Next(0x800, 0x10000);
                        break;
                    case 3:
                        // A proper pair when room allows, else a lone high surrogate.
                        chars[i] = (char)random.Next(0xD800, 0xDC00);
                        if (i + 1 < length)
                        {
                            chars[++i] = (char)random.Next(0xDC00, 0xE000);
                        }

                        break;
                    case 4:
                        chars[i] = (char)random.Next(0xDC00, 0xE000);
                        break;
                    default:
                        chars[i] = (char)random.Next(0xD800, 0xDC00);
                        break;
                }
            }

            return new string(chars);
        }

        [Fact]
        public void EncodesLikeSystemUtf8OnRandomStringsWithSurrogates()
        {
            Random random = new Random(1234);
            for (int round = 0; round < 2000; round++)
            {
                string s = RandomString(random, random.Next(0, 40));
                byte[] expected = Encoding.UTF8.GetBytes(s);
                Assert.Equal(expected.Length, Utf8.GetByteCount(s));
                Assert.Equal(expected, Utf8.GetBytes(s));
            }
        }

        [Fact]
        public void GetBytesWritesAtOffsetAndReportsCount()
        {
            byte[] dst = new byte[10];
            int written = Utf8.GetBytes("a\u00e9\U0001F600", dst, 2);
            Assert.Equal(7, written);
            Assert.Equal(new byte[] { 0, 0, 0x61, 0xC3, 0xA9, 0xF0, 0x9F, 0x98, 0x80, 0 }, dst);
        }

        [Fact]
        public void GetBytesThrowsWhenDestinationIsTooSmall()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => Utf8.GetBytes("\u00e9\u00e9", new byte[3], 0));
        }

        [Fact]
        public void DecodesValidTextLikeSystemUtf8()
        {
            Random random = new Random(99);
            for (int round = 0; round < 2000; round++)
            {
                string s = RandomString(random, random.Next(0, 40));
                byte[] bytes = Encoding.UTF8.GetBytes(s);
                Assert.Equal(Encoding.UTF8.GetString(bytes), Utf8.GetString(bytes, 0, bytes.Length));
            }
        }

        [Fact]
        public void DecodesRandomBytesLikeSystemUtf8IncludingReplacementCount()
        {
            Random random = new Random(7);
            byte[] interesting = { 0x00, 0x41, 0x7F, 0x80, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF, 0x9F, 0xA0, 0x90, 0x8F };
            for (int round = 0; round < 20000; round++)
            {
                byte[] data = new byte[random.Next(0, 12)];
                for (int i = 0; i < data.Length; i++)
                {
                    data[i] = random.Next(2) == 0 ? interesting[random.Next(interesting.Length)] : (byte)random.Next(256);
                }

                Assert.Equal(Encoding.UTF8.GetString(data), Utf8.GetString(data, 0, data.Length));
            }
        }

        [Fact]
        public void DecodesOnlyTheRequestedRange()
        {
            byte[] data = { 0xFF, 0x68, 0x69, 0xFF };
            Assert.Equal("hi", Utf8.GetString(data, 1, 2));
            Assert.Equal(string.Empty, Utf8.GetString(data, 4, 0));
        }

        [Theory]
        [InlineData(new byte[] { 0xC3 }, "\uFFFD")]
        [InlineData(new byte[] { 0xE2, 0x82 }, "\uFFFD")]
        [InlineData(new byte[] { 0xC0, 0xAF }, "\uFFFD\uFFFD")]
        [InlineData(new byte[] { 0xED, 0xA0, 0x80 }, "\uFFFD\uFFFD\uFFFD")]
        [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 }, "\uFFFD\uFFFD\uFFFD\uFFFD")]
        [InlineData(new byte[] { 0xF0, 0x9F, 0x98, 0x41 }, "\uFFFDA")]
        public void ReplacesMalformedSequencesWithoutThrowing(byte[] data, string expected)
        {
            Assert.Equal(expected, Utf8.GetString(data, 0, data.Length));
        }

        [Fact]
        public void NullStringCountsAsEmpty()
        {
            Assert.Equal(0, Utf8.GetByteCount(null));
            Assert.Empty(Utf8.GetBytes(null));
        }
    }
}
