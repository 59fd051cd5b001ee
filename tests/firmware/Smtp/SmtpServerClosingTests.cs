using System;
using System.Collections.Generic;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Smtp;

namespace NetBoard.Firmware.Tests.Smtp
{
    /// <summary>
    /// RFC 5321 3.8: 421 means the server is closing the channel, whatever command it answers. The session ends
    /// at once, sends nothing more (no QUIT, no DATA after a 421 to one RCPT), and the job is retried (#805).
    /// </summary>
    public class SmtpServerClosingTests
    {
        private const string Closing = "421 4.3.2 Service shutting down, closing transmission channel";

        /// <summary>Drives a session to the step named, returning it ready for the reply to that step.</summary>
        private static ScriptedSmtp To(string step)
        {
            SmtpSessionOptions options = ScriptedSmtp.Options(SmtpAuthMode.Auto, to: new[] { "a@lab.test", "b@lab.test" });
            if (step == "STARTTLS" || step == "EHLO after TLS")
            {
                options.Security = SmtpSecurity.StartTls;
            }

            var smtp = new ScriptedSmtp(options, new LinesMessage(new string('a', 900), new string('b', 900), new string('c', 900), new string('d', 900), new string('e', 900)));
            if (step == "greeting")
            {
                return smtp;
            }

            smtp.Reply("220 mail.lab.test ESMTP");
            Assert.StartsWith("EHLO ", smtp.Sent());
            if (step == "EHLO")
            {
                return smtp;
            }

            if (step == "HELO")
            {
                smtp.Reply("502 5.5.2 Error: command not recognized");
                Assert.StartsWith("HELO ", smtp.Sent());
                return smtp;
            }

            if (options.Security == SmtpSecurity.StartTls)
            {
                smtp.Reply("250-mail.lab.test", "250 STARTTLS");
                Assert.Equal("STARTTLS\r\n", smtp.Sent());
                if (step == "STARTTLS")
                {
                    return smtp;
                }

                smtp.Reply("220 2.0.0 go ahead");
                smtp.Session.OnTlsStarted(smtp.Now);
                Assert.StartsWith("EHLO ", smtp.Sent());
                return smtp;
            }

            smtp.Reply("250-mail.lab.test", "250 AUTH PLAIN");
            Assert.StartsWith("AUTH PLAIN ", smtp.Sent());
            if (step == "AUTH")
            {
                return smtp;
            }

            smtp.Reply("235 2.7.0 ok");
            Assert.StartsWith("MAIL FROM:", smtp.Sent());
            if (step == "MAIL")
            {
                return smtp;
            }

            smtp.Reply("250 2.1.0 Ok");
            Assert.Equal("RCPT TO:<a@lab.test>\r\n", smtp.Sent());
            if (step == "first RCPT")
            {
                return smtp;
            }

            smtp.Reply("250 2.1.5 Ok");
            Assert.Equal("RCPT TO:<b@lab.test>\r\n", smtp.Sent());
            if (step == "second RCPT")
            {
                return smtp;
            }

            smtp.Reply("250 2.1.5 Ok");
            Assert.Equal("DATA\r\n", smtp.Sent());
            if (step == "DATA")
            {
                return smtp;
            }

            smtp.Reply("354 go ahead");
            if (step == "body")
            {
                // The server speaks up before the end of the data; the first block still waits to be sent.
                Assert.Equal(SmtpState.Body, smtp.Session.State);
                return smtp;
            }

            Assert.EndsWith("\r\n.\r\n", smtp.Sent());
            Assert.Equal("final dot", step);
            return smtp;
        }

        public static TheoryData<string, string> Steps()
        {
            var data = new TheoryData<string, string>();
            foreach (string step in new[] { "greeting", "EHLO", "HELO", "STARTTLS", "EHLO after TLS", "AUTH", "MAIL", "first RCPT", "second RCPT", "DATA", "body", "final dot" })
            {
                data.Add(step, Closing);
                data.Add(step, "421-4.3.2 Service shutting down\r\n421 4.3.2 closing transmission channel");
            }

            return data;
        }

        [Theory]
        [MemberData(nameof(Steps))]
        public void A_421_at_any_step_ends_the_session_at_once_without_quit_and_the_job_is_retried(string step, string reply)
        {
            ScriptedSmtp smtp = To(step);
            smtp.Reply(reply.Split("\r\n"));
            Assert.True(smtp.Session.IsDone, step);
            Assert.Equal(0, smtp.Session.OutputCount);
            SmtpResult result = smtp.Session.Result;
            Assert.Equal(UserErrorCode.SmtpTemporaryFailure, result.ErrorCode);
            Assert.True(result.Transient);
            Assert.False(result.Success);
            Assert.False(result.PartlySent);
            Assert.Equal(421, result.ReplyCode);
            Assert.Equal("the server is closing the connection", result.Detail);
            Assert.DoesNotContain(smtp.Log.Lines, l => l == "C: QUIT");
        }

        [Fact]
        public void A_421_to_one_rcpt_after_an_accepted_one_sends_no_data_and_delivers_nothing()
        {
            ScriptedSmtp smtp = To("second RCPT");
            smtp.Reply(Closing);
            SmtpResult result = smtp.Session.Result;
            Assert.True(result.Recipients[0].Accepted);
            Assert.False(result.Recipients[1].Accepted);
            Assert.DoesNotContain(smtp.Log.Lines, l => l == "C: DATA");
            Assert.Equal("RCPT", result.Stage);
        }

        [Fact]
        public void A_421_to_quit_keeps_the_accepted_message()
        {
            ScriptedSmtp smtp = To("final dot");
            smtp.Reply("250 2.0.0 Ok: queued as 4F2");
            Assert.Equal("QUIT\r\n", smtp.Sent());
            smtp.Reply(Closing);
            Assert.True(smtp.Session.IsDone);
            Assert.True(smtp.Session.Result.Success);
            Assert.Equal(250, smtp.Session.Result.ReplyCode);
        }

        [Fact]
        public void Other_4xx_replies_still_say_quit()
        {
            foreach (string step in new[] { "greeting", "MAIL", "DATA", "final dot" })
            {
                ScriptedSmtp smtp = To(step);
                smtp.Reply("451 4.3.0 try again later");
                Assert.Equal("QUIT\r\n", smtp.Sent());
                Assert.Equal(UserErrorCode.SmtpTemporaryFailure, smtp.Session.Result.ErrorCode);
            }
        }
    }
}
