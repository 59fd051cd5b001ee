using System;
using System.Text;
using NetBoard.Firmware.Http;
using NetBoard.Firmware.Net;

namespace NetBoard.Firmware.Tests.Http
{
    public class HttpRequestWriterTests
    {
        internal static string Write(HttpRequest request)
        {
            int length = HttpRequestWriter.Length(request);
            var buffer = new CommandBuffer(length);
            HttpRequestWriter.Write(request, buffer);
            Assert.Equal(length, buffer.Count);
            Assert.Equal(0, buffer.Room);
            return Encoding.UTF8.GetString(buffer.Buffer, buffer.Offset, buffer.Count);
        }

        [Fact]
        public void Refresh_token_request_is_written_exactly()
        {
            var form = new HttpForm();
            form.Add("grant_type", "refresh_token");
            form.Add("client_id", "9e5f94bc-e8a4-4e73-b8be-63364c29d753");
            form.Add("refresh_token", Encoding.ASCII.GetBytes("0.AX4A-rt_x.y/z+w=="));
            form.Add("scope", "offline_access https://outlook.office.com/SMTP.Send");
            var request = new HttpRequest("POST", "login.microsoftonline.com", 443, true, "/contoso.onmicrosoft.com/oauth2/v2.0/token");
            request.AddHeader("Accept", "application/json");
            request.Form = form;

            string body = "grant_type=refresh_token&client_id=9e5f94bc-e8a4-4e73-b8be-63364c29d753&refresh_token=0.AX4A-rt_x.y%2Fz%2Bw%3D%3D"
                + "&scope=offline_access+https%3A%2F%2Foutlook.office.com%2FSMTP.Send";
            Assert.Equal(
                "POST /contoso.onmicrosoft.com/oauth2/v2.0/token HTTP/1.1\r\n"
                + "Host: login.microsoftonline.com\r\n"
                + "Accept: application/json\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: " + body.Length + "\r\n"
                + "Connection: close\r\n"
                + "\r\n"
                + body,
                Write(request));
        }

        [Fact]
        public void Client_secret_basic_follows_rfc_6749_2_3_1()
        {
            // RFC 6749 2.3.1's example credentials.
            var request = new HttpRequest("POST", "server.example.com", 443, true, "/token");
            request.SetBasicAuthorization(Encoding.ASCII.GetBytes("s6BhdRkqt3"), Encoding.ASCII.GetBytes("gX1fBat3bV"));

            Assert.Contains("\r\nAuthorization: Basic czZCaGRSa3F0MzpnWDFmQmF0M2JW\r\n", Write(request));
        }

        [Fact]
        public void Basic_credentials_are_form_encoded_before_base64()
        {
            var request = new HttpRequest("POST", "as.example", 443, true, "/token");
            request.SetBasicAuthorization(Encoding.UTF8.GetBytes("my app"), Encoding.UTF8.GetBytes("p:w&d%\u00e9"));

            string written = Write(request);

            string expected = Convert.ToBase64String(Encoding.ASCII.GetBytes("my+app:p%3Aw%26d%25%C3%A9"));
            Assert.Contains("\r\nAuthorization: Basic " + expected + "\r\n", written);
        }

        [Theory]
        [InlineData("as.example", 443, true, "Host: as.example\r\n")]
        [InlineData("as.example", 8443, true, "Host: as.example:8443\r\n")]
        [InlineData("as.example", 80, false, "Host: as.example\r\n")]
        [InlineData("as.example", 443, false, "Host: as.example:443\r\n")]
        [InlineData("127.0.0.1", 49152, false, "Host: 127.0.0.1:49152\r\n")]
        [InlineData("::1", 8080, false, "Host: [::1]:8080\r\n")]
        [InlineData("[::1]", 80, false, "Host: [::1]\r\n")]
        public void Host_field_carries_the_port_only_when_it_is_not_the_default(string host, int port, bool secure, string field)
        {
            string written = Write(new HttpRequest("GET", host, port, secure, "/"));

            Assert.Equal("GET / HTTP/1.1\r\n" + field + "Connection: close\r\n\r\n", written);
        }

        [Fact]
        public void A_post_without_a_form_says_its_length_is_zero()
        {
            Assert.Equal("POST /revoke HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", Write(new HttpRequest("POST", "h", 443, true, "/revoke")));
        }

        [Fact]
        public void Keep_alive_leaves_out_connection_close()
        {
            var request = new HttpRequest("GET", "h", 80, false, "/x?y=1") { KeepAlive = true };

            Assert.Equal("GET /x?y=1 HTTP/1.1\r\nHost: h\r\n\r\n", Write(request));
        }

        [Theory]
        [InlineData("PO ST", "h", "/")]
        [InlineData("", "h", "/")]
        [InlineData("GET", "h h", "/")]
        [InlineData("GET", "h/x", "/")]
        [InlineData("GET", "", "/")]
        [InlineData("GET", "h", "x")]
        [InlineData("GET", "h", "/a b")]
        [InlineData("GET", "h", "/a\r\nX: y")]
        public void Invalid_request_lines_are_refused(string method, string host, string target)
        {
            Assert.Throws<ArgumentException>(() => new HttpRequest(method, host, 443, true, target));
        }

        [Fact]
        public void Header_injection_is_refused()
        {
            var request = new HttpRequest("GET", "h", 443, true, "/");

            Assert.Throws<ArgumentException>(() => request.AddHeader("X-A", "v\r\nInjected: 1"));
            Assert.Throws<ArgumentException>(() => request.AddHeader("X A", "v"));
            Assert.Throws<ArgumentException>(() => request.AddHeader("X-A:", "v"));
            Assert.Throws<ArgumentException>(() => request.AddHeader("X-A", "caf\u00e9"));
            Assert.Throws<ArgumentOutOfRangeException>(() => new HttpRequest("GET", "h", 0, true, "/"));
        }

        [Fact]
        public void Header_and_form_counts_are_bounded()
        {
            var request = new HttpRequest("GET", "h", 443, true, "/");
            for (int i = 0; i < HttpRequest.MaxHeaders; i++)
            {
                request.AddHeader("X-" + i, "v");
            }

            Assert.Throws<InvalidOperationException>(() => request.AddHeader("X-9", "v"));
            var form = new HttpForm();
            for (int i = 0; i < HttpForm.MaxFields; i++)
            {
                form.Add("f" + i, "v");
            }

            Assert.Throws<InvalidOperationException>(() => form.Add("f9", "v"));
        }

        [Fact]
        public void Writing_into_a_short_buffer_is_refused()
        {
            var request = new HttpRequest("GET", "h", 443, true, "/");

            Assert.Throws<InvalidOperationException>(() => HttpRequestWriter.Write(request, new CommandBuffer(HttpRequestWriter.Length(request) - 1)));
        }

        [Fact]
        public void Clear_drops_the_references_to_secrets()
        {
            byte[] secret = Encoding.ASCII.GetBytes("s3cret");
            var form = new HttpForm();
            form.Add("client_secret", secret);
            var request = new HttpRequest("POST", "h", 443, true, "/token") { Form = form };
            request.SetBasicAuthorization(Encoding.ASCII.GetBytes("id"), secret);

            request.Clear();

            Assert.Null(request.BasicPassword);
            Assert.Equal(0, form.Count);
            Assert.Equal("POST /token HTTP/1.1\r\nHost: h\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", Write(request));
        }
    }
}
