using System;
using System.Linq;
using System.Text;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Pop;
using NetBoard.Hal;

namespace NetBoard.Firmware.Tests.Pop
{
    /// <summary>
    /// Hostile and broken POP3 servers against the session, byte by byte: clear-text bytes around STLS, status
    /// words that only look like +OK, the login choice (AUTH CRAM-MD5, APOP, USER/PASS) and pop.auth.plaintext,
    /// and RETR bounded by the LIST size and by one deadline per message.
    /// </summary>
    public class PopHardeningTests
    {
        private const string Password = "ifax-Secret-4";

        private static readonly byte[] Fax = Encoding.ASCII.GetBytes("Subject: fax\r\n\r\n" + string.Concat(Enumerable.Repeat("line of a scanned page, 40 octets long\r\n", 20)));

        private static byte[] Retr(byte[] message) => Encoding.ASCII.GetBytes("+OK " + message.Length + " octets\r\n").Concat(ScriptedPop.Stuffed(message)).ToArray();

        private static ScriptedPop Stls(PopLoginMode login = PopLoginMode.UserPass, bool allowPlaintext = true)
        {
            PopSessionOptions options = ScriptedPop.Options(PopSessionMode.LoginOnly, login);
            options.Security = PopSecurity.Stls;
            options.AllowPlaintextLogin = allowPlaintext;
            var pop = new ScriptedPop(options);
            pop.Reply("+OK ready");
            Assert.Equal("CAPA\r\n", pop.Sent());
            pop.Reply("+OK", "STLS", "USER", ".");
            Assert.Equal("STLS\r\n", pop.Sent());
            return pop;
        }

        // ---- finding 7: STLS ----------------------------------------------------------------------------

        [Theory]
        [InlineData("-ERR injected-in-clear ")]
        [InlineData("+OK fake\r\n")]
        [InlineData("x")]
        public void Clear_text_bytes_arriving_apart_from_the_ok_to_stls_end_the_session_before_tls(string injected)
        {
            ScriptedPop pop = Stls();
            pop.Reply("+OK Begin TLS negotiation");
            Assert.True(pop.Session.WantsTls);

            // A later segment, still in clear: before the fix it waited in the line reader and was glued to the first protected line.
            pop.Raw(Encoding.ASCII.GetBytes(injected));

            Assert.True(pop.Session.IsDone);
            Assert.False(pop.Session.WantsTls);
            Assert.Equal(UserErrorCode.PopConnectFailed, pop.Session.Result.ErrorCode);
            Assert.Contains("data after the server's +OK to STLS", pop.Session.Result.Detail);
            Assert.Equal(string.Empty, pop.Sent());
        }

        [Fact]
        public void The_first_protected_line_is_read_on_its_own()
        {
            ScriptedPop pop = Stls();
            pop.Reply("+OK Begin TLS negotiation");
            pop.Session.OnTlsStarted(pop.Now);
            Assert.Equal("CAPA\r\n", pop.Sent());
            pop.Reply("+OK", "USER", ".");
            Assert.Equal("USER ifax\r\n", pop.Sent());
            Assert.DoesNotContain(pop.Log.Lines, l => l.Contains("injected", StringComparison.Ordinal));
        }

        // ---- finding 8: status words and login choice ---------------------------------------------------------

        [Theory]
        [InlineData("+OKAY POP3 ready")]
        [InlineData("+OK-POP3 ready")]
        [InlineData("+ok POP3 ready")]
        public void A_greeting_that_only_looks_like_ok_is_refused(string greeting)
        {
            var pop = new ScriptedPop(ScriptedPop.Options(PopSessionMode.LoginOnly));
            pop.Reply(greeting);
            Assert.True(pop.Session.IsDone);
            Assert.Equal(UserErrorCode.PopConnectFailed, pop.Session.Result.ErrorCode);
            Assert.Equal("reply is neither +OK nor -ERR", pop.Session.Result.Detail);
            Assert.Equal(string.Empty, pop.Sent());
        }

        [Fact]
        public void Okay_to_pass_is_no_login()
        {
            var pop = new ScriptedPop(ScriptedPop.Options(PopSessionMode.Receive));
            pop.Reply("+OK ready");
            pop.Sent();
            pop.Reply("+OK", "USER", "UIDL", ".");
            Assert.Equal("USER ifax\r\n", pop.Sent());
            pop.Reply("+OK");
            pop.Sent();
            pop.Reply("+OKAY logged in, sort of");
            Assert.True(pop.Session.IsDone);
            Assert.False(pop.Session.Result.LoggedIn);
            Assert.Equal(UserErrorCode.PopConnectFailed, pop.Session.Result.ErrorCode);
            Assert.Equal(string.Empty, pop.Sent());
        }

