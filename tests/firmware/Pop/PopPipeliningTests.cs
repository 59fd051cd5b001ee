using System.Collections.Generic;
using System.Text;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Pop;

namespace NetBoard.Firmware.Tests.Pop
{
    /// <summary>POP3 PIPELINING (RFC 2449 6.6) in the login: USER, PASS (and QUIT for POP before SMTP) in one write, replies in order.</summary>
    public class PopPipeliningTests
    {
        private const string Group = "USER ifax\r\nPASS ifax-Secret-4\r\n";

        private static ScriptedPop Capa(PopSessionMode mode, PopLoginMode login = PopLoginMode.UserPass, string greeting = ScriptedPop.Greeting, bool pipelining = true, bool plaintext = true, bool allowed = true)
        {
            PopSessionOptions options = ScriptedPop.Options(mode, login);
            options.AllowPlaintextLogin = plaintext;
            options.Pipelining = allowed;
            var pop = new ScriptedPop(options);
            pop.Reply(greeting);
            Assert.Equal("CAPA\r\n", pop.Sent());
            var capa = new List<string> { "+OK Capability list follows", "TOP", "USER", "UIDL" };
            if (pipelining)
            {
                capa.Add("PIPELINING");
            }

            capa.Add(".");
            pop.Reply(capa.ToArray());
            return pop;
        }

        private static void AssertDone(ScriptedPop pop, int code, string stage)
        {
            Assert.True(pop.Session.IsDone);
            Assert.Equal(code, pop.Session.Result.ErrorCode);
            Assert.Equal(stage, pop.Session.Result.Stage);
        }

        [Theory]
        [InlineData(int.MaxValue)]
        [InlineData(1)]
        public void Login_only_sends_user_pass_and_quit_in_one_write_and_reads_the_replies_in_order(int piece)
        {
            ScriptedPop pop = Capa(PopSessionMode.LoginOnly);
            Assert.Equal(Group + "QUIT\r\n", pop.Sent());
            pop.Now = 1234;
            pop.Raw(Encoding.ASCII.GetBytes("+OK\r\n+OK Logged in.\r\n+OK Logging out.\r\n"), piece);
            AssertDone(pop, UserErrorCode.None, "PASS");
            Assert.True(pop.Session.Result.LoggedIn);
            Assert.Equal("USER", pop.Session.Result.LoginMethod);
            Assert.Equal(1234, pop.Session.Result.LoggedInAtMs);
            Assert.Equal(string.Empty, pop.Sent());
            Assert.Contains("C: PASS ****", pop.Log.Lines);
            Assert.DoesNotContain("ifax-Secret-4", string.Join("\n", pop.Log.Lines));
        }

        [Fact]
        public void Replies_may_come_one_by_one_as_the_server_reads_each_command()
        {
            ScriptedPop pop = Capa(PopSessionMode.LoginOnly);
            Assert.Equal(Group + "QUIT\r\n", pop.Sent());
            pop.Reply("+OK");
            Assert.Equal(PopState.Pass, pop.Session.State);
            Assert.Equal(string.Empty, pop.Sent());
            pop.Reply("+OK Logged in.");
            Assert.Equal(PopState.Quit, pop.Session.State);
            Assert.Equal(string.Empty, pop.Sent());
            pop.Reply("+OK Logging out.");
            AssertDone(pop, UserErrorCode.None, "PASS");
        }

        [Fact]
        public void Reception_sends_user_and_pass_together_and_goes_on_to_the_maildrop()
        {
            ScriptedPop pop = Capa(PopSessionMode.Receive);
            Assert.Equal(Group, pop.Sent());
            pop.Reply("+OK", "+OK Logged in.");
            Assert.True(pop.Session.Result.LoggedIn);
            Assert.Equal("UIDL\r\n", pop.Sent());
            pop.Reply("+OK", ".");
            Assert.Equal("QUIT\r\n", pop.Sent());
            pop.Reply("+OK");
            AssertDone(pop, UserErrorCode.None, "UIDL");
        }

        [Theory]
        [InlineData(PopSessionMode.LoginOnly)]
        [InlineData(PopSessionMode.Receive)]
        public void A_refused_pass_among_pipelined_commands_is_813_and_nothing_weaker_follows(PopSessionMode mode)
        {
            ScriptedPop pop = Capa(mode, PopLoginMode.Auto, "+OK ready");
            bool loginOnly = mode == PopSessionMode.LoginOnly;
            Assert.Equal(Group + (loginOnly ? "QUIT\r\n" : string.Empty), pop.Sent());
            pop.Reply("+OK", "-ERR [AUTH] Authentication failed.");
            Assert.Equal(loginOnly ? string.Empty : "QUIT\r\n", pop.Sent());
            pop.Reply("+OK Logging out.");
            AssertDone(pop, UserErrorCode.PopAuthFailed, "PASS");
            Assert.Equal("[AUTH] Authentication failed.", pop.Session.Result.ReplyText);
            Assert.False(pop.Session.Result.LoggedIn);
            Assert.False(pop.Session.Result.Transient);
        }

        [Theory]
        [InlineData(PopSessionMode.LoginOnly, int.MaxValue)]
        [InlineData(PopSessionMode.LoginOnly, 1)]
        [InlineData(PopSessionMode.Receive, int.MaxValue)]
        public void A_refused_user_still_gets_its_pass_reply_read_before_quit(PopSessionMode mode, int piece)
        {
            ScriptedPop pop = Capa(mode);
            bool loginOnly = mode == PopSessionMode.LoginOnly;
            pop.Sent();
            pop.Raw(Encoding.ASCII.GetBytes("-ERR no such user\r\n-ERR no USER given\r\n"), piece);
            Assert.Equal(PopState.Quit, pop.Session.State);
            Assert.Equal(loginOnly ? string.Empty : "QUIT\r\n", pop.Sent());
            pop.Reply("+OK Logging out.");
            AssertDone(pop, UserErrorCode.PopAuthFailed, "USER");
            Assert.Equal("no such user", pop.Session.Result.ReplyText);
            Assert.False(pop.Session.Result.LoggedIn);
        }

