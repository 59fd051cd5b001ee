using System;
using System.Text;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Pop;
using NetBoard.Firmware.Tests.Smtp;

namespace NetBoard.Firmware.Tests.Pop
{
    /// <summary>
    /// POP3 AUTH (RFC 5034) with an OAuth 2.0 bearer token: the choice from CAPA, a token beyond RFC 2449's 255-octet
    /// command line after the empty "+", a line longer than the 1 KB output buffer, the error exchange, no fallback.
    /// </summary>
    public class PopOAuthTests
    {
        private const string User = "oauth@lab.test";

        private static ScriptedPop Start(PopLoginMode mode, string token, PopSessionMode session = PopSessionMode.LoginOnly)
        {
            PopSessionOptions options = ScriptedPop.Options(session, mode, User, string.Empty);
            options.AccessToken = token == null ? null : Encoding.ASCII.GetBytes(token);
            return new ScriptedPop(options);
        }

        private static string Capa(ScriptedPop pop, params string[] capabilities)
        {
            pop.Reply(ScriptedPop.Greeting);
            Assert.Equal("CAPA\r\n", pop.Sent());
            var lines = new System.Collections.Generic.List<string> { "+OK" };
            lines.AddRange(capabilities);
            lines.Add(".");
            pop.Reply(lines.ToArray());
            return pop.Sent();
        }

        /// <summary>Takes what the session sends, piece by piece, checking each fits the output buffer.</summary>
        private static string SentInPieces(ScriptedPop pop, out int pieces)
        {
            var text = new StringBuilder();
            pieces = 0;
            while (pop.Session.OutputCount > 0)
            {
                Assert.True(pop.Session.OutputCount <= PopSession.OutputBufferSize);
                text.Append(Encoding.ASCII.GetString(pop.Session.Output, pop.Session.OutputOffset, pop.Session.OutputCount));
                pop.Session.OnSent(pop.Session.OutputCount, pop.Now);
                pieces++;
            }

            return text.ToString();
        }

        [Fact]
        public void Auto_with_a_token_sends_oauthbearer_after_the_empty_challenge_in_pieces()
        {
            string token = SmtpOAuthTests.Token(1300);
            ScriptedPop pop = Start(PopLoginMode.Auto, token);
            Assert.Equal("AUTH OAUTHBEARER\r\n", Capa(pop, "USER", "SASL PLAIN LOGIN XOAUTH2 OAUTHBEARER"));
            pop.Reply("+ ");
            int pieces;
            string line = SentInPieces(pop, out pieces);
            Assert.Equal(SmtpOAuthTests.OAuthBearer(token) + "\r\n", line);
            Assert.True(line.Length > PopSession.OutputBufferSize);
            Assert.True(pieces >= 2);
            pop.Reply("+OK Logged in.");
            Assert.Equal("QUIT\r\n", pop.Sent());
            Assert.True(pop.Session.Result.LoggedIn);
            Assert.Equal("OAUTHBEARER", pop.Session.Result.LoginMethod);
            Assert.DoesNotContain(pop.Log.Lines, l => l.Contains(token.Substring(21, 30), StringComparison.Ordinal));
        }

        [Fact]
        public void Auto_takes_xoauth2_when_capa_lists_only_that_and_a_short_token_rides_on_the_auth_line()
        {
            string token = "ya29.short";
            ScriptedPop pop = Start(PopLoginMode.Auto, token);
            Assert.Equal("AUTH XOAUTH2 " + SmtpOAuthTests.XOAuth2(token) + "\r\n", Capa(pop, "SASL XOAUTH2"));
            Assert.Contains("C: AUTH XOAUTH2 ****", pop.Log.Lines);
        }

        [Fact]
        public void Without_oauth_in_capa_auto_sends_no_password_login()
        {
            ScriptedPop pop = Start(PopLoginMode.Auto, SmtpOAuthTests.Token(500));
            Assert.Equal("QUIT\r\n", Capa(pop, "USER", "SASL PLAIN CRAM-MD5"));
            Assert.Equal(UserErrorCode.OAuthNotOffered, pop.Session.Result.ErrorCode);
            Assert.DoesNotContain(pop.Log.Lines, l => l.StartsWith("C: USER", StringComparison.Ordinal) || l.StartsWith("C: APOP", StringComparison.Ordinal));
        }

