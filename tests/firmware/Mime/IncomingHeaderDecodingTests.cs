using System;
using System.Text;
using MimeKit;
using NetBoard.Firmware.Mime;

namespace NetBoard.Firmware.Tests.Mime
{
    public class IncomingHeaderDecodingTests
    {
        private static string B(string charset, byte[] bytes)
        {
            return "=?" + charset + "?B?" + Convert.ToBase64String(bytes) + "?=";
        }

        [Theory]
        [InlineData("plain text", "plain text")]
        [InlineData("=?utf-8?Q?caf=C3=A9_au_lait?=", "caf\u00e9 au lait")]
        [InlineData("=?ISO-8859-1?q?J=F6rg?= <j@example.com>", "J\u00f6rg <j@example.com>")]
        [InlineData("=?windows-1252?Q?=80_5?=", "\u20ac 5")]
        [InlineData("=?us-ascii?Q?a=E9b?=", "a?b")]
        [InlineData("=?utf-8?B?w6Q=?= =?utf-8?B?w7Y=?=", "\u00e4\u00f6")]
        [InlineData("=?utf-8?B?w6Q=?=\r\n\t=?iso-8859-1?Q?=F6?=", "\u00e4\u00f6")]
        [InlineData("=?utf-8?B?w6Q=?= x =?utf-8?B?w7Y=?=", "\u00e4 x \u00f6")]
        [InlineData("=?utf-8?B?w6Q?=", "\u00e4")]
        [InlineData("=?utf-8*de?Q?=C3=A4?=", "\u00e4")]
        [InlineData("=?koi8-r?Q?=E1?=", "=?koi8-r?Q?=E1?=")]
        [InlineData("=?utf-8?B?w6Q!?=", "=?utf-8?B?w6Q!?=")]
        [InlineData("=?utf-8?X?abc?=", "=?utf-8?X?abc?=")]
        [InlineData("=?utf-8?Q?has space?=", "=?utf-8?Q?has space?=")]
        [InlineData("a =? b ?= c", "a =? b ?= c")]
        [InlineData("x=?utf-8?Q?y?=z", "xyz")]
        public void DecodesEncodedWords(string text, string expected)
        {
            Assert.Equal(expected, MimeWordDecoder.Decode(text));
        }

        [Fact]
        public void JoinsACharacterSplitAcrossTwoWords()
        {
            byte[] euro = Encoding.UTF8.GetBytes("\u20ac");
            string text = B("utf-8", euro.AsSpan(0, 1).ToArray()) + " " + B("UTF-8", euro.AsSpan(1).ToArray()) + " ok";
            Assert.Equal("\u20ac ok", MimeWordDecoder.Decode(text));
        }

        [Theory]
        [InlineData("Fax f\u00fcr B\u00fcro")]
        [InlineData("\u65e5\u672c\u8a9e\u306e\u30c6\u30b9\u30c8 \u2013 long enough to be split into several encoded words by the encoder \U0001F4C4")]
        [InlineData("plain ASCII subject")]
        public void DecodesWhatMimeKitEncodes(string subject)
        {
            foreach (string charset in new[] { "utf-8", "iso-8859-1" })
            {
                Encoding encoding = Encoding.GetEncoding(charset);
                string expected = encoding.GetString(encoding.GetBytes(subject));
                Header header = new Header(encoding, HeaderId.Subject, expected);
                string raw = Encoding.ASCII.GetString(header.RawValue).Replace("\r", string.Empty).Replace("\n", string.Empty);
                Assert.Equal(expected, MimeWordDecoder.Decode(raw).Trim());
            }
        }

        [Theory]
        [InlineData(" Multipart/Mixed ; boundary=x", "multipart/mixed")]
        [InlineData("base64 (comment)", "base64")]
        [InlineData("", "")]
        [InlineData(null, "")]
        public void ValueIsTheLowerCaseTextBeforeParameters(string field, string expected)
        {
            Assert.Equal(expected, MimeParameterDecoder.GetValue(field));
        }

        [Theory]
        [InlineData("multipart/mixed; boundary=\"a;b=c\\\"d\"", "boundary", "a;b=c\"d")]
        [InlineData("multipart/mixed;boundary=simple;charset=x", "boundary", "simple")]
        [InlineData("multipart/mixed; BOUNDARY = spaced ", "boundary", "spaced")]
        [InlineData("multipart/mixed; xboundary=no", "boundary", null)]
        [InlineData("multipart/mixed", "boundary", null)]
        [InlineData("attachment; filename=\"=?utf-8?B?w6QucGRm?=\"", "filename", "\u00e4.pdf")]
        [InlineData("attachment; filename*=UTF-8''%C3%A4%20b.pdf", "filename", "\u00e4 b.pdf")]
        [InlineData("attachment; filename*=\"utf-8'en'a%2Fb\"", "filename", "a/b")]
        [InlineData("attachment; filename=plain.pdf; filename*=utf-8''better.pdf", "filename", "better.pdf")]
        [InlineData("attachment; filename*0=\"a b\"; filename*1=\".pdf\"", "filename", "a b.pdf")]
        [InlineData("attachment; filename*0*=iso-8859-1''%E4; filename*2=gap", "filename", "\u00e4")]
        [InlineData("attachment; filename*0*=unknown''%C3%A4", "filename", "\u00e4")]
        [InlineData("attachment; filename*0*=utf-8''100%", "filename", "100%")]
        public void ParametersAreFoundAndDecoded(string field, string attribute, string expected)
        {
            Assert.Equal(expected, MimeParameterDecoder.GetParameter(field, attribute, true));
        }

        [Fact]
        public void BoundaryIsNeverWordDecoded()
        {
            Assert.Equal("=?utf-8?Q?x?=", MimeParameterDecoder.GetParameter("multipart/mixed; boundary=\"=?utf-8?Q?x?=\"", "boundary", false));
        }

        [Theory]
        [InlineData("scan.pdf")]
        [InlineData("Pr\u00fcfbericht \u65e5\u672c\u8a9e.tif")]
        [InlineData("A very long file name with spaces; semicolons, \"quotes\" and \u00fcmlauts that needs several RFC 2231 sections to fit.pdf")]
        public void FileNamesMimeKitWritesAreReadBack(string fileName)
        {
            foreach (ParameterEncodingMethod method in new[] { ParameterEncodingMethod.Rfc2231, ParameterEncodingMethod.Rfc2047 })
            {
                ContentDisposition disposition = new ContentDisposition(ContentDisposition.Attachment) { FileName = fileName };
                foreach (Parameter parameter in disposition.Parameters)
                {
                    parameter.EncodingMethod = method;
                }

                string field = disposition.ToString(FormatOptions.Default, Encoding.UTF8, true);
                string value = field.Substring(field.IndexOf(':') + 1).Replace("\r\n", string.Empty).Replace("\n", string.Empty);
                Assert.Equal(fileName, MimeParameterDecoder.GetParameter(value, "filename", true));
            }
        }
    }
}
