using System.Text.RegularExpressions;

namespace NetBoard.Integration.Tests
{
    /// <summary>
    /// What a hostile or broken SMTP server gets from the board over a real loopback socket, played by
    /// <see cref="ScriptedServer"/> (no lab): no password after a refused CRAM-MD5, nothing at all after a 421, and
    /// a message taken with an over-long 250 reported as sent.
    /// </summary>
    public sealed class SmtpServerFaultTests
    {
        private const string User = "scan@lab.test";
        private const string Password = "hostile-Secret-7";

        // base64 of "<12345.1700000000@scripted.test>"
        private const string Challenge = "334 PDEyMzQ1LjE3MDAwMDAwMDBAc2NyaXB0ZWQudGVzdD4=";

        /// <summary>
        /// A clear link, the default smtp.auth=auto and smtp.auth.plaintext=allow: CRAM-MD5 is refused (at once, or
        /// after its response) and the board quits; the server never sees the password in any form.
        /// </summary>
        [Theory]
        [InlineData("AUTH PLAIN LOGIN CRAM-MD5", "535 5.7.8 Authentication credentials invalid", false, 839)]
        [InlineData("AUTH CRAM-MD5 LOGIN PLAIN", "535 5.7.8 Authentication credentials invalid", true, 839)]
        [InlineData("AUTH LOGIN CRAM-MD5", "534 5.7.9 Authentication mechanism is too weak", true, 834)]
        [InlineData("AUTH=CRAM-MD5 PLAIN", "538 5.7.11 Encryption required for requested authentication mechanism", false, 838)]
        [InlineData("AUTH PLAIN CRAM-MD5", "504 5.5.4 Unrecognized authentication type", false, 841)]
        public void A_refused_cram_md5_gets_no_password_over_the_wire(string offer, string refusal, bool afterResponse, int code)
        {
            Dictionary<string, string> replies = new Dictionary<string, string>
            {
                ["EHLO"] = "250-scripted.test\n250-" + offer + "\n250 8BITMIME",
                ["AUTH"] = afterResponse ? Challenge : refusal,
                ["QUIT"] = "221 2.0.0 Bye",
            };
            using ScriptedServer server = new ScriptedServer("220 scripted.test ESMTP", replies, refusal);
            using Board board = new Board();
            string document = board.WriteDocument("scan0001.pdf", Documents.Random(256));

            BoardRun run = board.Send(Settings(server.Port), document, "refused " + Documents.Token(), new[] { "x@example.net" }, "--verbose");

            string line = Journal.AssertFailed(run, code);
            Assert.Contains(" at AUTH [" + refusal + "]", line);
            string[] verbs = server.ReceivedLines().Select(l => l.Split(' ')[0]).ToArray();
            Assert.Equal(afterResponse ? new[] { "EHLO", "AUTH", verbs[2], "QUIT" } : new[] { "EHLO", "AUTH", "QUIT" }, verbs);
            Assert.Equal("AUTH CRAM-MD5", server.ReceivedLines()[1]);
            string received = server.Received();
            foreach (string secret in SecretTests.SecretForms(User, Password))
            {
                Assert.False(received.Contains(secret, StringComparison.Ordinal), "the server received a form of the password: " + secret + "\n" + received);
            }
        }

        /// <summary>421 at each step: the board sends nothing more (no QUIT), closes, and keeps the job for a retry (#805).</summary>
        [Theory]
        [InlineData("GREETING")]
        [InlineData("EHLO")]
        [InlineData("MAIL")]
        [InlineData("RCPT")]
        [InlineData("DATA")]
        [InlineData(".")]
        public void A_421_ends_the_session_without_another_byte_and_the_job_is_retried(string step)
        {
            const string Closing = "421 4.3.2 Service shutting down, closing transmission channel";
            Dictionary<string, string> replies = Transaction();
            if (step != "GREETING")
            {
                replies[step] = Closing;
            }

            using ScriptedServer server = new ScriptedServer(step == "GREETING" ? Closing : "220 scripted.test ESMTP", replies, "500 5.5.2 unexpected");
            using Board board = new Board();
            Dictionary<string, string> settings = Settings(server.Port);
            settings["smtp.auth"] = "off";
            string document = board.WriteDocument("scan0001.pdf", Documents.Random(256));

            BoardRun run = board.Send(settings, document, "421 " + Documents.Token(), new[] { "x@example.net" }, "--verbose");

            string line = Journal.AssertFailed(run, 805);
            Assert.EndsWith(" [" + Closing + "] (retry 1/3)", line);
            string[] lines = server.ReceivedLines();
            string[] expected = step == "GREETING" ? new string[0] : Commands(step);
            Assert.Equal(expected, lines.Where(l => Regex.IsMatch(l, "^(EHLO|MAIL|RCPT|DATA|QUIT|\\.$)")).Select(l => l.Split(' ')[0]).ToArray());
            Assert.DoesNotContain("C: QUIT", run.Error);
        }

        /// <summary>A 250 after the final dot whose line is far over 512 octets: the message was taken, the job is sent.</summary>
        [Fact]
        public void An_over_long_250_after_the_final_dot_is_reported_sent()
        {
            Dictionary<string, string> replies = Transaction();
            replies["."] = "250 2.0.0 Ok: queued as 4F2 " + new string('x', 3000);
            using ScriptedServer server = new ScriptedServer("220 scripted.test ESMTP", replies, "500 5.5.2 unexpected");
            using Board board = new Board();
            Dictionary<string, string> settings = Settings(server.Port);
            settings["smtp.auth"] = "off";
            string document = board.WriteDocument("scan0001.pdf", Documents.Random(256));

            BoardRun run = board.Send(settings, document, "long 250 " + Documents.Token(), new[] { "x@example.net" }, "--verbose");

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Matches(@" OK .*\(reply to the final dot read by its code: reply line longer than 512 octets\) \[250 2\.0\.0 Ok: queued as 4F2 x+\.\.\.\]$", run.Journal);
            Assert.Equal("QUIT", server.ReceivedLines().Last());
        }

        private static Dictionary<string, string> Transaction()
        {
            return new Dictionary<string, string>
            {
                ["EHLO"] = "250-scripted.test\n250 8BITMIME",
                ["MAIL"] = "250 2.1.0 Ok",
                ["RCPT"] = "250 2.1.5 Ok",
                ["DATA"] = "354 End data with <CR><LF>.<CR><LF>",
                ["QUIT"] = "221 2.0.0 Bye",
            };
        }

        private static string[] Commands(string upTo)
        {
            string[] all = { "EHLO", "MAIL", "RCPT", "DATA", "." };
            return all.Take(Array.IndexOf(all, upTo) + 1).ToArray();
        }

        private static Dictionary<string, string> Settings(int port)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["smtp.host"] = "127.0.0.1",
                ["smtp.port"] = port.ToString(),
                ["smtp.security"] = "none",
                ["smtp.auth"] = "auto",
                ["smtp.auth.plaintext"] = "allow",
                ["smtp.user"] = User,
                ["smtp.password"] = Password,
                ["device.email"] = User,
                ["smtp.timeout.connect_s"] = "10",
                ["smtp.timeout.greeting_s"] = "30",
                ["smtp.timeout.mail_s"] = "30",
                ["smtp.timeout.rcpt_s"] = "30",
                ["smtp.timeout.data_s"] = "30",
                ["smtp.timeout.final_s"] = "30",
            };
        }
    }
}