        [Fact]
        public void Auto_uses_apop_when_the_greeting_offers_a_timestamp_even_if_capa_lists_user()
        {
            var pop = new ScriptedPop(ScriptedPop.Options(PopSessionMode.LoginOnly, PopLoginMode.Auto));
            pop.Reply(ScriptedPop.Greeting);
            pop.Sent();
            pop.Reply("+OK", "TOP", "USER", "UIDL", ".");
            string sent = pop.Sent();
            Assert.StartsWith("APOP ifax ", sent);
            Assert.DoesNotContain(Password, sent);
            pop.Reply("+OK maildrop ready");
            Assert.Equal("QUIT\r\n", pop.Sent());
            Assert.Equal("APOP", pop.Session.Result.LoginMethod);
        }

        [Fact]
        public void Cram_md5_answers_the_rfc_2195_example_and_logs_no_secret()
        {
            var options = ScriptedPop.Options(PopSessionMode.LoginOnly, PopLoginMode.Auto, "tim", "tanstaaftanstaaf");
            var pop = new ScriptedPop(options);
            pop.Reply(ScriptedPop.Greeting);
            pop.Sent();
            pop.Reply("+OK", "USER", "SASL PLAIN CRAM-MD5", ".");
            Assert.Equal("AUTH CRAM-MD5\r\n", pop.Sent());
            pop.Reply("+ " + Convert.ToBase64String(Encoding.ASCII.GetBytes("<1896.697170952@postoffice.reston.mci.net>")));
            string answer = pop.Sent();
            Assert.Equal("dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw\r\n", answer);
            pop.Reply("+OK maildrop locked and ready");
            Assert.Equal("QUIT\r\n", pop.Sent());
            Assert.True(pop.Session.Result.LoggedIn);
            Assert.Equal("CRAM-MD5", pop.Session.Result.LoginMethod);
            Assert.Contains("C: ****", pop.Log.Lines);
            Assert.DoesNotContain(pop.Log.Lines, l => l.Contains("dGlt", StringComparison.Ordinal) || l.Contains("tanstaaf", StringComparison.Ordinal));
        }

        [Theory]
        [InlineData("-ERR [AUTH] Authentication failed.")]
        [InlineData("-ERR")]
        public void A_refused_cram_md5_is_final_no_user_pass_follows(string refusal)
        {
            var pop = new ScriptedPop(ScriptedPop.Options(PopSessionMode.LoginOnly, PopLoginMode.Auto));
            pop.Reply(ScriptedPop.Greeting);
            pop.Sent();
            pop.Reply("+OK", "USER", "SASL CRAM-MD5", ".");
            pop.Sent();
            pop.Reply("+ " + Convert.ToBase64String(Encoding.ASCII.GetBytes("<7.1@pop.lab.test>")));
            pop.Sent();
            pop.Reply(refusal);
            Assert.Equal("QUIT\r\n", pop.Sent());
            pop.Reply("+OK");
            Assert.Equal(UserErrorCode.PopAuthFailed, pop.Session.Result.ErrorCode);
            Assert.DoesNotContain(pop.Log.Lines, l => l.StartsWith("C: USER", StringComparison.Ordinal) || l.StartsWith("C: PASS", StringComparison.Ordinal) || l.StartsWith("C: APOP", StringComparison.Ordinal));
        }

        [Theory]
        [InlineData("+ not-base64!")]
        [InlineData("+ ")]
        public void A_bad_challenge_is_cancelled_with_a_star(string challenge)
        {
            var pop = new ScriptedPop(ScriptedPop.Options(PopSessionMode.LoginOnly, PopLoginMode.CramMd5));
            pop.Reply("+OK ready");
            pop.Sent();
            pop.Reply("-ERR no CAPA");
            Assert.Equal("AUTH CRAM-MD5\r\n", pop.Sent());
            pop.Reply(challenge);
            Assert.Equal("*\r\n", pop.Sent());
            pop.Reply("-ERR AUTH cancelled");
            Assert.Equal("QUIT\r\n", pop.Sent());
            Assert.Equal(UserErrorCode.PopAuthFailed, pop.Session.Result.ErrorCode);
            Assert.Equal("AUTH", pop.Session.Result.Stage);
        }

