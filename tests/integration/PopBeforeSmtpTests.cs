using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using MimeKit;

namespace NetBoard.Integration.Tests
{
    /// <summary>
    /// POP before SMTP against Dovecot and the lab's policy service: a POP login from an address lets that address
    /// relay for POP_BEFORE_SMTP_TTL_S. The policy keys on the client address, so every test binds a foreign address
    /// of its own (offsets 1 to 4; offset 0 is the one the other tests use without POP).
    /// </summary>
    [Collection(LabCollection.Name)]
    public sealed class PopBeforeSmtpTests
    {
        private const int RelayAddress = 1;
        private const int WrongPasswordAddress = 2;
        private const int ClosedPopAddress = 3;
        private const int WithAuthAddress = 4;

        private readonly LabFixture _lab;

        public PopBeforeSmtpTests(LabFixture lab)
        {
            _lab = lab;
        }

        /// <summary>
        /// From the same foreign address on the port without AUTH: first without POP before SMTP (554, #807), then
        /// with it (the POP login comes first, the relay is accepted and delivered, the journal says so).
        /// </summary>
        [Fact]
        public void Pop_login_is_what_lets_a_foreign_client_relay_on_the_port_without_auth()
        {
            using Board board = new Board();
            string address = _lab.ForeignAddressAt(RelayAddress);
            ExpirePopAuthorization(address);
            byte[] content = Documents.Random(1500);
            string document = board.WriteDocument("scan0001.pdf", content);

            Dictionary<string, string> without = Board.LabSettings(_lab, _lab.NoAuthPort, "off");
            without["net.local_address"] = address;
            string deniedToken = Documents.Token();
            BoardRun denied = board.Send(without, document, "no pop " + deniedToken, new[] { _lab.RelayRecipient }, "--verbose");

            string deniedLine = Journal.AssertFailed(denied, 807);
            Assert.Contains("[554 5.7.1 <" + _lab.RelayRecipient + ">: Relay access denied]", deniedLine);
            Assert.DoesNotContain("pop-before-smtp", deniedLine);
            Assert.DoesNotContain("C: USER", denied.Error);

            Dictionary<string, string> with = PopSettings(_lab.NoAuthPort, "off", address, _lab["SCAN_PASSWORD"]);
            string token = Documents.Token();
            BoardRun run = board.Send(with, document, "pop before smtp " + token, new[] { _lab.RelayRecipient }, "--verbose");

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ job 1 email to=" + Regex.Escape(_lab.RelayRecipient) + @" OK .*\[250 2\.0\.0 Ok: (?:\d+ bytes )?queued as [0-9A-F]+\] pop-before-smtp$", run.Journal);
            AssertPopLoginBeforeEhlo(run.Error);
            Assert.DoesNotContain(_lab["SCAN_PASSWORD"], run.Error);
            Assert.True(File.Exists(Path.Combine(_lab["POPAUTH_DIR"], address)), "Dovecot recorded no POP login from " + address + "\n" + run);

            MimeMessage delivered = Maildir.WaitFor(_lab["MAILDIR_RELAY"], token);
            Assert.Equal(content, Mime.Decode(Assert.Single(delivered.Attachments.OfType<MimePart>())));
            Assert.Empty(Maildir.Find(_lab["MAILDIR_RELAY"], deniedToken));
        }

        /// <summary>A POP login refused for a wrong password fails the job with #813 and SMTP is never contacted.</summary>
        [Fact]
        public void Wrong_pop_password_fails_with_813_without_any_smtp_connection()
        {
            using Board board = new Board();
            string address = _lab.ForeignAddressAt(WrongPasswordAddress);
            TcpListener smtp = new TcpListener(IPAddress.Loopback, 0);
            smtp.Start();
            try
            {
                Dictionary<string, string> settings = PopSettings(((IPEndPoint)smtp.LocalEndpoint).Port, "off", address, "not-the-" + _lab["SCAN_PASSWORD"]);
                string document = board.WriteDocument("scan0001.pdf", Documents.Random(256));

                BoardRun run = board.Send(settings, document, "wrong pop password " + Documents.Token(), new[] { _lab.RelayRecipient }, "--verbose");

                string line = Journal.AssertFailed(run, 813);
                Assert.Contains(" NG #813 POP authentication error [POP before SMTP: [AUTH] ", line);
                Assert.DoesNotContain("(retry", line);
                Assert.Contains("C: USER " + _lab["SCAN_USER"], run.Error);
                Assert.Contains("C: PASS ****", run.Error);
                Assert.Contains("S: -ERR", run.Error);
                Assert.DoesNotContain("EHLO", run.Error);
                // A connect would have completed into the listener's backlog before Run returned.
                Assert.False(smtp.Pending(), "the board connected to SMTP although the POP login failed");
            }
            finally
            {
                smtp.Stop();
            }
        }

