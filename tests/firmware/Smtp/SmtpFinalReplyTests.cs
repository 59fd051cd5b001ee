using System;
using System.Text;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Smtp;
using NetBoard.Hal;

namespace NetBoard.Firmware.Tests.Smtp
{
    /// <summary>
    /// The reply to the final dot decides whether the message was delivered, so a broken one is read as far as it
    /// can be: its code decides (an over-long or malformed 250 is the server taking the message, never a
    /// failure), a line with no code at all is skipped while the reply is still awaited, and an outcome that
    /// stays unknown is retried with the journal saying the message may arrive twice.
    /// </summary>
    public class SmtpFinalReplyTests
    {
        private static ScriptedSmtp AfterDot(SmtpSessionOptions options = null)
        {
            var smtp = new ScriptedSmtp(options ?? ScriptedSmtp.Options());
            smtp.Hello();
            smtp.Reply("250 2.1.0 Ok");
            smtp.Sent();
            smtp.Reply("250 2.1.5 Ok");
            Assert.Equal("DATA\r\n", smtp.Sent());
            smtp.Reply("354 go ahead");
            Assert.EndsWith("\r\n.\r\n", smtp.Sent());
            Assert.Equal(SmtpState.DataEnd, smtp.Session.State);
            return smtp;
        }

        private static void Feed(ScriptedSmtp smtp, string text)
        {
            byte[] bytes = Encoding.ASCII.GetBytes(text);
            smtp.Session.Receive(bytes, 0, bytes.Length, smtp.Now);
        }

        public static TheoryData<string, string> BrokenTwoFifties() => new TheoryData<string, string>
        {
            { "250 2.0.0 Ok: queued as 4F2 " + new string('x', 600) + "\r\n", "reply line longer than 512 octets" },
            { "250-2.0.0 Ok " + new string('x', 600) + "\r\n250 queued\r\n", "reply line longer than 512 octets" },
            { "250-2.0.0 Ok\r\n250 queued as " + new string('y', 900) + "\r\n", "reply line longer than 512 octets" },
            { "250 " + new string('z', 64 * 1024), "reply line longer than 512 octets" },
            { "250Ok: queued as 4F2\r\n", "reply code not followed by space or hyphen" },
            { "250-2.0.0 Ok\r\n\u0001garbage in the middle\r\n250 queued\r\n", "reply line does not start with a reply code" },
        };

        [Theory]
        [MemberData(nameof(BrokenTwoFifties))]
        public void A_broken_250_after_the_final_dot_is_delivered_with_a_note_and_quit(string reply, string why)
        {
            ScriptedSmtp smtp = AfterDot();
            Feed(smtp, reply);

            // Where the broken reply ends cannot be known: QUIT goes out and the session ends, reading nothing more.
            Assert.Equal("QUIT\r\n", smtp.Sent());
            Assert.True(smtp.Session.IsDone);
            SmtpResult result = smtp.Session.Result;
            Assert.True(result.Success);
            Assert.Equal(UserErrorCode.None, result.ErrorCode);
            Assert.Equal(250, result.ReplyCode);
            Assert.Equal("reply to the final dot read by its code: " + why, result.ReplyNote);
            Assert.True(result.ReplyText.Length <= 83, "the kept text is bounded: " + result.ReplyText.Length);
            Assert.Contains(smtp.Log.Lines, l => l == "S: (" + why + ")");
        }

        [Fact]
        public void An_over_long_250_split_at_every_byte_is_delivered_the_same()
        {
            string reply = "250 2.0.0 Ok " + new string('x', 700) + "\r\n";
            for (int split = 1; split < reply.Length; split += 37)
            {
                ScriptedSmtp smtp = AfterDot();
                Feed(smtp, reply.Substring(0, split));
                Feed(smtp, reply.Substring(split));
                Assert.Equal("QUIT\r\n", smtp.Sent());
                Assert.True(smtp.Session.Result.Success, "split at " + split);
            }
        }

