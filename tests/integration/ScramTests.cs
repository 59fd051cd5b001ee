using MimeKit;

namespace NetBoard.Integration.Tests
{
    /// <summary>
    /// SCRAM-SHA-256 and SCRAM-SHA-1 against the lab's SCRAM instance (Dovecot with SCRAM keys only, Postfix through it),
    /// the salted-password cache of the credential store, and scripted servers for the faults Dovecot never makes.
    /// </summary>
    [Collection(LabCollection.Name)]
    public sealed class ScramTests
    {
        // POP before SMTP authorises an address; SecretCaptureTests shares this one but never expects a denial, and the tests here backdate its record first.
        private const int PopAddress = 9;

        private readonly LabFixture _lab;

        public ScramTests(LabFixture lab)
        {
            _lab = lab;
        }

        [Theory]
        [InlineData("scram-sha-256", "SCRAM-SHA-256")]
        [InlineData("scram-sha-1", "SCRAM-SHA-1")]
        [InlineData("auto", "SCRAM-SHA-256")]
        public void Each_scram_mechanism_authenticates_and_relays_from_a_foreign_address(string auth, string expectedMechanism)
        {
            using Board board = new Board();
            Dictionary<string, string> settings = ScramSettings(auth, _lab["SCRAM_PASSWORD"]);
            byte[] content = Documents.Random(1024);
            string document = board.WriteDocument("scan0001.pdf", content);
            string token = Documents.Token();

            BoardRun run = board.Send(settings, document, "scram " + auth + " " + token, new[] { _lab.RelayRecipient }, "--verbose");

            Journal.AssertSentWithAuth(run, "email", expectedMechanism);
            Assert.Contains("C: AUTH " + expectedMechanism + " ****", run.Error);
            Assert.Contains("S: 334 ****", run.Error);
            Assert.DoesNotContain(_lab["SCRAM_PASSWORD"], run.Error + run.Output);
            MimeMessage delivered = Maildir.WaitFor(_lab["MAILDIR_RELAY"], token);
            Assert.Equal(content, Mime.Decode(Assert.Single(delivered.Attachments.OfType<MimePart>())));
        }

