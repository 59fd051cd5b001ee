using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Pop;
using NetBoard.Hal;

namespace NetBoard.Firmware.Tests.Pop
{
    public class PopSessionTests
    {
        private static readonly byte[] MessageOne = Encoding.ASCII.GetBytes("Subject: one\r\n\r\n.x\r\n.\r\n. \r\nx.\r\n..\r\n");

        // What the server sends for MessageOne: every line starting with "." gets one more.
        private const string MessageOneWire = "Subject: one\r\n\r\n..x\r\n..\r\n.. \r\nx.\r\n...\r\n.\r\n";

        private static readonly byte[] MessageTwo = Encoding.ASCII.GetBytes("Subject: two\r\n\r\n." + new string('a', 4999) + "\r\ntail\r\n");

        private static readonly byte[] MessageThree = Encoding.Latin1.GetBytes("Subject: three\r\n\r\nbare\rcr and \u00e9\r\n.\rdot-cr\r\n");

        private static byte[] Retr(byte[] message) => Encoding.ASCII.GetBytes("+OK " + message.Length + " octets\r\n").Concat(ScriptedPop.Stuffed(message)).ToArray();

        private static void AssertDone(ScriptedPop pop, int code, string stage)
        {
            Assert.True(pop.Session.IsDone);
            Assert.Equal(code, pop.Session.Result.ErrorCode);
            Assert.Equal(stage, pop.Session.Result.Stage);
            Assert.Equal(0, pop.Session.OutputCount);
        }

        [Fact]
        public void Login_only_with_user_pass_logs_in_and_quits()
        {
            var pop = new ScriptedPop(ScriptedPop.Options(PopSessionMode.LoginOnly));
            pop.LogIn("TOP", "USER", "UIDL");
            Assert.Equal("QUIT\r\n", pop.Sent());
            pop.Reply("+OK Logging out.");
            AssertDone(pop, UserErrorCode.None, "PASS");
            Assert.True(pop.Session.Result.LoggedIn);
            Assert.Equal(0, pop.Session.Result.MessagesTotal);
            Assert.Empty(pop.Sink.Calls);
        }

        [Fact]
        public void Login_only_with_apop_sends_the_rfc_1939_digest()
        {
            var pop = new ScriptedPop(ScriptedPop.Options(PopSessionMode.LoginOnly, PopLoginMode.Apop, "mrose", "tanstaaf"));
            pop.Reply(ScriptedPop.Greeting);
            Assert.Equal("CAPA\r\n", pop.Sent());
            pop.Reply("+OK", "USER", ".");
            Assert.Equal("APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n", pop.Sent());
            pop.Reply("+OK maildrop has 1 message (369 octets)");
            Assert.Equal("QUIT\r\n", pop.Sent());
            pop.Reply("+OK");
            AssertDone(pop, UserErrorCode.None, "APOP");
            Assert.True(pop.Session.Result.LoggedIn);
        }