        /// <summary>Nothing listens on the POP port: #810 (transient, so the job stays queued) and SMTP is never contacted.</summary>
        [Fact]
        public void Closed_pop_port_fails_with_810_without_any_smtp_connection()
        {
            using Board board = new Board();
            TcpListener smtp = new TcpListener(IPAddress.Loopback, 0);
            smtp.Start();
            try
            {
                Dictionary<string, string> settings = PopSettings(((IPEndPoint)smtp.LocalEndpoint).Port, "off", _lab.ForeignAddressAt(ClosedPopAddress), _lab["SCAN_PASSWORD"]);
                settings["pop.port"] = Ports.Closed().ToString();
                string document = board.WriteDocument("scan0001.pdf", Documents.Random(256));

                BoardRun run = board.Send(settings, document, "closed pop " + Documents.Token(), new[] { _lab.RelayRecipient }, "--verbose");

                string line = Journal.AssertFailed(run, 810);
                Assert.Contains(" NG #810 POP server connection error [POP before SMTP: ", line);
                Assert.EndsWith(" (retry 1/3)", line);
                Assert.DoesNotContain("C: USER", run.Error);
                Assert.DoesNotContain("EHLO", run.Error);
                Assert.False(smtp.Pending(), "the board connected to SMTP although it could not reach POP");
            }
            finally
            {
                smtp.Stop();
            }
        }

        /// <summary>POP before SMTP and SMTP AUTH together on the AUTH port: both happen, the job is delivered.</summary>
        [Fact]
        public void Pop_before_smtp_with_smtp_auth_on_the_auth_port_is_delivered()
        {
            using Board board = new Board();
            string address = _lab.ForeignAddressAt(WithAuthAddress);
            Dictionary<string, string> settings = PopSettings(_lab.AuthPort, "auto", address, _lab["SCAN_PASSWORD"]);
            settings["smtp.user"] = _lab["SCAN_USER"];
            settings["smtp.password"] = _lab["SCAN_PASSWORD"];
            byte[] content = Documents.Random(4096);
            string document = board.WriteDocument("scan0001.pdf", content);
            string token = Documents.Token();

            BoardRun run = board.Send(settings, document, "pop and auth " + token, new[] { _lab.RelayRecipient }, "--verbose");

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Matches(@" OK auth=CRAM-MD5 \[250 2\.0\.0 Ok: (?:\d+ bytes )?queued as [0-9A-F]+\] pop-before-smtp$", run.Journal);
            AssertPopLoginBeforeEhlo(run.Error);
            Assert.True(run.Error.IndexOf("C: EHLO", StringComparison.Ordinal) < run.Error.IndexOf("C: AUTH CRAM-MD5", StringComparison.Ordinal), run.Error);
            Assert.DoesNotContain(_lab["SCAN_PASSWORD"], run.Error);
            MimeMessage delivered = Maildir.WaitFor(_lab["MAILDIR_RELAY"], token);
            Assert.Equal(content, Mime.Decode(Assert.Single(delivered.Attachments.OfType<MimePart>())));
        }

        /// <summary>The dialogue shows a whole POP login (USER, masked PASS, QUIT, pipelined) and only then the SMTP EHLO.</summary>
        private void AssertPopLoginBeforeEhlo(string dialogue)
        {
            int user = dialogue.IndexOf("C: USER " + _lab["SCAN_USER"], StringComparison.Ordinal);
            int pass = dialogue.IndexOf("C: PASS ****", StringComparison.Ordinal);
            int quit = dialogue.IndexOf("C: QUIT", StringComparison.Ordinal);
            int ehlo = dialogue.IndexOf("C: EHLO ", StringComparison.Ordinal);
            Assert.True(user >= 0 && pass > user && quit > pass && ehlo > quit, "expected USER, PASS ****, QUIT, then EHLO:\n" + dialogue);

            // Dovecot announces PIPELINING: USER, PASS and QUIT leave together, before any reply to them.
            Assert.DoesNotContain("S: ", dialogue.Substring(user, quit - user));
        }

        private Dictionary<string, string> PopSettings(int smtpPort, string smtpAuth, string localAddress, string popPassword)
        {
            Dictionary<string, string> settings = Board.LabSettings(_lab, smtpPort, smtpAuth);
            settings["net.local_address"] = localAddress;
            settings["pop.before_smtp"] = "on";
            settings["pop.host"] = _lab.Host;
            settings["pop.port"] = _lab.Pop3Port.ToString();
            settings["pop.user"] = _lab["SCAN_USER"];
            settings["pop.password"] = popPassword;

            // USER/PASS, so the dialogue shows each step; pop.login=auto (AUTH CRAM-MD5 here) is PopLoginTests' subject.
            settings["pop.login"] = "user";
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
}