        [Theory]
        [InlineData(PopLoginMode.UserPass)]
        [InlineData(PopLoginMode.Auto)]
        public void Plaintext_denied_sends_no_user_pass_on_a_clear_link(PopLoginMode login)
        {
            PopSessionOptions options = ScriptedPop.Options(PopSessionMode.LoginOnly, login);
            options.AllowPlaintextLogin = false;
            var pop = new ScriptedPop(options);
            pop.Reply("+OK ready");
            pop.Sent();
            pop.Reply("+OK", "USER", "SASL PLAIN LOGIN", ".");
            Assert.Equal("QUIT\r\n", pop.Sent());
            pop.Reply("+OK");
            Assert.Equal(UserErrorCode.PopAuthFailed, pop.Session.Result.ErrorCode);
            Assert.Contains("pop.auth.plaintext=deny", pop.Session.Result.Detail);
            Assert.DoesNotContain(pop.Log.Lines, l => l.StartsWith("C: USER", StringComparison.Ordinal) || l.StartsWith("C: PASS", StringComparison.Ordinal));
        }

        [Fact]
        public void Plaintext_denied_still_allows_apop_in_clear_and_user_pass_inside_tls()
        {
            PopSessionOptions options = ScriptedPop.Options(PopSessionMode.LoginOnly, PopLoginMode.Auto);
            options.AllowPlaintextLogin = false;
            var apop = new ScriptedPop(options);
            apop.Reply(ScriptedPop.Greeting);
            apop.Sent();
            apop.Reply("+OK", "USER", ".");
            Assert.StartsWith("APOP ifax ", apop.Sent());

            ScriptedPop tls = Stls(PopLoginMode.UserPass, allowPlaintext: false);
            tls.Reply("+OK go");
            tls.Session.OnTlsStarted(tls.Now);
            tls.Sent();
            tls.Reply("+OK", "USER", ".");
            Assert.Equal("USER ifax\r\n", tls.Sent());
            tls.Reply("+OK");
            Assert.Equal("PASS " + Password + "\r\n", tls.Sent());
        }

        // ---- finding 3: RETR bounds ------------------------------------------------------------------------

        private static ScriptedPop Listed(long size, PopSessionOptions options = null, params string[] uids)
        {
            var pop = new ScriptedPop(options ?? ScriptedPop.Options());
            pop.LogIn();
            Assert.Equal("UIDL\r\n", pop.Sent());
            uids = uids.Length == 0 ? new[] { "uid-a" } : uids;
            pop.Reply(new[] { "+OK" }.Concat(uids.Select((u, i) => (i + 1) + " " + u)).Append(".").ToArray());
            Assert.Equal("LIST\r\n", pop.Sent());
            pop.Reply(new[] { "+OK" }.Concat(uids.Select((u, i) => (i + 1) + " " + (i == 0 ? size : Fax.Length))).Append(".").ToArray());
            return pop;
        }

        [Fact]
        public void A_message_longer_than_list_said_is_cut_at_the_bound_aborted_and_left_on_the_server()
        {
            ScriptedPop pop = Listed(134);
            Assert.Equal("RETR 1\r\n", pop.Sent());
            long bound = 134 + (134 / PopSession.RetrieveMarginDivisor) + PopSession.RetrieveMarginOctets;
            byte[] line = Encoding.ASCII.GetBytes(new string('y', 1022) + "\r\n");
            pop.Raw(Encoding.ASCII.GetBytes("+OK 134 octets\r\n"));
            long offered = 0;
            for (int i = 0; i < 100_000 && !pop.Session.IsDone; i++)
            {
                pop.Raw(line);
                offered += line.Length;
            }

            Assert.True(pop.Session.IsDone);
            Assert.True(offered <= bound + line.Length, "the session read " + offered + " octets of a 134-octet message");
            Assert.Equal(UserErrorCode.PopServerError, pop.Session.Result.ErrorCode);
            Assert.Equal("RETR", pop.Session.Result.Stage);
            Assert.Empty(pop.Sink.Stored);
            Assert.Equal("Abort uid-a", pop.Sink.Calls.Last());
            Assert.Equal(1, pop.Session.Result.MessagesSkipped);
            Assert.Equal("uid-a", pop.Session.Result.SkippedUid(0));
            Assert.Contains("longer than LIST said (134 octets", pop.Session.Result.SkippedNote(0));
            Assert.DoesNotContain(pop.Log.Lines, l => l.StartsWith("C: DELE", StringComparison.Ordinal));
            Assert.Equal(string.Empty, pop.Sent());
        }