        [Fact]
        public void Apop_digest_matches_md5_of_timestamp_and_secret()
        {
            var pop = new ScriptedPop(ScriptedPop.Options(PopSessionMode.LoginOnly, PopLoginMode.Apop, "scan", "pässwörd"));
            pop.Reply("+OK hello <4711.1@mfp.lab.test> there");
            pop.Sent();
            pop.Reply("-ERR no CAPA");
            string expected = Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes("<4711.1@mfp.lab.test>pässwörd"))).ToLowerInvariant();
            Assert.Equal("APOP scan " + expected + "\r\n", pop.Sent());
        }

        [Theory]
        [InlineData(PopLoginMode.Auto, ScriptedPop.Greeting, new[] { "+OK", "TOP", "UIDL", "." }, "APOP")]
        [InlineData(PopLoginMode.Auto, ScriptedPop.Greeting, new[] { "+OK", "TOP", "user", "." }, "APOP")]
        [InlineData(PopLoginMode.Auto, ScriptedPop.Greeting, new[] { "-ERR unknown command" }, "APOP")]
        [InlineData(PopLoginMode.Auto, ScriptedPop.Greeting, new[] { "+OK", "USER", "SASL PLAIN CRAM-MD5 LOGIN", "." }, "AUTH CRAM-MD5")]
        [InlineData(PopLoginMode.Auto, "+OK ready", new[] { "+OK", "USER", "SASL cram-md5", "." }, "AUTH CRAM-MD5")]
        [InlineData(PopLoginMode.Auto, "+OK ready", new[] { "+OK", "USER", "SASL PLAIN LOGIN", "." }, "USER")]
        [InlineData(PopLoginMode.Auto, "+OK ready", new[] { "+OK", "USER", "SASL CRAM-MD5X", "." }, "USER")]
        [InlineData(PopLoginMode.CramMd5, "+OK ready", new[] { "-ERR unknown command" }, "AUTH CRAM-MD5")]
        [InlineData(PopLoginMode.Auto, "+OK ready <no-at-sign>", new[] { "+OK", "TOP", "." }, "USER")]
        [InlineData(PopLoginMode.Auto, "+OK ready", new[] { "+OK", "TOP", "." }, "USER")]
        [InlineData(PopLoginMode.UserPass, ScriptedPop.Greeting, new[] { "+OK", "TOP", "." }, "USER")]
        [InlineData(PopLoginMode.Apop, ScriptedPop.Greeting, new[] { "+OK", "USER", "." }, "APOP")]
        public void Login_command_follows_the_mode_capa_and_greeting(PopLoginMode mode, string greeting, string[] capa, string command)
        {
            var pop = new ScriptedPop(ScriptedPop.Options(PopSessionMode.LoginOnly, mode));
            pop.Reply(greeting);
            Assert.Equal("CAPA\r\n", pop.Sent());
            pop.Reply(capa);
            Assert.StartsWith(command + (command.StartsWith("AUTH", StringComparison.Ordinal) ? "\r\n" : " ifax"), pop.Sent());
        }

        [Fact]
        public void Apop_without_a_timestamp_fails_locally_as_an_authentication_error()
        {
            var pop = new ScriptedPop(ScriptedPop.Options(PopSessionMode.LoginOnly, PopLoginMode.Apop));
            pop.Reply("+OK plain server");
            pop.Sent();
            pop.Reply("+OK", "USER", ".");
            Assert.Equal("QUIT\r\n", pop.Sent());
            pop.Reply("+OK");
            AssertDone(pop, UserErrorCode.PopAuthFailed, "APOP");
            Assert.False(pop.Session.Result.LoggedIn);
            Assert.False(pop.Session.Result.Transient);
        }

        [Theory]
        [InlineData(PopLoginMode.UserPass, "USER")]
        [InlineData(PopLoginMode.UserPass, "PASS")]
        [InlineData(PopLoginMode.Apop, "APOP")]
        public void Refused_login_is_813_and_quits(PopLoginMode mode, string refused)
        {
            var pop = new ScriptedPop(ScriptedPop.Options(PopSessionMode.Receive, mode));
            pop.Reply(ScriptedPop.Greeting);
            pop.Sent();
            pop.Reply("-ERR");
            Assert.StartsWith(mode == PopLoginMode.Apop ? "APOP " : "USER ", pop.Sent());
            if (refused == "PASS")
            {
                pop.Reply("+OK");
                Assert.StartsWith("PASS ", pop.Sent());
            }

            pop.Reply("-ERR [AUTH] Authentication failed.");
            Assert.Equal("QUIT\r\n", pop.Sent());
            pop.Reply("+OK Logging out");
            AssertDone(pop, UserErrorCode.PopAuthFailed, refused);
            PopResult result = pop.Session.Result;
            Assert.Equal("[AUTH] Authentication failed.", result.ReplyText);
            Assert.False(result.LoggedIn);
            Assert.False(result.Transient);
            Assert.Empty(pop.Sink.Calls);
        }

        [Theory]
        [InlineData("-ERR [IN-USE] Mailbox is locked by another POP3 session")]
        [InlineData("-ERR [LOGIN-DELAY] Wait 300 seconds")]
        [InlineData("-ERR [SYS/TEMP] Internal error")]
        public void Login_refused_for_now_is_a_transient_connection_error(string reply)
        {
            var pop = new ScriptedPop(ScriptedPop.Options());
            pop.Reply(ScriptedPop.Greeting);
            pop.Sent();
            pop.Reply("-ERR");
            pop.Sent();
            pop.Reply("+OK");
            pop.Sent();
            pop.Reply(reply);
            Assert.Equal("QUIT\r\n", pop.Sent());
            Assert.Equal(UserErrorCode.PopConnectFailed, pop.Session.Result.ErrorCode);
            Assert.True(pop.Session.Result.Transient);
        }

        [Theory]
        [InlineData(NetError.HostNotFound)]
        [InlineData(NetError.Refused)]
        [InlineData(NetError.Unreachable)]
        public void Connect_failure_is_810(NetError error)
        {
            var session = new PopSession(ScriptedPop.Options(), new MemorySink(), null);
            session.Start(0);
            Assert.True(session.IsConnecting);
            session.OnConnectFailed(error, "stack says no");
            Assert.True(session.IsDone);
            Assert.Equal(UserErrorCode.PopConnectFailed, session.Result.ErrorCode);
            Assert.Equal(error, session.Result.NetError);
            Assert.Equal("connect", session.Result.Stage);
            Assert.Equal("stack says no", session.Result.Detail);
            Assert.True(session.Result.Transient);
        }

        [Fact]
        public void Connect_timeout_is_810()
        {
            var session = new PopSession(ScriptedPop.Options(), new MemorySink(), null);
            session.Start(500);
            session.CheckTimeout(500 + PopSessionOptions.DefaultConnectTimeoutMs - 1);
            Assert.False(session.IsDone);
            session.CheckTimeout(500 + PopSessionOptions.DefaultConnectTimeoutMs);
            Assert.Equal(UserErrorCode.PopConnectFailed, session.Result.ErrorCode);
            Assert.Equal(NetError.TimedOut, session.Result.NetError);
        }

        [Theory]
        [InlineData("-ERR go away", "go away")]
        [InlineData("220 mail.lab.test ESMTP", "")]
        [InlineData("+ok lower case", "")]
        [InlineData("", "")]
        public void Refused_or_garbled_greeting_is_810_without_commands(string greeting, string replyText)
        {
            var pop = new ScriptedPop(ScriptedPop.Options());
            pop.Reply(greeting);
            AssertDone(pop, UserErrorCode.PopConnectFailed, "greeting");
            Assert.Equal(replyText, pop.Session.Result.ReplyText);
            Assert.False(pop.Session.Result.LoggedIn);
        }

        [Fact]
        public void Over_long_greeting_is_810_with_bounded_memory()
        {
            var pop = new ScriptedPop(ScriptedPop.Options());
            pop.Raw(Encoding.ASCII.GetBytes("+OK " + new string('a', 5000)));
            AssertDone(pop, UserErrorCode.PopConnectFailed, "greeting");
            Assert.Contains("512", pop.Session.Result.Detail);
        }

        [Fact]
        public void A_511_octet_status_line_is_accepted()
        {
            var pop = new ScriptedPop(ScriptedPop.Options());
            pop.Reply("+OK " + new string('a', 506));
            Assert.Equal("CAPA\r\n", pop.Sent());
        }

        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        public void Connection_drop_before_login_is_810(int repliesBeforeDrop)
        {
            var pop = new ScriptedPop(ScriptedPop.Options());
            string[] replies = { ScriptedPop.Greeting, "-ERR", "+OK" };
            string[] stages = { "greeting", "CAPA", "USER", "PASS" };
            for (int i = 0; i < repliesBeforeDrop; i++)
            {
                pop.Reply(replies[i]);
                pop.Sent();
            }

            pop.Session.OnConnectionEnded(NetError.None, string.Empty);
            AssertDone(pop, UserErrorCode.PopConnectFailed, stages[repliesBeforeDrop]);
            Assert.Equal(NetError.Reset, pop.Session.Result.NetError);
            Assert.True(pop.Session.Result.Transient);
        }

        [Theory]
        [InlineData(0, "greeting")]
        [InlineData(3, "PASS")]
        public void Timeout_before_login_is_810(int repliesBeforeTimeout, string stage)
        {
            PopSessionOptions options = ScriptedPop.Options();
            options.CommandTimeoutMs = 20000;
            options.GreetingTimeoutMs = 20000;
            var pop = new ScriptedPop(options);
            string[] replies = { ScriptedPop.Greeting, "-ERR", "+OK" };
            for (int i = 0; i < repliesBeforeTimeout; i++)
            {
                pop.Reply(replies[i]);
                pop.Sent();
            }

            pop.Session.CheckTimeout(pop.Now + 19999);
            Assert.False(pop.Session.IsDone);
            pop.Session.CheckTimeout(pop.Now + 20000);
            AssertDone(pop, UserErrorCode.PopConnectFailed, stage);
            Assert.Equal(NetError.TimedOut, pop.Session.Result.NetError);
        }

        [Fact]
        public void A_capa_list_that_never_ends_is_810()
        {
            var pop = new ScriptedPop(ScriptedPop.Options());
            pop.Reply(ScriptedPop.Greeting);
            pop.Sent();
            pop.Reply("+OK");
            for (int i = 0; i < PopSession.MaxCapaLines; i++)
            {
                pop.Reply("X-CAP-" + i);
            }

            Assert.False(pop.Session.IsDone);
            pop.Reply("X-ONE-TOO-MANY");
            AssertDone(pop, UserErrorCode.PopConnectFailed, "CAPA");
        }

        [Theory]
        [InlineData(int.MaxValue)]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        [InlineData(7)]
        [InlineData(512)]
        [InlineData(1500)]
        public void Receives_three_messages_unstuffed_and_deletes_them_once_quit_is_confirmed(int piece)
        {
            var pop = new ScriptedPop(ScriptedPop.Options());
            pop.LogIn("USER", "UIDL");
            Assert.Equal("UIDL\r\n", pop.Sent());
            var server = new List<byte[]>
            {
                Encoding.ASCII.GetBytes("+OK\r\n1 uid-a\r\n2 uid-b\r\n3 uid-c\r\n.\r\n"),
                Encoding.ASCII.GetBytes("+OK 3 messages\r\n1 37\r\n2 5022\r\n3 46\r\n.\r\n"),
                Encoding.ASCII.GetBytes("+OK 37 octets\r\n" + MessageOneWire),
                Encoding.ASCII.GetBytes("+OK\r\n"),
                Retr(MessageTwo),
                Encoding.ASCII.GetBytes("+OK\r\n"),
                Retr(MessageThree),
                Encoding.ASCII.GetBytes("+OK\r\n"),
                Encoding.ASCII.GetBytes("+OK Logging out, messages deleted\r\n"),
            };
            string[] commands = { "LIST\r\n", "RETR 1\r\n", "DELE 1\r\n", "RETR 2\r\n", "DELE 2\r\n", "RETR 3\r\n", "DELE 3\r\n", "QUIT\r\n", string.Empty };
            for (int i = 0; i < server.Count; i++)
            {
                Assert.Equal(0, pop.Session.Result.MessagesDeleted);
                pop.Raw(server[i], piece);
                Assert.Equal(commands[i], pop.Sent());
            }

            AssertDone(pop, UserErrorCode.None, "DELE");
            PopResult result = pop.Session.Result;
            Assert.Equal(3, result.MessagesTotal);
            Assert.Equal(3, result.MessagesReceived);
            Assert.Equal(3, result.MessagesDeleted);
            Assert.Equal(new[] { MessageOne, MessageTwo, MessageThree }, pop.Sink.Stored);
            Assert.Equal(
                new[] { "Has uid-a", "Has uid-b", "Has uid-c", "Begin uid-a 37", "Commit uid-a True", "Begin uid-b 5022", "Commit uid-b True", "Begin uid-c 46", "Commit uid-c True" },
                pop.Sink.Calls);
            Assert.True(pop.Sink.LargestWrite <= PopSession.BodyChunkSize);
            Assert.Single(pop.Sink.WriteBuffers);
        }

        [Fact]
        public void Every_split_point_of_a_message_gives_the_same_bytes()
        {
            byte[] wire = Encoding.ASCII.GetBytes("+OK 37 octets\r\n" + MessageOneWire + "+OK\r\n");
            for (int split = 1; split < wire.Length; split++)
            {
                var pop = new ScriptedPop(ScriptedPop.Options());
                pop.LogIn();
                pop.Sent();
                pop.Reply("+OK", "1 uid-a", ".");
                pop.Sent();
                pop.Reply("+OK", "1 37", ".");
                Assert.Equal("RETR 1\r\n", pop.Sent());
                pop.Session.Receive(wire, 0, split, pop.Now);
                pop.Session.Receive(wire, split, wire.Length - split, pop.Now);
                Assert.Equal("DELE 1\r\nQUIT\r\n", pop.Sent());
                Assert.Equal(MessageOne, Assert.Single(pop.Sink.Stored));
            }
        }

        [Fact]
        public void Known_uids_are_deleted_without_retr()
        {
            var sink = new MemorySink();
            sink.Known.Add("uid-a");
            sink.Known.Add("uid-c");
            var pop = new ScriptedPop(ScriptedPop.Options(), sink);
            pop.LogIn();
            Assert.Equal("UIDL\r\n", pop.Sent());
            pop.Reply("+OK", "1 uid-a", "2 uid-b", "3 uid-c", ".");
            Assert.Equal("LIST\r\n", pop.Sent());
            pop.Reply("+OK", "1 10", "2 18", "3 30", ".");
            Assert.Equal("DELE 1\r\n", pop.Sent());
            pop.Reply("+OK");
            Assert.Equal("RETR 2\r\n", pop.Sent());
            pop.Raw(Retr(Encoding.ASCII.GetBytes("Subject: b\r\n\r\nb\r\n")));
            Assert.Equal("DELE 2\r\n", pop.Sent());
            pop.Reply("+OK");
            Assert.Equal("DELE 3\r\n", pop.Sent());
            pop.Reply("+OK");
            Assert.Equal("QUIT\r\n", pop.Sent());
            pop.Reply("+OK");
            AssertDone(pop, UserErrorCode.None, "DELE");
            Assert.Equal(3, pop.Session.Result.MessagesTotal);
            Assert.Equal(1, pop.Session.Result.MessagesReceived);
            Assert.Equal(3, pop.Session.Result.MessagesDeleted);
            Assert.Contains("Begin uid-b 18", sink.Calls);
            Assert.DoesNotContain(pop.Log.Lines, l => l.StartsWith("C: RETR 1") || l.StartsWith("C: RETR 3"));
        }

        [Fact]
        public void Nothing_on_the_server_quits_right_after_uidl()
        {
            var pop = new ScriptedPop(ScriptedPop.Options(), new MemorySink());
            pop.LogIn();
            pop.Sent();
            pop.Reply("+OK", ".");
            Assert.Equal("QUIT\r\n", pop.Sent());
            pop.Reply("+OK");
            AssertDone(pop, UserErrorCode.None, "UIDL");
            Assert.Equal(0, pop.Session.Result.MessagesTotal);
        }

        [Fact]
        public void Only_known_messages_are_deleted_without_list_or_retr()
        {
            var sink = new MemorySink();
            sink.Known.Add("uid-a");
            var pop = new ScriptedPop(ScriptedPop.Options(), sink);
            pop.LogIn();
            pop.Sent();
            pop.Reply("+OK", "1 uid-a", ".");
            Assert.Equal("DELE 1\r\n", pop.Sent());
            pop.Reply("+OK");
            Assert.Equal("QUIT\r\n", pop.Sent());
            pop.Reply("+OK");
            Assert.Equal(0, pop.Session.Result.MessagesReceived);
            Assert.Equal(1, pop.Session.Result.MessagesDeleted);
        }

        [Fact]
        public void A_refused_commit_keeps_the_message_on_the_server()
        {
            var sink = new MemorySink();
            sink.CommitAnswers.Enqueue(true);
            sink.CommitAnswers.Enqueue(false);
            var pop = new ScriptedPop(ScriptedPop.Options(), sink);
            pop.LogIn();
            pop.Sent();
            pop.Reply("+OK", "1 uid-a", "2 uid-b", "3 uid-c", ".");
            pop.Sent();
            pop.Reply("+OK", "1 37", "2 5022", "3 46", ".");
            Assert.Equal("RETR 1\r\n", pop.Sent());
            pop.Raw(Retr(MessageOne));
            Assert.Equal("DELE 1\r\n", pop.Sent());
            pop.Reply("+OK");
            Assert.Equal("RETR 2\r\n", pop.Sent());
            pop.Raw(Retr(MessageTwo));
            Assert.Equal("QUIT\r\n", pop.Sent());
            pop.Reply("+OK");
            AssertDone(pop, UserErrorCode.PopReceptionInterrupted, "store");
            PopResult result = pop.Session.Result;
            Assert.Contains("message 2", result.Detail);
            Assert.Equal(1, result.MessagesReceived);
            Assert.Equal(1, result.MessagesDeleted);
            Assert.True(result.Transient);
            Assert.DoesNotContain("Abort uid-b", sink.Calls);
            Assert.DoesNotContain(pop.Log.Lines, l => l.StartsWith("C: DELE 2"));
        }

        [Fact]
        public void Connection_drop_during_retr_aborts_the_message_and_deletes_nothing()
        {
            var pop = new ScriptedPop(ScriptedPop.Options());
            pop.LogIn();
            pop.Sent();
            pop.Reply("+OK", "1 uid-a", "2 uid-b", ".");
            pop.Sent();
            pop.Reply("+OK", "1 37", "2 5022", ".");
            pop.Sent();
            pop.Raw(Retr(MessageOne));
            Assert.Equal("DELE 1\r\n", pop.Sent());
            pop.Reply("+OK");
            Assert.Equal("RETR 2\r\n", pop.Sent());
            byte[] wire = Retr(MessageTwo);
            pop.Raw(wire.Take(3000).ToArray());
            Assert.Equal(PopState.Body, pop.Session.State);
            pop.Session.OnConnectionEnded(NetError.Reset, "connection reset by peer");
            AssertDone(pop, UserErrorCode.PopReceptionInterrupted, "RETR");
            PopResult result = pop.Session.Result;
            Assert.Equal(NetError.Reset, result.NetError);
            Assert.Equal(1, result.MessagesReceived);
            Assert.Equal(0, result.MessagesDeleted);
            Assert.True(result.Transient);
            Assert.Equal("Abort uid-b", pop.Sink.Calls.Last());
            Assert.Single(pop.Sink.Stored);
            Assert.DoesNotContain(pop.Log.Lines, l => l.StartsWith("C: DELE 2"));
        }

        [Fact]
        public void A_stalled_retr_times_out_per_block()
        {
            PopSessionOptions options = ScriptedPop.Options();
            options.RetrieveBlockTimeoutMs = 30000;
            var pop = new ScriptedPop(options);
            pop.LogIn();
            pop.Sent();
            pop.Reply("+OK", "1 uid-a", ".");
            pop.Sent();
            pop.Reply("+OK", "1 5022", ".");
            pop.Sent();
            byte[] wire = Retr(MessageTwo);
            for (int i = 0; i < 4; i++)
            {
                // Data keeps arriving within the block timeout: the session waits on.
                pop.Now += 29000;
                pop.Session.CheckTimeout(pop.Now);
                pop.Raw(wire.Skip(i * 1000).Take(1000).ToArray());
            }

            Assert.False(pop.Session.IsDone);
            pop.Session.CheckTimeout(pop.Now + 29999);
            Assert.False(pop.Session.IsDone);
            pop.Session.CheckTimeout(pop.Now + 30000);
            AssertDone(pop, UserErrorCode.PopReceptionInterrupted, "RETR");
            Assert.Equal(NetError.TimedOut, pop.Session.Result.NetError);
            Assert.Equal("Abort uid-a", pop.Sink.Calls.Last());
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void Unanswered_quit_leaves_deletions_unconfirmed(bool drop)
        {
            var pop = new ScriptedPop(ScriptedPop.Options());
            pop.LogIn();
            pop.Sent();
            pop.Reply("+OK", "1 uid-a", ".");
            pop.Sent();
            pop.Reply("+OK", "1 37", ".");
            pop.Sent();
            pop.Raw(Retr(MessageOne));
            Assert.Equal("DELE 1\r\n", pop.Sent());
            pop.Reply("+OK message 1 deleted");
            Assert.Equal("QUIT\r\n", pop.Sent());
            if (drop)
            {
                pop.Session.OnConnectionEnded(NetError.None, string.Empty);
            }
            else
            {
                pop.Session.CheckTimeout(pop.Now + PopSessionOptions.DefaultCommandTimeoutMs);
            }

            AssertDone(pop, UserErrorCode.PopReceptionInterrupted, "QUIT");
            PopResult result = pop.Session.Result;
            Assert.Equal(1, result.MessagesReceived);
            Assert.Equal(0, result.MessagesDeleted);
            Assert.Equal(drop ? NetError.Reset : NetError.TimedOut, result.NetError);
        }

        [Fact]
        public void Unanswered_quit_after_a_login_only_session_is_still_a_success()
        {
            var pop = new ScriptedPop(ScriptedPop.Options(PopSessionMode.LoginOnly));
            pop.LogIn();
            Assert.Equal("QUIT\r\n", pop.Sent());
            pop.Session.OnConnectionEnded(NetError.None, string.Empty);
            AssertDone(pop, UserErrorCode.None, "PASS");
            Assert.Equal(NetError.None, pop.Session.Result.NetError);
        }

        [Fact]
        public void Err_to_quit_with_deletions_pending_is_812()
        {
            var pop = new ScriptedPop(ScriptedPop.Options());
            pop.LogIn();
            pop.Sent();
            pop.Reply("+OK", "1 uid-a", ".");
            pop.Sent();
            pop.Reply("+OK", "1 37", ".");
            pop.Sent();
            pop.Raw(Retr(MessageOne));
            pop.Sent();
            pop.Reply("+OK");
            Assert.Equal("QUIT\r\n", pop.Sent());
            pop.Reply("-ERR some deleted messages not removed");
            AssertDone(pop, UserErrorCode.PopServerError, "QUIT");
            Assert.Equal(0, pop.Session.Result.MessagesDeleted);
            Assert.Equal("some deleted messages not removed", pop.Session.Result.ReplyText);
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void Without_uidl_messages_are_taken_only_if_the_sink_agrees(bool sinkDeclines)
        {
            var sink = new MemorySink();
            if (sinkDeclines)
            {
                sink.Known.Add(string.Empty);
            }

            var pop = new ScriptedPop(ScriptedPop.Options(), sink);
            pop.LogIn();
            Assert.Equal("UIDL\r\n", pop.Sent());
            pop.Reply("-ERR unknown command");
            Assert.Equal("LIST\r\n", pop.Sent());
            pop.Reply("+OK 2 messages", "1 37", "2 46", ".");
            if (sinkDeclines)
            {
                Assert.Equal("QUIT\r\n", pop.Sent());
                pop.Reply("+OK");
                AssertDone(pop, UserErrorCode.None, "LIST");
                Assert.Equal(new[] { "Has " }, sink.Calls);
                Assert.Equal(2, pop.Session.Result.MessagesTotal);
                return;
            }

            Assert.Equal("RETR 1\r\n", pop.Sent());
            pop.Raw(Retr(MessageOne));
            Assert.Equal("DELE 1\r\n", pop.Sent());
            pop.Reply("+OK");
            Assert.Equal("RETR 2\r\n", pop.Sent());
            pop.Raw(Retr(MessageThree));
            Assert.Equal("DELE 2\r\n", pop.Sent());
            pop.Reply("+OK");
            Assert.Equal("QUIT\r\n", pop.Sent());
            pop.Reply("+OK");
            AssertDone(pop, UserErrorCode.None, "DELE");
            Assert.Equal(new[] { "Has ", "Begin  37", "Commit  True", "Begin  46", "Commit  True" }, sink.Calls);
            Assert.Equal(2, pop.Session.Result.MessagesDeleted);
        }

        [Fact]
        public void At_most_max_messages_are_handled_per_session()
        {
            PopSessionOptions options = ScriptedPop.Options();
            options.MaxMessagesPerSession = 2;
            var sink = new MemorySink();
            sink.Known.Add("u2");
            var pop = new ScriptedPop(options, sink);
            pop.LogIn();
            pop.Sent();
            pop.Reply("+OK", "1 u1", "2 u2", "3 u3", "4 u4", "5 u5", ".");
            pop.Sent();
            pop.Reply("+OK", "1 10", "2 20", "3 30", "4 40", "5 50", ".");
            Assert.Equal("RETR 1\r\n", pop.Sent());
            pop.Raw(Retr(MessageOne));
            Assert.Equal("DELE 1\r\n", pop.Sent());
            pop.Reply("+OK");
            Assert.Equal("DELE 2\r\n", pop.Sent());
            pop.Reply("+OK");
            Assert.Equal("QUIT\r\n", pop.Sent());
            pop.Reply("+OK");
            Assert.Equal(5, pop.Session.Result.MessagesTotal);
            Assert.Equal(1, pop.Session.Result.MessagesReceived);
            Assert.Equal(2, pop.Session.Result.MessagesDeleted);
            Assert.Equal(new[] { "Has u1", "Has u2" }, sink.Calls.Take(2));
            Assert.DoesNotContain("Has u3", sink.Calls);
        }

        [Theory]
        [InlineData("LIST")]
        [InlineData("RETR")]
        [InlineData("DELE")]
        public void Err_after_login_is_812_and_quits(string refused)
        {
            var pop = new ScriptedPop(ScriptedPop.Options());
            pop.LogIn();
            pop.Sent();
            pop.Reply("+OK", "1 uid-a", ".");
            Assert.Equal("LIST\r\n", pop.Sent());
            if (refused != "LIST")
            {
                pop.Reply("+OK", "1 37", ".");
                Assert.Equal("RETR 1\r\n", pop.Sent());
                if (refused == "DELE")
                {
                    pop.Raw(Retr(MessageOne));
                    Assert.Equal("DELE 1\r\n", pop.Sent());
                }
            }

            pop.Reply("-ERR [SYS/PERM] storage failure");
            Assert.Equal("QUIT\r\n", pop.Sent());
            pop.Reply("+OK");
            AssertDone(pop, UserErrorCode.PopServerError, refused);
            Assert.Equal("[SYS/PERM] storage failure", pop.Session.Result.ReplyText);
            Assert.True(pop.Session.Result.Transient);
            Assert.Equal(0, pop.Session.Result.MessagesDeleted);
        }

        [Theory]
        [InlineData("x uid-a")]
        [InlineData("1")]
        [InlineData("1 ")]
        [InlineData("1uid")]
        [InlineData("1 uid a")]
        [InlineData("1 uid\u00e9")]
        public void A_malformed_uidl_line_is_812_and_ends_the_session(string line)
        {
            var pop = new ScriptedPop(ScriptedPop.Options());
            pop.LogIn();
            pop.Sent();
            pop.Reply("+OK", line, ".");
            AssertDone(pop, UserErrorCode.PopServerError, "UIDL");
            Assert.Contains("UIDL", pop.Session.Result.Detail);
            Assert.Empty(pop.Sink.Calls);
        }

        [Fact]
        public void Uidl_lines_are_unstuffed()
        {
            var pop = new ScriptedPop(ScriptedPop.Options());
            pop.LogIn();
            pop.Sent();
            pop.Reply("+OK", "1 ..dots", ".");
            Assert.Equal(new[] { "Has ..dots" }, pop.Sink.Calls);

            var stuffed = new ScriptedPop(ScriptedPop.Options());
            stuffed.LogIn();
            stuffed.Sent();
            stuffed.Reply("+OK", "..1 x", ".");
            Assert.Equal(UserErrorCode.PopServerError, stuffed.Session.Result.ErrorCode);
        }

        [Fact]
        public void A_sink_that_fails_to_begin_drains_the_message_and_quits()
        {
            var sink = new ThrowingSink();
            var session = new PopSession(ScriptedPop.Options(), sink, null);
            session.Start(0);
            session.OnConnected("192.0.2.7", 0);
            string[] replies = { ScriptedPop.Greeting, "-ERR", "+OK", "+OK", "+OK\r\n1 u\r\n.", "+OK\r\n1 37\r\n." };
            foreach (string reply in replies)
            {
                byte[] bytes = Encoding.ASCII.GetBytes(reply + "\r\n");
                session.Receive(bytes, 0, bytes.Length, 0);
                session.OnSent(session.OutputCount, 0);
            }

            byte[] wire = Retr(MessageOne);
            session.Receive(wire, 0, wire.Length, 0);
            Assert.Equal("QUIT\r\n", Encoding.ASCII.GetString(session.Output, session.OutputOffset, session.OutputCount));
            Assert.Equal(UserErrorCode.PopReceptionInterrupted, session.Result.ErrorCode);
            Assert.Equal("store", session.Result.Stage);
            Assert.Contains("flash full", session.Result.Detail);
            Assert.Equal(0, sink.Writes);
        }

        [Fact]
        public void Passwords_are_masked_in_the_log_and_cleared()
        {
            PopSessionOptions options = ScriptedPop.Options(PopSessionMode.Receive, PopLoginMode.UserPass, "ifax", "ifax-Secret-4");
            var pop = new ScriptedPop(options);
            pop.LogIn();
            pop.Sent();
            pop.Reply("+OK", ".");
            pop.Sent();
            pop.Reply("+OK");
            Assert.True(pop.Session.IsDone);
            string log = string.Join("\n", pop.Log.Lines);
            Assert.DoesNotContain("Secret", log);
            Assert.Contains("C: USER ifax", log);
            Assert.Contains("C: PASS ****", log);
            Assert.All(options.Password, b => Assert.Equal(0, b));
            Assert.All(options.User, b => Assert.Equal(0, b));

            PopSessionOptions apopOptions = ScriptedPop.Options(PopSessionMode.LoginOnly, PopLoginMode.Apop, "mrose", "tanstaaf");
            var apop = new ScriptedPop(apopOptions);
            apop.Reply(ScriptedPop.Greeting);
            apop.Sent();
            apop.Reply("-ERR");
            apop.Sent();
            apop.Session.OnConnectionEnded(NetError.Reset, "reset");
            string apopLog = string.Join("\n", apop.Log.Lines);
            Assert.DoesNotContain("tanstaaf", apopLog);
            Assert.DoesNotContain("c4c9334bac560ecc979e58001b3e22fb", apopLog);
            Assert.Contains("C: APOP mrose ****", apopLog);
            Assert.All(apopOptions.Password, b => Assert.Equal(0, b));
        }

        [Fact]
        public void Credentials_with_a_line_break_are_never_sent()
        {
            var pop = new ScriptedPop(ScriptedPop.Options(user: "ifax\r\nDELE 1"));
            pop.Reply(ScriptedPop.Greeting);
            pop.Sent();
            pop.Reply("-ERR");
            Assert.Equal("QUIT\r\n", pop.Sent());
            Assert.Equal(UserErrorCode.PopAuthFailed, pop.Session.Result.ErrorCode);
        }

        [Fact]
        public void A_missing_password_is_never_sent()
        {
            PopSessionOptions options = ScriptedPop.Options();
            options.Password = null;
            var pop = new ScriptedPop(options);
            pop.Reply(ScriptedPop.Greeting);
            pop.Sent();
            pop.Reply("-ERR");
            Assert.Equal("QUIT\r\n", pop.Sent());
            Assert.Equal(UserErrorCode.PopAuthFailed, pop.Session.Result.ErrorCode);
            Assert.Equal("no POP password set", pop.Session.Result.Detail);
        }

        [Fact]
        public void A_garbled_quit_reply_keeps_the_reason_the_session_ended()
        {
            var pop = new ScriptedPop(ScriptedPop.Options());
            pop.Reply(ScriptedPop.Greeting);
            pop.Sent();
            pop.Reply("-ERR");
            pop.Sent();
            pop.Reply("-ERR [AUTH] no such user");
            Assert.Equal("QUIT\r\n", pop.Sent());
            pop.Reply("220 wrong protocol");
            AssertDone(pop, UserErrorCode.PopAuthFailed, "USER");
        }

        [Fact]
        public void A_large_message_streams_through_fixed_buffers()
        {
            var sink = new CountingSink();
            var session = new PopSession(ScriptedPop.Options(), sink, null);
            byte[] output = session.Output;
            session.Start(0);
            session.OnConnected("192.0.2.7", 0);
            string[] replies = { ScriptedPop.Greeting, "-ERR", "+OK", "+OK", "+OK\r\n1 big\r\n.", "+OK\r\n1 1995000\r\n." };
            string sent = string.Empty;
            foreach (string reply in replies)
            {
                byte[] bytes = Encoding.ASCII.GetBytes(reply + "\r\n");
                session.Receive(bytes, 0, bytes.Length, 0);
                sent = Encoding.ASCII.GetString(session.Output, session.OutputOffset, session.OutputCount);
                session.OnSent(session.OutputCount, 0);
            }

            Assert.Equal("RETR 1\r\n", sent);
            byte[] status = Encoding.ASCII.GetBytes("+OK 1995000 octets\r\n");
            session.Receive(status, 0, status.Length, 0);
            Assert.Equal(PopState.Body, session.State);

            // 2 MB of 80-octet lines, every fifth one byte-stuffed, sent in 512-octet reads like SessionTransfer's.
            byte[] line = Encoding.ASCII.GetBytes(new string('q', 78) + "\r\n");
            byte[] stuffedLine = Encoding.ASCII.GetBytes(".." + new string('d', 76) + "\r\n");
            byte[] block = new byte[512];
            long before = GC.GetAllocatedBytesForCurrentThread();
            int lines = 25000;
            int pending = 0;
            for (int i = 0; i <= lines; i++)
            {
                byte[] next = i == lines ? new byte[] { (byte)'.', (byte)'\r', (byte)'\n' } : (i % 5 == 0 ? stuffedLine : line);
                foreach (byte b in next)
                {
                    block[pending++] = b;
                    if (pending == block.Length)
                    {
                        session.Receive(block, 0, pending, 0);
                        pending = 0;
                    }
                }
            }

            session.Receive(block, 0, pending, 0);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < 16 * 1024, "streaming 2 MB allocated " + allocated + " bytes");
            Assert.Equal((long)lines * 80 - (lines / 5), sink.Bytes);
            Assert.Equal(lines / 5, sink.LineStartDots);
            Assert.True(sink.Committed);
            Assert.True(sink.LargestWrite <= PopSession.BodyChunkSize);
            Assert.Same(output, session.Output);
            Assert.Equal("DELE 1\r\n", Encoding.ASCII.GetString(session.Output, session.OutputOffset, session.OutputCount));
        }

        [Fact]
        public void Constructor_guards()
        {
            Assert.Throws<ArgumentNullException>(() => new PopSession(null, new MemorySink(), null));
            Assert.Throws<ArgumentNullException>(() => new PopSession(ScriptedPop.Options(PopSessionMode.Receive), null, null));
            PopSessionOptions tooMany = ScriptedPop.Options();
            tooMany.MaxMessagesPerSession = 0;
            Assert.Throws<ArgumentOutOfRangeException>(() => new PopSession(tooMany, new MemorySink(), null));
            var loginOnly = new PopSession(ScriptedPop.Options(PopSessionMode.LoginOnly), null, null);
            loginOnly.Start(0);
            Assert.Throws<InvalidOperationException>(() => loginOnly.Start(0));
        }

        /// <summary>A sink whose storage is full from the start.</summary>
        private sealed class ThrowingSink : IPopMailSink
        {
            public int Writes { get; private set; }

            public bool Has(string uid) => false;

            public void Begin(string uid, long size) => throw new InvalidOperationException("flash full");

            public void Write(byte[] buffer, int offset, int count) => Writes++;

            public bool Commit() => throw new InvalidOperationException("not begun");

            public void Abort() => throw new InvalidOperationException("not begun");
        }

        /// <summary>A sink that keeps counts only, so it allocates nothing while a message streams.</summary>
        private sealed class CountingSink : IPopMailSink
        {
            private bool _lineStart = true;

            public long Bytes { get; private set; }

            public int LineStartDots { get; private set; }

            public int LargestWrite { get; private set; }

            public bool Committed { get; private set; }

            public bool Has(string uid) => false;

            public void Begin(string uid, long size)
            {
            }

            public void Write(byte[] buffer, int offset, int count)
            {
                LargestWrite = Math.Max(LargestWrite, count);
                for (int i = offset; i < offset + count; i++)
                {
                    if (_lineStart && buffer[i] == (byte)'.')
                    {
                        LineStartDots++;
                    }

                    _lineStart = buffer[i] == (byte)'\n';
                    Bytes++;
                }
            }

            public bool Commit()
            {
                Committed = true;
                return true;
            }

            public void Abort()
            {
            }
        }
    }
}
