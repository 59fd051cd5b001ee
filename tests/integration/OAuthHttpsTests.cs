using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using NetBoard.Boards.Host;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.OAuth;
using NetBoard.Firmware.Settings;
using NetBoard.Firmware.Storage;

namespace NetBoard.Integration.Tests
{
    /// <summary>
    /// The token endpoint over https, as every real provider serves it: a TLS front on loopback (certificate for 127.0.0.1
    /// from a CA the test makes) that forwards to the lab's authorization server. The keeper connects through the host
    /// HAL with TLS from the first byte and checks the certificate against tls.ca_file, as the mail sessions do.
    /// </summary>
    [Collection(LabCollection.Name)]
    public sealed class OAuthHttpsTests : IDisposable
    {
        private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

        private readonly LabFixture _lab;
        private readonly OAuthLab _oauth;
        private readonly Board _board = new Board();
        private readonly TlsFront _front;
        private readonly string _caFile;

        public OAuthHttpsTests(LabFixture lab)
        {
            _lab = lab;
            _oauth = new OAuthLab(lab);
            var issuer = new Uri(_lab["OAUTH_TOKEN_ENDPOINT"]);
            _front = new TlsFront(issuer.Port, _board.Folder);
            _caFile = _front.CaFile;
        }

        public void Dispose()
        {
            _front.Dispose();
            _board.Dispose();
        }

        private HostBoard Open(string caFile)
        {
            Dictionary<string, string> settings = Board.LabSettings(_lab, int.Parse(_lab["SMTP_OAUTH_PORT"]), "auto");
            settings["oauth.provider"] = "custom";
            settings["oauth.grant"] = "client_credentials";
            settings["oauth.client_id"] = _lab["OAUTH_APP_CLIENT_ID"];
            settings["oauth.token_endpoint"] = "https://127.0.0.1:" + _front.Port + "/connect/token";
            settings["oauth.scope"] = _lab["OAUTH_SCOPE"];
            settings["tls.ca_file"] = caFile;
            DeviceSettings parsed = SettingsFile.Load(_board.WriteSettings(settings), TextWriter.Null);
            Assert.NotNull(parsed);
            HostBoard board = HostBoard.Open(parsed, _board.NewFolder("data-" + Guid.NewGuid().ToString("N")), null);
            Assert.Null(board.Runtime.OAuth.SetClientSecret(System.Text.Encoding.UTF8.GetBytes(_lab["OAUTH_APP_CLIENT_SECRET"])));
            return board;
        }

        private static void RunUntil(HostBoard board, Func<bool> done)
        {
            DateTime giveUp = DateTime.UtcNow + Bound;
            board.RunUntil(() => done() || DateTime.UtcNow > giveUp);
            Assert.True(done(), board.Runtime.OAuth.StatusLine());
        }

        [Fact]
        public async Task Client_credentials_over_https_with_the_certificate_checked_against_the_ca_file()
        {
            using HostBoard board = Open(_caFile);
            RunUntil(board, () => board.Runtime.OAuth.Status != OAuthTokenStatus.Refreshing);
            Assert.Equal(OAuthTokenStatus.Ready, board.Runtime.OAuth.Status);
            Assert.True(_front.Requests >= 1);

            string access = new CredentialStore(board.Storage).Read(OAuthTokenKeeper.TokenEntry).GetText("access");
            JsonElement seen = await _oauth.IntrospectAsync(access);
            Assert.True(seen.GetProperty("active").GetBoolean());
        }

        [Fact]
        public void A_token_endpoint_certificate_from_an_untrusted_ca_is_refused_with_853()
        {
            using HostBoard board = Open(TlsSupport.WriteUnrelatedCa(_board));
            RunUntil(board, () => board.Runtime.OAuth.Status == OAuthTokenStatus.Failed);
            Assert.Equal(UserErrorCode.TlsCertificateRejected, board.Runtime.OAuth.ErrorCode);
            Assert.Equal(0, _front.Requests);
        }

        /// <summary>Terminates TLS on a free loopback port and relays each connection to the lab's plain-http server.</summary>
        private sealed class TlsFront : IDisposable
        {
            private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
            private readonly X509Certificate2 _certificate;
            private readonly int _targetPort;
            private readonly CancellationTokenSource _stop = new CancellationTokenSource();
            private int _connections;
            private int _requests;

            public TlsFront(int targetPort, string folder)
            {
                _targetPort = targetPort;
                DateTimeOffset now = DateTimeOffset.UtcNow;
                using ECDsa caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                var caRequest = new CertificateRequest("CN=NetBoard OAuth test CA", caKey, HashAlgorithmName.SHA256);
                caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
                caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
                caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
                using X509Certificate2 ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
                using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
                var names = new SubjectAlternativeNameBuilder();
                names.AddIpAddress(IPAddress.Loopback);
                request.CertificateExtensions.Add(names.Build());
                request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
                request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
                using X509Certificate2 signed = request.Create(ca, now.AddDays(-1), now.AddDays(10), new byte[] { 5, 6, 7, 8 });
                _certificate = X509CertificateLoader.LoadPkcs12(signed.CopyWithPrivateKey(key).Export(X509ContentType.Pfx), null);
                CaFile = Path.Combine(folder, "oauth-test-ca.pem");
                File.WriteAllText(CaFile, ca.ExportCertificatePem());
                _listener.Start();
                _ = Task.Run(AcceptAsync);
            }

            public string CaFile { get; }

            public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

            public int Connections => Volatile.Read(ref _connections);

            /// <summary>Connections that carried request bytes to the authorization server.</summary>
            public int Requests => Volatile.Read(ref _requests);

            public void Dispose()
            {
                _stop.Cancel();
                _listener.Stop();
                _certificate.Dispose();
            }

            private async Task AcceptAsync()
            {
                while (!_stop.IsCancellationRequested)
                {
                    TcpClient client;
                    try
                    {
                        client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    }
                    catch (Exception)
                    {
                        return;
                    }

                    Interlocked.Increment(ref _connections);
                    _ = Task.Run(() => RelayAsync(client));
                }
            }

            private async Task RelayAsync(TcpClient client)
            {
                using (client)
                {
                    try
                    {
                        using var tls = new SslStream(client.GetStream());
                        await tls.AuthenticateAsServerAsync(_certificate);
                        using var upstream = new TcpClient();
                        await upstream.ConnectAsync(IPAddress.Loopback, _targetPort);
                        NetworkStream plain = upstream.GetStream();
                        Task up = CopyThenCloseAsync(tls, plain, upstream.Client, () => Interlocked.Increment(ref _requests));
                        await plain.CopyToAsync(tls);
                        await tls.ShutdownAsync();
                        await up;
                    }
                    catch (Exception)
                    {
                        // A refused handshake (the untrusted-CA case) ends here.
                    }
                }
            }

            private static async Task CopyThenCloseAsync(Stream from, Stream to, Socket socket, Action firstBytes)
            {
                try
                {
                    byte[] buffer = new byte[8192];
                    bool any = false;
                    int n;
                    while ((n = await from.ReadAsync(buffer)) > 0)
                    {
                        if (!any)
                        {
                            any = true;
                            firstBytes();
                        }

                        await to.WriteAsync(buffer.AsMemory(0, n));
                    }

                    socket.Shutdown(SocketShutdown.Send);
                }
                catch (Exception)
                {
                }
            }
        }
    }
}
