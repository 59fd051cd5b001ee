using System.Net;
using System.Net.Sockets;
using System.Text;
using MimeKit;

namespace NetBoard.Integration.Tests
{
    /// <summary>
    /// SMTP over TLS against the lab: STARTTLS on the port that requires it, implicit TLS, certificate checks and the
    /// refusals that must never send anything in clear. The board connects to 127.0.0.1, which the lab's certificate
    /// carries as a SAN IP; "localhost" (not in the certificate) is the wrong name.
    /// </summary>
    [Collection(LabCollection.Name)]
    public sealed class TlsTests
    {
        private readonly LabFixture _lab;

        public TlsTests(LabFixture lab)
        {
            _lab = lab;
        }

        /// <summary>
        /// The STARTTLS port hides AUTH until TLS is up. Every mechanism authenticates after STARTTLS, 220 and a second
        /// EHLO; no AUTH line comes before STARTTLS, and the journal names the mechanism and the TLS session.
        /// </summary>
        [Theory]
        [InlineData("auto", "CRAM-MD5")]
        [InlineData("cram-md5", "CRAM-MD5")]
        [InlineData("plain", "PLAIN")]
        [InlineData("login", "LOGIN")]
        public void Starttls_then_each_mechanism_relays_from_a_foreign_address(string auth, string mechanism)
        {
            using Board board = new Board();
            Dictionary<string, string> settings = TlsSettings(_lab.StartTlsPort, "starttls", auth);
            byte[] content = Documents.Random(2048);
            string document = board.WriteDocument("scan0001.pdf", content);
            string token = Documents.Token();

            BoardRun run = board.Send(settings, document, "starttls " + auth + " " + token, new[] { _lab.RelayRecipient }, "--verbose");

            TlsSupport.AssertSentOverTls(run, "email", mechanism);
            TlsSupport.AssertInOrder(run, "S: 220 ", "C: EHLO ", "C: STARTTLS", "S: 220 ", "C: EHLO ", "S: 250-AUTH ", "C: AUTH " + mechanism, "C: MAIL FROM:", "C: BDAT ");
            string[] lines = TlsSupport.DialogueLines(run);
            int starttls = TlsSupport.LineIndex(lines, "C: STARTTLS");
            int firstAuth = TlsSupport.LineIndex(lines, "C: AUTH");
            Assert.True(firstAuth > starttls, "AUTH before STARTTLS:\n" + run);
            Assert.Equal(1, lines.Count(l => l.StartsWith("C: STARTTLS", StringComparison.Ordinal)));

            MimeMessage delivered = Maildir.WaitFor(_lab["MAILDIR_RELAY"], token);
            Assert.Equal(content, Mime.Decode(Assert.Single(delivered.Attachments.OfType<MimePart>())));
        }

        /// <summary>
        /// What makes the test above meaningful: in clear, the STARTTLS port offers no AUTH and answers AUTH and MAIL
        /// with 530, so a client that authenticated before STARTTLS could not have been delivered.
        /// </summary>
        [Fact]
        public void Starttls_port_refuses_auth_and_mail_in_clear()
        {
            using TcpClient client = new TcpClient(new IPEndPoint(IPAddress.Parse(_lab.ForeignAddress), 0));
            client.ReceiveTimeout = 20000; // a bound on a stuck lab, not an assertion
            client.Connect(_lab.Host, _lab.StartTlsPort);
            using NetworkStream stream = client.GetStream();
            using StreamReader reader = new StreamReader(stream, Encoding.ASCII);
            using StreamWriter writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };

            Assert.StartsWith("220 ", reader.ReadLine());
            writer.WriteLine("EHLO probe.lab.test");
            List<string> ehlo = ReadReply(reader);
            Assert.Contains(ehlo, l => l.Substring(4) == "STARTTLS");
            Assert.DoesNotContain(ehlo, l => l.Substring(4).StartsWith("AUTH", StringComparison.Ordinal));

            writer.WriteLine("AUTH PLAIN " + Convert.ToBase64String(Encoding.ASCII.GetBytes("\0nobody@lab.test\0not-a-password")));
            Assert.StartsWith("530 5.7.0 Must issue a STARTTLS command first", Assert.Single(ReadReply(reader)));
            writer.WriteLine("MAIL FROM:<" + _lab["SCAN_USER"] + ">");
            Assert.StartsWith("530 5.7.0 Must issue a STARTTLS command first", Assert.Single(ReadReply(reader)));
            writer.WriteLine("QUIT");
            Assert.StartsWith("221 ", Assert.Single(ReadReply(reader)));
        }

