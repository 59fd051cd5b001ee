using System.Text;
using NetBoard.Firmware.Web;

namespace NetBoard.Firmware.Tests.Web
{
    public class FormFieldsTests
    {
        private static FormFields Parse(string body, bool expected = true)
        {
            var form = new FormFields();
            byte[] bytes = Encoding.Latin1.GetBytes(body);
            Assert.Equal(expected, form.Parse(bytes, 0, bytes.Length));
            return form;
        }

        [Fact]
        public void Pairs_are_split_and_decoded()
        {
            FormFields form = Parse("smtp.server=mail.example.com&pop.wait_ms=3000&note=a+b%2Bc%26d%3De");
            Assert.Equal(3, form.Count);
            Assert.Equal("mail.example.com", form.Get("smtp.server"));
            Assert.Equal("3000", form.Get("pop.wait_ms"));
            Assert.Equal("a b+c&d=e", form.Get("note"));
            Assert.Equal("pop.wait_ms", form.NameAt(1));
            Assert.Null(form.Get("missing"));
        }

        [Fact]
        public void Percent_escapes_are_utf8_and_malformed_sequences_become_replacement_characters()
        {
            FormFields form = Parse("name=Fran%C3%A7ois+%E2%82%AC&bad=%C3&lower=%c3%a9");
            Assert.Equal("Fran\u00e7ois \u20ac", form.Get("name"));
            Assert.Equal("\ufffd", form.Get("bad"));
            Assert.Equal("\u00e9", form.Get("lower"));
        }

        [Fact]
        public void Empty_pairs_are_skipped_and_a_name_without_equals_has_an_empty_value()
        {
            FormFields form = Parse("&&a&b=&=c&");
            Assert.Equal(3, form.Count);
            Assert.Equal(string.Empty, form.Get("a"));
            Assert.Equal(string.Empty, form.Get("b"));
            Assert.Equal("c", form.Get(string.Empty));
        }

        [Fact]
        public void First_of_repeated_names_wins()
        {
            Assert.Equal("1", Parse("a=1&a=2").Get("a"));
        }

        [Theory]
        [InlineData("a=%")]
        [InlineData("a=%4")]
        [InlineData("a=%4g")]
        [InlineData("a=%g4&b=1")]
        [InlineData("a=b\u0001c")]
        [InlineData("a=b\nc")]
        public void Malformed_forms_are_refused_and_hold_nothing(string body)
        {
            Assert.Equal(0, Parse(body, false).Count);
        }

        [Fact]
        public void More_fields_than_the_limit_are_refused()
        {
            var body = new StringBuilder();
            for (int i = 0; i <= FormFields.MaxFields; i++)
            {
                body.Append("f").Append(i).Append("=1&");
            }

            Assert.Equal(0, Parse(body.ToString(), false).Count);
            Assert.Equal(FormFields.MaxFields, Parse(body.ToString().Substring(0, body.ToString().IndexOf("f32=", System.StringComparison.Ordinal))).Count);
        }

        [Fact]
        public void Query_strings_parse_the_same_way()
        {
            var form = new FormFields();
            Assert.True(form.Parse("page=2&q=a%20b"));
            Assert.Equal("2", form.Get("page"));
            Assert.Equal("a b", form.Get("q"));
        }
    }
}
