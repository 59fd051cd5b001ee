using System;
using System.Security.Cryptography;
using System.Text;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Smtp;
using NetBoard.Hal;

namespace NetBoard.Firmware.Tests.Smtp
{
    public class SmtpSessionTests
    {
        private static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

        [Fact]
        public void Plain_session_without_auth_sends_the_whole_transaction()
        {
            var smtp = new ScriptedSmtp(ScriptedSmtp.Options(SmtpAuthMode.Off, to: new[] { "alice@lab.test", "bob@lab.test" }));
            Assert.Equal("MAIL FROM:<mfp@lab.test>\r\n", smtp.Hello("PIPELINING", "8BITMIME"));
            Assert.Equal("Subject: test\r\n\r\nhello\r\n.\r\n", smtp.AcceptTransaction());
            SmtpResult result = smtp.Session.Result;
            Assert.True(result.Success);
            Assert.Equal(250, result.ReplyCode);
            Assert.Equal("2.0.0 Ok: queued as 4F2", result.ReplyText);
            Assert.Null(result.AuthMechanism);
            Assert.Null(result.AuthNote);
            Assert.All(result.Recipients, r => Assert.True(r.Accepted));
        }

        [Fact]
        public void Configured_identity_replaces_the_address_literal()
        {
            SmtpSessionOptions options = ScriptedSmtp.Options();
            options.EhloName = "mfp-3f.lab.test";
            var smtp = new ScriptedSmtp(options);
            smtp.Reply("220 hi");
            Assert.Equal("EHLO mfp-3f.lab.test\r\n", smtp.Sent());
        }

        [Fact]
        public void Ipv6_local_address_gets_the_tagged_literal()
        {
            var session = new SmtpSession(ScriptedSmtp.Options(), new LinesMessage("x"), null);
            session.Start(0);
            session.OnConnected("2001:db8::7", 0);
            byte[] greeting = Encoding.ASCII.GetBytes("220 hi\r\n");
            session.Receive(greeting, 0, greeting.Length, 0);
            Assert.Equal("EHLO [IPv6:2001:db8::7]\r\n", Encoding.ASCII.GetString(session.Output, session.OutputOffset, session.OutputCount));
        }

        [Fact]
        public void Refused_ehlo_falls_back_to_helo_with_no_extensions()
        {
            var smtp = new ScriptedSmtp(ScriptedSmtp.Options(SmtpAuthMode.Auto));
            smtp.Reply("220 old server");
            Assert.StartsWith("EHLO ", smtp.Sent());
            smtp.Reply("502 5.5.2 Error: command not recognized");
            Assert.Equal("HELO [192.0.2.7]\r\n", smtp.Sent());
            smtp.Reply("250 old.lab.test");
            Assert.Equal("MAIL FROM:<mfp@lab.test>\r\n", smtp.Sent());
            smtp.AcceptTransaction();
            Assert.True(smtp.Session.Result.Success);
            Assert.Equal("server offers no AUTH", smtp.Session.Result.AuthNote);
        }

        [Fact]
        public void Auto_picks_cram_md5_and_answers_the_challenge_with_hmac_md5()
        {
            var smtp = new ScriptedSmtp(ScriptedSmtp.Options(SmtpAuthMode.Auto, "tim", "tanstaaftanstaaf"));
            Assert.Equal("AUTH CRAM-MD5\r\n", smtp.Hello("AUTH LOGIN PLAIN CRAM-MD5", "SIZE 10240000"));
            string challenge = "<1896.697170952@postoffice.reston.mci.net>";
            smtp.Reply("334 " + B64(challenge));
            string answer = smtp.Sent().TrimEnd();
            using var hmac = new HMACMD5(Encoding.ASCII.GetBytes("tanstaaftanstaaf"));
            string digest = Convert.ToHexString(hmac.ComputeHash(Encoding.ASCII.GetBytes(challenge))).ToLowerInvariant();
            Assert.Equal("tim " + digest, Encoding.ASCII.GetString(Convert.FromBase64String(answer)));
            Assert.Equal("tim b913a602c7eda7a495b4e6e7334d3890", Encoding.ASCII.GetString(Convert.FromBase64String(answer)));
            smtp.Reply("235 2.7.0 Authentication successful");
            Assert.StartsWith("MAIL FROM:<mfp@lab.test> SIZE=", smtp.Sent());
            smtp.AcceptTransaction();
            Assert.Equal("CRAM-MD5", smtp.Session.Result.AuthMechanism);
        }

