using System;
using System.Text;
using NetBoard.Firmware.Http;

namespace NetBoard.Firmware.Tests.Http
{
    public class FormEncodingTests
    {
        private static string Encode(byte[] value)
        {
            int length = FormEncoding.EncodedLength(value, 0, value.Length);
            byte[] output = new byte[length + 4];
            int written = FormEncoding.Encode(value, 0, value.Length, output, 2);
            Assert.Equal(length, written);
            return Encoding.ASCII.GetString(output, 2, written);
        }

        [Theory]
        [InlineData("abcxyzABCXYZ0123456789*-._", "abcxyzABCXYZ0123456789*-._")]
        [InlineData("a b", "a+b")]
        [InlineData("+", "%2B")]
        [InlineData("~", "%7E")]
        [InlineData("&=%/?#:;,!'()[]@$\"<>\\^`{|}", "%26%3D%25%2F%3F%23%3A%3B%2C%21%27%28%29%5B%5D%40%24%22%3C%3E%5C%5E%60%7B%7C%7D")]
        [InlineData("caf\u00e9 \u20ac", "caf%C3%A9+%E2%82%AC")]
        [InlineData("\U0001F600", "%F0%9F%98%80")]
        [InlineData("", "")]
        [InlineData("\r\n\t\0", "%0D%0A%09%00")]
        public void Encodes_like_the_url_standards_urlencoded_serializer(string text, string expected)
        {
            Assert.Equal(expected, Encode(Encoding.UTF8.GetBytes(text)));
        }

        [Fact]
        public void Every_octet_round_trips_through_the_reference_decoder()
        {
            byte[] all = new byte[256];
            for (int i = 0; i < all.Length; i++)
            {
                all[i] = (byte)i;
            }

            string encoded = Encode(all);

            Assert.Equal(all, System.Web.HttpUtility.UrlDecodeToBytes(encoded));
            foreach (char c in encoded)
            {
                Assert.True(c > ' ' && c < 0x7F && c != '&' && c != '=');
            }
        }

        [Fact]
        public void Ranges_are_checked()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => FormEncoding.EncodedLength(new byte[3], 2, 2));
            Assert.Throws<ArgumentOutOfRangeException>(() => FormEncoding.Encode(new byte[] { 0x20, 0x7E }, 0, 2, new byte[3], 0));
            Assert.Throws<ArgumentNullException>(() => FormEncoding.EncodedLength(null, 0, 0));
        }
    }
}
