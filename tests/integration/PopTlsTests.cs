using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using MimeKit;

namespace NetBoard.Integration.Tests
{
    /// <summary>
    /// POP before SMTP with the POP login over TLS (POP3S, STLS). Each test binds a foreign address of its own
    /// (offsets 5 to 7; PopBeforeSmtpTests uses 1 to 4). Dovecot's log shows whether a login ran over TLS.
    /// </summary>
    [Collection(LabCollection.Name)]
    public sealed class PopTlsTests
    {
        private const int Pop3sAddress = 5;
        private const int StlsAddress = 6;
        private const int UntrustedAddress = 7;

        private readonly LabFixture _lab;

        public PopTlsTests(LabFixture lab)
        {
            _lab = lab;
        }

        /// <summary>
        /// The POP login over POP3S authorises the foreign address; SMTP in clear on the port without AUTH then relays.
        /// The journal carries no tls= (the SMTP session was not encrypted) and ends with pop-before-smtp.
        /// </summary>
        [Fact]
        public void Pop_before_smtp_over_pop3s_lets_a_foreign_client_relay()
        {
            using Board board = new Board();
            string address = _lab.ForeignAddressAt(Pop3sAddress);
            ExpirePopAuthorization(address);
            Dictionary<string, string> settings = PopSettings(_lab.NoAuthPort, "none", address, _lab.Pop3sPort, "tls");
            byte[] content = Documents.Random(1200);
            string document = board.WriteDocument("scan0001.pdf", content);
            string token = Documents.Token();
            long mark = TlsSupport.DovecotLogMark(_lab);

            BoardRun run = board.Send(settings, document, "pop3s before smtp " + token, new[] { _lab.RelayRecipient }, "--verbose");

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Matches(@" OK \[250 2\.0\.0 Ok: (?:\d+ bytes )?queued as [0-9A-F]+\] pop-before-smtp$", run.Journal);
            TlsSupport.AssertInOrder(run, "S: +OK ", "C: USER " + _lab["SCAN_USER"], "C: PASS ****", "C: QUIT", "S: 220 ", "C: EHLO ", "C: MAIL FROM:");
            Assert.DoesNotContain("C: STLS", run.Error);
            Assert.DoesNotContain(_lab["SCAN_PASSWORD"], run.Error);
            TlsSupport.AssertLoginOverTls(TlsSupport.WaitForPopLogin(_lab, mark, _lab["SCAN_USER"], address));

            MimeMessage delivered = Maildir.WaitFor(_lab["MAILDIR_RELAY"], token);
            Assert.Equal(content, Mime.Decode(Assert.Single(delivered.Attachments.OfType<MimePart>())));
        }

        /// <summary>
        /// STLS for the POP login, then STARTTLS on the SMTP port that requires it, without SMTP AUTH: both sessions
        /// are encrypted, USER comes only after STLS, and the journal ends with tls=... pop-before-smtp.
        /// </summary>
        [Fact]
        public void Pop_before_smtp_over_stls_then_starttls_is_delivered()
        {
            using Board board = new Board();
            string address = _lab.ForeignAddressAt(StlsAddress);
            ExpirePopAuthorization(address);
            Dictionary<string, string> settings = PopSettings(_lab.StartTlsPort, "starttls", address, _lab.Pop3Port, "stls");
            byte[] content = Documents.Random(1200);
            string document = board.WriteDocument("scan0001.pdf", content);
            string token = Documents.Token();
            long mark = TlsSupport.DovecotLogMark(_lab);

            BoardRun run = board.Send(settings, document, "stls before smtp " + token, new[] { _lab.RelayRecipient }, "--verbose");

            TlsSupport.AssertSentOverTls(run, "email", null, popBeforeSmtp: true);
            TlsSupport.AssertInOrder(run, "C: CAPA", "S: STLS", "C: STLS", "S: +OK ", "C: CAPA", "C: USER " + _lab["SCAN_USER"], "C: PASS ****", "C: QUIT",
                "S: 220 ", "C: EHLO ", "C: STARTTLS", "S: 220 ", "C: EHLO ", "C: MAIL FROM:");
            Assert.DoesNotContain("C: AUTH", run.Error);
            TlsSupport.AssertLoginOverTls(TlsSupport.WaitForPopLogin(_lab, mark, _lab["SCAN_USER"], address));

            MimeMessage delivered = Maildir.WaitFor(_lab["MAILDIR_RELAY"], token);
            Assert.Equal(content, Mime.Decode(Assert.Single(delivered.Attachments.OfType<MimePart>())));
        }

