using System;
using System.Text;
using NetBoard.Firmware.Web;

namespace NetBoard.Firmware.Tests.Web
{
    public class HttpRequestParserTests
    {
        private const string Get = "GET /jobs?page=2 HTTP/1.1\r\nHost: board.local\r\nCookie: a=1\r\nCookie: sid=xyz\r\nAccept: */*\r\n\r\n";
        private const string Post = "POST /settings HTTP/1.1\r\nHost: board\r\nContent-Type: application/x-www-form-urlencoded; charset=UTF-8\r\nContent-Length: 21\r\n\r\npop.wait_ms=3000&x=%C3";

        private static HttpRequestParser Parse(string text, out int consumed)
        {
            var parser = new HttpRequestParser();
            byte[] bytes = Encoding.Latin1.GetBytes(text);
            consumed = parser.Feed(bytes, 0, bytes.Length);
            return parser;
        }

        private static HttpRequestParser Parse(string text)
        {
            return Parse(text, out _);
        }

        private static void AssertSame(HttpRequestParser expected, HttpRequestParser actual)
        {
            Assert.Equal(expected.State, actual.State);
            Assert.Equal(expected.ErrorStatus, actual.ErrorStatus);
            Assert.Equal(expected.Method, actual.Method);
            Assert.Equal(expected.Path, actual.Path);
            Assert.Equal(expected.Query, actual.Query);
            Assert.Equal(expected.Host, actual.Host);
            Assert.Equal(expected.Cookie, actual.Cookie);
            Assert.Equal(expected.ContentType, actual.ContentType);
            Assert.Equal(expected.ContentLength, actual.ContentLength);
            Assert.Equal(expected.Body.AsSpan(0, expected.BodyLength).ToArray(), actual.Body.AsSpan(0, actual.BodyLength).ToArray());
        }

        [Fact]
        public void Get_request_yields_method_path_query_and_known_headers()
        {
            HttpRequestParser p = Parse(Get, out int consumed);
            Assert.Equal(HttpParseState.Complete, p.State);
            Assert.Equal(Get.Length, consumed);
            Assert.Equal("GET", p.Method);
            Assert.Equal("/jobs", p.Path);
            Assert.Equal("page=2", p.Query);
            Assert.Equal("board.local", p.Host);
            Assert.Equal("a=1; sid=xyz", p.Cookie);
            Assert.Equal(-1, p.ContentLength);
            Assert.False(p.IsHttp10);
        }

        [Fact]
        public void Post_body_is_taken_by_content_length_and_bytes_after_it_are_left()
        {
            HttpRequestParser p = Parse(Post + "GET / HTTP/1.1\r\n", out int consumed);
            Assert.Equal(HttpParseState.Complete, p.State);
            Assert.Equal(Post.Length - 1, consumed);
            Assert.Equal(21, p.BodyLength);
            Assert.Equal("pop.wait_ms=3000&x=%C", Encoding.ASCII.GetString(p.Body, 0, p.BodyLength));
            Assert.True(p.HasFormBody);
        }

        [Theory]
        [InlineData(Get)]
        [InlineData(Post)]
        [InlineData("GET / HTTP/1.1\r\nHost: b\r\nX: " + "0123456789" + "\r\n\r\n")]
        [InlineData("GET /a HTTP/1.1\r\nHost: b\rX\r\n\r\n")]
        [InlineData("GET / HTTP/1.1\r\nHost: b\r\nContent-Length: 99999\r\n\r\n")]
        public void Split_at_every_byte_gives_the_same_result(string text)
        {
            HttpRequestParser whole = Parse(text);
            byte[] bytes = Encoding.ASCII.GetBytes(text);

            var single = new HttpRequestParser();
            for (int i = 0; i < bytes.Length && !single.IsDone; i++)
            {
                Assert.Equal(1, single.Feed(bytes, i, 1));
            }

            AssertSame(whole, single);

            for (int split = 0; split <= bytes.Length; split++)
            {
                var two = new HttpRequestParser();
                int used = two.Feed(bytes, 0, split);
                if (!two.IsDone)
                {
                    used += two.Feed(bytes, split, bytes.Length - split);
                }

                AssertSame(whole, two);
            }
        }

        [Fact]
        public void Bare_lf_line_ends_are_accepted()
        {
            HttpRequestParser p = Parse("GET /x HTTP/1.0\nUser-Agent: t\n\n");
            Assert.Equal(HttpParseState.Complete, p.State);
            Assert.True(p.IsHttp10);
            Assert.Equal(string.Empty, p.Host);
        }

