using System;
using NetBoard.Firmware.Crypto;

namespace NetBoard.Firmware.Tests.Crypto
{
    public class Md5Tests
    {
        // The complete test suite of RFC 1321, appendix A.5.
        [Theory]
        [InlineData("", "d41d8cd98f00b204e9800998ecf8427e")]
        [InlineData("a", "0cc175b9c0f1b6a831c399e269772661")]
        [InlineData("abc", "900150983cd24fb0d6963f7d28e17f72")]
        [InlineData("message digest", "f96b697d7cb7938d525a2f31aaf161d0")]
        [InlineData("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b")]
        [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f")]
        [InlineData("12345678901234567890123456789012345678901234567890123456789012345678901234567890", "57edf4a22be3c955ac49da2e2107b67a")]
        public void Hash_MatchesRfc1321TestSuite(string message, string expectedHex)
        {
            byte[] digest = Md5.Hash(TestBytes.Ascii(message), 0, message.Length);

            Assert.Equal(expectedHex, TestBytes.ToHex(digest));
        }

        [Theory]
        [InlineData("abc", "900150983cd24fb0d6963f7d28e17f72")]
        [InlineData("12345678901234567890123456789012345678901234567890123456789012345678901234567890", "57edf4a22be3c955ac49da2e2107b67a")]
        public void Update_ByteByByte_GivesSameDigest(string message, string expectedHex)
        {
            byte[] data = TestBytes.Ascii(message);
            Md5 md5 = new Md5();
            for (int i = 0; i < data.Length; i++)
            {
                md5.Update(data, i, 1);
            }

            byte[] digest = new byte[16];
            md5.Final(digest, 0);

            Assert.Equal(expectedHex, TestBytes.ToHex(digest));
        }

        [Fact]
        public void Hash_HonoursOffsetAndCount()
        {
            byte[] framed = TestBytes.Ascii("xxabcyy");

            byte[] digest = Md5.Hash(framed, 2, 3);

            Assert.Equal("900150983cd24fb0d6963f7d28e17f72", TestBytes.ToHex(digest));
        }

        [Fact]
        public void Final_WritesAtOffsetAndLeavesRestUntouched()
        {
            byte[] output = TestBytes.Repeat(0xEE, 20);
            Md5 md5 = new Md5();
            md5.Update(TestBytes.Ascii("a"), 0, 1);

            md5.Final(output, 2);

            Assert.Equal(0xEE, output[0]);
            Assert.Equal(0xEE, output[1]);
            Assert.Equal("0cc175b9c0f1b6a831c399e269772661", TestBytes.ToHex(output.AsSpan(2, 16).ToArray()));
            Assert.Equal(0xEE, output[18]);
            Assert.Equal(0xEE, output[19]);
        }

        [Fact]
        public void Final_ResetsForTheNextMessage()
        {
            Md5 md5 = new Md5();
            byte[] first = new byte[16];
            byte[] second = new byte[16];
            md5.Update(TestBytes.Ascii("garbage"), 0, 7);
            md5.Final(first, 0);

            md5.Update(TestBytes.Ascii("abc"), 0, 3);
            md5.Final(second, 0);

            Assert.Equal("900150983cd24fb0d6963f7d28e17f72", TestBytes.ToHex(second));
        }

        [Fact]
        public void Reset_DiscardsPendingData()
        {
            Md5 md5 = new Md5();
            byte[] digest = new byte[16];
            md5.Update(TestBytes.Ascii("pending data"), 0, 12);

            md5.Reset();
            md5.Final(digest, 0);

            Assert.Equal("d41d8cd98f00b204e9800998ecf8427e", TestBytes.ToHex(digest));
        }

        [Fact]
        public void Hash_OneMillionA_MatchesPlatform()
        {
            byte[] data = TestBytes.Repeat((byte)'a', 1000000);

            byte[] digest = Md5.Hash(data, 0, data.Length);

            Assert.Equal(System.Security.Cryptography.MD5.HashData(data), digest);
        }

        [Fact]
        public void Guards_RejectBadRanges()
        {
            Md5 md5 = new Md5();
            byte[] data = new byte[10];

            Assert.Throws<ArgumentNullException>(() => md5.Update(null, 0, 0));
            Assert.Throws<ArgumentOutOfRangeException>(() => md5.Update(data, -1, 1));
            Assert.Throws<ArgumentOutOfRangeException>(() => md5.Update(data, 5, 6));
            Assert.Throws<ArgumentOutOfRangeException>(() => md5.Update(data, 0, -1));
            Assert.Throws<ArgumentOutOfRangeException>(() => md5.Update(data, int.MaxValue, 1));
            Assert.Throws<ArgumentOutOfRangeException>(() => md5.Final(new byte[16], 1));
            Assert.Throws<ArgumentNullException>(() => md5.Final(null, 0));
        }
    }
}