        /// <summary>
        /// POP3S without a CA file for the lab's certificate: #853 for the POP before SMTP step, no USER sent, and the
        /// SMTP server is never contacted.
        /// </summary>
        [Fact]
        public void Untrusted_pop3s_certificate_fails_with_853_without_any_smtp_connection()
        {
            using Board board = new Board();
            TcpListener smtp = new TcpListener(IPAddress.Loopback, 0);
            smtp.Start();
            try
            {
                Dictionary<string, string> settings = PopSettings(((IPEndPoint)smtp.LocalEndpoint).Port, "none", _lab.ForeignAddressAt(UntrustedAddress), _lab.Pop3sPort, "tls");
                settings.Remove("tls.ca_file");
                string document = board.WriteDocument("scan0001.pdf", Documents.Random(256));

                BoardRun run = board.Send(settings, document, "untrusted pop3s " + Documents.Token(), new[] { _lab.RelayRecipient }, "--verbose");

                string line = Journal.AssertFailed(run, 853);
                Assert.EndsWith(" NG #853 server certificate rejected [POP before SMTP: certificate refused: RemoteCertificateChainErrors (UntrustedRoot)]", line);
                Assert.DoesNotContain("C: ", run.Error);
                Assert.False(smtp.Pending(), "the board connected to SMTP although the POP certificate was refused");
            }
            finally
            {
                smtp.Stop();
            }
        }

        private Dictionary<string, string> PopSettings(int smtpPort, string smtpSecurity, string localAddress, int popPort, string popSecurity)
        {
            Dictionary<string, string> settings = Board.LabSettings(_lab, smtpPort, "off");
            settings["smtp.security"] = smtpSecurity;
            settings["net.local_address"] = localAddress;
            settings["pop.before_smtp"] = "on";
            settings["pop.host"] = _lab.Host;
            settings["pop.port"] = popPort.ToString();
            settings["pop.security"] = popSecurity;
            settings["pop.user"] = _lab["SCAN_USER"];
            settings["pop.password"] = _lab["SCAN_PASSWORD"];

            // USER/PASS, so the tests see the password command come only after TLS.
            settings["pop.login"] = "user";
            settings["tls.verify"] = "on";
            settings["tls.ca_file"] = _lab.CaCert;
            return settings;
        }

        /// <summary>Backdates the POP-before-SMTP record of <paramref name="address"/> past the TTL, as an earlier run may have left one.</summary>
        private void ExpirePopAuthorization(string address)
        {
            string record = Path.Combine(_lab["POPAUTH_DIR"], address);
            if (File.Exists(record))
            {
                int ttl = int.Parse(_lab["POP_BEFORE_SMTP_TTL_S"]);
                File.SetLastWriteTimeUtc(record, DateTime.UtcNow.AddSeconds(-(ttl + 60)));
            }
        }
    }

    /// <summary>
    /// POP reception of ifax@lab.test over POP3S and STLS, and the refusals that leave the mailbox alone. Every test
    /// starts with `lab.sh reset`, hence the i-FAX mailbox collection.
    /// </summary>
    [Collection(IfaxMailboxCollection.Name)]
    public sealed class PopTlsReceptionTests
    {
        private const string Stamp = @"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ ";

        private readonly LabFixture _lab;

        public PopTlsReceptionTests(LabFixture lab)
        {
            _lab = lab;
        }