        [Fact]
        public void Up_to_two_empty_lines_before_the_request_are_ignored_more_are_refused()
        {
            Assert.Equal(HttpParseState.Complete, Parse("\r\n\r\nGET / HTTP/1.1\r\nHost: b\r\n\r\n").State);
            HttpRequestParser p = Parse("\r\n\r\n\r\nGET / HTTP/1.1\r\nHost: b\r\n\r\n");
            Assert.Equal(400, p.ErrorStatus);
        }

        [Fact]
        public void Request_line_longer_than_the_line_buffer_is_414()
        {
            HttpRequestParser p = Parse("GET /" + new string('a', HttpRequestParser.DefaultMaxLineBytes) + " HTTP/1.1\r\nHost: b\r\n\r\n", out int consumed);
            Assert.Equal(HttpParseState.Failed, p.State);
            Assert.Equal(HttpStatus.UriTooLong, p.ErrorStatus);
            Assert.Equal(HttpRequestParser.DefaultMaxLineBytes + 1, consumed);
        }

        [Fact]
        public void Request_line_of_exactly_the_limit_is_taken()
        {
            string line = "GET /" + new string('a', HttpRequestParser.DefaultMaxLineBytes - 14) + " HTTP/1.1";
            Assert.Equal(HttpRequestParser.DefaultMaxLineBytes, line.Length);
            Assert.Equal(HttpParseState.Complete, Parse(line + "\r\nHost: b\r\n\r\n").State);
        }

        [Fact]
        public void Header_line_longer_than_the_line_buffer_is_431()
        {
            HttpRequestParser p = Parse("GET / HTTP/1.1\r\nHost: b\r\nCookie: " + new string('c', HttpRequestParser.DefaultMaxLineBytes) + "\r\n\r\n");
            Assert.Equal(HttpStatus.HeaderFieldsTooLarge, p.ErrorStatus);
        }

        [Fact]
        public void Header_block_over_its_limit_is_431_even_with_short_lines()
        {
            var text = new StringBuilder("GET / HTTP/1.1\r\nHost: b\r\n");
            for (int i = 0; i < 39; i++)
            {
                text.Append("X-Filler-").Append(i.ToString("D2")).Append(": ").Append(new string('f', 100)).Append("\r\n");
            }

            HttpRequestParser p = Parse(text + "\r\n", out int consumed);
            Assert.Equal(HttpStatus.HeaderFieldsTooLarge, p.ErrorStatus);
            Assert.Equal("header block too large", p.ErrorReason);
            Assert.True(consumed < text.Length);
        }

        [Fact]
        public void More_header_lines_than_allowed_is_431()
        {
            var text = new StringBuilder("GET / HTTP/1.1\r\nHost: b\r\n");
            for (int i = 0; i < HttpRequestParser.MaxHeaderCount; i++)
            {
                text.Append("A: 1\r\n");
            }

            HttpRequestParser p = Parse(text + "\r\n");
            Assert.Equal(HttpStatus.HeaderFieldsTooLarge, p.ErrorStatus);
            Assert.Equal("too many header lines", p.ErrorReason);
        }

        [Theory]
        [InlineData("2049")]
        [InlineData("99999999999999999999999")]
        public void Body_over_its_limit_is_413_before_any_body_byte(string length)
        {
            HttpRequestParser p = Parse("POST / HTTP/1.1\r\nHost: b\r\nContent-Length: " + length + "\r\n\r\nabc", out int consumed);
            Assert.Equal(HttpStatus.ContentTooLarge, p.ErrorStatus);
            Assert.Equal(0, p.BodyLength);
        }

        [Fact]
        public void Body_of_exactly_the_limit_is_taken()
        {
            string body = new string('b', HttpRequestParser.DefaultMaxBodyBytes);
            HttpRequestParser p = Parse("POST / HTTP/1.1\r\nHost: b\r\nContent-Length: " + body.Length + "\r\n\r\n" + body);
            Assert.Equal(HttpParseState.Complete, p.State);
            Assert.Equal(body.Length, p.BodyLength);
        }

