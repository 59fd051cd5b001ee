using MimeKit;

namespace NetBoard.Integration.Tests
{
    /// <summary>SMTP AUTH against Postfix + Dovecot: every mechanism, the three kinds of stored password, failures.</summary>
    [Collection(LabCollection.Name)]
    public sealed class AuthTests
    {
        private readonly LabFixture _lab;

        public AuthTests(LabFixture lab)
        {
            _lab = lab;
        }

        /// <summary>
        /// A foreign client (bound to a non-mynetworks address) relays to example.net only because it authenticated;
        /// the journal names the mechanism the server accepted.
        /// </summary>
        [Theory]
        [InlineData("auto", "SCAN", "CRAM-MD5")]
        [InlineData("cram-md5", "SCAN", "CRAM-MD5")]
        [InlineData("plain", "SCAN", "PLAIN")]
        [InlineData("login", "SCAN", "LOGIN")]
        [InlineData("auto", "CRAM", "CRAM-MD5")]
        [InlineData("cram-md5", "CRAM", "CRAM-MD5")]
        [InlineData("plain", "HASHED", "PLAIN")]
        [InlineData("login", "HASHED", "LOGIN")]
        public void Mechanism_authenticates_and_relays_from_a_foreign_address(string auth, string user, string expectedMechanism)
        {
            using Board board = new Board();
            Dictionary<string, string> settings = AuthSettings(auth, user, _lab[user + "_PASSWORD"]);
            byte[] content = Documents.Random(1024);
            string document = board.WriteDocument("scan0001.pdf", content);
            string token = Documents.Token();

            BoardRun run = board.Send(settings, document, "auth " + auth + " " + token, new[] { _lab.RelayRecipient }, "--verbose");

            Journal.AssertSentWithAuth(run, "email", expectedMechanism);
            Assert.Contains("C: AUTH " + expectedMechanism, run.Error);
            MimeMessage delivered = Maildir.WaitFor(_lab["MAILDIR_RELAY"], token);
            MimePart attachment = Assert.Single(delivered.Attachments.OfType<MimePart>());
            Assert.Equal(content, Mime.Decode(attachment));
        }

        /// <summary>
        /// hashed@lab.test is stored as SHA512-CRYPT, so Dovecot announces CRAM-MD5 but cannot verify it for this
        /// account and answers 535. On the clear AUTH port that refusal could as well come from whoever sits in the
        /// path, so with smtp.auth=auto (and plaintext allowed) the board does not follow it with PLAIN: the job
        /// fails with #839, the journal says why PLAIN was not tried, and no password went out.
        /// </summary>
        [Fact]
        public void Auto_with_a_hashed_password_on_a_clear_link_fails_with_839_and_sends_no_password()
        {
            using Board board = new Board();
            Dictionary<string, string> settings = AuthSettings("auto", "HASHED", _lab["HASHED_PASSWORD"]);
            string document = board.WriteDocument("scan0001.pdf", Documents.Random(512));
            string token = Documents.Token();

            BoardRun run = board.Send(settings, document, "hashed auto " + token, new[] { _lab.RelayRecipient }, "--verbose");

            string line = Journal.AssertFailed(run, 839);
            Assert.Contains(" (CRAM-MD5 refused; PLAIN not tried without verified TLS) at AUTH [535 ", line);
            Assert.Contains("C: AUTH CRAM-MD5", run.Error);
            Assert.DoesNotContain("C: AUTH PLAIN", run.Error);
            Assert.DoesNotContain("C: AUTH LOGIN", run.Error);
            Assert.DoesNotContain("C: MAIL FROM", run.Error);
        }

        /// <summary>
        /// The same account over TLS whose certificate the board verified (SMTPS and STARTTLS with the lab's CA): the
        /// password can reach only the configured server, so one fallback from the refused CRAM-MD5 to PLAIN is
        /// allowed, the job is delivered and the journal says why it went by PLAIN.
        /// </summary>
        [Theory]
        [InlineData("tls")]
        [InlineData("starttls")]
        public void Auto_with_a_hashed_password_on_verified_tls_falls_back_once_to_plain(string security)
        {
            using Board board = new Board();
            Dictionary<string, string> settings = HashedOverTls(security);
            byte[] content = Documents.Random(512);
            string document = board.WriteDocument("scan0001.pdf", content);
            string token = Documents.Token();

            BoardRun run = board.Send(settings, document, "hashed tls " + token, new[] { _lab.RelayRecipient }, "--verbose");

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Contains(" OK auth=PLAIN (CRAM-MD5 refused with 535) [250 ", run.Journal);
            Assert.Contains(" tls=", run.Journal);
            TlsSupport.AssertInOrder(run, "C: AUTH CRAM-MD5", "S: 535 ", "C: AUTH PLAIN ****", "S: 235 ");
            MimeMessage delivered = Maildir.WaitFor(_lab["MAILDIR_RELAY"], token);
            Assert.Equal(content, Mime.Decode(Assert.Single(delivered.Attachments.OfType<MimePart>())));
        }