        [Fact]
        public void Xoauth2_error_challenge_gets_an_empty_line_and_err_is_a_refused_token()
        {
            string token = SmtpOAuthTests.Token(1300);
            ScriptedPop pop = Start(PopLoginMode.XOAuth2, token, PopSessionMode.Receive);
            Assert.Equal("AUTH XOAUTH2\r\n", Capa(pop, "SASL XOAUTH2"));
            pop.Reply("+ ");
            Assert.Equal(SmtpOAuthTests.XOAuth2(token) + "\r\n", SentInPieces(pop, out _));
            pop.Reply("+ " + SmtpOAuthTests.B64("{\"status\":\"401\",\"schemes\":\"bearer\",\"scope\":\"mail\"}"));
            Assert.Equal("\r\n", pop.Sent());
            pop.Reply("-ERR [AUTH] Authentication failed.");
            Assert.Equal("QUIT\r\n", pop.Sent());
            Assert.Equal(UserErrorCode.OAuthTokenRejected, pop.Session.Result.ErrorCode);
            Assert.True(pop.Session.Result.TokenRejected);
            Assert.False(pop.Session.Result.LoggedIn);
        }

        [Fact]
        public void Oauthbearer_error_challenge_gets_AQ_and_insufficient_scope_is_not_refreshed()
        {
            ScriptedPop pop = Start(PopLoginMode.OAuthBearer, SmtpOAuthTests.Token(600));
            Capa(pop, "SASL OAUTHBEARER");
            pop.Reply("+ ");
            pop.Sent();
            pop.Reply("+ " + SmtpOAuthTests.B64("{\"status\":\"insufficient_scope\",\"scope\":\"POP.AccessAsUser.All\"}"));
            Assert.Equal("AQ==\r\n", pop.Sent());
            pop.Reply("-ERR [AUTH] Authentication failed.");
            Assert.Equal(UserErrorCode.OAuthScopeInsufficient, pop.Session.Result.ErrorCode);
            Assert.False(pop.Session.Result.TokenRejected);
        }

        [Fact]
        public void A_temporary_refusal_is_not_a_refused_token()
        {
            ScriptedPop pop = Start(PopLoginMode.OAuthBearer, SmtpOAuthTests.Token(600));
            Capa(pop, "SASL OAUTHBEARER");
            pop.Reply("+ ");
            pop.Sent();
            pop.Reply("-ERR [SYS/TEMP] Try again later");
            Assert.Equal(UserErrorCode.PopConnectFailed, pop.Session.Result.ErrorCode);
            Assert.False(pop.Session.Result.TokenRejected);
        }

        [Fact]
        public void A_token_longer_than_any_line_is_a_clear_error()
        {
            ScriptedPop pop = Start(PopLoginMode.XOAuth2, SmtpOAuthTests.Token(13000));
            Assert.Equal("QUIT\r\n", Capa(pop, "SASL XOAUTH2"));
            Assert.Equal(UserErrorCode.OAuthTokenUnusable, pop.Session.Result.ErrorCode);
        }

        [Fact]
        public void The_session_wipes_its_token_copy()
        {
            PopSessionOptions options = ScriptedPop.Options(PopSessionMode.LoginOnly, PopLoginMode.XOAuth2, User, string.Empty);
            options.AccessToken = Encoding.ASCII.GetBytes(SmtpOAuthTests.Token(700));
            var pop = new ScriptedPop(options);
            Capa(pop, "SASL XOAUTH2");
            pop.Reply("+ ");
            pop.Sent();
            pop.Reply("+OK Logged in.");
            pop.Sent();
            pop.Reply("+OK Bye");
            Assert.True(pop.Session.IsDone);
            Assert.All(options.AccessToken, b => Assert.Equal(0, b));
        }
    }
}