        [Fact]
        public void Auto_prefers_plain_over_login_and_sends_an_initial_response()
        {
            var smtp = new ScriptedSmtp(ScriptedSmtp.Options(SmtpAuthMode.Auto, "scan@lab.test", "pässword"));
            string auth = smtp.Hello("AUTH LOGIN PLAIN");
            Assert.Equal("AUTH PLAIN " + B64("\0scan@lab.test\0pässword") + "\r\n", auth);
            smtp.Reply("235 2.7.0 ok");
            Assert.StartsWith("MAIL FROM", smtp.Sent());
        }

        [Fact]
        public void Legacy_auth_equals_form_is_understood()
        {
            var smtp = new ScriptedSmtp(ScriptedSmtp.Options(SmtpAuthMode.Auto));
            Assert.Equal("AUTH LOGIN\r\n", smtp.Hello("AUTH=LOGIN"));
        }

        [Fact]
        public void Login_answers_by_step_whatever_the_prompts_say()
        {
            var smtp = new ScriptedSmtp(ScriptedSmtp.Options(SmtpAuthMode.Login, "scan", "pw"));
            Assert.Equal("AUTH LOGIN\r\n", smtp.Hello("AUTH PLAIN LOGIN CRAM-MD5"));
            smtp.Reply("334 " + B64("Password:"));
            Assert.Equal(B64("scan") + "\r\n", smtp.Sent());
            smtp.Reply("334 " + B64("Username:"));
            Assert.Equal(B64("pw") + "\r\n", smtp.Sent());
            smtp.Reply("235 ok");
            Assert.StartsWith("MAIL FROM", smtp.Sent());
            smtp.AcceptTransaction();
            Assert.Equal("LOGIN", smtp.Session.Result.AuthMechanism);
        }

        [Theory]
        [InlineData(SmtpAuthMode.CramMd5, "AUTH PLAIN LOGIN", "no common AUTH mechanism")]
        [InlineData(SmtpAuthMode.Auto, "AUTH GSSAPI NTLM", "no common AUTH mechanism")]
        [InlineData(SmtpAuthMode.Auto, "SIZE 1000000", "server offers no AUTH")]
        public void No_usable_mechanism_sends_unauthenticated_without_error(SmtpAuthMode mode, string keyword, string note)
        {
            var smtp = new ScriptedSmtp(ScriptedSmtp.Options(mode));
            Assert.StartsWith("MAIL FROM:<mfp@lab.test>", smtp.Hello(keyword));
            smtp.AcceptTransaction();
            Assert.True(smtp.Session.Result.Success);
            Assert.Null(smtp.Session.Result.AuthMechanism);
            Assert.Equal(note, smtp.Session.Result.AuthNote);
        }

        [Fact]
        public void Plaintext_deny_keeps_plain_and_login_off_an_unencrypted_connection()
        {
            SmtpSessionOptions options = ScriptedSmtp.Options(SmtpAuthMode.Auto);
            options.AllowPlaintextAuth = false;
            var smtp = new ScriptedSmtp(options);
            Assert.StartsWith("MAIL FROM", smtp.Hello("AUTH PLAIN LOGIN"));
            Assert.Equal("plaintext AUTH not allowed without encryption", smtp.Session.Result.AuthNote);
        }

        [Fact]
        public void Plaintext_deny_still_allows_cram_md5()
        {
            SmtpSessionOptions options = ScriptedSmtp.Options(SmtpAuthMode.Auto);
            options.AllowPlaintextAuth = false;
            var smtp = new ScriptedSmtp(options);
            Assert.Equal("AUTH CRAM-MD5\r\n", smtp.Hello("AUTH PLAIN LOGIN CRAM-MD5"));
        }

