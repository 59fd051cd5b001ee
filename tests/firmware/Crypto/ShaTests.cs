using System;
using NetBoard.Firmware.Crypto;

namespace NetBoard.Firmware.Tests.Crypto
{
    /// <summary>SHA-1 and SHA-256 against the FIPS 180-4 example messages (NIST's "Examples with intermediate values").</summary>
    public class ShaTests
    {
        private const string TwoBlockMessage = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        private const string LongMessage = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

        [Theory]
        [InlineData("", "da39a3ee5e6b4b0d3255bfef95601890afd80709")]
        [InlineData("abc", "a9993e364706816aba3e25717850c26c9cd0d89d")]
        [InlineData(TwoBlockMessage, "84983e441c3bd26ebaae4aa1f95129e5e54670f1")]
        [InlineData(LongMessage, "a49b2446a02c645bf419f995b67091253a04a259")]
        public void Sha1_MatchesFips180Examples(string message, string expectedHex)
        {
            byte[] digest = Sha1.Hash(TestBytes.Ascii(message), 0, message.Length);

            Assert.Equal(expectedHex, TestBytes.ToHex(digest));
        }

        [Theory]
        [InlineData("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
        [InlineData("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
        [InlineData(TwoBlockMessage, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
        [InlineData(LongMessage, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")]
        public void Sha256_MatchesFips180Examples(string message, string expectedHex)
        {
            byte[] digest = Sha256.Hash(TestBytes.Ascii(message), 0, message.Length);

            Assert.Equal(expectedHex, TestBytes.ToHex(digest));
        }

        [Fact]
        public void MillionA_InUnevenPieces_MatchesFips180()
        {
            // One million 'a', fed as 1000 updates of 1000 bytes from an array at an odd offset.
            byte[] chunk = TestBytes.Repeat((byte)'a', 1003);
            Sha1 sha1 = new Sha1();
            Sha256 sha256 = new Sha256();
            for (int i = 0; i < 1000; i++)
            {
                sha1.Update(chunk, 3, 1000);
                sha256.Update(chunk, 3, 1000);
            }

            byte[] d1 = new byte[Sha1.HashSizeBytes];
            byte[] d256 = new byte[Sha256.HashSizeBytes];
            sha1.Final(d1, 0);
            sha256.Final(d256, 0);

            Assert.Equal("34aa973cd4c4daa4f61eeb2bdbad27316534016f", TestBytes.ToHex(d1));
            Assert.Equal("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", TestBytes.ToHex(d256));
        }

        [Fact]
        public void Final_ResetsForTheNextMessage()
        {
            Sha256 sha = new Sha256();
            byte[] digest = new byte[32];
            sha.Update(TestBytes.Ascii("something else"), 0, 14);
            sha.Final(digest, 0);

            sha.Update(TestBytes.Ascii("abc"), 0, 3);
            sha.Final(digest, 0);

            Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", TestBytes.ToHex(digest));
        }

        [Fact]
        public void CopyStateFrom_ContinuesFromTheSameState()
        {
            Sha1 first = new Sha1();
            first.Update(TestBytes.Ascii("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"), 0, 20);
            Sha1 second = new Sha1();
            second.Update(TestBytes.Ascii("unrelated data that must be forgotten"), 0, 30);

            second.CopyStateFrom(first);
            second.Update(TestBytes.Ascii(TwoBlockMessage), 20, TwoBlockMessage.Length - 20);
            byte[] digest = new byte[20];
            second.Final(digest, 0);

            Assert.Equal("84983e441c3bd26ebaae4aa1f95129e5e54670f1", TestBytes.ToHex(digest));
            Assert.Throws<ArgumentException>(() => second.CopyStateFrom(new Sha256()));
        }

        [Fact]
        public void Wipe_ClearsMessageSchedule()
        {
            Sha256 sha = new Sha256();
            sha.Update(TestBytes.Repeat(0x5A, 64), 0, 64);

            sha.Wipe();

            uint[] schedule = (uint[])typeof(Sha256)
                .GetField("_schedule", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)
                .GetValue(sha);
            Assert.All(schedule, w => Assert.Equal(0u, w));
            byte[] digest = new byte[32];
            sha.Final(digest, 0);
            Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", TestBytes.ToHex(digest));
        }
    }
}