        [Fact]
        public void A_message_within_its_margin_is_stored()
        {
            // A server that counts LF line ends lists 21 octets fewer than the 21 CRLF lines bring.
            ScriptedPop pop = Listed(Fax.Length - 21);
            pop.Sent();
            pop.Raw(Retr(Fax));
            Assert.Equal("DELE 1\r\n", pop.Sent());
            Assert.Equal(Fax, pop.Sink.Stored.Single());
            Assert.Equal(0, pop.Session.Result.MessagesSkipped);
        }

        [Fact]
        public void A_message_listed_larger_than_the_device_takes_is_not_retrieved_and_the_next_one_is()
        {
            PopSessionOptions options = ScriptedPop.Options();
            options.MaxMessageOctets = 100_000;
            ScriptedPop pop = Listed(1_130_000_000L, options, "uid-big", "uid-b");
            Assert.Equal("RETR 2\r\n", pop.Sent());
            pop.Raw(Retr(Fax));
            Assert.Equal("DELE 2\r\n", pop.Sent());
            pop.Reply("+OK");
            Assert.Equal("QUIT\r\n", pop.Sent());
            pop.Reply("+OK");
            PopResult result = pop.Session.Result;
            Assert.True(result.Success);
            Assert.Equal(1, result.MessagesReceived);
            Assert.Equal(1, result.MessagesSkipped);
            Assert.Equal("uid-big", result.SkippedUid(0));
            Assert.Contains("LIST gives 1130000000 octets", result.SkippedNote(0));
            Assert.DoesNotContain("Begin uid-big", string.Join("\n", pop.Sink.Calls));
        }

        [Fact]
        public void A_trickle_is_bounded_by_one_deadline_per_message_not_restarted_by_each_piece()
        {
            PopSessionOptions options = ScriptedPop.Options();
            options.RetrieveBlockTimeoutMs = 3000;
            options.RetrieveTimeoutMs = 10000;
            ScriptedPop pop = Listed(1_000_000, options);
            long retrAt = pop.Now;
            Assert.Equal("RETR 1\r\n", pop.Sent());
            pop.Raw(Encoding.ASCII.GetBytes("+OK\r\n"));
            byte[] one = { (byte)'z' };
            while (!pop.Session.IsDone && pop.Now < retrAt + 60000)
            {
                // One octet a second: the block deadline (3 s) never passes.
                pop.Now += 1000;
                pop.Session.CheckTimeout(pop.Now);
                pop.Raw(one);
            }

            Assert.True(pop.Session.IsDone);
            Assert.Equal(retrAt + 10000, pop.Now);
            Assert.Equal(UserErrorCode.PopReceptionInterrupted, pop.Session.Result.ErrorCode);
            Assert.Equal(NetError.TimedOut, pop.Session.Result.NetError);
            Assert.Equal("Abort uid-a", pop.Sink.Calls.Last());
            Assert.Contains("not received within 10 s", pop.Session.Result.SkippedNote(0));
        }

        [Fact]
        public void The_retr_deadline_also_bounds_the_wait_for_its_status_line()
        {
            PopSessionOptions options = ScriptedPop.Options();
            options.CommandTimeoutMs = 60000;
            options.RetrieveTimeoutMs = 20000;
            ScriptedPop pop = Listed(100, options);
            pop.Sent();
            Assert.Equal(pop.Now + 20000, pop.Session.Deadline);
        }

        [Fact]
        public void A_message_skipped_before_is_left_alone_and_the_rest_are_taken()
        {
            PopSessionOptions options = ScriptedPop.Options();
            options.SkipUids = new[] { null, "uid-bad", null };
            ScriptedPop pop = Listed(134, options, "uid-bad", "uid-b");
            Assert.Equal("RETR 2\r\n", pop.Sent());
            pop.Raw(Retr(Fax));
            Assert.Equal("DELE 2\r\n", pop.Sent());
            pop.Reply("+OK");
            pop.Sent();
            pop.Reply("+OK");
            Assert.True(pop.Session.Result.Success);
            Assert.Equal(1, pop.Session.Result.MessagesSkipped);
            Assert.Equal("uid-bad", pop.Session.Result.SkippedUid(0));
        }
    }
}