        [Fact]
        public void Missing_user_skips_auth_with_a_note()
        {
            var smtp = new ScriptedSmtp(ScriptedSmtp.Options(SmtpAuthMode.Auto, user: ""));
            Assert.StartsWith("MAIL FROM", smtp.Hello("AUTH PLAIN"));
            Assert.Equal("no SMTP user name set", smtp.Session.Result.AuthNote);
        }

        [Theory]
        [InlineData("535 5.7.8 Error: authentication failed", UserErrorCode.SmtpAuthFailed, false)]
        [InlineData("534 5.7.9 Authentication mechanism is too weak", UserErrorCode.SmtpAuthTooWeak, false)]
        [InlineData("538 5.7.11 Encryption required", UserErrorCode.SmtpAuthNeedsEncryption, false)]
        [InlineData("454 4.7.0 Temporary authentication failure", UserErrorCode.SmtpAuthTemporaryFailure, true)]
        [InlineData("504 5.5.4 Unrecognized authentication type", UserErrorCode.SmtpAuthExchangeFailed, false)]
        [InlineData("530 5.7.0 Must issue a STARTTLS command first", UserErrorCode.SmtpAuthRequired, false)]
        public void Auth_refusals_map_to_their_codes_and_quit(string reply, int code, bool transient)
        {
            var smtp = new ScriptedSmtp(ScriptedSmtp.Options(SmtpAuthMode.Plain));
            Assert.StartsWith("AUTH PLAIN ", smtp.Hello("AUTH PLAIN"));
            smtp.Reply(reply);
            Assert.Equal("QUIT\r\n", smtp.Sent());
            smtp.Reply("221 bye");
            SmtpResult result = smtp.Session.Result;
            Assert.True(smtp.Session.IsDone);
            Assert.Equal(code, result.ErrorCode);
            Assert.Equal(transient, result.Transient);
            Assert.Equal("AUTH", result.Stage);
            Assert.Equal(int.Parse(reply.Substring(0, 3)), result.ReplyCode);
        }

        [Fact]
        public void On_verified_tls_auto_falls_back_once_from_a_refused_cram_md5_to_plain()
        {
            SmtpSessionOptions options = ScriptedSmtp.Options(SmtpAuthMode.Auto, "hashed", "pw");
            options.Security = SmtpSecurity.Implicit;
            options.CertificateVerified = true;
            var smtp = new ScriptedSmtp(options);
            Assert.Equal("AUTH CRAM-MD5\r\n", smtp.Hello("AUTH PLAIN LOGIN CRAM-MD5"));
            smtp.Reply("334 " + B64("<1.2@lab.test>"));
            smtp.Sent();
            smtp.Reply("535 5.7.8 Error: authentication failed");
            Assert.Equal("AUTH PLAIN " + B64("\0hashed\0pw") + "\r\n", smtp.Sent());
            smtp.Reply("235 2.7.0 ok");
            Assert.StartsWith("MAIL FROM", smtp.Sent());
            smtp.AcceptTransaction();
            Assert.Equal("PLAIN", smtp.Session.Result.AuthMechanism);
            Assert.Equal("CRAM-MD5 refused with 535", smtp.Session.Result.AuthNote);
        }

        [Fact]
        public void On_verified_tls_a_wrong_password_costs_two_attempts_at_most_then_839()
        {
            SmtpSessionOptions options = ScriptedSmtp.Options(SmtpAuthMode.Auto, "scan", "wrong");
            options.Security = SmtpSecurity.Implicit;
            options.CertificateVerified = true;
            var smtp = new ScriptedSmtp(options);
            smtp.Hello("AUTH LOGIN PLAIN CRAM-MD5");
            smtp.Reply("334 " + B64("<1.2@lab.test>"));
            smtp.Sent();
            smtp.Reply("535 5.7.8 no");
            Assert.StartsWith("AUTH PLAIN ", smtp.Sent());
            smtp.Reply("535 5.7.8 no");
            Assert.Equal("QUIT\r\n", smtp.Sent());
            Assert.Equal(UserErrorCode.SmtpAuthFailed, smtp.Session.Result.ErrorCode);
        }

