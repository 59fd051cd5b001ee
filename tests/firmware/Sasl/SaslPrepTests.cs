using System.Text;
using NetBoard.Firmware.Sasl;

namespace NetBoard.Firmware.Tests.Sasl
{
    public class SaslPrepTests
    {
        [Theory]
        [InlineData("user", "user")]
        [InlineData("pencil!#$%&'()*+,-./:;<=>?@[]^_`{|}~ 0123", "pencil!#$%&'()*+,-./:;<=>?@[]^_`{|}~ 0123")]
        [InlineData("", "")]
        [InlineData("I\u00adX", "IX")]
        [InlineData("a\u00a0b\u3000c\u2003d", "a b c d")]
        [InlineData("zero\u200bwidth", "zerowidth")]
        [InlineData("joi\u200dner\ufeff", "joiner")]
        [InlineData("vs\ufe0f", "vs")]
        [InlineData("J\u00e9r\u00f4me", "J\u00e9r\u00f4me")]
        [InlineData("\u65e5\u672c\u8a9e", "\u65e5\u672c\u8a9e")]
        [InlineData("emoji\U0001F600", "emoji\U0001F600")]
        public void Prepare_MapsAsRfc4013(string input, string expected)
        {
            byte[] prepared = SaslPrep.Prepare(Encoding.UTF8.GetBytes(input));

            Assert.Equal(expected, Encoding.UTF8.GetString(prepared));
        }

        [Theory]
        [InlineData("tab\there")]
        [InlineData("nul\0")]
        [InlineData("del\u007f")]
        [InlineData("c1\u0085")]
        [InlineData("lsep\u2028")]
        [InlineData("rlo\u202e")]
        [InlineData("private\ue000")]
        [InlineData("nonchar\ufdd0")]
        [InlineData("nonchar\uffff")]
        [InlineData("replacement\ufffd")]
        [InlineData("ideographic\u2ff0")]
        [InlineData("tag\U000E0041")]
        [InlineData("plane15\U000F0000")]
        [InlineData("music\U0001D173")]
        public void Prepare_RefusesProhibitedCharacters(string input)
        {
            Assert.Null(SaslPrep.Prepare(Encoding.UTF8.GetBytes(input)));
        }

        [Theory]
        [InlineData(new byte[] { 0x61, 0xC3 })]
        [InlineData(new byte[] { 0xC0, 0x80 })]
        [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
        [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 })]
        [InlineData(new byte[] { 0xE2, 0x28, 0xA1 })]
        [InlineData(new byte[] { 0xFF })]
        public void Prepare_RefusesMalformedUtf8(byte[] input)
        {
            Assert.Null(SaslPrep.Prepare(input));
        }
    }
}
