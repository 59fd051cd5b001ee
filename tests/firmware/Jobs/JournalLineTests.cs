using System;
using System.Text;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Smtp;
using NetBoard.Firmware.Tests.Smtp;

namespace NetBoard.Firmware.Tests.Jobs
{
    public class JournalLineTests
    {
        private static readonly DateTime When = new DateTime(2026, 11, 29, 13, 5, 9, DateTimeKind.Utc);

        private static MailJob Job(params string[] to) => new MailJob(7, JobKind.Email, to.Length == 0 ? new[] { "a@x.test" } : to, "s", "scan.pdf");

        /// <summary>A result as a session leaves it (empty strings, not nulls).</summary>
        private static SmtpResult Result(int error, string stage = "", int replyCode = 0, string replyText = "", string detail = "", params SmtpRecipientResult[] recipients)
        {
            return new SmtpResult
            {
                ErrorCode = error,
                Stage = stage,
                ReplyCode = replyCode,
                ReplyText = replyText,
                Detail = detail,
                Recipients = recipients,
            };
        }

        [Fact]
        public void Timestamp_is_zero_padded_utc()
        {
            Assert.Equal("2026-01-02 03:04:05Z", JournalLine.Timestamp(new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc)));
            Assert.Equal("2026-11-29 13:05:09Z", JournalLine.Timestamp(When));
        }

        [Fact]
        public void Success_with_auth_from_a_real_session()
        {
            var smtp = new ScriptedSmtp(ScriptedSmtp.Options(SmtpAuthMode.Plain, "scan", "s3cret!", "a@x.test"));
            Assert.StartsWith("AUTH PLAIN ", smtp.Hello("AUTH PLAIN LOGIN"));
            smtp.Reply("235 2.7.0 Authentication successful");
            Assert.StartsWith("MAIL FROM:", smtp.Sent());
            smtp.AcceptTransaction();

            string line = JournalLine.Format(When, Job(), smtp.Session.Result);
            Assert.Equal("2026-11-29 13:05:09Z job 7 email to=a@x.test OK auth=PLAIN [250 2.0.0 Ok: queued as 4F2]", line);
            Assert.DoesNotContain("s3cret!", line);
            Assert.DoesNotContain(Convert.ToBase64String(Encoding.ASCII.GetBytes("\0scan\0s3cret!")), line);
        }

        [Fact]
        public void Auth_failure_from_a_real_session_carries_839_and_the_reply()
        {
            var smtp = new ScriptedSmtp(ScriptedSmtp.Options(SmtpAuthMode.Login, "scan", "wrong", "a@x.test"));
            Assert.Equal("AUTH LOGIN\r\n", smtp.Hello("AUTH LOGIN"));
            smtp.Reply("334 VXNlcm5hbWU6");
            smtp.Sent();
            smtp.Reply("334 UGFzc3dvcmQ6");
            smtp.Sent();
            smtp.Reply("535 5.7.8 Error: authentication failed");
            Assert.Equal("QUIT\r\n", smtp.Sent());
            smtp.Reply("221 bye");

            string line = JournalLine.Format(When, Job(), smtp.Session.Result);
            Assert.Equal("2026-11-29 13:05:09Z job 7 email to=a@x.test NG #839 SMTP authentication failed at AUTH [535 5.7.8 Error: authentication failed]", line);
        }

        [Fact]
        public void Unauthenticated_success_shows_why()
        {
            SmtpResult result = Result(UserErrorCode.None, "final dot", 250, "ok");
            result.AuthNote = "server offers no AUTH";
            Assert.Equal(
                "2026-11-29 13:05:09Z job 7 email to=a@x.test OK unauthenticated (server offers no AUTH) [250 ok]",
                JournalLine.Format(When, Job(), result));
        }

        [Fact]
        public void A_note_beside_the_mechanism_says_why_it_was_chosen()
        {
            SmtpResult result = Result(UserErrorCode.None, "final dot", 250, "ok");
            result.AuthMechanism = "PLAIN";
            result.AuthNote = "CRAM-MD5 refused with 535";
            Assert.Equal("2026-11-29 13:05:09Z job 7 email to=a@x.test OK auth=PLAIN (CRAM-MD5 refused with 535) [250 ok]", JournalLine.Format(When, Job(), result));
        }

        [Fact]
        public void Rejected_recipients_are_listed_with_their_codes_and_unasked_ones_are_not()
        {
            SmtpResult result = Result(
                UserErrorCode.None,
                "final dot",
                250,
                "queued",
                string.Empty,
                new SmtpRecipientResult("a@x.test", 250, "ok"),
                new SmtpRecipientResult("b@x.test", 550, "no such user"),
                new SmtpRecipientResult("c@x.test", 251, "forwarded"),
                new SmtpRecipientResult("e@x.test", 0, string.Empty));
            string line = JournalLine.Format(When, Job("a@x.test", "b@x.test", "c@x.test", "e@x.test"), result);
            Assert.Equal("2026-11-29 13:05:09Z job 7 email to=a@x.test,b@x.test,c@x.test,e@x.test OK rejected=b@x.test(550) [250 queued]", line);
        }

