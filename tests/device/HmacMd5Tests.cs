using nanoFramework.TestFramework;
using NetBoard.Firmware.Crypto;

namespace NetBoard.Device.Tests
{
    /// <summary>HMAC-MD5 on the device against RFC 2104 section 3 and RFC 2202 vectors.</summary>
    [TestClass]
    public class HmacMd5Tests
    {
        [TestMethod]
        [DataRow("Jefe", "what do ya want for nothing?", "750c783e6ab0b503eaa86e310a5db738")]
        public void Compute_MatchesRfc2104Text(string key, string data, string expectedHex)
        {
            Assert.AreEqual(expectedHex, Mac(TestText.Ascii(key), TestText.Ascii(data)));
        }

        [TestMethod]
        public void Compute_MatchesRfc2104KeyOf0x0b()
        {
            Assert.AreEqual("9294727a3638bb1c13f48ef8158bfc9d", Mac(TestText.Repeat(0x0b, 16), TestText.Ascii("Hi There")));
        }

        [TestMethod]
        public void Compute_HashesKeysLongerThanABlock()
        {
            // RFC 2202 test case 6: an 80-byte key is hashed first.
            byte[] key = TestText.Repeat(0xaa, 80);
            byte[] data = TestText.Ascii("Test Using Larger Than Block-Size Key - Hash Key First");

            Assert.AreEqual("6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd", Mac(key, data));
        }

        private static string Mac(byte[] key, byte[] data)
        {
            byte[] output = new byte[16];
            HmacMd5.Compute(key, 0, key.Length, data, 0, data.Length, output, 0);
            return TestText.ToHex(output);
        }
    }
}
