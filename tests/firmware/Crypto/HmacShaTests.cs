using System;
using NetBoard.Firmware.Crypto;

namespace NetBoard.Firmware.Tests.Crypto
{
    /// <summary>HMAC-SHA-256 against RFC 4231 section 4 and HMAC-SHA-1 against RFC 2202 section 3.</summary>
    public class HmacShaTests
    {
        private const string LargeKeyFirst = "Test Using Larger Than Block-Size Key - Hash Key First";

        public static TheoryData<byte[], byte[], string> Rfc4231Cases()
        {
            // Test cases 1-4, 6 and 7 (case 5, truncated output, has its own test).
            return new TheoryData<byte[], byte[], string>
            {
                { TestBytes.Repeat(0x0b, 20), TestBytes.Ascii("Hi There"), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
                { TestBytes.Ascii("Jefe"), TestBytes.Ascii("what do ya want for nothing?"), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
                { TestBytes.Repeat(0xaa, 20), TestBytes.Repeat(0xdd, 50), "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe" },
                { TestBytes.FromHex("0102030405060708090a0b0c0d0e0f10111213141516171819"), TestBytes.Repeat(0xcd, 50), "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b" },
                { TestBytes.Repeat(0xaa, 131), TestBytes.Ascii(LargeKeyFirst), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
                {
                    TestBytes.Repeat(0xaa, 131),
                    TestBytes.Ascii("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."),
                    "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"
                },
            };
        }

        public static TheoryData<byte[], byte[], string> Rfc2202Sha1Cases()
        {
            // All seven HMAC-SHA-1 test cases of RFC 2202 section 3 (case 5 compared in full).
            return new TheoryData<byte[], byte[], string>
            {
                { TestBytes.Repeat(0x0b, 20), TestBytes.Ascii("Hi There"), "b617318655057264e28bc0b6fb378c8ef146be00" },
                { TestBytes.Ascii("Jefe"), TestBytes.Ascii("what do ya want for nothing?"), "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79" },
                { TestBytes.Repeat(0xaa, 20), TestBytes.Repeat(0xdd, 50), "125d7342b9ac11cd91a39af48aa17b4f63f175d3" },
                { TestBytes.FromHex("0102030405060708090a0b0c0d0e0f10111213141516171819"), TestBytes.Repeat(0xcd, 50), "4c9007f4026250c6bc8414f9bf50c86c2d7235da" },
                { TestBytes.Repeat(0x0c, 20), TestBytes.Ascii("Test With Truncation"), "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04" },
                { TestBytes.Repeat(0xaa, 80), TestBytes.Ascii(LargeKeyFirst), "aa4ae5e15272d00e95705637ce8a3b55ed402112" },
                { TestBytes.Repeat(0xaa, 80), TestBytes.Ascii("Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data"), "e8e99d0f45237d786d6bbaa7965c7808bbff1a91" },
            };
        }

        [Theory]
        [MemberData(nameof(Rfc4231Cases))]
        public void HmacSha256_MatchesRfc4231(byte[] key, byte[] data, string expectedHex)
        {
            byte[] mac = new byte[32];

            Hmac.Compute(new Sha256(), key, 0, key.Length, data, 0, data.Length, mac, 0);

            Assert.Equal(expectedHex, TestBytes.ToHex(mac));
        }

        [Fact]
        public void HmacSha256_TruncatedCase5_MatchesRfc4231()
        {
            byte[] key = TestBytes.Repeat(0x0c, 20);
            byte[] data = TestBytes.Ascii("Test With Truncation");
            byte[] mac = new byte[32];

            Hmac.Compute(new Sha256(), key, 0, key.Length, data, 0, data.Length, mac, 0);

            Assert.Equal("a3b6167473100ee06e0c796c2955552b", TestBytes.ToHex(mac.AsSpan(0, 16).ToArray()));
        }

        [Theory]
        [MemberData(nameof(Rfc2202Sha1Cases))]
        public void HmacSha1_MatchesRfc2202(byte[] key, byte[] data, string expectedHex)
        {
            Hmac hmac = new Hmac(new Sha1(), key, 0, key.Length);
            int half = data.Length / 2;
            hmac.Update(data, 0, half);
            hmac.Update(data, half, data.Length - half);
            byte[] mac = new byte[20];

            hmac.Final(mac, 0);

            Assert.Equal(expectedHex, TestBytes.ToHex(mac));
        }

        [Fact]
        public void Final_AllowsNextMessageUnderSameKey()
        {
            byte[] key = TestBytes.Ascii("Jefe");
            byte[] data = TestBytes.Ascii("what do ya want for nothing?");
            Hmac hmac = new Hmac(new Sha256(), key, 0, key.Length);
            byte[] mac = new byte[32];
            hmac.Update(TestBytes.Ascii("first"), 0, 5);
            hmac.Final(mac, 0);

            hmac.Update(data, 0, data.Length);
            hmac.Final(mac, 0);

            Assert.Equal("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", TestBytes.ToHex(mac));
            Assert.Equal(32, hmac.HashSizeBytes);
        }

        [Fact]
        public void Clear_WipesKeyStatesAndBlocksFurtherUse()
        {
            byte[] key = TestBytes.Ascii("Jefe");
            Hmac hmac = new Hmac(new Sha256(), key, 0, key.Length);

            hmac.Clear();

            foreach (string field in new[] { "_innerStart", "_outerStart", "_inner", "_outer" })
            {
                BlockHash hash = (BlockHash)typeof(Hmac)
                    .GetField(field, System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)
                    .GetValue(hmac);
                uint[] state = (uint[])typeof(BlockHash)
                    .GetField("_state", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)
                    .GetValue(hash);

                // A wiped hasher holds only the algorithm's public initial values, no key-dependent state.
                Assert.Equal(new uint[] { 0x6A09E667u, 0xBB67AE85u, 0x3C6EF372u, 0xA54FF53Au, 0x510E527Fu, 0x9B05688Cu, 0x1F83D9ABu, 0x5BE0CD19u }, state);
            }

            Assert.Throws<InvalidOperationException>(() => hmac.Update(key, 0, 1));
            Assert.Throws<InvalidOperationException>(() => hmac.Final(new byte[32], 0));
        }

        [Fact]
        public void Guards_RejectBadArguments()
        {
            byte[] key = new byte[4];

            Assert.Throws<ArgumentNullException>(() => new Hmac(null, key, 0, 4));
            Assert.Throws<ArgumentNullException>(() => new Hmac(new Sha1(), null, 0, 0));
            Assert.Throws<ArgumentOutOfRangeException>(() => new Hmac(new Sha1(), key, 2, 3));
            Assert.Throws<ArgumentOutOfRangeException>(() => Hmac.Compute(new Sha256(), key, 0, 4, key, 0, 4, new byte[32], 1));
        }
    }
}