        [Fact]
        public void A_message_taken_with_a_deferred_recipient_is_partly_sent_and_names_who_has_it_and_who_waits()
        {
            SmtpResult result = Result(
                UserErrorCode.None,
                "final dot",
                250,
                "queued",
                string.Empty,
                new SmtpRecipientResult("a@x.test", 250, "ok"),
                new SmtpRecipientResult("b@x.test", 550, "no such user"),
                new SmtpRecipientResult("c@x.test", 251, "forwarded"),
                new SmtpRecipientResult("d@x.test", 450, "greylisted"));
            Assert.True(result.PartlySent);
            string line = JournalLine.Format(When, Job("a@x.test", "b@x.test", "c@x.test", "d@x.test"), result);
            Assert.Equal(
                "2026-11-29 13:05:09Z job 7 email to=a@x.test,b@x.test,c@x.test,d@x.test PARTLY SENT #805 SMTP server busy, will retry sent=a@x.test,c@x.test rejected=b@x.test(550) deferred=d@x.test(450) [250 queued]",
                line);
        }

        [Fact]
        public void A_retry_for_the_recipients_left_names_whom_it_sent_to()
        {
            SmtpResult result = Result(UserErrorCode.None, "final dot", 250, "queued", string.Empty, new SmtpRecipientResult("d@x.test", 250, "ok"));
            Assert.False(result.PartlySent);
            Assert.Equal(
                "2026-11-29 13:05:09Z job 7 email to=a@x.test,d@x.test OK sent=d@x.test [250 queued]",
                JournalLine.Format(When, Job("a@x.test", "d@x.test"), result));
        }

        [Fact]
        public void A_failed_session_is_never_partly_sent_and_calls_4xx_recipients_deferred()
        {
            SmtpResult result = Result(UserErrorCode.SmtpTemporaryFailure, "RCPT", 421, "4.3.2 shutting down", "the server is closing the connection", new SmtpRecipientResult("a@x.test", 250, "ok"), new SmtpRecipientResult("d@x.test", 421, "4.3.2 shutting down"));
            Assert.False(result.PartlySent);
            Assert.Equal(
                "2026-11-29 13:05:09Z job 7 email to=a@x.test,d@x.test NG #805 SMTP server busy, will retry deferred=d@x.test(421) at RCPT [421 4.3.2 shutting down]",
                JournalLine.Format(When, Job("a@x.test", "d@x.test"), result));
        }

        [Fact]
        public void A_note_on_how_the_final_reply_was_read_comes_before_the_reply()
        {
            SmtpResult result = Result(UserErrorCode.None, "final dot", 250, "xxxx...");
            result.ReplyNote = "reply to the final dot read by its code: reply line longer than 512 octets";
            Assert.Equal(
                "2026-11-29 13:05:09Z job 7 email to=a@x.test OK (reply to the final dot read by its code: reply line longer than 512 octets) [250 xxxx...]",
                JournalLine.Format(When, Job(), result));
        }

        [Fact]
        public void Failure_with_a_reply_shows_code_stage_and_reply()
        {
            SmtpResult result = Result(UserErrorCode.SmtpRecipientsRejected, "RCPT", 550, "5.1.1 unknown", "all recipients rejected", new SmtpRecipientResult("a@x.test", 550, "5.1.1 unknown"));
            Assert.Equal(
                "2026-11-29 13:05:09Z job 7 email to=a@x.test NG #807 all recipients rejected rejected=a@x.test(550) at RCPT [550 5.1.1 unknown]",
                JournalLine.Format(When, Job(), result));
        }

        [Fact]
        public void Failure_without_a_reply_shows_the_detail()
        {
            SmtpResult result = Result(UserErrorCode.SmtpConnectFailed, "connect", 0, string.Empty, "Connection refused");
            Assert.Equal(
                "2026-11-29 13:05:09Z job 7 email to=a@x.test NG #802 cannot connect to SMTP server at connect [Connection refused]",
                JournalLine.Format(When, Job(), result));
        }

        [Fact]
        public void Failure_without_stage_or_detail_has_no_empty_parts()
        {
            SmtpResult result = Result(UserErrorCode.SmtpProtocolError);
            Assert.Equal("2026-11-29 13:05:09Z job 7 email to=a@x.test NG #804 SMTP protocol error", JournalLine.Format(When, Job(), result));
        }

        [Fact]
        public void Success_does_not_show_stage_or_detail()
        {
            SmtpResult result = Result(UserErrorCode.None, "final dot", 0, string.Empty, "something");
            Assert.Equal("2026-11-29 13:05:09Z job 7 email to=a@x.test OK", JournalLine.Format(When, Job(), result));
        }

        [Fact]
        public void Ifax_jobs_and_missing_recipients_are_named()
        {
            var job = new MailJob(12, JobKind.Ifax, null, null, "fax.tif");
            Assert.Equal("2026-11-29 13:05:09Z job 12 ifax to=- OK", JournalLine.Format(When, job, Result(UserErrorCode.None)));
            var empty = new MailJob(13, JobKind.Ifax, new string[0], null, "fax.tif");
            Assert.Contains(" to=- ", JournalLine.Format(When, empty, Result(UserErrorCode.None)) + " ");
        }

        [Fact]
        public void Refused_job_line_has_code_description_and_detail()
        {
            Assert.Equal(
                "2026-11-29 13:05:09Z job 7 email to=a@x.test,b@x.test NG #821 e-mail settings incomplete [smtp.host is not set]",
                JournalLine.FormatRefused(When, Job("a@x.test", "b@x.test"), UserErrorCode.SettingsIncomplete, "smtp.host is not set"));
        }
    }
}
