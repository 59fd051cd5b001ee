using nanoFramework.TestFramework;
using NetBoard.Firmware.Crypto;

namespace NetBoard.Device.Tests
{
    /// <summary>MD5 on the device against the RFC 1321 appendix A.5 test suite.</summary>
    [TestClass]
    public class Md5Tests
    {
        [TestMethod]
        [DataRow("", "d41d8cd98f00b204e9800998ecf8427e")]
        [DataRow("a", "0cc175b9c0f1b6a831c399e269772661")]
        [DataRow("abc", "900150983cd24fb0d6963f7d28e17f72")]
        [DataRow("message digest", "f96b697d7cb7938d525a2f31aaf161d0")]
        [DataRow("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b")]
        [DataRow("12345678901234567890123456789012345678901234567890123456789012345678901234567890", "57edf4a22be3c955ac49da2e2107b67a")]
        public void Hash_MatchesRfc1321(string input, string expectedHex)
        {
            byte[] data = TestText.Ascii(input);

            Assert.AreEqual(expectedHex, TestText.ToHex(Md5.Hash(data, 0, data.Length)));
        }

        [TestMethod]
        public void Hash_HonoursOffsetAndCount()
        {
            byte[] framed = TestText.Ascii("xxabcxx");

            Assert.AreEqual("900150983cd24fb0d6963f7d28e17f72", TestText.ToHex(Md5.Hash(framed, 2, 3)));
        }
    }
}