        [Fact]
        public void On_a_clear_link_a_refused_cram_md5_ends_the_job_with_839_and_says_why()
        {
            var smtp = new ScriptedSmtp(ScriptedSmtp.Options(SmtpAuthMode.Auto, "hashed", "pw"));
            Assert.Equal("AUTH CRAM-MD5\r\n", smtp.Hello("AUTH PLAIN LOGIN CRAM-MD5"));
            smtp.Reply("334 " + B64("<1.2@lab.test>"));
            smtp.Sent();
            smtp.Reply("535 5.7.8 Error: authentication failed");
            Assert.Equal("QUIT\r\n", smtp.Sent());
            smtp.Reply("221 bye");
            SmtpResult result = smtp.Session.Result;
            Assert.Equal(UserErrorCode.SmtpAuthFailed, result.ErrorCode);
            Assert.False(result.Transient);
            Assert.Null(result.AuthMechanism);
            Assert.Equal("CRAM-MD5 refused; PLAIN not tried without verified TLS", result.AuthNote);
        }

        [Theory]
        [InlineData(SmtpAuthMode.CramMd5, true)]
        [InlineData(SmtpAuthMode.Auto, false)]
        public void No_fallback_when_named_or_without_a_verified_certificate_even_on_tls(SmtpAuthMode mode, bool verified)
        {
            SmtpSessionOptions options = ScriptedSmtp.Options(mode);
            options.Security = SmtpSecurity.Implicit;
            options.CertificateVerified = verified;
            var smtp = new ScriptedSmtp(options);
            Assert.Equal("AUTH CRAM-MD5\r\n", smtp.Hello("AUTH PLAIN LOGIN CRAM-MD5"));
            smtp.Reply("334 " + B64("<1.2@lab.test>"));
            smtp.Sent();
            smtp.Reply("535 5.7.8 no");
            Assert.Equal("QUIT\r\n", smtp.Sent());
            Assert.Equal(UserErrorCode.SmtpAuthFailed, smtp.Session.Result.ErrorCode);
        }

        [Theory]
        [InlineData("334 not*base64")]
        [InlineData("334 QUJD=")]
        [InlineData("334 ")]
        public void A_challenge_the_mechanism_cannot_answer_is_cancelled(string challenge)
        {
            var smtp = new ScriptedSmtp(ScriptedSmtp.Options(SmtpAuthMode.CramMd5));
            smtp.Hello("AUTH CRAM-MD5");
            smtp.Reply(challenge);
            Assert.Equal("*\r\n", smtp.Sent());
            smtp.Reply("501 5.7.0 Authentication aborted");
            Assert.Equal("QUIT\r\n", smtp.Sent());
            Assert.Equal(UserErrorCode.SmtpAuthExchangeFailed, smtp.Session.Result.ErrorCode);
        }

        [Fact]
        public void A_challenge_after_plains_initial_response_is_cancelled()
        {
            var smtp = new ScriptedSmtp(ScriptedSmtp.Options(SmtpAuthMode.Plain));
            smtp.Hello("AUTH PLAIN");
            smtp.Reply("334 " + B64("more?"));
            Assert.Equal("*\r\n", smtp.Sent());
        }

        [Fact]
        public void Credentials_are_cleared_and_never_logged()
        {
            SmtpSessionOptions options = ScriptedSmtp.Options(SmtpAuthMode.Login, "scan", "hunter2hunter2");
            var smtp = new ScriptedSmtp(options);
            smtp.Hello("AUTH LOGIN");
            smtp.Reply("334 VXNlcm5hbWU6");
            smtp.Sent();
            smtp.Reply("334 UGFzc3dvcmQ6");
            smtp.Sent();
            smtp.Reply("235 ok");
            smtp.Sent();
            smtp.AcceptTransaction();
            string log = string.Join("\n", smtp.Log.Lines);
            Assert.DoesNotContain("hunter2", log);
            Assert.DoesNotContain(B64("hunter2hunter2"), log);
            Assert.DoesNotContain(B64("scan"), log);
            Assert.Contains("C: ****", log);
            Assert.All(options.Password, b => Assert.Equal(0, b));
            Assert.All(options.User, b => Assert.Equal(0, b));
        }

