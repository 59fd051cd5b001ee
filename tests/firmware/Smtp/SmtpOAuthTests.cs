using System;
using System.Linq;
using System.Text;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Smtp;

namespace NetBoard.Firmware.Tests.Smtp
{
    /// <summary>
    /// SMTP AUTH with an OAuth 2.0 bearer token (RFC 4954 with RFC 7628 and XOAUTH2) against a scripted server: the
    /// choice, the AUTH line limit and the empty 334, a line longer than the output buffer, the JSON error exchange
    /// of both mechanisms, what may be retried with a refreshed token, no fallback, and 5.7.30 to a password login.
    /// </summary>
    public class SmtpOAuthTests
    {
        private const string User = "oauth@lab.test";

        // A JWT-like token: base64url segments joined by dots, as Microsoft and the lab issue.
        internal static string Token(int length, char fill = 'k')
        {
            var text = new StringBuilder("eyJhbGciOiJSUzI1NiJ9.");
            while (text.Length < length - 1)
            {
                text.Append((char)(fill + (text.Length % 7 == 0 ? 1 : 0)));
            }

            return text.Append('_').ToString();
        }

        internal static string XOAuth2(string token) => B64("user=" + User + "\u0001auth=Bearer " + token + "\u0001\u0001");

        internal static string OAuthBearer(string token) => B64("n,a=" + User + ",\u0001auth=Bearer " + token + "\u0001\u0001");

        internal static string B64(string text) => Convert.ToBase64String(Encoding.ASCII.GetBytes(text));

        private static ScriptedSmtp Start(SmtpAuthMode mode, string token, bool plaintext = true)
        {
            SmtpSessionOptions options = ScriptedSmtp.Options(mode, User, string.Empty);
            options.AccessToken = token == null ? null : Encoding.ASCII.GetBytes(token);
            options.AllowPlaintextAuth = plaintext;
            return new ScriptedSmtp(options);
        }

        [Fact]
        public void Auto_with_a_token_prefers_oauthbearer_and_takes_xoauth2_when_only_that_is_offered()
        {
            string token = Token(300);
            ScriptedSmtp both = Start(SmtpAuthMode.Auto, token);
            Assert.Equal("AUTH OAUTHBEARER " + OAuthBearer(token) + "\r\n", both.Hello("AUTH PLAIN LOGIN XOAUTH2 OAUTHBEARER"));
            both.Reply("235 2.7.0 Authentication successful");
            Assert.Equal("MAIL FROM:<mfp@lab.test>\r\n", both.Sent());
            both.AcceptTransaction();
            Assert.True(both.Session.Result.Success);
            Assert.Equal("OAUTHBEARER", both.Session.Result.AuthMechanism);

            ScriptedSmtp microsoft = Start(SmtpAuthMode.Auto, token);
            Assert.Equal("AUTH XOAUTH2 " + XOAuth2(token) + "\r\n", microsoft.Hello("AUTH LOGIN XOAUTH2"));
            microsoft.Reply("235 2.7.0 Authentication successful");
            Assert.StartsWith("MAIL FROM:", microsoft.Sent());
        }

        [Theory]
        [InlineData("AUTH PLAIN LOGIN CRAM-MD5")]
        [InlineData("SIZE 1000000")]
        public void With_a_token_a_server_without_oauth_gets_no_password_and_no_mail(string keywords)
        {
            ScriptedSmtp smtp = Start(SmtpAuthMode.Auto, Token(200));
            Assert.Equal("QUIT\r\n", smtp.Hello(keywords));
            smtp.Reply("221 Bye");
            Assert.True(smtp.Session.IsDone);
            Assert.Equal(UserErrorCode.OAuthNotOffered, smtp.Session.Result.ErrorCode);
            Assert.DoesNotContain(smtp.Log.Lines, l => l.StartsWith("C: AUTH", StringComparison.Ordinal) || l.StartsWith("C: MAIL", StringComparison.Ordinal));
        }

