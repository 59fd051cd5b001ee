using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using NetBoard.Firmware.Http;
using NetBoard.Firmware.Net;
using NetBoard.Firmware.OAuth;
using NetBoard.Hal;
using NetBoard.Hal.Host;

namespace NetBoard.Integration.Tests
{
    /// <summary>
    /// The firmware's HTTP exchange over the host HAL's real sockets against real HTTP servers on loopback:
    /// .NET's HttpListener for plain http (Content-Length and chunked bodies as it writes them), and a TLS server
    /// with a certificate from a CA the test makes, checked through the policy's CA file as on the device.
    /// </summary>
    public sealed class HttpLoopbackTests
    {
        /// <summary>How long one exchange may take on a loaded machine (a bound, not a speed assertion).</summary>
        private const int ExchangeBoundMs = 20000;

        private const string RefreshToken = "0.AX4-refresh/token+value==";

        private static int FreePort()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return port;
        }

        private static HttpRequest TokenRequest(int port, bool secure, string path)
        {
            var form = new HttpForm();
            form.Add("grant_type", "refresh_token");
            form.Add("refresh_token", Encoding.ASCII.GetBytes(RefreshToken));
            form.Add("scope", "offline_access https://outlook.office.com/SMTP.Send");
            var request = new HttpRequest("POST", "127.0.0.1", port, secure, path) { Form = form };
            request.AddHeader("Accept", "application/json");
            request.SetBasicAuthorization(Encoding.ASCII.GetBytes("netboard"), Encoding.ASCII.GetBytes("s3cret:&"));
            return request;
        }

        private static HttpResult Run(HttpRequest request, TlsPolicy policy = null)
        {
            var exchange = new HttpExchange(request, null, null);
            SessionTransfer transfer = exchange.CreateTransfer(new TcpConnector(), new SystemClock(), null, policy);
            var watch = Stopwatch.StartNew();
            while (!transfer.IsDone && watch.ElapsedMilliseconds < ExchangeBoundMs)
            {
                if (!transfer.Step())
                {
                    Thread.Sleep(2);
                }
            }

            transfer.Step();
            Assert.True(exchange.IsDone, "exchange did not end within the bound");
            return exchange.Result;
        }

        private static async Task ServeListener(HttpListener listener, Action<HttpListenerContext> handle)
        {
            HttpListenerContext context = await listener.GetContextAsync();
            handle(context);
        }

        private static (string ContentType, string Authorization, string Body) ReadRequest(HttpListenerContext context)
        {
            using var reader = new StreamReader(context.Request.InputStream, Encoding.ASCII);
            return (context.Request.ContentType, context.Request.Headers["Authorization"], reader.ReadToEnd());
        }

        [Fact]
        public async Task Token_request_against_httplistener_with_content_length()
        {
            int port = FreePort();
            using var listener = new HttpListener();
            listener.Prefixes.Add("http://127.0.0.1:" + port + "/");
            listener.Start();
            (string ContentType, string Authorization, string Body) seen = default;
            Task server = ServeListener(listener, context =>
            {
                seen = ReadRequest(context);
                byte[] json = Encoding.UTF8.GetBytes("{\"token_type\":\"Bearer\",\"expires_in\":3599,\"access_token\":\"eyJ0.eyJh.c2ln\",\"refresh_token\":\"new-rt\"}");
                context.Response.ContentType = "application/json; charset=utf-8";
                context.Response.ContentLength64 = json.Length;
                context.Response.OutputStream.Write(json);
                context.Response.Close();
            });

            HttpResult result = Run(TokenRequest(port, false, "/tenant/oauth2/v2.0/token"));
            await server.WaitAsync(TimeSpan.FromMilliseconds(ExchangeBoundMs));

            Assert.True(result.Success, result.Error + " " + result.Detail);
            Assert.Equal(200, result.StatusCode);
            Assert.Equal("application/json; charset=utf-8", result.ContentType);
            Assert.Equal("application/x-www-form-urlencoded", seen.ContentType);
            Assert.Equal("Basic " + Convert.ToBase64String(Encoding.ASCII.GetBytes("netboard:s3cret%3A%26")), seen.Authorization);
            var fields = System.Web.HttpUtility.ParseQueryString(seen.Body);
            Assert.Equal("refresh_token", fields["grant_type"]);
            Assert.Equal(RefreshToken, fields["refresh_token"]);
            Assert.Equal("offline_access https://outlook.office.com/SMTP.Send", fields["scope"]);

            OAuthResponse token = OAuthResponse.Parse(result.Body, 0, result.BodyLength);
            Assert.True(token.IsValid, token.ParseError);
            Assert.Equal("eyJ0.eyJh.c2ln", Encoding.ASCII.GetString(token.AccessToken));
            Assert.Equal("new-rt", Encoding.ASCII.GetString(token.RefreshToken));
            Assert.Equal(3599, token.ExpiresIn);
        }

