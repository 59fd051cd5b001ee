using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text.RegularExpressions;
using System.Threading;

namespace NetBoard.Boards.Host.Tests
{
    /// <summary>`run` serving the web page on a real socket, used by a real HTTP client (cookies, forms, redirects by hand).</summary>
    [UnsupportedOSPlatform("windows")]
    public sealed class WebRunTests : IDisposable
    {
        private const string User = "scanner";
        private const string SmtpPassword = "Web-Run-Pa55";
        private const string AdminPassword = "Board-Admin-9";
        private const int WaitMs = 20000;

        private readonly string _dir;

        public WebRunTests()
        {
            _dir = Path.Combine(Path.GetTempPath(), "netboard-web-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_dir);
        }

        public void Dispose()
        {
            Directory.Delete(_dir, true);
        }

        [Fact]
        public async System.Threading.Tasks.Task Run_serves_the_page_first_use_sign_in_settings_saved_to_the_file_and_a_test_mail_through_the_server()
        {
            using var server = new LoopbackSmtpServer(User, SmtpPassword);
            int port = FreePort();
            string settings = WriteSettings(server.Port, port);
            using var board = HeadlessRunTests.BoardProcess.Start(settings);

            string url = board.WaitForLine(line => line.StartsWith("virtual-board: web page ", StringComparison.Ordinal)).Substring("virtual-board: web page ".Length);
            Assert.Equal("http://127.0.0.1:" + port + "/", url);
            string code = Regex.Match(board.WaitForLine(line => line.StartsWith("virtual-board: web setup code ", StringComparison.Ordinal)), "code ([0-9]{8}) ").Groups[1].Value;
            board.WaitForLine(line => line == "panel: Web setup code | " + code);

            using var handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() };
            using var client = new HttpClient(handler) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMilliseconds(WaitMs) };

            HttpResponseMessage root = await client.GetAsync("/");
            Assert.Equal(HttpStatusCode.SeeOther, root.StatusCode);
            Assert.Equal("/setup", root.Headers.Location.OriginalString);

            string setup = await client.GetStringAsync("/setup");
            HttpResponseMessage done = await PostAsync(client, "/setup", ("csrf", Csrf(setup)), ("code", code), ("password", AdminPassword), ("confirm", AdminPassword));
            Assert.Equal(HttpStatusCode.SeeOther, done.StatusCode);
            Assert.Equal("/status", done.Headers.Location.OriginalString);
            Assert.Contains(done.Headers.GetValues("Set-Cookie"), c => c.Contains("HttpOnly", StringComparison.Ordinal) && c.Contains("SameSite=Strict", StringComparison.Ordinal));

            string page = await client.GetStringAsync("/settings");
            Assert.DoesNotContain(SmtpPassword, page, StringComparison.Ordinal);
            HttpResponseMessage saved = await PostAsync(client, "/settings", ("csrf", Csrf(page)), ("section", "authent-encryption"), ("pop.before_smtp.delay_ms", "450"), ("smtp.auth", "login"), ("smtp.password", string.Empty));
            Assert.Equal(HttpStatusCode.SeeOther, saved.StatusCode);
            string file = WaitForFile(settings, "pop.before_smtp.delay_ms=450\n");
            Assert.Contains("smtp.auth=login\n", file);
            Assert.Contains("smtp.password=" + SmtpPassword + "\n", file);

            HttpResponseMessage queued = await PostAsync(client, "/testmail", ("csrf", Csrf(await client.GetStringAsync("/status"))));
            Assert.Equal(HttpStatusCode.SeeOther, queued.StatusCode);
            string journal = board.WaitForLine(line => line.StartsWith("journal: ", StringComparison.Ordinal));
            Assert.Matches("job 1 email to=mfp@lab.test OK auth=LOGIN", journal);
            Assert.Single(server.Messages);

            string status = await client.GetStringAsync("/status");
            Assert.Matches("id=\"test-mail-result\" data-job=\"1\" data-state=\"sent\">Test e-mail #1: sent<", status);
            string entries = await client.GetStringAsync("/journal");
            Assert.Contains("job 1 email to=mfp@lab.test OK auth=LOGIN", entries, StringComparison.Ordinal);