        [Fact]
        public void A_pass_accepted_after_a_refused_user_is_still_a_failed_login()
        {
            ScriptedPop pop = Capa(PopSessionMode.LoginOnly);
            pop.Sent();
            pop.Reply("-ERR no such user", "+OK odd", "+OK bye");
            AssertDone(pop, UserErrorCode.PopAuthFailed, "USER");
            Assert.False(pop.Session.Result.LoggedIn);
        }

        [Fact]
        public void A_server_without_pipelining_gets_the_one_by_one_dialogue()
        {
            ScriptedPop pop = Capa(PopSessionMode.LoginOnly, pipelining: false);
            Assert.Equal("USER ifax\r\n", pop.Sent());
            pop.Reply("+OK");
            Assert.Equal("PASS ifax-Secret-4\r\n", pop.Sent());
            pop.Reply("+OK Logged in.");
            Assert.Equal("QUIT\r\n", pop.Sent());
            pop.Reply("+OK");
            AssertDone(pop, UserErrorCode.None, "PASS");
        }

        [Fact]
        public void Pipelining_switched_off_keeps_the_one_by_one_dialogue_where_capa_announces_it()
        {
            ScriptedPop pop = Capa(PopSessionMode.LoginOnly, allowed: false);
            Assert.Equal("USER ifax\r\n", pop.Sent());
            pop.Reply("+OK");
            Assert.Equal("PASS ifax-Secret-4\r\n", pop.Sent());
            pop.Reply("+OK Logged in.");
            Assert.Equal("QUIT\r\n", pop.Sent());
        }

        [Fact]
        public void Apop_goes_with_quit_in_a_login_only_session()
        {
            ScriptedPop pop = Capa(PopSessionMode.LoginOnly, PopLoginMode.Auto);
            string sent = pop.Sent();
            Assert.StartsWith("APOP ifax ", sent);
            Assert.EndsWith("\r\nQUIT\r\n", sent);
            pop.Reply("+OK maildrop locked", "+OK bye");
            AssertDone(pop, UserErrorCode.None, "APOP");
            Assert.Equal("APOP", pop.Session.Result.LoginMethod);
        }

        [Fact]
        public void A_refused_apop_with_quit_along_is_813()
        {
            ScriptedPop pop = Capa(PopSessionMode.LoginOnly, PopLoginMode.Apop);
            pop.Sent();
            pop.Reply("-ERR [AUTH] Authentication failed.", "+OK bye");
            AssertDone(pop, UserErrorCode.PopAuthFailed, "APOP");
            Assert.Equal(string.Empty, pop.Sent());
        }

        [Fact]
        public void Plaintext_denied_sends_no_password_in_clear_even_with_pipelining()
        {
            ScriptedPop pop = Capa(PopSessionMode.LoginOnly, PopLoginMode.Auto, "+OK no timestamp", plaintext: false);
            string sent = pop.Sent();
            Assert.Equal("QUIT\r\n", sent);
            pop.Reply("+OK");
            AssertDone(pop, UserErrorCode.PopAuthFailed, "USER");
            Assert.DoesNotContain("ifax-Secret-4", string.Join("\n", pop.Log.Lines));
        }

        [Fact]
        public void A_reply_before_its_command_has_left_is_out_of_turn()
        {
            ScriptedPop pop = Capa(PopSessionMode.LoginOnly);
            Assert.StartsWith("USER", Encoding.ASCII.GetString(pop.Session.Output, pop.Session.OutputOffset, pop.Session.OutputCount));

            // Only USER has left; a second reply would answer PASS, which has not.
            pop.Session.OnSent("USER ifax\r\n".Length, pop.Now);
            pop.Reply("+OK", "+OK Logged in.");
            AssertDone(pop, UserErrorCode.PopConnectFailed, "PASS");
            Assert.Contains("out of turn", pop.Session.Result.Detail);
            Assert.False(pop.Session.Result.LoggedIn);
            Assert.Equal(0, pop.Session.OutputCount);
        }

        [Fact]
        public void A_reply_too_many_after_the_group_is_out_of_turn()
        {
            ScriptedPop pop = Capa(PopSessionMode.Receive);
            pop.Sent();
            pop.Reply("+OK", "+OK Logged in.", "+OK 0 messages");
            Assert.True(pop.Session.IsDone);
            Assert.Contains("out of turn", pop.Session.Result.Detail);
            Assert.Equal(0, pop.Session.OutputCount);
        }

        [Fact]
        public void Pipelining_announced_before_stls_is_forgotten_after_it()
        {
            PopSessionOptions options = ScriptedPop.Options(PopSessionMode.LoginOnly);
            options.Security = PopSecurity.Stls;
            var pop = new ScriptedPop(options);
            pop.Reply(ScriptedPop.Greeting);
            pop.Sent();
            pop.Reply("+OK", "STLS", "PIPELINING", ".");
            Assert.Equal("STLS\r\n", pop.Sent());
            pop.Reply("+OK Begin TLS negotiation now.");
            pop.Session.OnTlsStarted(pop.Now);
            Assert.Equal("CAPA\r\n", pop.Sent());
            pop.Reply("+OK", "USER", ".");
            Assert.Equal("USER ifax\r\n", pop.Sent());
            pop.Reply("+OK");
            Assert.Equal("PASS ifax-Secret-4\r\n", pop.Sent());
        }
    }
}