        [Fact]
        public void A_named_mechanism_the_server_does_not_offer_ends_the_session()
        {
            ScriptedSmtp smtp = Start(SmtpAuthMode.OAuthBearer, Token(200));
            Assert.Equal("QUIT\r\n", smtp.Hello("AUTH LOGIN XOAUTH2"));
            Assert.Equal(UserErrorCode.OAuthNotOffered, smtp.Session.Result.ErrorCode);
            Assert.Contains("OAUTHBEARER", smtp.Session.Result.Detail, StringComparison.Ordinal);
        }

        [Fact]
        public void A_named_mechanism_without_a_token_sends_nothing()
        {
            ScriptedSmtp smtp = Start(SmtpAuthMode.XOAuth2, null);
            Assert.Equal("QUIT\r\n", smtp.Hello("AUTH XOAUTH2"));
            Assert.Equal(UserErrorCode.OAuthTokenUnusable, smtp.Session.Result.ErrorCode);
        }

        [Fact]
        public void Plaintext_deny_keeps_the_token_off_a_clear_connection()
        {
            string token = Token(200);
            ScriptedSmtp smtp = Start(SmtpAuthMode.Auto, token, plaintext: false);
            Assert.Equal("QUIT\r\n", smtp.Hello("AUTH XOAUTH2 OAUTHBEARER"));
            Assert.Equal(UserErrorCode.SmtpAuthNeedsEncryption, smtp.Session.Result.ErrorCode);
        }

        [Fact]
        public void A_token_that_would_push_the_auth_line_over_the_limit_follows_an_empty_334_in_pieces()
        {
            // Microsoft's tokens run to 3 KB: the response line (about 4 KB) is longer than the 4 KB output buffer.
            string token = Token(3100);
            ScriptedSmtp smtp = Start(SmtpAuthMode.XOAuth2, token);
            Assert.Equal("AUTH XOAUTH2\r\n", smtp.Hello("AUTH XOAUTH2"));
            smtp.Reply("334 ");
            int pieces = 0;
            var line = new StringBuilder();
            while (smtp.Session.OutputCount > 0)
            {
                Assert.True(smtp.Session.OutputCount <= SmtpSession.OutputBufferSize);
                line.Append(Encoding.ASCII.GetString(smtp.Session.Output, smtp.Session.OutputOffset, smtp.Session.OutputCount));
                smtp.Session.OnSent(smtp.Session.OutputCount, smtp.Now);
                pieces++;
            }

            Assert.True(line.Length > SmtpSession.OutputBufferSize);
            Assert.True(pieces >= 2);
            Assert.Equal(XOAuth2(token) + "\r\n", line.ToString());
            smtp.Reply("235 2.7.0 Authentication successful");
            Assert.StartsWith("MAIL FROM:", smtp.Sent());
            Assert.Contains("C: AUTH XOAUTH2", smtp.Log.Lines);
            Assert.Contains("C: ****", smtp.Log.Lines);
        }

        [Fact]
        public void The_line_limit_is_the_options_and_a_line_within_it_carries_the_token()
        {
            string token = Token(1200);
            SmtpSessionOptions options = ScriptedSmtp.Options(SmtpAuthMode.OAuthBearer, User, string.Empty);
            options.AccessToken = Encoding.ASCII.GetBytes(token);
            var within = new ScriptedSmtp(options);
            Assert.Equal("AUTH OAUTHBEARER " + OAuthBearer(token) + "\r\n", within.Hello("AUTH OAUTHBEARER"));

            options = ScriptedSmtp.Options(SmtpAuthMode.OAuthBearer, User, string.Empty);
            options.AccessToken = Encoding.ASCII.GetBytes(token);
            options.AuthLineLimit = 512;
            var beyond = new ScriptedSmtp(options);
            Assert.Equal("AUTH OAUTHBEARER\r\n", beyond.Hello("AUTH OAUTHBEARER"));
            beyond.Reply("334 ");
            Assert.Equal(OAuthBearer(token) + "\r\n", beyond.Sent());
        }