        [Fact]
        public async Task Error_response_against_httplistener_with_a_chunked_body()
        {
            int port = FreePort();
            using var listener = new HttpListener();
            listener.Prefixes.Add("http://127.0.0.1:" + port + "/");
            listener.Start();
            Task server = ServeListener(listener, context =>
            {
                ReadRequest(context);
                context.Response.StatusCode = 400;
                context.Response.ContentType = "application/json";
                context.Response.SendChunked = true;
                foreach (string part in new[] { "{\"error\":\"authorization_pending\",", "\"error_description\":\"" + new string('d', 3000) + "\",", "\"error_codes\":[70016]}" })
                {
                    byte[] bytes = Encoding.UTF8.GetBytes(part);
                    context.Response.OutputStream.Write(bytes);
                    context.Response.OutputStream.Flush();
                }

                context.Response.Close();
            });

            HttpResult result = Run(TokenRequest(port, false, "/token"));
            await server.WaitAsync(TimeSpan.FromMilliseconds(ExchangeBoundMs));

            Assert.True(result.Success, result.Error + " " + result.Detail);
            Assert.Equal(400, result.StatusCode);
            OAuthResponse response = OAuthResponse.Parse(result.Body, 0, result.BodyLength);
            Assert.True(response.IsValid, response.ParseError);
            Assert.Equal("authorization_pending", response.Error);
            Assert.Equal(OAuthResponse.MaxDescriptionLength, response.ErrorDescription.Length);
        }

        [Fact]
        public void Token_request_over_tls_with_the_certificate_checked_against_a_ca_file()
        {
            using var pki = new LoopbackPki();
            string first = "{\"access_token\":\"tls-token\"";
            string second = ",\"expires_in\":\"3600\"}";
            using var server = new TlsHttpServer(pki.Server, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + first.Length.ToString("x") + "\r\n" + first + "\r\n" + second.Length.ToString("X") + ";ext=1\r\n" + second + "\r\n0\r\nX-Trailer: 1\r\n\r\n");

            HttpResult result = Run(TokenRequest(server.Port, true, "/token"), new TlsPolicy(true, pki.CaFile));

            Assert.True(result.Success, result.Error + " " + result.Detail);
            OAuthResponse token = OAuthResponse.Parse(result.Body, 0, result.BodyLength);
            Assert.True(token.IsValid, token.ParseError);
            Assert.Equal("tls-token", Encoding.ASCII.GetString(token.AccessToken));
            Assert.Equal(3600, token.ExpiresIn);
            Assert.StartsWith("POST /token HTTP/1.1\r\nHost: 127.0.0.1:" + server.Port + "\r\n", server.Request());
        }

        [Fact]
        public void Tls_with_a_certificate_from_an_unknown_ca_is_refused_before_anything_is_sent()
        {
            using var pki = new LoopbackPki();
            using var server = new TlsHttpServer(pki.Server, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}");

            HttpResult result = Run(TokenRequest(server.Port, true, "/token"), new TlsPolicy(true, string.Empty));

            Assert.Equal(HttpError.ConnectFailed, result.Error);
            Assert.Equal(NetError.Certificate, result.NetError);
            Assert.Equal(string.Empty, server.Request());
        }

