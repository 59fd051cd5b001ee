using System;
using System.Text;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Smtp;

namespace NetBoard.Firmware.Tests.Smtp
{
    /// <summary>SMTP PIPELINING (RFC 2920) against scripted servers that announce it.</summary>
    public class SmtpPipeliningTests
    {
        private const string Group3 = "MAIL FROM:<mfp@lab.test>\r\nRCPT TO:<alice@lab.test>\r\nRCPT TO:<bob@lab.test>\r\nRCPT TO:<carol@lab.test>\r\nDATA\r\n";

        private static ScriptedSmtp Pipelined(params string[] to)
        {
            SmtpSessionOptions options = ScriptedSmtp.Options(SmtpAuthMode.Off, to: to.Length == 0 ? new[] { "alice@lab.test", "bob@lab.test", "carol@lab.test" } : to);
            options.Pipelining = true;
            return new ScriptedSmtp(options);
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void Mail_every_rcpt_and_data_leave_in_one_write_and_replies_match_in_order(bool byteByByte)
        {
            var smtp = Pipelined();
            smtp.Reply("220 mail.lab.test ESMTP");
            Assert.Equal("EHLO [192.0.2.7]\r\n", smtp.Sent());
            smtp.Reply("250-mail.lab.test", "250-PIPELINING", "250 8BITMIME");

            // One output buffer holds the whole group: one write on the socket.
            Assert.Equal(Group3.Length, smtp.Session.OutputCount);
            Assert.Equal(Group3, smtp.Sent());

            smtp.Feed("250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n250 2.1.5 Ok\r\n250 2.1.5 Ok\r\n354 End data\r\n", byteByByte);

            // QUIT ends the group the message starts (RFC 2920 3.1).
            Assert.Equal("Subject: test\r\n\r\nhello\r\n.\r\nQUIT\r\n", smtp.Sent());
            smtp.Feed("250 2.0.0 Ok: queued as 4F2\r\n", byteByByte);
            Assert.Equal(string.Empty, smtp.Sent());
            Assert.False(smtp.Session.IsDone);
            Assert.True(smtp.Session.Result.Success);
            smtp.Feed("221 2.0.0 Bye\r\n", byteByByte);

            SmtpResult result = smtp.Session.Result;
            Assert.True(smtp.Session.IsDone);
            Assert.True(result.Success);
            Assert.Equal(250, result.ReplyCode);
            Assert.All(result.Recipients, r => Assert.True(r.Accepted));
        }

        [Fact]
        public void Without_pipelining_announced_the_dialogue_goes_one_by_one()
        {
            var smtp = Pipelined();
            Assert.Equal("MAIL FROM:<mfp@lab.test>\r\n", smtp.Hello("8BITMIME"));
            smtp.AcceptTransaction();
            Assert.True(smtp.Session.Result.Success);
        }

        [Fact]
        public void Pipelining_switched_off_keeps_the_one_by_one_dialogue()
        {
            SmtpSessionOptions options = ScriptedSmtp.Options(SmtpAuthMode.Off);
            Assert.False(options.Pipelining);
            var smtp = new ScriptedSmtp(options);
            Assert.Equal("MAIL FROM:<mfp@lab.test>\r\n", smtp.Hello("PIPELINING"));
        }

        [Theory]
        [InlineData("550 5.1.1 <bob@lab.test>: Recipient address rejected", false)]
        [InlineData("450 4.2.0 <bob@lab.test>: Recipient address rejected: greylisted", true)]
        public void A_refused_recipient_in_the_middle_is_recorded_and_the_others_get_the_message(string refusal, bool deferred)
        {
            var smtp = Pipelined();
            Assert.Equal(Group3, smtp.Hello("PIPELINING"));
            smtp.Feed("250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n" + refusal + "\r\n250 2.1.5 Ok\r\n354 End data\r\n", false);
            Assert.EndsWith("hello\r\n.\r\nQUIT\r\n", smtp.Sent());
            smtp.Reply("250 2.0.0 Ok", "221 Bye");
            Assert.True(smtp.Session.IsDone);

            SmtpResult result = smtp.Session.Result;
            Assert.True(result.Success);
            Assert.True(result.Recipients[0].Accepted);
            Assert.Equal(int.Parse(refusal.Substring(0, 3)), result.Recipients[1].ReplyCode);
            Assert.Equal(deferred, result.Recipients[1].Deferred);
            Assert.Equal(!deferred, result.Recipients[1].Rejected);
            Assert.True(result.Recipients[2].Accepted);
            Assert.Equal(deferred, result.PartlySent);
        }

        [Theory]
        [InlineData("554 5.5.1 Error: no valid recipients")]
        [InlineData("503 5.5.1 Error: need RCPT command")]
        public void All_recipients_refused_and_data_refused_sends_no_body(string dataReply)
        {
            var smtp = Pipelined();
            Assert.Equal(Group3, smtp.Hello("PIPELINING"));
            smtp.Feed("250 2.1.0 Ok\r\n550 5.1.1 no\r\n550 5.1.1 no\r\n550 5.1.1 no\r\n" + dataReply + "\r\n", false);
            Assert.Equal("QUIT\r\n", smtp.Sent());
            smtp.Reply("221 Bye");

            SmtpResult result = smtp.Session.Result;
            Assert.False(result.Success);
            Assert.Equal(UserErrorCode.SmtpRecipientsRejected, result.ErrorCode);
            Assert.Equal(550, result.ReplyCode);
            Assert.All(result.Recipients, r => Assert.True(r.Rejected));
        }

        [Fact]
        public void All_recipients_deferred_is_a_temporary_failure_as_without_pipelining()
        {
            var smtp = Pipelined("alice@lab.test");
            smtp.Hello("PIPELINING");
            smtp.Feed("250 Ok\r\n451 4.3.0 try later\r\n554 no valid recipients\r\n", true);
            Assert.Equal("QUIT\r\n", smtp.Sent());
            Assert.Equal(UserErrorCode.SmtpTemporaryFailure, smtp.Session.Result.ErrorCode);
            Assert.True(smtp.Session.Result.Recipients[0].Deferred);
        }

        [Fact]
        public void A_354_after_every_recipient_failed_gets_a_lone_dot_and_no_message_data()
        {
            var smtp = Pipelined();
            smtp.Hello("PIPELINING");
            smtp.Feed("250 2.1.0 Ok\r\n550 no\r\n550 no\r\n550 no\r\n354 go ahead\r\n", false);

            // RFC 2920 3.1: a single dot, nothing of the message.
            Assert.Equal(".\r\n", smtp.Sent());
            smtp.Reply("554 5.5.1 no valid recipients");
            Assert.Equal("QUIT\r\n", smtp.Sent());
            smtp.Reply("221 Bye");

            SmtpResult result = smtp.Session.Result;
            Assert.True(smtp.Session.IsDone);
            Assert.Equal(UserErrorCode.SmtpRecipientsRejected, result.ErrorCode);
            Assert.Equal(550, result.ReplyCode);
            Assert.DoesNotContain(smtp.Log.Lines, l => l.Contains("Subject"));
        }

        [Fact]
        public void A_refused_sender_drains_the_groups_replies_before_quit()
        {
            var smtp = Pipelined();
            smtp.Hello("PIPELINING");
            smtp.Feed("553 5.7.1 <mfp@lab.test>: Sender address rejected\r\n503 5.5.1 need MAIL\r\n503 5.5.1 need MAIL\r\n", false);
            Assert.Equal(string.Empty, smtp.Sent());
            smtp.Feed("503 5.5.1 need MAIL\r\n554 5.5.1 no valid recipients\r\n", true);
            Assert.Equal("QUIT\r\n", smtp.Sent());
            smtp.Reply("221 Bye");

            SmtpResult result = smtp.Session.Result;
            Assert.True(smtp.Session.IsDone);
            Assert.Equal(UserErrorCode.SmtpSenderRejected, result.ErrorCode);
            Assert.Equal(553, result.ReplyCode);
            Assert.Contains("Sender address rejected", result.ReplyText);
        }

        [Fact]
        public void A_refused_sender_and_a_354_to_data_get_a_lone_dot()
        {
            var smtp = Pipelined("alice@lab.test");
            smtp.Hello("PIPELINING");
            smtp.Feed("550 no sender\r\n503 need MAIL\r\n354 go ahead\r\n", false);
            Assert.Equal(".\r\n", smtp.Sent());
            smtp.Reply("503 no transaction");
            Assert.Equal("QUIT\r\n", smtp.Sent());
            Assert.Equal(UserErrorCode.SmtpSenderRejected, smtp.Session.Result.ErrorCode);
            Assert.Equal(550, smtp.Session.Result.ReplyCode);
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void An_extra_reply_after_the_354_is_a_protocol_error_and_no_body_leaves(bool extraInSameRead)
        {
            var smtp = Pipelined("alice@lab.test");
            smtp.Hello("PIPELINING");
            if (extraInSameRead)
            {
                smtp.Feed("250 Ok\r\n250 Ok\r\n354 go\r\n250 Ok\r\n", false);
            }
            else
            {
                // One reply too many inside the group: the third answer (to DATA) is a 250, not 354.
                smtp.Feed("250 Ok\r\n250 Ok\r\n250 Ok\r\n354 go\r\n", false);
            }

            Assert.Equal(string.Empty, smtp.Sent());
            Assert.True(smtp.Session.IsDone);
            Assert.Equal(UserErrorCode.SmtpProtocolError, smtp.Session.Result.ErrorCode);
            Assert.DoesNotContain(smtp.Log.Lines, l => l.StartsWith("C: Subject"));
        }

        [Fact]
        public void A_reply_before_its_pipelined_command_was_sent_is_a_protocol_error()
        {
            var smtp = Pipelined();
            smtp.Reply("220 mail.lab.test ESMTP");
            smtp.Sent();
            smtp.Reply("250-mail.lab.test", "250 PIPELINING");

            // Only MAIL and the first RCPT have left when the server answers a second RCPT.
            int firstTwo = "MAIL FROM:<mfp@lab.test>\r\nRCPT TO:<alice@lab.test>\r\n".Length;
            smtp.Session.OnSent(firstTwo, smtp.Now);
            smtp.Feed("250 Ok\r\n250 Ok\r\n", false);
            Assert.False(smtp.Session.IsDone);
            smtp.Reply("250 Ok");

            Assert.True(smtp.Session.IsDone);
            Assert.Equal(0, smtp.Session.OutputCount);
            Assert.Equal(UserErrorCode.SmtpProtocolError, smtp.Session.Result.ErrorCode);
            Assert.Contains("out of turn", smtp.Session.Result.Detail);
        }

        [Theory]
        [InlineData("554 5.7.1 message refused", UserErrorCode.SmtpMessageRejected)]
        [InlineData("452 4.3.1 insufficient system storage", UserErrorCode.SmtpTemporaryFailure)]
        public void A_refused_final_dot_decides_the_job_and_the_pipelined_quit_is_not_sent_again(string reply, int error)
        {
            var smtp = Pipelined("alice@lab.test");
            smtp.Hello("PIPELINING");
            smtp.Feed("250 Ok\r\n250 Ok\r\n354 go\r\n", false);
            Assert.EndsWith(".\r\nQUIT\r\n", smtp.Sent());
            smtp.Reply(reply);
            Assert.Equal(string.Empty, smtp.Sent());
            smtp.Reply("221 Bye");

            SmtpResult result = smtp.Session.Result;
            Assert.True(smtp.Session.IsDone);
            Assert.Equal(error, result.ErrorCode);
            Assert.Equal(int.Parse(reply.Substring(0, 3)), result.ReplyCode);
            Assert.Single(smtp.Log.Lines, l => l == "C: QUIT");
        }

        [Fact]
        public void Losing_the_reply_to_the_pipelined_quit_changes_nothing_but_losing_the_dots_reply_does()
        {
            var taken = Pipelined("alice@lab.test");
            taken.Hello("PIPELINING");
            taken.Feed("250 Ok\r\n250 Ok\r\n354 go\r\n", false);
            taken.Sent();
            taken.Reply("250 2.0.0 queued");
            taken.Session.OnConnectionEnded(NetBoard.Hal.NetError.Reset, "reset");
            Assert.True(taken.Session.Result.Success);

            var unknown = Pipelined("alice@lab.test");
            unknown.Hello("PIPELINING");
            unknown.Feed("250 Ok\r\n250 Ok\r\n354 go\r\n", false);
            unknown.Sent();
            unknown.Session.OnConnectionEnded(NetBoard.Hal.NetError.Reset, "reset");
            Assert.False(unknown.Session.Result.Success);
            Assert.Contains("may deliver it twice", unknown.Session.Result.Detail);
        }

        [Fact]
        public void A_group_too_large_for_the_output_buffer_falls_back_to_one_by_one()
        {
            string[] to = new string[40];
            for (int i = 0; i < to.Length; i++)
            {
                to[i] = new string('r', 90) + i.ToString() + "@lab.test";
            }

            var smtp = Pipelined(to);
            Assert.Equal("MAIL FROM:<mfp@lab.test>\r\n", smtp.Hello("PIPELINING"));
            smtp.AcceptTransaction();
            Assert.True(smtp.Session.Result.Success);
        }
    }
}