        [Theory]
        [InlineData("GET  / HTTP/1.1\r\nHost: b\r\n\r\n")]
        [InlineData("GET / HTTP/1.1 \r\nHost: b\r\n\r\n")]
        [InlineData("GET /  HTTP/1.1\r\nHost: b\r\n\r\n")]
        [InlineData("GET / x HTTP/1.1\r\nHost: b\r\n\r\n")]
        [InlineData("GET\r\nHost: b\r\n\r\n")]
        [InlineData("G(T / HTTP/1.1\r\nHost: b\r\n\r\n")]
        [InlineData("GET http://evil/ HTTP/1.1\r\nHost: b\r\n\r\n")]
        [InlineData("GET * HTTP/1.1\r\nHost: b\r\n\r\n")]
        [InlineData("GET /a#b HTTP/1.1\r\nHost: b\r\n\r\n")]
        [InlineData("GET /\u00e9 HTTP/1.1\r\nHost: b\r\n\r\n")]
        [InlineData("GET / HTTP/1.1x\r\nHost: b\r\n\r\n")]
        [InlineData("GET / http/1.1\r\nHost: b\r\n\r\n")]
        [InlineData("GET / HTTP/1.1\rHost: b\r\n\r\n")]
        [InlineData("GET / HTTP/1.1\r\nHost : b\r\n\r\n")]
        [InlineData("GET / HTTP/1.1\r\nHost: b\r\n folded\r\n\r\n")]
        [InlineData("GET / HTTP/1.1\r\nHost: b\r\nNoColon\r\n\r\n")]
        [InlineData("GET / HTTP/1.1\r\nHost: b\r\n: empty name\r\n\r\n")]
        [InlineData("GET / HTTP/1.1\r\nHost: b\r\nX: a\u0001b\r\n\r\n")]
        [InlineData("GET / HTTP/1.1\r\nHost: b\r\nX: a\u007fb\r\n\r\n")]
        [InlineData("GET / HTTP/1.1\r\n\r\n")]
        [InlineData("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")]
        [InlineData("POST / HTTP/1.1\r\nHost: b\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd")]
        [InlineData("POST / HTTP/1.1\r\nHost: b\r\nContent-Length: -3\r\n\r\n")]
        [InlineData("POST / HTTP/1.1\r\nHost: b\r\nContent-Length: 3, 3\r\n\r\n")]
        [InlineData("POST / HTTP/1.1\r\nHost: b\r\nContent-Length:\r\n\r\n")]
        public void Malformed_requests_are_400(string text)
        {
            HttpRequestParser p = Parse(text);
            Assert.Equal(HttpParseState.Failed, p.State);
            Assert.Equal(HttpStatus.BadRequest, p.ErrorStatus);
            Assert.NotEqual(string.Empty, p.ErrorReason);
            Assert.True(p.ErrorReason != "no Host header" || !text.Contains("Host:"), p.ErrorReason);
        }

        [Fact]
        public void Repeated_equal_content_length_is_taken()
        {
            HttpRequestParser p = Parse("POST / HTTP/1.1\r\nHost: b\r\nContent-Length: 3\r\ncontent-length: 3\r\n\r\nabc");
            Assert.Equal(HttpParseState.Complete, p.State);
            Assert.Equal(3, p.BodyLength);
        }

        [Fact]
        public void Other_http_major_versions_are_505()
        {
            Assert.Equal(HttpStatus.HttpVersionNotSupported, Parse("GET / HTTP/2.0\r\nHost: b\r\n\r\n").ErrorStatus);
        }

        [Fact]
        public void Transfer_encoding_is_501()
        {
            Assert.Equal(HttpStatus.NotImplemented, Parse("POST / HTTP/1.1\r\nHost: b\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n").ErrorStatus);
        }

        [Fact]
        public void Timeout_fails_an_unfinished_request_with_408_and_leaves_a_finished_one()
        {
            HttpRequestParser p = Parse("GET / HTTP/1.1\r\nHost: b\r\n");
            Assert.Equal(HttpParseState.Headers, p.State);
            p.TimeOut();
            Assert.Equal(HttpStatus.RequestTimeout, p.ErrorStatus);

            HttpRequestParser done = Parse(Get);
            done.TimeOut();
            Assert.Equal(HttpParseState.Complete, done.State);
        }

        [Fact]
        public void Reset_reuses_the_parser_for_a_new_request()
        {
            HttpRequestParser p = Parse(Post);
            p.Reset();
            byte[] bytes = Encoding.ASCII.GetBytes(Get);
            p.Feed(bytes, 0, bytes.Length);
            AssertSame(Parse(Get), p);
        }

        [Theory]
        [InlineData("application/x-www-form-urlencoded", true)]
        [InlineData("Application/X-WWW-Form-Urlencoded ; charset=utf-8", true)]
        [InlineData("multipart/form-data; boundary=x", false)]
        [InlineData("application/x-www-form-urlencodedx", false)]
        [InlineData("", false)]
        public void Form_body_is_recognised_by_its_media_type(string type, bool form)
        {
            HttpRequestParser p = Parse("POST / HTTP/1.1\r\nHost: b\r\nContent-Type: " + type + "\r\n\r\n");
            Assert.Equal(form, p.HasFormBody);
        }

        [Fact]
        public void Feed_after_the_end_consumes_nothing()
        {
            HttpRequestParser p = Parse(Get);
            byte[] more = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\n");
            Assert.Equal(0, p.Feed(more, 0, more.Length));
        }
    }
}
