using System;
using NetBoard.Firmware.Crypto;

namespace NetBoard.Firmware.Tests.Crypto
{
    /// <summary>
    /// PBKDF2-HMAC-SHA1 against RFC 6070 (all but the 16,777,216-iteration case, which takes tens of seconds)
    /// and PBKDF2-HMAC-SHA256 against RFC 7914 section 11.
    /// </summary>
    public class Pbkdf2Tests
    {
        [Theory]
        [InlineData("password", "salt", 1, 20, "0c60c80f961f0e71f3a9b524af6012062fe037a6")]
        [InlineData("password", "salt", 2, 20, "ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957")]
        [InlineData("password", "salt", 4096, 20, "4b007901b765489abead49d926f721d065a429c1")]
        [InlineData("passwordPASSWORDpassword", "saltSALTsaltSALTsaltSALTsaltSALTsalt", 4096, 25, "3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038")]
        [InlineData("pass\0word", "sa\0lt", 4096, 16, "56fa6aa75548099dcc37d7f03425e0c3")]
        public void Sha1_MatchesRfc6070(string password, string salt, int iterations, int length, string expectedHex)
        {
            byte[] key = Derive(new Sha1(), password, salt, iterations, length);

            Assert.Equal(expectedHex, TestBytes.ToHex(key));
        }

        [Theory]
        [InlineData("passwd", "salt", 1, "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783")]
        [InlineData("Password", "NaCl", 80000, "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d")]
        public void Sha256_MatchesRfc7914(string password, string salt, int iterations, string expectedHex)
        {
            byte[] key = Derive(new Sha256(), password, salt, iterations, 64);

            Assert.Equal(expectedHex, TestBytes.ToHex(key));
        }

        [Fact]
        public void Run_InSlices_GivesTheSameKeyAsOneRun()
        {
            byte[] password = TestBytes.Ascii("passwordPASSWORDpassword");
            byte[] salt = TestBytes.Ascii("saltSALTsaltSALTsaltSALTsaltSALTsalt");
            Pbkdf2 kdf = new Pbkdf2(new Hmac(new Sha1(), password, 0, password.Length), salt, 0, salt.Length, 4096, 25);
            int calls = 0;

            while (!kdf.Run(37))
            {
                calls++;
                Assert.False(kdf.IsComplete);
            }

            byte[] key = new byte[25];
            kdf.CopyKey(key, 0);
            Assert.Equal("3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038", TestBytes.ToHex(key));

            // Two 20-byte blocks of 4096 rounds each, 37 rounds a call.
            Assert.Equal((2 * 4096) / 37, calls);
        }

        [Fact]
        public void Clear_WipesTheKeyAndRefusesFurtherUse()
        {
            byte[] password = TestBytes.Ascii("password");
            byte[] salt = TestBytes.Ascii("salt");
            Pbkdf2 kdf = new Pbkdf2(new Hmac(new Sha256(), password, 0, password.Length), salt, 0, salt.Length, 2, 32);
            kdf.Run(10);

            kdf.Clear();

            byte[] key = (byte[])typeof(Pbkdf2)
                .GetField("_key", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)
                .GetValue(kdf);
            Assert.All(key, b => Assert.Equal(0, b));
            Assert.Throws<InvalidOperationException>(() => kdf.CopyKey(new byte[32], 0));
            Assert.Throws<InvalidOperationException>(() => kdf.Run(1));
        }

        [Fact]
        public void Guards_RejectBadArguments()
        {
            Hmac prf = new Hmac(new Sha1(), new byte[1], 0, 1);

            Assert.Throws<ArgumentOutOfRangeException>(() => new Pbkdf2(prf, new byte[4], 0, 4, 0, 20));
            Assert.Throws<ArgumentOutOfRangeException>(() => new Pbkdf2(prf, new byte[4], 0, 4, 1, 0));
            Assert.Throws<ArgumentOutOfRangeException>(() => new Pbkdf2(prf, new byte[4], 1, 4, 1, 20));
            Assert.Throws<ArgumentNullException>(() => new Pbkdf2(null, new byte[4], 0, 4, 1, 20));
        }

        private static byte[] Derive(BlockHash hash, string password, string salt, int iterations, int length)
        {
            byte[] p = TestBytes.Ascii(password);
            byte[] s = TestBytes.Ascii(salt);
            byte[] key = new byte[length];
            Pbkdf2.DeriveKey(hash, p, 0, p.Length, s, 0, s.Length, iterations, key, 0, length);
            return key;
        }
    }
}