        /// <summary>
        /// Implicit TLS: the greeting already comes over TLS, there is one EHLO and no STARTTLS. A 3 MB document goes
        /// through the TLS send path in many records and arrives unchanged.
        /// </summary>
        [Fact]
        public void Implicit_tls_delivers_a_large_document_unchanged()
        {
            using Board board = new Board();
            Dictionary<string, string> settings = TlsSettings(_lab.SmtpsPort, "tls", "plain");
            byte[] content = Documents.Random(3 * 1024 * 1024);
            string document = board.WriteDocument("scan0001.pdf", content);
            string token = Documents.Token();

            BoardRun run = board.Send(settings, document, "smtps " + token, new[] { _lab.RelayRecipient }, "--verbose");

            TlsSupport.AssertSentOverTls(run, "email", "PLAIN");
            TlsSupport.AssertInOrder(run, "S: 220 ", "C: EHLO ", "S: 250-AUTH ", "C: AUTH PLAIN ****", "C: MAIL FROM:", "C: BDAT ", "S: 250 2.0.0 Ok: ");
            Assert.DoesNotContain("C: STARTTLS", run.Error);
            Assert.Equal(1, TlsSupport.DialogueLines(run).Count(l => l.StartsWith("C: EHLO ", StringComparison.Ordinal)));

            MimeMessage delivered = Maildir.WaitFor(_lab["MAILDIR_RELAY"], token);
            Assert.Equal(content, Mime.Decode(Assert.Single(delivered.Attachments.OfType<MimePart>())));
        }

        /// <summary>
        /// With tls.verify=on and no CA file, the lab's self-signed certificate is refused (#853, not transient); the
        /// journal says why, and after the refused handshake nothing more is sent: no AUTH, no MAIL.
        /// </summary>
        [Theory]
        [InlineData("starttls", "TLS")]
        [InlineData("tls", "connect")]
        public void Untrusted_certificate_is_refused_with_853(string security, string stage)
        {
            using Board board = new Board();
            Dictionary<string, string> settings = TlsSettings(security == "tls" ? _lab.SmtpsPort : _lab.StartTlsPort, security, "plain");
            settings.Remove("tls.ca_file");
            string document = board.WriteDocument("scan0001.pdf", Documents.Random(256));

            BoardRun run = board.Send(settings, document, "untrusted " + Documents.Token(), new[] { _lab.RelayRecipient }, "--verbose");

            string line = Journal.AssertFailed(run, 853);
            Assert.EndsWith(" NG #853 server certificate rejected at " + stage + " [certificate refused: RemoteCertificateChainErrors (UntrustedRoot)]", line);
            AssertNothingSentAfterTls(run, security);
        }

        /// <summary>tls.verify=off takes the same untrusted certificate, and also one that names another host.</summary>
        [Theory]
        [InlineData("starttls", false)]
        [InlineData("tls", false)]
        [InlineData("starttls", true)]
        public void Verify_off_accepts_an_untrusted_certificate(string security, bool wrongName)
        {
            using Board board = new Board();
            Dictionary<string, string> settings = TlsSettings(security == "tls" ? _lab.SmtpsPort : _lab.StartTlsPort, security, "cram-md5");
            settings.Remove("tls.ca_file");
            settings["tls.verify"] = "off";
            if (wrongName)
            {
                settings["smtp.host"] = LocalhostName();
            }

            byte[] content = Documents.Random(700);
            string document = board.WriteDocument("scan0001.pdf", content);
            string token = Documents.Token();

            BoardRun run = board.Send(settings, document, "verify off " + token, new[] { _lab.RelayRecipient });

            TlsSupport.AssertSentOverTls(run, "email", "CRAM-MD5");
            MimeMessage delivered = Maildir.WaitFor(_lab["MAILDIR_RELAY"], token);
            Assert.Equal(content, Mime.Decode(Assert.Single(delivered.Attachments.OfType<MimePart>())));
        }

        /// <summary>
        /// "localhost" reaches the lab, but the certificate names only mail.lab.test and 127.0.0.1: with the lab's CA
        /// file (which makes 127.0.0.1 pass, see the STARTTLS test) the name alone is enough for #853.
        /// </summary>
        [Theory]
        [InlineData("starttls", "TLS")]
        [InlineData("tls", "connect")]
        public void Host_name_the_certificate_does_not_carry_is_refused_with_853(string security, string stage)
        {
            using Board board = new Board();
            Dictionary<string, string> settings = TlsSettings(security == "tls" ? _lab.SmtpsPort : _lab.StartTlsPort, security, "plain");
            settings["smtp.host"] = LocalhostName();
            string document = board.WriteDocument("scan0001.pdf", Documents.Random(256));

            BoardRun run = board.Send(settings, document, "wrong name " + Documents.Token(), new[] { _lab.RelayRecipient }, "--verbose");

            string line = Journal.AssertFailed(run, 853);
            Assert.Contains(" NG #853 server certificate rejected at " + stage + " [certificate refused: ", line);
            Assert.Contains("RemoteCertificateNameMismatch", line);
            AssertNothingSentAfterTls(run, security);
        }