        /// <summary>TLS without certificate verification (tls.verify=off) protects against listeners, not against a party in the path: no fallback.</summary>
        [Fact]
        public void Auto_with_a_hashed_password_on_unverified_tls_fails_with_839()
        {
            using Board board = new Board();
            Dictionary<string, string> settings = HashedOverTls("tls");
            settings.Remove("tls.ca_file");
            settings["tls.verify"] = "off";
            string document = board.WriteDocument("scan0001.pdf", Documents.Random(512));

            BoardRun run = board.Send(settings, document, "hashed unverified " + Documents.Token(), new[] { _lab.RelayRecipient }, "--verbose");

            string line = Journal.AssertFailed(run, 839);
            Assert.Contains(" (CRAM-MD5 refused; PLAIN not tried without verified TLS) at AUTH [535 ", line);
            Assert.DoesNotContain("C: AUTH PLAIN", run.Error);
            Assert.DoesNotContain("C: MAIL FROM", run.Error);
        }

        [Fact]
        public void Auto_with_plaintext_denied_does_not_fall_back_and_fails_with_839()
        {
            using Board board = new Board();
            Dictionary<string, string> settings = AuthSettings("auto", "HASHED", _lab["HASHED_PASSWORD"]);
            settings["smtp.auth.plaintext"] = "deny";
            string document = board.WriteDocument("scan0001.pdf", Documents.Random(512));

            BoardRun run = board.Send(settings, document, "hashed deny " + Documents.Token(), new[] { _lab.RelayRecipient }, "--verbose");

            string line = Journal.AssertFailed(run, 839);
            Assert.Contains(" at AUTH [535 ", line);
            Assert.DoesNotContain("C: AUTH PLAIN", run.Error);
            Assert.DoesNotContain("C: AUTH LOGIN", run.Error);
            Assert.DoesNotContain("C: MAIL FROM", run.Error);
        }

        [Theory]
        [InlineData("auto")]
        [InlineData("plain")]
        public void Wrong_password_fails_with_839_and_nothing_is_delivered(string auth)
        {
            using Board board = new Board();
            Dictionary<string, string> settings = AuthSettings(auth, "SCAN", "not-the-" + _lab["SCAN_PASSWORD"]);
            string document = board.WriteDocument("scan0001.pdf", Documents.Random(512));
            string token = Documents.Token();

            BoardRun run = board.Send(settings, document, "wrong password " + token, new[] { _lab.RelayRecipient }, "--verbose");

            string line = Journal.AssertFailed(run, 839);
            Assert.Contains(" at AUTH [535 5.7.8 ", line);
            Assert.DoesNotContain("C: MAIL FROM", run.Error);

            // A later good job through the same path is the barrier: once it has arrived, the failed one would have too.
            string barrier = Documents.Token();
            BoardRun good = board.Send(AuthSettings(auth, "SCAN", _lab["SCAN_PASSWORD"]), document, "barrier " + barrier, new[] { _lab.RelayRecipient });
            Assert.True(good.ExitCode == 0, good.ToString());
            Maildir.WaitFor(_lab["MAILDIR_RELAY"], barrier);
            Assert.Empty(Maildir.Find(_lab["MAILDIR_RELAY"], token));
        }

        /// <summary>The no-AUTH port from 127.0.0.1 (mynetworks) to a local mailbox: smtp.auth=auto goes on without AUTH.</summary>
        [Fact]
        public void Auto_on_the_port_without_auth_sends_unauthenticated()
        {
            using Board board = new Board();
            Dictionary<string, string> settings = Board.LabSettings(_lab, _lab.NoAuthPort, "auto");
            settings["smtp.user"] = _lab["SCAN_USER"];
            settings["smtp.password"] = _lab["SCAN_PASSWORD"];
            settings["net.local_address"] = "127.0.0.1";
            byte[] content = Documents.Random(2048);
            string document = board.WriteDocument("scan0002.pdf", content);
            string token = Documents.Token();

            BoardRun run = board.Send(settings, document, "no auth " + token, new[] { _lab["SCAN_USER"] }, "--verbose");

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Matches(@" OK unauthenticated \(server offers no AUTH\) \[250 2\.0\.0 Ok: (?:\d+ bytes )?queued as [0-9A-F]+\]$", run.Journal);
            Assert.DoesNotContain("C: AUTH", run.Error);
            MimeMessage delivered = Maildir.WaitFor(_lab["MAILDIR_SCAN"], token);
            Assert.Equal(content, Mime.Decode(Assert.Single(delivered.Attachments.OfType<MimePart>())));
        }

        private Dictionary<string, string> HashedOverTls(string security)
        {
            Dictionary<string, string> settings = AuthSettings("auto", "HASHED", _lab["HASHED_PASSWORD"]);
            settings["smtp.port"] = (security == "tls" ? _lab.SmtpsPort : _lab.StartTlsPort).ToString();
            settings["smtp.security"] = security;
            settings["tls.verify"] = "on";
            settings["tls.ca_file"] = _lab.CaCert;
            return settings;
        }

        private Dictionary<string, string> AuthSettings(string auth, string user, string password)
        {
            Dictionary<string, string> settings = Board.LabSettings(_lab, _lab.AuthPort, auth);
            settings["smtp.user"] = _lab[user + "_USER"];
            settings["smtp.password"] = password;
            settings["net.local_address"] = _lab.ForeignAddress;
            return settings;
        }
    }
}