        [Fact]
        public void A_server_that_closes_mid_body_is_reported_closed_early()
        {
            using var pki = new LoopbackPki();
            using var server = new TlsHttpServer(pki.Server, "HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{\"access_token\":\"cut");

            HttpResult result = Run(TokenRequest(server.Port, true, "/token"), new TlsPolicy(true, pki.CaFile));

            Assert.Equal(HttpError.ClosedEarly, result.Error);
            Assert.Equal(200, result.StatusCode);
        }

        /// <summary>A CA and a server certificate for 127.0.0.1 it signed; the CA as a PEM file.</summary>
        private sealed class LoopbackPki : IDisposable
        {
            public LoopbackPki()
            {
                DateTimeOffset now = DateTimeOffset.UtcNow;
                using ECDsa caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                var caRequest = new CertificateRequest("CN=NetBoard HTTP test CA", caKey, HashAlgorithmName.SHA256);
                caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
                caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
                caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
                using X509Certificate2 ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));

                using ECDsa serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                var request = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256);
                var names = new SubjectAlternativeNameBuilder();
                names.AddIpAddress(IPAddress.Loopback);
                request.CertificateExtensions.Add(names.Build());
                request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
                request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
                using X509Certificate2 signed = request.Create(ca, now.AddDays(-1), now.AddDays(10), new byte[] { 1, 2, 3, 4 });
                Server = X509CertificateLoader.LoadPkcs12(signed.CopyWithPrivateKey(serverKey).Export(X509ContentType.Pfx), null);
                CaFile = Path.Combine(Path.GetTempPath(), "netboard-http-ca-" + Guid.NewGuid().ToString("N") + ".pem");
                File.WriteAllText(CaFile, ca.ExportCertificatePem());
            }

            public X509Certificate2 Server { get; }

            public string CaFile { get; }

            public void Dispose()
            {
                File.Delete(CaFile);
                Server.Dispose();
            }
        }

        /// <summary>A TLS server for one connection: reads the request head and body, sends a fixed response, closes.</summary>
        private sealed class TlsHttpServer : IDisposable
        {
            private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
            private readonly Task<string> _served;

            public TlsHttpServer(X509Certificate2 certificate, string response)
            {
                _listener.Start();
                Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
                _served = Serve(certificate, response);
            }

            public int Port { get; }

            /// <summary>The request as received, or empty when the handshake failed.</summary>
            public string Request()
            {
                Assert.True(_served.Wait(ExchangeBoundMs), "server did not finish");
                return _served.Result;
            }

            public void Dispose()
            {
                _listener.Stop();
            }

            private async Task<string> Serve(X509Certificate2 certificate, string response)
            {
                using Socket socket = await _listener.AcceptSocketAsync();
                using var stream = new SslStream(new NetworkStream(socket, false), false);
                try
                {
                    using var timeout = new CancellationTokenSource(ExchangeBoundMs);
                    await stream.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                    {
                        ServerCertificate = certificate,
                        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    }, timeout.Token);
                }
                catch (Exception ex) when (ex is AuthenticationException || ex is IOException || ex is OperationCanceledException)
                {
                    return string.Empty;
                }

                var received = new StringBuilder();
                byte[] buffer = new byte[4096];
                try
                {
                    while (!HasWholeRequest(received.ToString()))
                    {
                        int n = await stream.ReadAsync(buffer);
                        if (n == 0)
                        {
                            // With TLS 1.3 the server's handshake ends before the client judges the certificate.
                            return received.ToString();
                        }

                        received.Append(Encoding.ASCII.GetString(buffer, 0, n));
                    }

                    await stream.WriteAsync(Encoding.ASCII.GetBytes(response));
                    await stream.FlushAsync();
                    await stream.ShutdownAsync();
                }
                catch (IOException)
                {
                    // The client dropped the connection (a refused certificate); what it sent is the answer.
                }

                return received.ToString();
            }

            private static bool HasWholeRequest(string text)
            {
                int end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (end < 0)
                {
                    return false;
                }

                const string field = "Content-Length: ";
                int at = text.IndexOf(field, StringComparison.Ordinal);
                int length = at < 0 ? 0 : int.Parse(text.Substring(at + field.Length, text.IndexOf('\r', at) - at - field.Length));
                return text.Length >= end + 4 + length;
            }
        }
    }
}
