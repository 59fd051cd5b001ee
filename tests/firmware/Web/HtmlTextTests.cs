using NetBoard.Firmware.Web;

namespace NetBoard.Firmware.Tests.Web
{
    public class HtmlTextTests
    {
        [Theory]
        [InlineData("plain text", "plain text")]
        [InlineData("<script>alert('x')</script>", "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")]
        [InlineData("a & b \"q\"", "a &amp; b &quot;q&quot;")]
        [InlineData("&amp;", "&amp;amp;")]
        [InlineData("caf\u00e9", "caf\u00e9")]
        [InlineData("", "")]
        [InlineData(null, "")]
        public void Markup_characters_become_references(string text, string escaped)
        {
            Assert.Equal(escaped, HtmlText.Escape(text));
        }

        [Fact]
        public void Text_without_markup_is_returned_as_it_is()
        {
            string text = "mail.example.com";
            Assert.Same(text, HtmlText.Escape(text));
        }
    }
}