        /// <summary>
        /// The first login derives the salted password and stores it in the credential store, once the server's signature
        /// proved it right; the second login with the same data folder takes it from there (the entry is not written again)
        /// and Dovecot accepts the proof made from it.
        /// </summary>
        [Fact]
        public void A_repeat_login_uses_the_cached_salted_password()
        {
            using Board board = new Board();
            Dictionary<string, string> settings = ScramSettings("scram-sha-256", _lab["SCRAM_PASSWORD"]);
            string data = board.NewFolder("data");
            string document = board.WriteDocument("scan0001.pdf", Documents.Random(256));

            BoardRun first = board.Send(settings, document, "scram cache 1 " + Documents.Token(), new[] { _lab.RelayRecipient }, "--data", data);
            Journal.AssertSentWithAuth(first, "email", "SCRAM-SHA-256");
            string entry = Assert.Single(Directory.GetFiles(Path.Combine(data, "credentials"), "scram-*.cred"));
            byte[] stored = File.ReadAllBytes(entry);
            DateTime written = File.GetLastWriteTimeUtc(entry);

            BoardRun second = board.Send(settings, document, "scram cache 2 " + Documents.Token(), new[] { _lab.RelayRecipient }, "--data", data);

            Assert.True(second.ExitCode == 0, second.ToString());
            Assert.Contains(" OK auth=SCRAM-SHA-256 [250 ", second.Journal);
            Assert.Equal(stored, File.ReadAllBytes(Assert.Single(Directory.GetFiles(Path.Combine(data, "credentials"), "scram-*.cred"))));
            Assert.Equal(written, File.GetLastWriteTimeUtc(entry));
            string text = System.Text.Encoding.Latin1.GetString(stored);
            Assert.DoesNotContain(_lab["SCRAM_PASSWORD"], text);
            Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(_lab["SCRAM_PASSWORD"])), text);
        }

        [Theory]
        [InlineData("scram-sha-256")]
        [InlineData("scram-sha-1")]
        public void A_wrong_password_fails_with_839_and_caches_nothing(string auth)
        {
            using Board board = new Board();
            Dictionary<string, string> settings = ScramSettings(auth, "not-the-password");
            string data = board.NewFolder("data");
            string document = board.WriteDocument("scan0001.pdf", Documents.Random(256));

            BoardRun run = board.Send(settings, document, "scram wrong " + Documents.Token(), new[] { _lab.RelayRecipient }, "--verbose", "--data", data);

            Journal.AssertFailed(run, 839);
            Assert.Contains("[535 ", run.Journal);
            Assert.False(Directory.Exists(Path.Combine(data, "credentials")) && Directory.GetFiles(Path.Combine(data, "credentials"), "scram-*.cred").Length > 0);
        }

        /// <summary>On a clear link a refused SCRAM is final even with auto: no plaintext try, #839, and the journal says why.</summary>
        [Fact]
        public void Auto_with_a_wrong_password_fails_with_839_without_trying_plain_on_a_clear_link()
        {
            using Board board = new Board();
            Dictionary<string, string> settings = ScramSettings("auto", "not-the-password");
            string document = board.WriteDocument("scan0001.pdf", Documents.Random(256));

            BoardRun run = board.Send(settings, document, "scram auto wrong " + Documents.Token(), new[] { _lab.RelayRecipient }, "--verbose");

            string line = Journal.AssertFailed(run, 839);
            Assert.Contains("(SCRAM-SHA-256 refused; PLAIN not tried without verified TLS)", line);
            Assert.Contains("C: AUTH SCRAM-SHA-256 ****", run.Error);
            Assert.DoesNotContain("C: AUTH PLAIN", run.Error);
        }

        [Fact]
        public void A_wrong_server_signature_fails_with_842_and_sends_no_mail()
        {
            using Board board = new Board();
            using ScramServer server = new ScramServer("pencil-123", ScramFault.WrongSignature);
            string document = board.WriteDocument("scan0001.pdf", Documents.Random(256));

            BoardRun run = board.Send(ScriptedSettings(server.Port, "pencil-123"), document, "signature", new[] { "x@example.net" }, "--verbose");

            string line = Journal.AssertFailed(run, 842);
            Assert.Contains("not the server it claims to be", line);
            string[] received = server.ReceivedLines();
            Assert.True(server.ProofVerified);
            Assert.Contains("*", received);
            Assert.DoesNotContain(received, l => l.StartsWith("MAIL", StringComparison.Ordinal));
            Assert.Equal("QUIT", received[^1]);
        }

        [Fact]
        public void A_huge_iteration_count_fails_with_843_before_any_derivation()
        {
            using Board board = new Board();
            using ScramServer server = new ScramServer("pencil-123", ScramFault.HugeIterationCount);
            string document = board.WriteDocument("scan0001.pdf", Documents.Random(256));

            BoardRun run = board.Send(ScriptedSettings(server.Port, "pencil-123"), document, "iterations", new[] { "x@example.net" }, "--verbose");

            Journal.AssertFailed(run, 843);
            string[] received = server.ReceivedLines();
            Assert.Equal(new[] { "*", "QUIT" }, received[^2..]);
            Assert.DoesNotContain(received, l => l.StartsWith("MAIL", StringComparison.Ordinal));
        }

        [Fact]
        public void A_malformed_server_first_message_fails_with_841()
        {
            using Board board = new Board();
            using ScramServer server = new ScramServer("pencil-123", ScramFault.MalformedServerFirst);
            string document = board.WriteDocument("scan0001.pdf", Documents.Random(256));

            BoardRun run = board.Send(ScriptedSettings(server.Port, "pencil-123"), document, "malformed", new[] { "x@example.net" }, "--verbose");

            Journal.AssertFailed(run, 841);
            Assert.Equal(new[] { "*", "QUIT" }, server.ReceivedLines()[^2..]);
        }

        [Fact]
        public void The_scripted_server_accepts_a_correct_exchange()
        {
            // The fault tests above mean something only if the same server lets a correct client through.
            using Board board = new Board();
            using ScramServer server = new ScramServer("pencil-123", ScramFault.None);
            string document = board.WriteDocument("scan0001.pdf", Documents.Random(256));

            BoardRun run = board.Send(ScriptedSettings(server.Port, "pencil-123"), document, "correct", new[] { "x@example.net" }, "--verbose");

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Contains(" OK auth=SCRAM-SHA-256 [250 ", run.Journal);
            Assert.True(server.ProofVerified);
        }

        /// <summary>
        /// POP before SMTP where the POP login is SCRAM on the SCRAM instance's POP3 port: a foreign address is refused
        /// relay on the port without AUTH until the SCRAM login, then relays (the same post-login script records it).
        /// </summary>
        [Theory]
        [InlineData("auto", "SCRAM-SHA-256")]
        [InlineData("scram-sha-1", "SCRAM-SHA-1")]
        public void Pop_before_smtp_with_a_scram_login_lets_a_foreign_address_relay(string login, string expectedMechanism)
        {
            using Board board = new Board();
            string address = _lab.ForeignAddressAt(PopAddress);
            ExpirePopAuthorization(address);
            byte[] content = Documents.Random(700);
            string document = board.WriteDocument("scan0001.pdf", content);

            Dictionary<string, string> without = Board.LabSettings(_lab, _lab.NoAuthPort, "off");
            without["net.local_address"] = address;
            Journal.AssertFailed(board.Send(without, document, "no pop " + Documents.Token(), new[] { _lab.RelayRecipient }), 807);

            Dictionary<string, string> settings = PopScramSettings(login, _lab["SCRAM_PASSWORD"], address);
            string token = Documents.Token();
            BoardRun run = board.Send(settings, document, "pop scram " + token, new[] { _lab.RelayRecipient }, "--verbose");

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.EndsWith(" pop-before-smtp", run.Journal);
            int auth = run.Error.IndexOf("C: AUTH " + expectedMechanism + " ****", StringComparison.Ordinal);
            int ehlo = run.Error.IndexOf("C: EHLO ", StringComparison.Ordinal);
            Assert.True(auth >= 0 && ehlo > auth, "expected the SCRAM POP login, then EHLO:\n" + run);
            Assert.DoesNotContain("C: USER", run.Error);
            Assert.DoesNotContain(_lab["SCRAM_PASSWORD"], run.Error);
            MimeMessage delivered = Maildir.WaitFor(_lab["MAILDIR_RELAY"], token);
            Assert.Equal(content, Mime.Decode(Assert.Single(delivered.Attachments.OfType<MimePart>())));
        }

        /// <summary>A wrong password on the SCRAM POP login fails the job with #813 and nothing weaker is tried.</summary>
        [Fact]
        public void A_wrong_pop_scram_password_fails_with_813()
        {
            using Board board = new Board();
            string address = _lab.ForeignAddressAt(PopAddress);
            Dictionary<string, string> settings = PopScramSettings("scram-sha-256", "not-the-password", address);
            string document = board.WriteDocument("scan0001.pdf", Documents.Random(256));

            BoardRun run = board.Send(settings, document, "pop scram wrong " + Documents.Token(), new[] { _lab.RelayRecipient }, "--verbose");

            string line = Journal.AssertFailed(run, 813);
            Assert.Contains("[AUTH]", line);
            Assert.Contains("C: AUTH SCRAM-SHA-256 ****", run.Error);
            Assert.DoesNotContain("C: USER", run.Error);
            Assert.DoesNotContain("C: EHLO", run.Error);
        }

        /// <summary>A reception over the SCRAM POP login: a message sent to scram@lab.test is retrieved and printed.</summary>
        [Fact]
        public void A_reception_logs_in_with_scram_and_prints_the_fax()
        {
            using Board board = new Board();
            Dictionary<string, string> send = ScramSettings("scram-sha-256", _lab["SCRAM_PASSWORD"]);
            byte[] tiff = Documents.Tiff(16, 8);
            string document = board.WriteDocument("fax.tif", tiff);
            BoardRun sent = board.Send(send, document, "fax for scram " + Documents.Token(), new[] { _lab["SCRAM_USER"] }, "--kind", "ifax");
            Assert.True(sent.ExitCode == 0, sent.ToString());
            Maildir.WaitFor(_lab["MAILDIR_SCRAM"], "fax for scram");

            Dictionary<string, string> receive = PopScramSettings("auto", _lab["SCRAM_PASSWORD"], _lab.ForeignAddressAt(PopAddress));
            string output = board.NewFolder("printed");
            BoardRun run = Board.Receive(board.WriteSettings(receive), output, board.NewFolder("data"), verbose: true);

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Contains("C: AUTH SCRAM-SHA-256 ****", run.Error);
            Assert.Equal(tiff, File.ReadAllBytes(Assert.Single(Directory.GetFiles(output))));
        }

        private Dictionary<string, string> PopScramSettings(string login, string password, string address)
        {
            Dictionary<string, string> settings = Board.LabSettings(_lab, _lab.NoAuthPort, "off");
            settings["net.local_address"] = address;
            settings["pop.before_smtp"] = "on";
            settings["pop.host"] = _lab.Host;
            settings["pop.port"] = _lab["POP3_SCRAM_PORT"];
            settings["pop.user"] = _lab["SCRAM_USER"];
            settings["pop.password"] = password;
            settings["pop.login"] = login;
            return settings;
        }

        private void ExpirePopAuthorization(string address)
        {
            string record = Path.Combine(_lab["POPAUTH_DIR"], address);
            if (File.Exists(record))
            {
                int ttl = int.Parse(_lab["POP_BEFORE_SMTP_TTL_S"]);
                File.SetLastWriteTimeUtc(record, DateTime.UtcNow.AddSeconds(-(ttl + 60)));
            }
        }

        private Dictionary<string, string> ScramSettings(string auth, string password)
        {
            Dictionary<string, string> settings = Board.LabSettings(_lab, int.Parse(_lab["SMTP_SCRAM_PORT"]), auth);
            settings["smtp.user"] = _lab["SCRAM_USER"];
            settings["smtp.password"] = password;
            settings["net.local_address"] = _lab.ForeignAddress;
            return settings;
        }

        private Dictionary<string, string> ScriptedSettings(int port, string password)
        {
            Dictionary<string, string> settings = Board.LabSettings(_lab, port, "scram-sha-256");
            settings["smtp.host"] = "127.0.0.1";
            settings["smtp.user"] = "user@scram.test";
            settings["smtp.password"] = password;
            return settings;
        }
    }
}
