using System;
using System.Text;
using NetBoard.Firmware.Http;
using NetBoard.Firmware.Net;
using NetBoard.Firmware.OAuth;
using NetBoard.Firmware.Tests.Doubles;
using NetBoard.Hal;
using Xunit.Abstractions;

namespace NetBoard.Firmware.Tests.Http
{
    /// <summary>
    /// What one token request and the parse of its response allocate on the managed heap: the whole exchange over
    /// an in-memory connection that allocates nothing itself, then <see cref="OAuthResponse.Parse"/>, with a
    /// response the size Microsoft's token endpoint sends (3 KB access token, refresh and ID tokens).
    /// </summary>
    public class TokenExchangeAllocationTests
    {
        // Request (about 2 KB here) + parser line + receive buffer + body (at most twice the limit for an unannounced
        // length) + the tokens kept + objects and the few strings.
        private const long Bound = 2 * 1024 + HttpResponseParser.MaxLineLength + SessionTransfer.ReceiveBufferSize
            + (2 * HttpExchangeOptions.DefaultMaxBodySize) + (2 * 4 * 1024) + (8 * 1024);

        private readonly ITestOutputHelper _output;

        public TokenExchangeAllocationTests(ITestOutputHelper output)
        {
            _output = output;
        }

        /// <summary>Hands out pre-built response bytes and swallows the request; allocates nothing per call.</summary>
        private sealed class MemoryConnection : INetConnection, INetConnector
        {
            private readonly byte[] _response;
            private int _read;

            public MemoryConnection(byte[] response) => _response = response;

            public long Written { get; private set; }

            public NetState State { get; private set; } = NetState.Open;

            public NetError Error => NetError.None;

            public string ErrorText => string.Empty;

            public string LocalAddress => string.Empty;

            public int Available => _response.Length - _read;

            public bool IsReadable => Available > 0;

            public TlsState Tls { get; private set; }

            public string TlsDescription => string.Empty;

            public INetConnection Connect(string host, int port, string localAddress) => this;

            public int Read(byte[] buffer, int offset, int count)
            {
                int n = Math.Min(count, _response.Length - _read);
                if (n == 0)
                {
                    State = NetState.Closed;
                    return 0;
                }

                Array.Copy(_response, _read, buffer, offset, n);
                _read += n;
                return n;
            }

            public int Write(byte[] buffer, int offset, int count)
            {
                Written += count;
                return count;
            }

            public void StartTls(string targetHost, TlsPolicy policy) => Tls = TlsState.Established;

            public void Close() => State = NetState.Closed;

            public void Dispose()
            {
            }
        }

        private static string Token(char c, int length) => "eyJ0eXAiOiJKV1Qi." + new string(c, length - 36) + ".c2lnbmF0dXJlLXBhcnQ";

        private static byte[] Response(bool chunked)
        {
            string json = "{\"token_type\":\"Bearer\",\"scope\":\"https://outlook.office.com/SMTP.Send https://outlook.office.com/POP.AccessAsUser.All\","
                + "\"expires_in\":4779,\"ext_expires_in\":4779,\"access_token\":\"" + Token('a', 3000) + "\",\"refresh_token\":\"" + Token('r', 1500)
                + "\",\"id_token\":\"" + Token('i', 1500) + "\"}";
            string head = "HTTP/1.1 200 OK\r\nCache-Control: no-store, no-cache\r\nPragma: no-cache\r\nContent-Type: application/json; charset=utf-8\r\n"
                + "Strict-Transport-Security: max-age=31536000; includeSubDomains\r\nX-Content-Type-Options: nosniff\r\n"
                + "Set-Cookie: fpc=" + new string('c', 300) + "; expires=Sun, 03-Jan-2027 16:00:00 GMT; path=/; secure; HttpOnly; SameSite=None\r\n";
            if (!chunked)
            {
                return Encoding.ASCII.GetBytes(head + "Content-Length: " + json.Length + "\r\n\r\n" + json);
            }

            var body = new StringBuilder();
            for (int at = 0; at < json.Length; at += 1000)
            {
                string part = json.Substring(at, Math.Min(1000, json.Length - at));
                body.Append(part.Length.ToString("x")).Append("\r\n").Append(part).Append("\r\n");
            }

            return Encoding.ASCII.GetBytes(head + "Transfer-Encoding: chunked\r\n\r\n" + body + "0\r\n\r\n");
        }

        private static HttpRequest Request(byte[] refreshToken, byte[] clientSecret)
        {
            var form = new HttpForm();
            form.Add("grant_type", "refresh_token");
            form.Add("refresh_token", refreshToken);
            form.Add("scope", "offline_access https://outlook.office.com/SMTP.Send");
            var request = new HttpRequest("POST", "login.microsoftonline.com", 443, true, "/contoso.onmicrosoft.com/oauth2/v2.0/token") { Form = form };
            request.AddHeader("Accept", "application/json");
            request.SetBasicAuthorization(Encoding.ASCII.GetBytes("9e5f94bc-e8a4-4e73-b8be-63364c29d753"), clientSecret);
            return request;
        }

        /// <summary>Runs one exchange and the parse; returns the bytes allocated from the exchange's creation to the parsed response.</summary>
        private static long Measure(byte[] response, HttpRequest request, out OAuthResponse token, out int requestLength)
        {
            var connection = new MemoryConnection(response);
            var clock = new FakeClock();
            long before = GC.GetAllocatedBytesForCurrentThread();
            var exchange = new HttpExchange(request, null, null);
            SessionTransfer transfer = exchange.CreateTransfer(connection, clock, null, null);
            for (int i = 0; i < 1000 && !transfer.IsDone; i++)
            {
                transfer.Step();
            }

            token = OAuthResponse.Parse(exchange.Result.Body, 0, exchange.Result.BodyLength);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(exchange.Result.Success, exchange.Result.Detail);
            exchange.Result.Clear();
            requestLength = (int)connection.Written;
            return allocated;
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void One_token_request_and_its_parse_allocate_a_bounded_amount(bool chunked)
        {
            byte[] refreshToken = Encoding.ASCII.GetBytes(Token('r', 1500));
            byte[] secret = Encoding.ASCII.GetBytes("Qx8Q~secret-value-of-forty-characters..");
            byte[] response = Response(chunked);
            HttpRequest request = Request(refreshToken, secret);

            // The first run pays for one-time initialisation (static tables); the second is the figure.
            Measure(response, request, out _, out _);
            long allocated = Measure(response, request, out OAuthResponse token, out int requestLength);

            Assert.True(token.IsValid, token.ParseError);
            Assert.Equal(Token('a', 3000), Encoding.ASCII.GetString(token.AccessToken));
            Assert.Equal(4779, token.ExpiresIn);
            _output.WriteLine((chunked ? "chunked" : "Content-Length") + " response of " + response.Length + " octets, request of " + requestLength
                + " octets: " + allocated + " bytes allocated (bound " + Bound + ")");
            Assert.InRange(allocated, 1, Bound);
            token.Clear();
        }
    }
}