        [Fact]
        public void Size_is_declared_and_an_oversized_message_is_refused_before_mail()
        {
            var message = new LinesMessage(new string('x', 900), new string('y', 900));
            var smtp = new ScriptedSmtp(ScriptedSmtp.Options(), message);
            Assert.Equal("QUIT\r\n", smtp.Hello("SIZE 1000"));
            Assert.Equal(UserErrorCode.SmtpMessageTooLarge, smtp.Session.Result.ErrorCode);
            Assert.Equal("MAIL", smtp.Session.Result.Stage);

            var fits = new ScriptedSmtp(ScriptedSmtp.Options(), new LinesMessage("abc"));
            Assert.Equal("MAIL FROM:<mfp@lab.test> SIZE=5\r\n", fits.Hello("SIZE 1000"));
        }

        [Fact]
        public void A_rejected_recipient_is_reported_but_the_job_succeeds()
        {
            var smtp = new ScriptedSmtp(ScriptedSmtp.Options(to: new[] { "nobody@lab.test", "alice@lab.test" }));
            smtp.Hello();
            smtp.Reply("250 ok");
            Assert.Equal("RCPT TO:<nobody@lab.test>\r\n", smtp.Sent());
            smtp.Reply("550 5.1.1 <nobody@lab.test>: Recipient address rejected");
            Assert.Equal("RCPT TO:<alice@lab.test>\r\n", smtp.Sent());
            smtp.Reply("250 ok");
            Assert.Equal("DATA\r\n", smtp.Sent());
            smtp.Reply("354 go");
            smtp.Sent();
            smtp.Reply("250 queued");
            SmtpResult result = smtp.Session.Result;
            Assert.True(result.Success);
            Assert.False(result.Recipients[0].Accepted);
            Assert.Equal(550, result.Recipients[0].ReplyCode);
            Assert.True(result.Recipients[1].Accepted);
        }

        [Theory]
        [InlineData("554 5.7.1 <x@example.net>: Relay access denied", UserErrorCode.SmtpRecipientsRejected)]
        [InlineData("450 4.2.0 Mailbox busy", UserErrorCode.SmtpTemporaryFailure)]
        [InlineData("530 5.7.0 Authentication required", UserErrorCode.SmtpAuthRequired)]
        public void No_accepted_recipient_fails_the_job(string reply, int code)
        {
            var smtp = new ScriptedSmtp(ScriptedSmtp.Options(to: new[] { "x@example.net" }));
            smtp.Hello();
            smtp.Reply("250 ok");
            smtp.Sent();
            smtp.Reply(reply);
            Assert.Equal("QUIT\r\n", smtp.Sent());
            Assert.Equal(code, smtp.Session.Result.ErrorCode);
            Assert.Equal("RCPT", smtp.Session.Result.Stage);
        }