        /// <summary>A CA file the lab's certificate does not chain to, or one that cannot be read, vouches for nothing.</summary>
        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void Ca_file_that_does_not_vouch_for_the_server_is_refused_with_853(bool unrelatedCa)
        {
            using Board board = new Board();
            Dictionary<string, string> settings = TlsSettings(_lab.StartTlsPort, "starttls", "plain");
            string caFile = unrelatedCa ? TlsSupport.WriteUnrelatedCa(board) : Path.Combine(board.Folder, "missing-ca.pem");
            settings["tls.ca_file"] = caFile;
            string document = board.WriteDocument("scan0001.pdf", Documents.Random(256));

            BoardRun run = board.Send(settings, document, "other ca " + Documents.Token(), new[] { _lab.RelayRecipient }, "--verbose");

            string line = Journal.AssertFailed(run, 853);
            Assert.Contains(" NG #853 server certificate rejected at TLS [certificate refused: ", line);
            if (unrelatedCa)
            {
                Assert.Contains("RemoteCertificateChainErrors", line);
            }
            else
            {
                Assert.Contains("CA file " + caFile + " unusable", line);
            }

            AssertNothingSentAfterTls(run, "starttls");
        }

        /// <summary>
        /// smtp.security=starttls against the AUTH port, which offers no STARTTLS: #851 after the EHLO, then only QUIT.
        /// No AUTH, no MAIL, and the password shows up nowhere, in clear or as base64.
        /// </summary>
        [Theory]
        [InlineData("plain")]
        [InlineData("login")]
        [InlineData("auto")]
        public void Starttls_required_but_not_offered_fails_with_851_and_sends_nothing_secret(string auth)
        {
            using Board board = new Board();
            Dictionary<string, string> settings = TlsSettings(_lab.AuthPort, "starttls", auth);
            string document = board.WriteDocument("scan0001.pdf", Documents.Random(256));

            BoardRun run = board.Send(settings, document, "no starttls " + Documents.Token(), new[] { _lab.RelayRecipient }, "--verbose");

            string line = Journal.AssertFailed(run, 851);
            Assert.EndsWith(" NG #851 server does not offer encryption at STARTTLS [server does not offer STARTTLS]", line);
            TlsSupport.AssertInOrder(run, "S: 220 ", "C: EHLO ", "S: 250-AUTH ", "C: QUIT");
            Assert.DoesNotContain("C: STARTTLS", run.Error);
            Assert.DoesNotContain("C: AUTH", run.Error);
            Assert.DoesNotContain("C: MAIL", run.Error);
            string everything = run.Output + "\n" + run.Error;
            foreach (string secret in SecretTests.SecretForms(_lab["SCAN_USER"], _lab["SCAN_PASSWORD"]))
            {
                Assert.False(everything.Contains(secret, StringComparison.Ordinal), "the output shows a form of the password: " + secret + "\n" + run);
            }
        }

        /// <summary>
        /// smtp.security=tls against a port that talks SMTP in clear: the server's greeting is no TLS record, so the
        /// handshake fails (#852) before any command is sent.
        /// </summary>
        [Fact]
        public void Implicit_tls_against_a_plain_smtp_port_fails_with_852()
        {
            using Board board = new Board();
            Dictionary<string, string> settings = TlsSettings(_lab.AuthPort, "tls", "plain");
            string document = board.WriteDocument("scan0001.pdf", Documents.Random(256));

            BoardRun run = board.Send(settings, document, "tls on plain " + Documents.Token(), new[] { _lab.RelayRecipient }, "--verbose");

            string line = Journal.AssertFailed(run, 852);
            Assert.Contains(" NG #852 TLS handshake failed at connect [handshake failed: ", line);
            Assert.DoesNotContain("C: ", run.Error);
        }