        [Fact]
        public void A_token_longer_than_any_authentication_line_is_a_clear_error_and_never_sent()
        {
            string token = Token(12000);
            ScriptedSmtp smtp = Start(SmtpAuthMode.Auto, token);
            Assert.Equal("QUIT\r\n", smtp.Hello("AUTH XOAUTH2 OAUTHBEARER"));
            Assert.Equal(UserErrorCode.OAuthTokenUnusable, smtp.Session.Result.ErrorCode);
            Assert.Contains("too long", smtp.Session.Result.Detail, StringComparison.Ordinal);
        }

        [Fact]
        public void A_token_outside_bearer_syntax_is_not_sent()
        {
            ScriptedSmtp smtp = Start(SmtpAuthMode.XOAuth2, "abc def\r\nRSET");
            Assert.Equal("QUIT\r\n", smtp.Hello("AUTH XOAUTH2"));
            Assert.Equal(UserErrorCode.OAuthTokenUnusable, smtp.Session.Result.ErrorCode);
        }

        [Fact]
        public void Xoauth2_error_challenge_gets_an_empty_line_then_535_is_a_refused_token_to_refresh()
        {
            string token = Token(400);
            ScriptedSmtp smtp = Start(SmtpAuthMode.XOAuth2, token);
            Assert.StartsWith("AUTH XOAUTH2 ", smtp.Hello("AUTH XOAUTH2"));
            smtp.Reply("334 " + B64("{\"status\":\"401\",\"schemes\":\"bearer\",\"scope\":\"mail\"}"));
            Assert.Equal("\r\n", smtp.Sent());
            smtp.Reply("535 5.7.8 Error: authentication failed");
            Assert.Equal("QUIT\r\n", smtp.Sent());
            SmtpResult result = smtp.Session.Result;
            Assert.Equal(UserErrorCode.OAuthTokenRejected, result.ErrorCode);
            Assert.True(result.TokenRejected);
            Assert.Equal(535, result.ReplyCode);
            Assert.Contains("401", result.Detail, StringComparison.Ordinal);
            Assert.Contains("S: 334 ****", smtp.Log.Lines);
        }

        [Fact]
        public void Oauthbearer_error_challenge_gets_AQ_then_535()
        {
            string token = Token(400);
            ScriptedSmtp smtp = Start(SmtpAuthMode.OAuthBearer, token);
            smtp.Hello("AUTH OAUTHBEARER");
            smtp.Reply("334 " + B64("{\"status\":\"invalid_token\"}"));
            Assert.Equal("AQ==\r\n", smtp.Sent());
            smtp.Reply("535 5.7.8 Error: authentication failed");
            Assert.Equal(UserErrorCode.OAuthTokenRejected, smtp.Session.Result.ErrorCode);
            Assert.True(smtp.Session.Result.TokenRejected);
        }

        [Fact]
        public void A_535_without_a_challenge_is_a_refused_token_too()
        {
            ScriptedSmtp smtp = Start(SmtpAuthMode.XOAuth2, Token(400));
            smtp.Hello("AUTH XOAUTH2");
            smtp.Reply("535 5.7.3 Authentication unsuccessful");
            Assert.Equal(UserErrorCode.OAuthTokenRejected, smtp.Session.Result.ErrorCode);
            Assert.True(smtp.Session.Result.TokenRejected);
        }

        [Fact]
        public void Insufficient_scope_is_not_refreshed()
        {
            ScriptedSmtp smtp = Start(SmtpAuthMode.OAuthBearer, Token(400));
            smtp.Hello("AUTH OAUTHBEARER");
            smtp.Reply("334 " + B64("{\"status\":\"insufficient_scope\",\"scope\":\"https://outlook.office.com/SMTP.Send\"}"));
            Assert.Equal("AQ==\r\n", smtp.Sent());
            smtp.Reply("535 5.7.8 Error: authentication failed");
            Assert.Equal(UserErrorCode.OAuthScopeInsufficient, smtp.Session.Result.ErrorCode);
            Assert.False(smtp.Session.Result.TokenRejected);
            Assert.Contains("SMTP.Send", smtp.Session.Result.Detail, StringComparison.Ordinal);
        }