        [Fact]
        public void A_broken_250_whose_quit_cannot_be_sent_still_ends_delivered()
        {
            ScriptedSmtp smtp = AfterDot();
            Feed(smtp, "250 " + new string('x', 2000));
            Assert.Equal(SmtpState.Quit, smtp.Session.State);
            smtp.Session.CheckTimeout(smtp.Now + SmtpSessionOptions.QuitTimeoutMs);
            Assert.True(smtp.Session.IsDone);
            Assert.True(smtp.Session.Result.Success);

            ScriptedSmtp closed = AfterDot();
            Feed(closed, "250 " + new string('x', 2000));
            closed.Session.OnConnectionEnded(NetError.None, string.Empty);
            Assert.True(closed.Session.IsDone);
            Assert.True(closed.Session.Result.Success);
        }

        [Theory]
        [InlineData("554 5.7.1 Rejected as spam ", UserErrorCode.SmtpMessageRejected, false)]
        [InlineData("552 5.3.4 Message too big ", UserErrorCode.SmtpMessageTooLarge, false)]
        [InlineData("451 4.3.0 Queue file write error ", UserErrorCode.SmtpTemporaryFailure, true)]
        public void A_broken_refusal_after_the_final_dot_is_read_by_its_code(string start, int code, bool transient)
        {
            ScriptedSmtp smtp = AfterDot();
            Feed(smtp, start + new string('x', 600) + "\r\n");
            Assert.Equal("QUIT\r\n", smtp.Sent());
            Assert.True(smtp.Session.IsDone);
            Assert.Equal(code, smtp.Session.Result.ErrorCode);
            Assert.Equal(transient, smtp.Session.Result.Transient);
            Assert.Equal(int.Parse(start.Substring(0, 3)), smtp.Session.Result.ReplyCode);
        }

        [Fact]
        public void A_broken_421_after_the_final_dot_ends_without_quit_and_is_retried()
        {
            ScriptedSmtp smtp = AfterDot();
            Feed(smtp, "421 4.3.2 shutting down " + new string('x', 600) + "\r\n");
            Assert.True(smtp.Session.IsDone);
            Assert.Equal(0, smtp.Session.OutputCount);
            Assert.Equal(UserErrorCode.SmtpTemporaryFailure, smtp.Session.Result.ErrorCode);
        }

        [Theory]
        [InlineData("251 2.1.5 will forward")]
        [InlineData("252 2.0.0 taken")]
        public void Another_2yz_after_the_final_dot_counts_as_delivered_and_says_so(string reply)
        {
            ScriptedSmtp smtp = AfterDot();
            smtp.Reply(reply);
            Assert.Equal("QUIT\r\n", smtp.Sent());
            Assert.True(smtp.Session.Result.Success);
            Assert.Equal("reply " + reply.Substring(0, 3) + " to the final dot counted as accepted", smtp.Session.Result.ReplyNote);
        }

        [Fact]
        public void Lines_without_a_code_are_skipped_and_the_real_reply_still_counts()
        {
            ScriptedSmtp smtp = AfterDot();
            Feed(smtp, "Hello? \u0001 this is not a reply\r\n" + new string('#', 3000) + "\r\n");
            Assert.False(smtp.Session.IsDone);
            Assert.Equal(string.Empty, smtp.Sent());
            Feed(smtp, "250 2.0.0 Ok: queued as 4F2\r\n");
            Assert.Equal("QUIT\r\n", smtp.Sent());
            SmtpResult result = smtp.Session.Result;
            Assert.True(result.Success);
            Assert.Equal("2.0.0 Ok: queued as 4F2", result.ReplyText);
            Assert.Equal("2 unreadable line(s) after the final dot skipped (reply line longer than 512 octets)", result.ReplyNote);
        }

        [Fact]
        public void Garbage_then_a_closed_connection_is_retried_and_says_the_message_may_arrive_twice()
        {
            ScriptedSmtp smtp = AfterDot();
            Feed(smtp, "Hello? this is not a reply\r\n");
            smtp.Session.OnConnectionEnded(NetError.None, string.Empty);
            SmtpResult result = smtp.Session.Result;
            Assert.Equal(UserErrorCode.SmtpConnectionLost, result.ErrorCode);
            Assert.True(result.Transient);
            Assert.Equal("connection closed by the server; the server may have taken the message, so a retry may deliver it twice", result.Detail);
        }