            // Without the token, or without the session, a post changes nothing.
            Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(client, "/settings", ("section", "authent-encryption"), ("pop.before_smtp.delay_ms", "999"))).StatusCode);
            using (var stranger = new HttpClient { BaseAddress = new Uri(url) })
            {
                Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(stranger, "/settings", ("csrf", Csrf(page)), ("section", "authent-encryption"), ("pop.before_smtp.delay_ms", "999"))).StatusCode);
            }

            Assert.Contains("pop.before_smtp.delay_ms=450\n", File.ReadAllText(settings));
            Assert.DoesNotContain(AdminPassword, board.Output(), StringComparison.Ordinal);
            Assert.DoesNotContain(SmtpPassword, board.Output(), StringComparison.Ordinal);

            board.Signal("TERM");
            Assert.Equal(0, board.WaitForExit());
            Assert.Equal(string.Empty, board.Error());
        }

        [Fact]
        public void A_taken_port_is_reported_and_the_board_runs_on_without_its_page()
        {
            using var taken = new TcpListener(IPAddress.Loopback, 0);
            taken.Start();
            int port = ((IPEndPoint)taken.LocalEndpoint).Port;
            string settings = WriteSettings(1, port);
            using var board = HeadlessRunTests.BoardProcess.Start(settings);
            board.CloseInput();

            board.WaitForLine(line => line == "panel: MFP Web | Send: idle | POP: idle");
            Assert.DoesNotContain(board.Lines(), line => line.StartsWith("virtual-board: web page ", StringComparison.Ordinal));
            board.Signal("TERM");
            Assert.Equal(0, board.WaitForExit());
            Assert.StartsWith("virtual-board: web page not served: cannot listen on 127.0.0.1:" + port + ": ", board.Error());
        }

        [Fact]
        public async System.Threading.Tasks.Task With_a_certificate_the_page_is_served_over_https_only_and_the_cookie_is_secure()
        {
            using var key = System.Security.Cryptography.RSA.Create(2048);
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=127.0.0.1", key, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
            var names = new System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            File.WriteAllText(Path.Combine(_dir, "web.crt"), certificate.ExportCertificatePem());
            File.WriteAllText(Path.Combine(_dir, "web.key"), key.ExportPkcs8PrivateKeyPem());
            int port = FreePort();
            string settings = WriteSettings(1, port);
            File.AppendAllText(settings, "web.tls.cert=web.crt\nweb.tls.key=web.key\n");
            using var board = HeadlessRunTests.BoardProcess.Start(settings);
            board.CloseInput();

            board.WaitForLine(line => line == "virtual-board: web page https://127.0.0.1:" + port + "/");
            using var handler = new HttpClientHandler
            {
                AllowAutoRedirect = false,
                ServerCertificateCustomValidationCallback = (message, presented, chain, errors) => presented != null && presented.Thumbprint == certificate.Thumbprint,
            };
            using var client = new HttpClient(handler) { BaseAddress = new Uri("https://127.0.0.1:" + port + "/"), Timeout = TimeSpan.FromMilliseconds(WaitMs) };
            HttpResponseMessage setup = await client.GetAsync("/setup");
            Assert.Equal(HttpStatusCode.OK, setup.StatusCode);
            Assert.Contains(setup.Headers.GetValues("Set-Cookie"), c => c.EndsWith("; Secure", StringComparison.Ordinal));
            Assert.Contains("id=\"setup-form\"", await setup.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            using var plain = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:" + port + "/"), Timeout = TimeSpan.FromMilliseconds(WaitMs) };
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => plain.GetAsync("/setup"));

            board.Signal("TERM");
            Assert.Equal(0, board.WaitForExit());
            Assert.Equal(string.Empty, board.Error());
        }

        [Fact]
        public void A_certificate_without_its_key_serves_nothing_rather_than_plain_http()
        {
            int port = FreePort();
            string settings = WriteSettings(1, port);
            File.AppendAllText(settings, "web.tls.cert=web.crt\n");
            using var board = HeadlessRunTests.BoardProcess.Start(settings);
            board.CloseInput();

            board.WaitForLine(line => line == "panel: MFP Web | Send: idle | POP: idle");
            board.Signal("TERM");
            Assert.Equal(0, board.WaitForExit());
            Assert.Equal("virtual-board: web page not served: HTTPS needs both web.tls.cert and web.tls.key\n", board.Error());
            Assert.DoesNotContain(board.Lines(), line => line.StartsWith("virtual-board: web page http", StringComparison.Ordinal));
        }

        private static int FreePort()
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            return ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        private static string Csrf(string page)
        {
            Match m = Regex.Match(page, "name=\"csrf\" value=\"([0-9a-f]+)\"");
            Assert.True(m.Success, page);
            return m.Groups[1].Value;
        }

        private static async System.Threading.Tasks.Task<HttpResponseMessage> PostAsync(HttpClient client, string path, params (string Name, string Value)[] fields)
        {
            var content = new FormUrlEncodedContent(fields.Select(f => new System.Collections.Generic.KeyValuePair<string, string>(f.Name, f.Value)));
            return await client.PostAsync(path, content);
        }

        private static string WaitForFile(string path, string text)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            string content = File.ReadAllText(path);
            while (!content.Contains(text, StringComparison.Ordinal) && watch.ElapsedMilliseconds < WaitMs)
            {
                Thread.Sleep(50);
                content = File.ReadAllText(path);
            }

            Assert.Contains(text, content);
            return content;
        }

        private string WriteSettings(int smtpPort, int webPort)
        {
            string path = Path.Combine(_dir, "board.settings");
            File.WriteAllText(path,
                "smtp.host=127.0.0.1\n" +
                "smtp.port=" + smtpPort + "\n" +
                "smtp.auth=plain\n" +
                "smtp.user=" + User + "\n" +
                "smtp.password=" + SmtpPassword + "\n" +
                "device.email=mfp@lab.test\n" +
                "device.name=MFP Web\n" +
                "smtp.timeout.connect_s=10\n" +
                "smtp.timeout.greeting_s=10\n" +
                "web.port=" + webPort + "\n");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            return path;
        }
    }
}
