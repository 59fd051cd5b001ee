using System.Text.RegularExpressions;

namespace NetBoard.Integration.Tests
{
    /// <summary>
    /// Refusals of STARTTLS and STLS the lab cannot produce, played by a scripted loopback server: the board stops
    /// before any credential is sent, with #854 for a temporary refusal (retried) and #851 otherwise.
    /// </summary>
    public sealed class TlsRefusalTests
    {
        private const string User = "scan@lab.test";
        private const string Password = "scripted-Secret-9";

        /// <summary>EHLO offers STARTTLS and AUTH; STARTTLS is answered with <paramref name="reply"/>.</summary>
        [Theory]
        [InlineData("454 4.7.0 TLS not available due to local problem", 854, "TLS temporarily unavailable", " (retry 1/3)")]
        [InlineData("554 5.7.3 TLS not available", 851, "server does not offer encryption", "")]
        [InlineData("502 5.5.1 Command not implemented", 851, "server does not offer encryption", "")]
        public void Refused_starttls_stops_before_auth(string reply, int code, string description, string retry)
        {
            Dictionary<string, string> replies = new Dictionary<string, string>
            {
                ["EHLO"] = "250-scripted.test\n250-STARTTLS\n250-AUTH PLAIN LOGIN\n250 8BITMIME",
                ["STARTTLS"] = reply,
                ["QUIT"] = "221 2.0.0 Bye",
            };
            using ScriptedServer server = new ScriptedServer("220 scripted.test ESMTP", replies, "500 5.5.2 unexpected");
            using Board board = new Board();
            Dictionary<string, string> settings = SmtpSettings(server.Port);
            string document = board.WriteDocument("scan0001.pdf", Documents.Random(256));

            BoardRun run = board.Send(settings, document, "refused starttls " + Documents.Token(), new[] { "x@example.net" }, "--verbose");

            string line = Journal.AssertFailed(run, code);
            Assert.EndsWith(" NG #" + code + " " + description + " at STARTTLS [" + reply + "]" + retry, line);
            string[] received = server.ReceivedLines();
            Assert.Equal(new[] { "EHLO", "STARTTLS", "QUIT" }, received.Select(l => l.Split(' ')[0]).ToArray());
            AssertNoSecret(server.Received() + run.Output + run.Error);
        }

        /// <summary>
        /// pop.security=stls: CAPA without STLS (#851, "does not offer"), STLS refused with -ERR after CAPA offered it,
        /// or CAPA itself refused, after which the board may still ask for STLS (no secret goes with it). The journal
        /// shows the board's reason, or the server's -ERR text.
        /// </summary>
        [Theory]
        [InlineData("+OK\nUSER\nUIDL\n.", "-ERR not now", "CAPA QUIT", "server does not offer STLS")]
        [InlineData("+OK\nSTLS\nUSER\nUIDL\n.", "-ERR not now", "CAPA STLS QUIT", "not now")]
        [InlineData("-ERR unknown command", "-ERR not now", "CAPA STLS QUIT", "not now")]
        public void Pop_without_usable_stls_fails_with_851_before_any_login(string capa, string stls, string expectedCommands, string detail)
        {
            Dictionary<string, string> replies = new Dictionary<string, string>
            {
                ["CAPA"] = capa,
                ["STLS"] = stls,
                ["QUIT"] = "+OK bye",
            };
            using ScriptedServer server = new ScriptedServer("+OK scripted POP3 ready", replies, "-ERR unexpected");
            using Board board = new Board();
            Dictionary<string, string> settings = SmtpSettings(Ports.Closed());
            settings["pop.host"] = "127.0.0.1";
            settings["pop.port"] = server.Port.ToString();
            settings["pop.security"] = "stls";
            settings["pop.user"] = User;
            settings["pop.password"] = Password;
            string printed = board.NewFolder("printed");

            BoardRun run = Board.Receive(board.WriteSettings(settings), printed, board.NewFolder("data"), verbose: true);

            Assert.True(run.ExitCode == 1, run.ToString());
            Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ receive NG #851 server does not offer encryption at STLS \[" + Regex.Escape(detail) + @"\]$", run.Journal);
            Assert.Equal(expectedCommands.Split(' '), server.ReceivedLines().Select(l => l.Split(' ')[0]).ToArray());
            AssertNoSecret(server.Received() + run.Output + run.Error);
            Assert.Empty(Directory.GetFiles(printed));
        }