        [Theory]
        [InlineData("MAIL", "553 5.1.8 Sender address rejected", UserErrorCode.SmtpSenderRejected)]
        [InlineData("MAIL", "451 4.3.0 Try later", UserErrorCode.SmtpTemporaryFailure)]
        [InlineData("MAIL", "552 5.3.4 Message size exceeds fixed limit", UserErrorCode.SmtpMessageTooLarge)]
        [InlineData("DATA", "554 5.5.1 Error: no valid recipients", UserErrorCode.SmtpMessageRejected)]
        [InlineData("final dot", "554 5.7.1 Spam", UserErrorCode.SmtpMessageRejected)]
        [InlineData("final dot", "552 5.3.4 Too big", UserErrorCode.SmtpMessageTooLarge)]
        [InlineData("final dot", "451 4.3.0 Queue file write error", UserErrorCode.SmtpTemporaryFailure)]
        public void Transaction_refusals_map_to_their_codes(string stage, string reply, int code)
        {
            var smtp = new ScriptedSmtp(ScriptedSmtp.Options());
            smtp.Hello();
            if (stage != "MAIL")
            {
                smtp.Reply("250 ok");
                smtp.Sent();
                smtp.Reply("250 ok");
                Assert.Equal("DATA\r\n", smtp.Sent());
                if (stage == "final dot")
                {
                    smtp.Reply("354 go");
                    smtp.Sent();
                }
            }

            smtp.Reply(reply);
            Assert.Equal("QUIT\r\n", smtp.Sent());
            smtp.Reply("221 bye");
            Assert.True(smtp.Session.IsDone);
            Assert.Equal(code, smtp.Session.Result.ErrorCode);
            Assert.Equal(stage, smtp.Session.Result.Stage);
        }

        [Theory]
        [InlineData("554 5.7.1 No service for you", UserErrorCode.SmtpSenderRejected)]
        [InlineData("450 4.3.2 Too busy", UserErrorCode.SmtpTemporaryFailure)]
        public void Greeting_refusals_map_to_their_codes(string reply, int code)
        {
            var smtp = new ScriptedSmtp(ScriptedSmtp.Options());
            smtp.Reply(reply);
            Assert.Equal("QUIT\r\n", smtp.Sent());
            Assert.Equal(code, smtp.Session.Result.ErrorCode);
            Assert.Equal("greeting", smtp.Session.Result.Stage);
        }

        [Theory]
        [InlineData("hello there")]
        [InlineData("2x0 ok")]
        [InlineData("250=ok")]
        [InlineData("650 ok")]
        [InlineData("354 go ahead")]
        public void Malformed_or_unexpected_greeting_is_a_protocol_error(string reply)
        {
            var smtp = new ScriptedSmtp(ScriptedSmtp.Options());
            smtp.Reply(reply);
            Assert.True(smtp.Session.IsDone);
            Assert.Equal(UserErrorCode.SmtpProtocolError, smtp.Session.Result.ErrorCode);
            Assert.Equal(0, smtp.Session.OutputCount);
        }

        [Fact]
        public void Lines_of_one_reply_with_different_codes_are_a_protocol_error()
        {
            var smtp = new ScriptedSmtp(ScriptedSmtp.Options());
            smtp.Reply("220 hi");
            smtp.Sent();
            smtp.Reply("250-mail.lab.test", "251 AUTH PLAIN");
            Assert.Equal(UserErrorCode.SmtpProtocolError, smtp.Session.Result.ErrorCode);
        }

        [Fact]
        public void A_line_that_never_ends_is_a_protocol_error_with_bounded_memory()
        {
            var smtp = new ScriptedSmtp(ScriptedSmtp.Options());
            byte[] flood = Encoding.ASCII.GetBytes("220 " + new string('a', 4000));
            smtp.Session.Receive(flood, 0, flood.Length, smtp.Now);
            Assert.True(smtp.Session.IsDone);
            Assert.Equal(UserErrorCode.SmtpProtocolError, smtp.Session.Result.ErrorCode);
            Assert.Contains("512", smtp.Session.Result.Detail);
        }

        [Fact]
        public void A_511_octet_line_is_still_accepted()
        {
            var smtp = new ScriptedSmtp(ScriptedSmtp.Options());
            smtp.Reply("220 " + new string('a', 506));
            Assert.StartsWith("EHLO", smtp.Sent());
        }

