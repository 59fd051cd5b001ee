using System;
using System.Linq;
using System.Text;
using NetBoard.Firmware.Tests.Doubles;
using NetBoard.Firmware.Web;
using NetBoard.Hal;

namespace NetBoard.Firmware.Tests.Web
{
    public class HttpResponseWriterTests
    {
        private static byte[] Send(HttpResponse response, bool headOnly, int writeLimit)
        {
            var connection = new FakeConnection { State = NetState.Open, WriteLimit = writeLimit };
            var writer = new HttpResponseWriter();
            writer.Start(response, headOnly);
            int rounds = 0;
            while (!writer.IsDone)
            {
                writer.Pump(connection, 1);
                Assert.True(++rounds < 100000);
            }

            Assert.Equal(connection.Written.Count, writer.BytesSent);
            return connection.Written.ToArray();
        }

        private static (string Head, byte[] Body) Split(byte[] bytes)
        {
            string text = Encoding.Latin1.GetString(bytes);
            int end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            Assert.True(end > 0);
            return (text.Substring(0, end + 4), bytes.Skip(end + 4).ToArray());
        }

        [Fact]
        public void Head_carries_status_security_headers_length_and_close()
        {
            var response = new HttpResponse(200, HttpResponse.HtmlType, "<p>hi</p>");
            response.SetCookie = "sid=abc; HttpOnly; SameSite=Strict; Path=/";
            var (head, body) = Split(Send(response, false, int.MaxValue));
            Assert.StartsWith("HTTP/1.1 200 OK\r\n", head);
            Assert.Contains("\r\nContent-Type: text/html; charset=utf-8\r\n", head);
            Assert.Contains("\r\nContent-Length: 9\r\n", head);
            Assert.Contains("\r\nContent-Security-Policy: default-src 'none';", head);
            Assert.Contains("frame-ancestors 'none'", head);
            Assert.Contains("\r\nX-Frame-Options: DENY\r\n", head);
            Assert.Contains("\r\nX-Content-Type-Options: nosniff\r\n", head);
            Assert.Contains("\r\nCache-Control: no-store\r\n", head);
            Assert.Contains("\r\nSet-Cookie: sid=abc; HttpOnly; SameSite=Strict; Path=/\r\n", head);
            Assert.EndsWith("\r\nConnection: close\r\n\r\n", head);
            Assert.Equal("<p>hi</p>", Encoding.UTF8.GetString(body));
        }

        [Theory]
        [InlineData("ascii only")]
        [InlineData("caf\u00e9 \u20ac \U0001F600 end")]
        [InlineData("lone \ud800 high and \udc00 low")]
        [InlineData("")]
        public void Body_is_utf8_and_content_length_counts_its_bytes(string text)
        {
            var (head, body) = Split(Send(new HttpResponse(200, HttpResponse.TextType, text), false, int.MaxValue));
            Assert.Contains("\r\nContent-Length: " + body.Length + "\r\n", head);
            Assert.Equal(Encoding.UTF8.GetBytes(text), body);
        }

        [Fact]
        public void Partial_writes_of_one_byte_give_the_same_bytes_as_one_write()
        {
            string page = string.Concat(Enumerable.Repeat("<li>\u00e9l\u00e9ment \U0001F4E0</li>\n", 200));
            var response = new HttpResponse(200, HttpResponse.HtmlType, page);
            byte[] whole = Send(response, false, int.MaxValue);
            byte[] trickled = Send(response, false, 1);
            Assert.Equal(whole, trickled);
            Assert.True(whole.Length > 4 * HttpResponseWriter.ChunkBytes);
        }

        [Fact]
        public void Head_request_gets_the_head_with_the_body_length_and_no_body()
        {
            var (head, body) = Split(Send(new HttpResponse(200, HttpResponse.TextType, "twelve bytes"), true, int.MaxValue));
            Assert.Contains("\r\nContent-Length: 12\r\n", head);
            Assert.Empty(body);
        }

        [Fact]
        public void A_full_send_buffer_stops_the_pump_without_losing_bytes()
        {
            var connection = new FakeConnection { State = NetState.Open, WriteLimit = 0 };
            var writer = new HttpResponseWriter();
            writer.Start(HttpResponse.Error(404), false);
            Assert.Equal(0, writer.Pump(connection, 4));
            Assert.False(writer.IsDone);
            connection.WriteLimit = int.MaxValue;
            writer.Pump(connection, 4);
            Assert.True(writer.IsDone);
            Assert.StartsWith("HTTP/1.1 404 Not Found\r\n", connection.WrittenText);
            Assert.EndsWith("\r\n\r\nNot Found\n", connection.WrittenText);
        }

        [Fact]
        public void Redirect_carries_its_location()
        {
            string head = HttpResponseWriter.FormatHead(HttpResponse.Redirect("/settings"));
            Assert.StartsWith("HTTP/1.1 303 See Other\r\n", head);
            Assert.Contains("\r\nLocation: /settings\r\n", head);
        }

        [Theory]
        [InlineData("/a\r\nSet-Cookie: x=1")]
        [InlineData("/a\nb")]
        [InlineData("/\u00e9")]
        [InlineData("")]
        public void Header_values_that_could_inject_a_header_are_refused(string value)
        {
            var response = new HttpResponse(200, HttpResponse.TextType, null);
            Assert.Throws<ArgumentException>(() => response.Location = value);
            Assert.Throws<ArgumentException>(() => response.SetCookie = value);
            Assert.Throws<ArgumentException>(() => new HttpResponse(200, value, null));
        }
    }
}