        /// <summary>The three seed messages over POP3S or STLS: received, printed, deleted; Dovecot logged a TLS login.</summary>
        [Theory]
        [InlineData("tls")]
        [InlineData("stls")]
        public void Seeded_mailbox_is_received_over_tls_and_removed_from_the_server(string security)
        {
            _lab.Reset();
            Assert.Equal(3, ServerMessages().Count);
            using Board board = new Board();
            string settings = board.WriteSettings(ReceiveSettings(security));
            string printed = board.NewFolder("printed");
            long mark = TlsSupport.DovecotLogMark(_lab);

            BoardRun run = Board.Receive(settings, printed, board.NewFolder("data"), verbose: true);

            Assert.True(run.ExitCode == 0, run.ToString());
            string[] lines = run.Lines;
            Assert.True(lines.Length == 4, "expected the reception line and one line per message:\n" + run);
            Assert.Matches(Stamp + "receive OK 3 new of 3, 3 deleted on the server tls=Tls1[23] \\S+$", lines[0]);
            Assert.Matches(Stamp + @"rx from=""Fax Gateway"" <fax-gw@example\.net> subject=""i-FAX 1 \(TIFF\)"" printed 1$", lines[1]);
            Assert.Matches(Stamp + @"rx from=<scanner@example\.net> subject=""i-FAX 2 \(PDF\)"" printed 1$", lines[2]);
            Assert.Matches(Stamp + @"rx from=<someone@example\.net> subject=""i-FAX 3 \(text only\)"" NG no printable part \(text/plain\)$", lines[3]);
            Assert.DoesNotContain(_lab["IFAX_PASSWORD"], run.Error);
            if (security == "stls")
            {
                TlsSupport.AssertInOrder(run, "C: CAPA", "S: STLS", "C: STLS", "S: +OK ", "C: CAPA", "C: USER " + _lab["IFAX_USER"], "C: PASS ****", "C: RETR 1");
                Assert.Equal(1, TlsSupport.DialogueLines(run).Count(l => l == "C: STLS"));
            }
            else
            {
                TlsSupport.AssertInOrder(run, "S: +OK ", "C: USER " + _lab["IFAX_USER"], "C: PASS ****", "C: RETR 1");
                Assert.DoesNotContain("C: STLS", run.Error);
            }

            TlsSupport.AssertLoginOverTls(TlsSupport.WaitForPopLogin(_lab, mark, _lab["IFAX_USER"], "127.0.0.1"));
            string[] files = Directory.GetFiles(printed);
            Assert.True(files.Length == 2, "expected two printed documents, got: " + string.Join(", ", files.Select(Path.GetFileName)));
            Assert.Empty(ServerMessages());
        }

        /// <summary>
        /// A refused certificate (POP3S without CA file; STLS to "localhost", a name the certificate does not carry)
        /// gives #853 before any login: no USER, nothing printed, the mailbox as it was.
        /// </summary>
        [Theory]
        [InlineData("tls", false, "RemoteCertificateChainErrors (UntrustedRoot)")]
        [InlineData("stls", true, "RemoteCertificateNameMismatch")]
        public void Refused_certificate_fails_with_853_and_leaves_the_mailbox_alone(string security, bool wrongName, string why)
        {
            _lab.Reset();
            List<string> before = ServerMessages();
            using Board board = new Board();
            Dictionary<string, string> settings = ReceiveSettings(security);
            if (wrongName)
            {
                settings["pop.host"] = "localhost";
            }
            else
            {
                settings.Remove("tls.ca_file");
            }

            string printed = board.NewFolder("printed");

            BoardRun run = Board.Receive(board.WriteSettings(settings), printed, board.NewFolder("data"), verbose: true);

            Assert.True(run.ExitCode == 1, run.ToString());
            Assert.Matches(Stamp + @"receive NG #853 server certificate rejected at \S+ \[certificate refused: .*" + Regex.Escape(why), run.Journal);
            if (security == "stls")
            {
                TlsSupport.AssertInOrder(run, "C: STLS", "S: +OK ");
            }

            Assert.DoesNotContain("C: USER", run.Error);
            Assert.DoesNotContain("C: AUTH", run.Error);
            Assert.Empty(Directory.GetFiles(printed));
            Assert.Equal(before.OrderBy(f => f, StringComparer.Ordinal), ServerMessages().OrderBy(f => f, StringComparer.Ordinal));
        }