        [Fact]
        public void Replies_split_at_every_byte_give_the_same_session()
        {
            var smtp = new ScriptedSmtp(ScriptedSmtp.Options(SmtpAuthMode.Auto));
            foreach (string reply in new[] { "220 hi\r\n", "250-x\r\n250-AUTH PLAIN\r\n250 SIZE 100000\r\n", "235 ok\r\n", "250 ok\r\n", "250 ok\r\n", "354 go\r\n", "250 done\r\n", "221 bye\r\n" })
            {
                byte[] bytes = Encoding.ASCII.GetBytes(reply);
                for (int i = 0; i < bytes.Length; i++)
                {
                    smtp.Session.Receive(bytes, i, 1, smtp.Now);
                }

                smtp.Sent();
            }

            Assert.True(smtp.Session.IsDone);
            Assert.True(smtp.Session.Result.Success);
            Assert.Equal("PLAIN", smtp.Session.Result.AuthMechanism);
        }

        [Fact]
        public void Lines_starting_with_a_dot_are_stuffed()
        {
            var smtp = new ScriptedSmtp(ScriptedSmtp.Options(), new LinesMessage("a", ".", "..b", "c."));
            smtp.Hello();
            Assert.Equal("a\r\n..\r\n...b\r\nc.\r\n.\r\n", smtp.AcceptTransaction());
        }

        [Fact]
        public void A_large_body_streams_through_the_fixed_output_buffer()
        {
            var lines = new string[20000];
            for (int i = 0; i < lines.Length; i++)
            {
                lines[i] = (i % 7 == 0 ? "." : string.Empty) + new string((char)('a' + (i % 26)), 76);
            }

            var message = new LinesMessage(lines);
            var smtp = new ScriptedSmtp(ScriptedSmtp.Options(), message);
            smtp.Hello();
            string body = smtp.AcceptTransaction();
            Assert.Equal(message.Length + ((lines.Length + 6) / 7) + 3, body.Length);
            Assert.True(message.Reads > 100, "the body was produced in many small reads");
        }

        [Fact]
        public void Greeting_timeout_ends_the_session_as_connection_lost()
        {
            var smtp = new ScriptedSmtp(ScriptedSmtp.Options());
            smtp.Session.CheckTimeout(smtp.Now + SmtpSessionOptions.DefaultGreetingTimeoutMs - 1);
            Assert.False(smtp.Session.IsDone);
            smtp.Session.CheckTimeout(smtp.Now + SmtpSessionOptions.DefaultGreetingTimeoutMs);
            Assert.True(smtp.Session.IsDone);
            Assert.Equal(UserErrorCode.SmtpConnectionLost, smtp.Session.Result.ErrorCode);
            Assert.Equal(NetError.TimedOut, smtp.Session.Result.NetError);
            Assert.Equal("greeting", smtp.Session.Result.Stage);
        }

        [Fact]
        public void Each_step_has_its_rfc_5321_timeout()
        {
            SmtpSessionOptions options = ScriptedSmtp.Options();
            var smtp = new ScriptedSmtp(options);
            smtp.Hello();
            Assert.Equal(smtp.Now + options.MailTimeoutMs, smtp.Session.Deadline);
            smtp.Reply("250 ok");
            smtp.Sent();
            Assert.Equal(smtp.Now + options.RcptTimeoutMs, smtp.Session.Deadline);
            smtp.Reply("250 ok");
            smtp.Sent();
            Assert.Equal(smtp.Now + options.DataTimeoutMs, smtp.Session.Deadline);
            smtp.Reply("354 go");
            smtp.Sent();
            Assert.Equal(smtp.Now + options.FinalTimeoutMs, smtp.Session.Deadline);
        }

        [Fact]
        public void A_stalled_body_times_out_per_block()
        {
            var smtp = new ScriptedSmtp(ScriptedSmtp.Options(), new LinesMessage(new string('a', 900), new string('b', 900), new string('c', 900), new string('d', 900), new string('e', 900)));
            smtp.Hello();
            smtp.Reply("250 ok");
            smtp.Sent();
            smtp.Reply("250 ok");
            smtp.Sent();
            smtp.Reply("354 go");
            Assert.Equal(SmtpState.Body, smtp.Session.State);
            smtp.Now += 100000;
            smtp.Session.OnSent(100, smtp.Now);
            smtp.Session.CheckTimeout(smtp.Now + SmtpSessionOptions.DefaultBlockTimeoutMs - 1);
            Assert.False(smtp.Session.IsDone);
            smtp.Session.CheckTimeout(smtp.Now + SmtpSessionOptions.DefaultBlockTimeoutMs);
            Assert.Equal(UserErrorCode.SmtpConnectionLost, smtp.Session.Result.ErrorCode);
            Assert.Equal("message", smtp.Session.Result.Stage);
        }

