using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using NetBoard.Firmware.Jobs;

namespace NetBoard.Firmware.Tests.Jobs
{
    public class UserErrorCodeTests
    {
        // code, description, transient
        public static IEnumerable<object[]> Codes => new[]
        {
            new object[] { UserErrorCode.None, "OK", false },
            new object[] { UserErrorCode.SmtpHostNotFound, "SMTP server name not found", true },
            new object[] { UserErrorCode.SmtpConnectFailed, "cannot connect to SMTP server", true },
            new object[] { UserErrorCode.SmtpConnectionLost, "SMTP connection lost or timed out", true },
            new object[] { UserErrorCode.SmtpProtocolError, "SMTP protocol error", false },
            new object[] { UserErrorCode.SmtpTemporaryFailure, "SMTP server busy, will retry", true },
            new object[] { UserErrorCode.SmtpSenderRejected, "SMTP server refused sender", false },
            new object[] { UserErrorCode.SmtpRecipientsRejected, "all recipients rejected", false },
            new object[] { UserErrorCode.SmtpMessageRejected, "message rejected by server", false },
            new object[] { UserErrorCode.SmtpMessageTooLarge, "message too large for server", false },
            new object[] { UserErrorCode.PopConnectFailed, "POP server connection error", true },
            new object[] { UserErrorCode.PopReceptionInterrupted, "POP reception interrupted", true },
            new object[] { UserErrorCode.PopServerError, "POP server error", true },
            new object[] { UserErrorCode.PopAuthFailed, "POP authentication error", false },
            new object[] { UserErrorCode.DocumentError, "document cannot be read", false },
            new object[] { UserErrorCode.SettingsIncomplete, "e-mail settings incomplete", false },
            new object[] { UserErrorCode.SmtpAuthRequired, "server requires SMTP authentication", false },
            new object[] { UserErrorCode.SmtpAuthTooWeak, "SMTP auth mechanism too weak", false },
            new object[] { UserErrorCode.SmtpAuthNeedsEncryption, "SMTP auth needs encryption", false },
            new object[] { UserErrorCode.SmtpAuthFailed, "SMTP authentication failed", false },
            new object[] { UserErrorCode.SmtpAuthTemporaryFailure, "SMTP authentication failed temporarily", true },
            new object[] { UserErrorCode.SmtpAuthExchangeFailed, "SMTP authentication exchange failed", false },
            new object[] { UserErrorCode.ServerNotAuthentic, "server not authentic (SCRAM)", false },
            new object[] { UserErrorCode.ScramIterationsOutOfRange, "SCRAM iteration count refused", false },
            new object[] { UserErrorCode.BasicAuthDisabled, "password login disabled, use OAuth 2.0", false },
            new object[] { UserErrorCode.OAuthTokenRejected, "OAuth token refused, sign in again", false },
            new object[] { UserErrorCode.OAuthScopeInsufficient, "OAuth token lacks mail scope", false },
            new object[] { UserErrorCode.OAuthNotOffered, "server offers no OAuth login", false },
            new object[] { UserErrorCode.OAuthTokenUnusable, "OAuth token cannot be sent", false },
            new object[] { UserErrorCode.OAuthTokenNotReady, "no OAuth token yet, will retry", true },
            new object[] { UserErrorCode.TlsNotOffered, "server does not offer encryption", false },
            new object[] { UserErrorCode.TlsHandshakeFailed, "TLS handshake failed", false },
            new object[] { UserErrorCode.TlsCertificateRejected, "server certificate rejected", false },
            new object[] { UserErrorCode.TlsTemporarilyUnavailable, "TLS temporarily unavailable", true },
            new object[] { UserErrorCode.OAuthSignInNeeded, "OAuth 2.0 sign-in needed", false },
            new object[] { UserErrorCode.OAuthGrantRefused, "OAuth sign-in expired, sign in again", false },
            new object[] { UserErrorCode.OAuthServerUnreachable, "cannot reach OAuth server", true },
            new object[] { UserErrorCode.OAuthServerError, "OAuth server error, will retry", true },
            new object[] { UserErrorCode.OAuthAccessDenied, "OAuth sign-in denied", false },
            new object[] { UserErrorCode.OAuthCodeExpired, "OAuth sign-in code expired", false },
            new object[] { UserErrorCode.OAuthClientRejected, "OAuth client id/secret/scope refused", false },
            new object[] { UserErrorCode.OAuthSettingsIncomplete, "OAuth settings incomplete", false },
            new object[] { UserErrorCode.OAuthTokenNotSaved, "OAuth token not saved", true },
        };

        private static int[] DeclaredCodes() =>
            typeof(UserErrorCode).GetFields(BindingFlags.Public | BindingFlags.Static)
                .Where(f => f.IsLiteral && f.FieldType == typeof(int))
                .Select(f => (int)f.GetRawConstantValue())
                .ToArray();

        [Theory]
        [MemberData(nameof(Codes))]
        public void Each_code_has_its_description_and_retry_class(int code, string description, bool transient)
        {
            Assert.Equal(description, UserErrorCode.Describe(code));
            Assert.Equal(transient, UserErrorCode.IsTransient(code));
        }

        [Fact]
        public void The_table_above_covers_every_declared_code()
        {
            int[] declared = DeclaredCodes();
            int[] tested = Codes.Select(row => (int)row[0]).ToArray();
            Assert.Equal(declared.OrderBy(c => c), tested.OrderBy(c => c));
        }

        [Fact]
        public void Codes_and_descriptions_are_distinct()
        {
            int[] declared = DeclaredCodes();
            Assert.Equal(declared.Length, declared.Distinct().Count());
            Assert.Equal(declared.Length, declared.Select(UserErrorCode.Describe).Distinct().Count());
        }

        [Theory]
        [InlineData(1)]
        [InlineData(800)]
        [InlineData(899)]
        [InlineData(-839)]
        public void Unknown_codes_are_plain_errors_and_not_transient(int code)
        {
            Assert.Equal("error", UserErrorCode.Describe(code));
            Assert.False(UserErrorCode.IsTransient(code));
        }

        [Fact]
        public void Format_puts_a_hash_before_every_code_but_none()
        {
            Assert.Equal(string.Empty, UserErrorCode.Format(UserErrorCode.None));
            foreach (int code in DeclaredCodes().Where(c => c != UserErrorCode.None))
            {
                Assert.Equal("#" + code, UserErrorCode.Format(code));
            }

            Assert.Equal("#839", UserErrorCode.Format(839));
        }
    }
}