        /// <summary>pop.security=tls against the POP3 port that talks in clear: #852, nothing sent, the mailbox as it was.</summary>
        [Fact]
        public void Implicit_tls_against_the_plain_pop3_port_fails_with_852()
        {
            _lab.Reset();
            List<string> before = ServerMessages();
            using Board board = new Board();
            Dictionary<string, string> settings = ReceiveSettings("tls");
            settings["pop.port"] = _lab.Pop3Port.ToString();
            string printed = board.NewFolder("printed");

            BoardRun run = Board.Receive(board.WriteSettings(settings), printed, board.NewFolder("data"), verbose: true);

            Assert.True(run.ExitCode == 1, run.ToString());
            Assert.Matches(Stamp + @"receive NG #852 TLS handshake failed at connect \[handshake failed: ", run.Journal);
            Assert.DoesNotContain("C: ", run.Error);
            Assert.Empty(Directory.GetFiles(printed));
            Assert.Equal(before.OrderBy(f => f, StringComparer.Ordinal), ServerMessages().OrderBy(f => f, StringComparer.Ordinal));
        }

        /// <summary>
        /// A round trip entirely over TLS: the board sends a 500 KB TIFF i-FAX by SMTPS and receives it by POP3S (many
        /// TLS records each way), printing it byte for byte.
        /// </summary>
        [Fact]
        public void Ifax_sent_over_smtps_is_received_over_pop3s_byte_for_byte()
        {
            _lab.Reset();
            using Board board = new Board();
            Dictionary<string, string> settings = ReceiveSettings("tls");
            settings["smtp.port"] = _lab.SmtpsPort.ToString();
            settings["smtp.security"] = "tls";
            settings["smtp.auth"] = "plain";
            settings["smtp.user"] = _lab["SCAN_USER"];
            settings["smtp.password"] = _lab["SCAN_PASSWORD"];
            byte[] tiff = Documents.Tiff(1728, 2300);
            string document = board.WriteDocument("fax0001.tif", tiff);
            string token = Documents.Token();
            string subject = "tls round trip " + token;

            BoardRun sent = board.Send(settings, document, subject, new[] { _lab["IFAX_USER"] }, "--kind", "ifax");

            TlsSupport.AssertSentOverTls(sent, "ifax", "PLAIN");
            Maildir.WaitFor(_lab["MAILDIR_IFAX"], token);

            string printed = board.NewFolder("printed");
            BoardRun received = Board.Receive(board.WriteSettings(settings), printed, board.NewFolder("data"));

            Assert.True(received.ExitCode == 0, received.ToString());
            string[] lines = received.Lines;
            Assert.Matches(Stamp + "receive OK 4 new of 4, 4 deleted on the server tls=Tls1[23] \\S+$", lines[0]);
            Assert.Single(lines, l => Regex.IsMatch(l, Stamp + @"rx from=.*<" + Regex.Escape(_lab["SCAN_USER"]) + @"> subject=""" + Regex.Escape(subject) + @""" printed 1$"));
            string[] files = Directory.GetFiles(printed);
            Assert.True(files.Length == 3, "expected the seed TIFF and PDF and the round-trip TIFF, got: " + string.Join(", ", files.Select(Path.GetFileName)));
            string ours = Assert.Single(files, f => File.ReadAllBytes(f).AsSpan().SequenceEqual(tiff));
            Assert.EndsWith(".tif", ours);
            Assert.Empty(ServerMessages());
        }

        private Dictionary<string, string> ReceiveSettings(string security)
        {
            Dictionary<string, string> settings = Board.LabSettings(_lab, _lab.AuthPort, "off");
            settings["pop.host"] = _lab.Host;
            settings["pop.port"] = (security == "tls" ? _lab.Pop3sPort : _lab.Pop3Port).ToString();
            settings["pop.security"] = security;
            settings["pop.user"] = _lab["IFAX_USER"];
            settings["pop.password"] = _lab["IFAX_PASSWORD"];
            settings["pop.login"] = "user";
            settings["tls.verify"] = "on";
            settings["tls.ca_file"] = _lab.CaCert;
            return settings;
        }

        /// <summary>The files of the i-FAX Maildir (new/ and cur/): the messages the POP server holds.</summary>
        private List<string> ServerMessages()
        {
            List<string> files = new List<string>();
            foreach (string sub in new[] { "new", "cur" })
            {
                string folder = Path.Combine(_lab["MAILDIR_IFAX"], sub);
                if (Directory.Exists(folder))
                {
                    files.AddRange(Directory.GetFiles(folder));
                }
            }

            return files;
        }
    }
}
