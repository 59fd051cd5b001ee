using nanoFramework.TestFramework;
using NetBoard.Firmware.Crypto;

namespace NetBoard.Device.Tests
{
    /// <summary>SHA-1, SHA-256, HMAC-SHA-256 and PBKDF2 on the device against FIPS 180-4, RFC 4231, RFC 6070 and RFC 7914.</summary>
    [TestClass]
    public class ShaTests
    {
        [TestMethod]
        public void Sha1_MatchesFips180Abc()
        {
            byte[] data = TestText.Ascii("abc");

            Assert.AreEqual("a9993e364706816aba3e25717850c26c9cd0d89d", TestText.ToHex(Sha1.Hash(data, 0, data.Length)));
        }

        [TestMethod]
        public void Sha256_MatchesFips180TwoBlockMessage()
        {
            byte[] data = TestText.Ascii("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq");

            Assert.AreEqual("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", TestText.ToHex(Sha256.Hash(data, 0, data.Length)));
        }

        [TestMethod]
        public void HmacSha256_MatchesRfc4231Case2()
        {
            byte[] key = TestText.Ascii("Jefe");
            byte[] data = TestText.Ascii("what do ya want for nothing?");
            byte[] mac = new byte[32];

            Hmac.Compute(new Sha256(), key, 0, key.Length, data, 0, data.Length, mac, 0);

            Assert.AreEqual("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", TestText.ToHex(mac));
        }

        [TestMethod]
        public void Pbkdf2Sha1_MatchesRfc6070TwoIterations()
        {
            byte[] password = TestText.Ascii("password");
            byte[] salt = TestText.Ascii("salt");
            byte[] key = new byte[20];

            Pbkdf2.DeriveKey(new Sha1(), password, 0, password.Length, salt, 0, salt.Length, 2, key, 0, 20);

            Assert.AreEqual("ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957", TestText.ToHex(key));
        }

        [TestMethod]
        public void Pbkdf2Sha256_MatchesRfc7914OneIteration()
        {
            byte[] password = TestText.Ascii("passwd");
            byte[] salt = TestText.Ascii("salt");
            byte[] key = new byte[64];

            Pbkdf2.DeriveKey(new Sha256(), password, 0, password.Length, salt, 0, salt.Length, 1, key, 0, 64);

            Assert.AreEqual(
                "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783",
                TestText.ToHex(key));
        }
    }
}