        [Fact]
        public void Connect_failures_and_timeouts_map_to_connect_codes()
        {
            var notFound = new SmtpSession(ScriptedSmtp.Options(), new LinesMessage("x"), null);
            notFound.Start(0);
            notFound.OnConnectFailed(NetError.HostNotFound, "no such host");
            Assert.Equal(UserErrorCode.SmtpHostNotFound, notFound.Result.ErrorCode);
            Assert.True(notFound.Result.Transient);

            var refused = new SmtpSession(ScriptedSmtp.Options(), new LinesMessage("x"), null);
            refused.Start(0);
            refused.OnConnectFailed(NetError.Refused, "connection refused");
            Assert.Equal(UserErrorCode.SmtpConnectFailed, refused.Result.ErrorCode);
            Assert.Equal("connect", refused.Result.Stage);

            var slow = new SmtpSession(ScriptedSmtp.Options(), new LinesMessage("x"), null);
            slow.Start(0);
            slow.CheckTimeout(SmtpSessionOptions.DefaultConnectTimeoutMs);
            Assert.Equal(UserErrorCode.SmtpConnectFailed, slow.Result.ErrorCode);
        }

        [Fact]
        public void Connection_closed_mid_session_is_connection_lost()
        {
            var smtp = new ScriptedSmtp(ScriptedSmtp.Options());
            smtp.Hello();
            smtp.Session.OnConnectionEnded(NetError.None, string.Empty);
            Assert.Equal(UserErrorCode.SmtpConnectionLost, smtp.Session.Result.ErrorCode);
            Assert.Equal("MAIL", smtp.Session.Result.Stage);
        }

        [Fact]
        public void Connection_closed_after_quit_keeps_the_success()
        {
            var smtp = new ScriptedSmtp(ScriptedSmtp.Options());
            smtp.Hello();
            smtp.Reply("250 ok");
            smtp.Sent();
            smtp.Reply("250 ok");
            smtp.Sent();
            smtp.Reply("354 go");
            smtp.Sent();
            smtp.Reply("250 queued");
            Assert.Equal("QUIT\r\n", smtp.Sent());
            smtp.Session.OnConnectionEnded(NetError.None, string.Empty);
            Assert.True(smtp.Session.IsDone);
            Assert.True(smtp.Session.Result.Success);
        }

        [Fact]
        public void A_reply_in_the_middle_of_the_body_ends_the_session()
        {
            var smtp = new ScriptedSmtp(ScriptedSmtp.Options(), new LinesMessage(new string('a', 990), new string('b', 990), new string('c', 990), new string('d', 990), new string('e', 990)));
            smtp.Hello();
            smtp.Reply("250 ok");
            smtp.Sent();
            smtp.Reply("250 ok");
            smtp.Sent();
            smtp.Reply("354 go");
            smtp.Reply("554 5.3.0 Out of disk");
            Assert.True(smtp.Session.IsDone);
            Assert.Equal(UserErrorCode.SmtpMessageRejected, smtp.Session.Result.ErrorCode);
        }

        [Fact]
        public void A_document_read_failure_abandons_the_transaction()
        {
            var smtp = new ScriptedSmtp(ScriptedSmtp.Options(), new FailingMessage());
            smtp.Hello();
            smtp.Reply("250 ok");
            smtp.Sent();
            smtp.Reply("250 ok");
            smtp.Sent();
            smtp.Reply("354 go");
            Assert.True(smtp.Session.IsDone);
            Assert.Equal(UserErrorCode.DocumentError, smtp.Session.Result.ErrorCode);
            Assert.Contains("flash read error", smtp.Session.Result.Detail);
        }
    }
}