        [Fact]
        public void A_temporary_refusal_is_retried_not_refreshed()
        {
            ScriptedSmtp smtp = Start(SmtpAuthMode.OAuthBearer, Token(400));
            smtp.Hello("AUTH OAUTHBEARER");
            smtp.Reply("454 4.7.0 Temporary authentication failure");
            Assert.Equal(UserErrorCode.SmtpAuthTemporaryFailure, smtp.Session.Result.ErrorCode);
            Assert.False(smtp.Session.Result.TokenRejected);
            Assert.True(UserErrorCode.IsTransient(smtp.Session.Result.ErrorCode));
        }

        [Fact]
        public void The_token_never_reaches_the_log_and_the_session_wipes_its_copy()
        {
            string token = Token(3000);
            SmtpSessionOptions options = ScriptedSmtp.Options(SmtpAuthMode.Auto, User, string.Empty);
            options.AccessToken = Encoding.ASCII.GetBytes(token);
            var smtp = new ScriptedSmtp(options);
            smtp.Hello("AUTH XOAUTH2");
            smtp.Reply("334 ");
            smtp.Sent();
            smtp.Reply("334 " + B64("{\"status\":\"401\"}"));
            smtp.Sent();
            smtp.Reply("535 5.7.8 Error: authentication failed");
            smtp.Sent();
            smtp.Reply("221 Bye");
            Assert.True(smtp.Session.IsDone);
            Assert.All(options.AccessToken, b => Assert.Equal(0, b));
            string log = string.Join("\n", smtp.Log.Lines);
            Assert.DoesNotContain(token.Substring(21, 40), log, StringComparison.Ordinal);
            Assert.DoesNotContain(XOAuth2(token).Substring(0, 40), log, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData(SmtpAuthMode.Plain, "AUTH PLAIN", "535 5.7.139 Authentication unsuccessful, basic authentication is disabled. [AM0PR02CA0001.eurprd02.prod.outlook.com]")]
        [InlineData(SmtpAuthMode.Plain, "AUTH PLAIN", "535 5.7.30 Basic authentication is not supported for Client Submission")]
        [InlineData(SmtpAuthMode.Login, "AUTH LOGIN", "550 5.7.30 Basic authentication is not supported for Client Submission")]
        public void Basic_authentication_disabled_is_844_telling_to_switch_to_oauth(SmtpAuthMode mode, string offer, string refusal)
        {
            ScriptedSmtp smtp = new ScriptedSmtp(ScriptedSmtp.Options(mode, "scan@contoso.com", "pa55word"));
            string auth = smtp.Hello(offer + " XOAUTH2");
            if (mode == SmtpAuthMode.Login)
            {
                Assert.Equal("AUTH LOGIN\r\n", auth);
                smtp.Reply("334 VXNlcm5hbWU6");
                smtp.Sent();
                smtp.Reply("334 UGFzc3dvcmQ6");
                smtp.Sent();
            }

            smtp.Reply(refusal);
            Assert.Equal("QUIT\r\n", smtp.Sent());
            Assert.Equal(UserErrorCode.BasicAuthDisabled, smtp.Session.Result.ErrorCode);
            Assert.Contains("OAuth 2.0", smtp.Session.Result.Detail, StringComparison.Ordinal);
            Assert.Contains("OAuth", UserErrorCode.Describe(UserErrorCode.BasicAuthDisabled), StringComparison.Ordinal);
        }

        [Fact]
        public void An_ordinary_535_stays_839()
        {
            ScriptedSmtp smtp = new ScriptedSmtp(ScriptedSmtp.Options(SmtpAuthMode.Plain, "scan", "pa55word"));
            smtp.Hello("AUTH PLAIN");
            smtp.Reply("535 5.7.8 Error: authentication failed");
            Assert.Equal(UserErrorCode.SmtpAuthFailed, smtp.Session.Result.ErrorCode);
        }
    }
}