        [Fact]
        public void Garbage_then_silence_times_out_at_the_final_deadline()
        {
            SmtpSessionOptions options = ScriptedSmtp.Options();
            ScriptedSmtp smtp = AfterDot(options);
            Feed(smtp, "Hello? this is not a reply\r\n");
            smtp.Session.CheckTimeout(smtp.Now + options.FinalTimeoutMs - 1);
            Assert.False(smtp.Session.IsDone);
            smtp.Session.CheckTimeout(smtp.Now + options.FinalTimeoutMs);
            Assert.Equal(UserErrorCode.SmtpConnectionLost, smtp.Session.Result.ErrorCode);
            Assert.StartsWith("no readable reply to the final dot in time; the server may have taken the message", smtp.Session.Result.Detail);
        }

        [Fact]
        public void Endless_garbage_ends_the_wait_and_is_retried()
        {
            ScriptedSmtp smtp = AfterDot();
            var flood = new StringBuilder();
            for (int i = 0; i < 25; i++)
            {
                flood.Append("noise line ").Append(i).Append("\r\n");
            }

            Feed(smtp, flood.ToString());
            Assert.True(smtp.Session.IsDone);
            Assert.Equal(UserErrorCode.SmtpConnectionLost, smtp.Session.Result.ErrorCode);
            Assert.StartsWith("no readable reply to the final dot;", smtp.Session.Result.Detail);
        }

        [Fact]
        public void A_reply_whose_lines_disagree_is_no_reply_at_all()
        {
            ScriptedSmtp smtp = AfterDot();
            Feed(smtp, "250-2.0.0 Ok\r\n550 5.7.1 no\r\n");
            Assert.False(smtp.Session.IsDone);
            Feed(smtp, "250 2.0.0 queued\r\n");
            Assert.True(smtp.Session.Result.Success);
        }

        [Fact]
        public void A_cut_after_the_final_dot_says_the_message_may_arrive_twice_but_a_cut_before_it_does_not()
        {
            ScriptedSmtp smtp = AfterDot();
            smtp.Session.CheckTimeout(smtp.Now + SmtpSessionOptions.DefaultFinalTimeoutMs);
            Assert.Equal("no reply in time; the server may have taken the message, so a retry may deliver it twice", smtp.Session.Result.Detail);

            var early = new ScriptedSmtp(ScriptedSmtp.Options());
            early.Hello();
            early.Session.OnConnectionEnded(NetError.None, string.Empty);
            Assert.Equal("connection closed by the server", early.Session.Result.Detail);
        }

        [Fact]
        public void Garbage_before_the_final_dot_is_still_a_protocol_error()
        {
            var smtp = new ScriptedSmtp(ScriptedSmtp.Options());
            smtp.Hello();
            smtp.Reply("250 2.1.0 Ok");
            smtp.Sent();
            smtp.Reply("250 " + new string('x', 600));
            Assert.True(smtp.Session.IsDone);
            Assert.Equal(UserErrorCode.SmtpProtocolError, smtp.Session.Result.ErrorCode);
        }

        [Fact]
        public void The_journal_says_why_a_broken_250_counted()
        {
            ScriptedSmtp smtp = AfterDot();
            Feed(smtp, "250 2.0.0 Ok: queued as 4F2 " + new string('x', 600) + "\r\n");
            smtp.Sent();
            string line = JournalLine.Format(new DateTime(2026, 11, 29, 13, 5, 9, DateTimeKind.Utc), new MailJob(3, JobKind.Email, new[] { "alice@lab.test" }, "s", "d.pdf"), smtp.Session.Result);
            Assert.StartsWith("2026-11-29 13:05:09Z job 3 email to=alice@lab.test OK (reply to the final dot read by its code: reply line longer than 512 octets) [250 2.0.0 Ok: queued as 4F2 xxx", line);
            Assert.EndsWith("...]", line);
        }
    }
}