        /// <summary>
        /// smtp.security=none against the implicit-TLS port: the server waits for a ClientHello and the board for a
        /// greeting, so the board gives up at its greeting timeout (set short here) with #803, a transient failure.
        /// Nothing tells the board the port wants TLS; the code is the one for a server that does not answer.
        /// </summary>
        [Fact]
        public void No_encryption_against_the_smtps_port_fails_with_803_at_the_greeting()
        {
            using Board board = new Board();
            Dictionary<string, string> settings = TlsSettings(_lab.SmtpsPort, "none", "plain");
            settings["smtp.timeout.greeting_s"] = "2";
            string document = board.WriteDocument("scan0001.pdf", Documents.Random(256));

            BoardRun run = board.Send(settings, document, "clear on smtps " + Documents.Token(), new[] { _lab.RelayRecipient }, "--verbose");

            string line = Journal.AssertFailed(run, 803);
            Assert.EndsWith(" NG #803 SMTP connection lost or timed out at greeting [no reply in time] (retry 1/3)", line);
            Assert.DoesNotContain("C: ", run.Error);
        }

        /// <summary>
        /// smtp.auth.plaintext=deny forbids PLAIN in clear, not over TLS: after STARTTLS, smtp.auth=plain authenticates
        /// with PLAIN. On the AUTH port without TLS the same settings send no AUTH at all, and the unauthenticated
        /// relay is refused (#807, the journal says why).
        /// </summary>
        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void Plaintext_deny_allows_plain_only_over_tls(bool overTls)
        {
            using Board board = new Board();
            Dictionary<string, string> settings = overTls
                ? TlsSettings(_lab.StartTlsPort, "starttls", "plain")
                : TlsSettings(_lab.AuthPort, "none", "plain");
            settings["smtp.auth.plaintext"] = "deny";
            byte[] content = Documents.Random(512);
            string document = board.WriteDocument("scan0001.pdf", content);
            string token = Documents.Token();

            BoardRun run = board.Send(settings, document, "plaintext deny " + token, new[] { _lab.RelayRecipient }, "--verbose");

            if (overTls)
            {
                TlsSupport.AssertSentOverTls(run, "email", "PLAIN");
                TlsSupport.AssertInOrder(run, "C: STARTTLS", "S: 220 ", "C: EHLO ", "C: AUTH PLAIN ****");
                MimeMessage delivered = Maildir.WaitFor(_lab["MAILDIR_RELAY"], token);
                Assert.Equal(content, Mime.Decode(Assert.Single(delivered.Attachments.OfType<MimePart>())));
            }
            else
            {
                string line = Journal.AssertFailed(run, 807);
                Assert.Contains("(plaintext AUTH not allowed without encryption)", line);
                Assert.DoesNotContain("C: AUTH", run.Error);
                Assert.DoesNotContain(" tls=", line);
            }
        }

        /// <summary>Settings for an authenticated relay from the plain foreign address, trusting the lab's CA file.</summary>
        private Dictionary<string, string> TlsSettings(int port, string security, string auth)
        {
            Dictionary<string, string> settings = Board.LabSettings(_lab, port, auth);
            settings["smtp.security"] = security;
            settings["smtp.user"] = _lab["SCAN_USER"];
            settings["smtp.password"] = _lab["SCAN_PASSWORD"];
            settings["net.local_address"] = _lab.ForeignAddress;
            settings["tls.verify"] = "on";
            settings["tls.ca_file"] = _lab.CaCert;
            return settings;
        }

        /// <summary>"localhost", after checking it leads to the lab's 127.0.0.1 here.</summary>
        private static string LocalhostName()
        {
            IPAddress[] addresses = Dns.GetHostAddresses("localhost");
            Assert.True(addresses.Contains(IPAddress.Loopback), "localhost does not resolve to 127.0.0.1 here: " + string.Join(", ", addresses.Select(a => a.ToString())));
            return "localhost";
        }

        /// <summary>After a refused handshake the dialogue ends: no AUTH, no MAIL, and with STARTTLS nothing after it.</summary>
        private static void AssertNothingSentAfterTls(BoardRun run, string security)
        {
            Assert.DoesNotContain("C: AUTH", run.Error);
            Assert.DoesNotContain("C: MAIL", run.Error);
            string[] lines = TlsSupport.DialogueLines(run);
            if (security == "starttls")
            {
                int starttls = TlsSupport.LineIndex(lines, "C: STARTTLS");
                Assert.True(starttls >= 0, run.ToString());
                Assert.True(TlsSupport.LineIndex(lines, "C: ", starttls + 1) < 0, "the board sent more after the refused handshake:\n" + run);
            }
            else
            {
                Assert.True(TlsSupport.LineIndex(lines, "C: ") < 0, "the board sent a command over a refused TLS session:\n" + run);
            }
        }

        private static List<string> ReadReply(StreamReader reader)
        {
            List<string> lines = new List<string>();
            while (true)
            {
                string line = reader.ReadLine();
                Assert.True(line != null, "the server closed the connection in the middle of a reply");
                lines.Add(line);
                if (line.Length < 4 || line[3] != '-')
                {
                    return lines;
                }
            }
        }
    }
}