        /// <summary>
        /// A command injected after the 220 to STARTTLS (in the same packet, still in clear) must not be taken as the
        /// first reply inside TLS: the board stops without a handshake and without AUTH.
        /// </summary>
        [Fact]
        public void Reply_injected_after_the_220_to_starttls_ends_the_session()
        {
            Dictionary<string, string> replies = new Dictionary<string, string>
            {
                ["EHLO"] = "250-scripted.test\n250-STARTTLS\n250-AUTH PLAIN LOGIN\n250 8BITMIME",
                ["STARTTLS"] = "220 2.0.0 Ready to start TLS\n250-scripted.test\n250 AUTH PLAIN",
                ["QUIT"] = "221 2.0.0 Bye",
            };
            using ScriptedServer server = new ScriptedServer("220 scripted.test ESMTP", replies, "500 5.5.2 unexpected");
            using Board board = new Board();
            string document = board.WriteDocument("scan0001.pdf", Documents.Random(256));

            BoardRun run = board.Send(SmtpSettings(server.Port), document, "injected " + Documents.Token(), new[] { "x@example.net" }, "--verbose");

            string line = Journal.AssertFailed(run, 804);
            Assert.Contains("data after the server's 220 to STARTTLS", line);
            Assert.Equal(new[] { "EHLO", "STARTTLS" }, server.ReceivedLines().Select(l => l.Split(' ')[0]).ToArray());
            AssertNoSecret(server.Received() + run.Output + run.Error);
        }

        /// <summary>The same for POP: a line after the +OK to STLS ends the session before any login.</summary>
        [Fact]
        public void Reply_injected_after_the_ok_to_stls_ends_the_session()
        {
            Dictionary<string, string> replies = new Dictionary<string, string>
            {
                ["CAPA"] = "+OK\nSTLS\nUSER\n.",
                ["STLS"] = "+OK Begin TLS negotiation now.\n+OK injected",
                ["QUIT"] = "+OK bye",
            };
            using ScriptedServer server = new ScriptedServer("+OK scripted POP3 ready", replies, "-ERR unexpected");
            using Board board = new Board();
            Dictionary<string, string> settings = SmtpSettings(Ports.Closed());
            settings["pop.host"] = "127.0.0.1";
            settings["pop.port"] = server.Port.ToString();
            settings["pop.security"] = "stls";
            settings["pop.user"] = User;
            settings["pop.password"] = Password;

            BoardRun run = Board.Receive(board.WriteSettings(settings), board.NewFolder("printed"), board.NewFolder("data"), verbose: true);

            Assert.True(run.ExitCode == 1, run.ToString());
            Assert.Matches(@" receive NG #810 POP server connection error .*data after the server's \+OK to STLS", run.Journal);
            Assert.Equal(new[] { "CAPA", "STLS" }, server.ReceivedLines().Select(l => l.Split(' ')[0]).ToArray());
            AssertNoSecret(server.Received() + run.Output + run.Error);
        }

        private static Dictionary<string, string> SmtpSettings(int port)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["smtp.host"] = "127.0.0.1",
                ["smtp.port"] = port.ToString(),
                ["smtp.security"] = "starttls",
                ["smtp.auth"] = "plain",
                ["smtp.user"] = User,
                ["smtp.password"] = Password,
                ["device.email"] = User,
                ["smtp.timeout.connect_s"] = "10",
                ["smtp.timeout.greeting_s"] = "30",
                ["smtp.timeout.mail_s"] = "30",
            };
        }

        private static void AssertNoSecret(string text)
        {
            foreach (string secret in SecretTests.SecretForms(User, Password))
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), "a form of the password was sent or shown: " + secret + "\n" + text);
            }
        }
    }
}
