using System;
using NetBoard.Firmware.Crypto;

namespace NetBoard.Firmware.Tests.Crypto
{
    public class HmacMd5Tests
    {
        public static TheoryData<byte[], byte[], string> Rfc2202Cases()
        {
            // All seven HMAC-MD5 test cases of RFC 2202 section 2.
            return new TheoryData<byte[], byte[], string>
            {
                { TestBytes.Repeat(0x0b, 16), TestBytes.Ascii("Hi There"), "9294727a3638bb1c13f48ef8158bfc9d" },
                { TestBytes.Ascii("Jefe"), TestBytes.Ascii("what do ya want for nothing?"), "750c783e6ab0b503eaa86e310a5db738" },
                { TestBytes.Repeat(0xaa, 16), TestBytes.Repeat(0xdd, 50), "56be34521d144c88dbb8c733f0e8b3f6" },
                { TestBytes.FromHex("0102030405060708090a0b0c0d0e0f10111213141516171819"), TestBytes.Repeat(0xcd, 50), "697eaf0aca3a3aea3a75164746ffaa79" },
                { TestBytes.Repeat(0x0c, 16), TestBytes.Ascii("Test With Truncation"), "56461ef2342edc00f9bab995690efd4c" },
                { TestBytes.Repeat(0xaa, 80), TestBytes.Ascii("Test Using Larger Than Block-Size Key - Hash Key First"), "6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd" },
                { TestBytes.Repeat(0xaa, 80), TestBytes.Ascii("Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data"), "6f630fad67cda0ee1fb1f562db3aa53e" },
            };
        }

        [Theory]
        [MemberData(nameof(Rfc2202Cases))]
        public void Compute_MatchesRfc2202(byte[] key, byte[] data, string expectedHex)
        {
            byte[] mac = new byte[16];

            HmacMd5.Compute(key, 0, key.Length, data, 0, data.Length, mac, 0);

            Assert.Equal(expectedHex, TestBytes.ToHex(mac));
        }

        [Theory]
        [MemberData(nameof(Rfc2202Cases))]
        public void Incremental_MatchesRfc2202(byte[] key, byte[] data, string expectedHex)
        {
            HmacMd5 hmac = new HmacMd5(key, 0, key.Length);
            int half = data.Length / 2;
            hmac.Update(data, 0, half);
            hmac.Update(data, half, data.Length - half);
            byte[] mac = new byte[16];

            hmac.Final(mac, 0);

            Assert.Equal(expectedHex, TestBytes.ToHex(mac));
        }

        [Fact]
        public void Final_AllowsNextMessageUnderSameKey()
        {
            byte[] key = TestBytes.Ascii("Jefe");
            byte[] first = TestBytes.Ascii("first message");
            byte[] second = TestBytes.Ascii("what do ya want for nothing?");
            HmacMd5 hmac = new HmacMd5(key, 0, key.Length);
            byte[] mac = new byte[16];
            hmac.Update(first, 0, first.Length);
            hmac.Final(mac, 0);

            hmac.Update(second, 0, second.Length);
            hmac.Final(mac, 0);

            Assert.Equal("750c783e6ab0b503eaa86e310a5db738", TestBytes.ToHex(mac));
        }

        [Fact]
        public void Constructor_DoesNotKeepReferenceToCallerKey()
        {
            byte[] key = TestBytes.Ascii("Jefe");
            byte[] data = TestBytes.Ascii("what do ya want for nothing?");
            HmacMd5 hmac = new HmacMd5(key, 0, key.Length);

            Array.Clear(key, 0, key.Length);
            hmac.Update(data, 0, data.Length);
            byte[] mac = new byte[16];
            hmac.Final(mac, 0);

            Assert.Equal("750c783e6ab0b503eaa86e310a5db738", TestBytes.ToHex(mac));
        }

        [Fact]
        public void Clear_WipesKeyStatesAndBlocksFurtherUse()
        {
            byte[] key = TestBytes.Ascii("Jefe");
            HmacMd5 hmac = new HmacMd5(key, 0, key.Length);

            hmac.Clear();

            Hmac inner = (Hmac)typeof(HmacMd5)
                .GetField("_hmac", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)
                .GetValue(hmac);
            foreach (string field in new[] { "_innerStart", "_outerStart" })
            {
                BlockHash hash = (BlockHash)typeof(Hmac)
                    .GetField(field, System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)
                    .GetValue(inner);
                uint[] state = (uint[])typeof(BlockHash)
                    .GetField("_state", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)
                    .GetValue(hash);

                // Only MD5's public initial values remain: nothing derived from the key.
                Assert.Equal(new uint[] { 0x67452301u, 0xEFCDAB89u, 0x98BADCFEu, 0x10325476u }, state);
            }

            Assert.Throws<InvalidOperationException>(() => hmac.Update(key, 0, 1));
            Assert.Throws<InvalidOperationException>(() => hmac.Final(new byte[16], 0));
        }

        [Fact]
        public void Compute_HonoursOffsets()
        {
            byte[] key = TestBytes.Ascii("..Jefe..");
            byte[] data = TestBytes.Ascii("#what do ya want for nothing?#");
            byte[] mac = TestBytes.Repeat(0xEE, 20);

            HmacMd5.Compute(key, 2, 4, data, 1, data.Length - 2, mac, 3);

            Assert.Equal(0xEE, mac[2]);
            Assert.Equal("750c783e6ab0b503eaa86e310a5db738", TestBytes.ToHex(mac.AsSpan(3, 16).ToArray()));
            Assert.Equal(0xEE, mac[19]);
        }

        [Fact]
        public void Guards_RejectBadRanges()
        {
            byte[] key = new byte[4];

            Assert.Throws<ArgumentNullException>(() => new HmacMd5(null, 0, 0));
            Assert.Throws<ArgumentOutOfRangeException>(() => new HmacMd5(key, 2, 3));
            Assert.Throws<ArgumentOutOfRangeException>(() => HmacMd5.Compute(key, 0, 4, key, 0, 4, new byte[16], 1));
        }
    }
}
