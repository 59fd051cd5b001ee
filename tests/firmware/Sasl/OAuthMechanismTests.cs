using System;
using System.Text;
using NetBoard.Firmware.Sasl;
using NetBoard.Firmware.Tests.Crypto;

namespace NetBoard.Firmware.Tests.Sasl
{
    public class OAuthMechanismTests
    {
        // RFC 7628 4.1 (IMAP, port 143) and the SMTP examples of 4.3 (port 587): the initial responses verbatim.
        private const string Rfc7628Token = "vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==";
        private const string Rfc7628Imap = "bixhPXVzZXJAZXhhbXBsZS5jb20sAWhvc3Q9c2VydmVyLmV4YW1wbGUuY29tAXBvcnQ9MTQzAWF1dGg9QmVhcmVyIHZGOWRmdDRxbVRjMk52YjNSbGNrQmhiSFJoZG1semRHRXVZMjl0Q2c9PQEB";
        private const string Rfc7628Smtp = "bixhPXVzZXJAZXhhbXBsZS5jb20sAWhvc3Q9c2VydmVyLmV4YW1wbGUuY29tAXBvcnQ9NTg3AWF1dGg9QmVhcmVyIHZGOWRmdDRxbVRjMk52YjNSbGNrQmhiSFJoZG1semRHRXVZMjl0Q2c9PQEB";

        // RFC 7628 3.2.2 / 4.3: the server's error challenges.
        private const string Rfc7628ImapError = "eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIiwic2NvcGUiOiJleGFtcGxlX3Njb3BlIiwib3BlbmlkLWNvbmZpZ3VyYXRpb24iOiJodHRwczovL2V4YW1wbGUuY29tLy53ZWxsLWtub3duL29wZW5pZC1jb25maWd1cmF0aW9uIn0=";
        private const string Rfc7628SmtpError = "eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIiwic2NoZW1lcyI6ImJlYXJlciBtYWMiLCJzY29wZSI6Imh0dHBzOi8vbWFpbC5leGFtcGxlLmNvbS8ifQ==";

        // Google's XOAUTH2 example initial response.
        private const string GoogleUser = "someuser@example.com";
        private const string GoogleToken = "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg";
        private const string GoogleInitial = "dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ==";

        private static string B64(byte[] data) => Convert.ToBase64String(data);

        private static byte[] Challenge(string base64) => Convert.FromBase64String(base64);

        [Fact]
        public void OAuthBearer_builds_the_rfc_7628_imap_example_byte_for_byte()
        {
            var mechanism = new OAuthBearer(TestBytes.Ascii("user@example.com"), TestBytes.Ascii(Rfc7628Token), "server.example.com", 143);

            byte[] initial = mechanism.InitialResponse();

            Assert.Equal(Rfc7628Imap, B64(initial));
            Assert.Equal("n,a=user@example.com,\u0001host=server.example.com\u0001port=143\u0001auth=Bearer " + Rfc7628Token + "\u0001\u0001", Encoding.ASCII.GetString(initial));
            Assert.False(mechanism.IsComplete);
        }

        [Fact]
        public void OAuthBearer_builds_the_rfc_7628_smtp_example_byte_for_byte()
        {
            var mechanism = new OAuthBearer(TestBytes.Ascii("user@example.com"), TestBytes.Ascii(Rfc7628Token), "server.example.com", 587);

            Assert.Equal(Rfc7628Smtp, B64(mechanism.InitialResponse()));
        }

        [Fact]
        public void OAuthBearer_without_host_and_port_is_the_gs2_header_and_the_token()
        {
            var mechanism = new OAuthBearer(TestBytes.Ascii("user"), TestBytes.Ascii("TOKEN"));

            byte[] initial = mechanism.InitialResponse();

            Assert.Equal("n,a=user,\u0001auth=Bearer TOKEN\u0001\u0001", Encoding.ASCII.GetString(initial));
            Assert.Equal(initial.Length, new OAuthBearer(TestBytes.Ascii("user"), TestBytes.Ascii("TOKEN")).InitialResponseLength);
        }

        [Fact]
        public void OAuthBearer_escapes_comma_and_equals_in_the_authorization_identity()
        {
            var mechanism = new OAuthBearer(TestBytes.Ascii("a,b=c@example.com"), TestBytes.Ascii("t"));

            int length = mechanism.InitialResponseLength;
            byte[] initial = mechanism.InitialResponse();

            Assert.Equal("n,a=a=2Cb=3Dc@example.com,\u0001auth=Bearer t\u0001\u0001", Encoding.ASCII.GetString(initial));
            Assert.Equal(length, initial.Length);
        }

        [Fact]
        public void OAuthBearer_with_an_empty_user_sends_no_authorization_identity()
        {
            var mechanism = new OAuthBearer(new byte[0], TestBytes.Ascii("t"));

            Assert.Equal("n,,\u0001auth=Bearer t\u0001\u0001", Encoding.ASCII.GetString(mechanism.InitialResponse()));
        }

        [Fact]
        public void OAuthBearer_keeps_a_utf8_user_name_unchanged()
        {
            byte[] user = Encoding.UTF8.GetBytes("j\u00fcrgen@example.com");
            var mechanism = new OAuthBearer(user, TestBytes.Ascii("t"));

            Assert.Equal("n,a=j\u00fcrgen@example.com,\u0001auth=Bearer t\u0001\u0001", Encoding.UTF8.GetString(mechanism.InitialResponse()));
        }

        [Fact]
        public void XOAuth2_builds_googles_example_byte_for_byte()
        {
            var mechanism = new XOAuth2(TestBytes.Ascii(GoogleUser), TestBytes.Ascii(GoogleToken));

            byte[] initial = mechanism.InitialResponse();

            Assert.Equal(GoogleInitial, B64(initial));
            Assert.Equal("user=" + GoogleUser + "\u0001auth=Bearer " + GoogleToken + "\u0001\u0001", Encoding.ASCII.GetString(initial));
            Assert.Equal("XOAUTH2", mechanism.Name);
            Assert.Equal(SaslMechanisms.XOAuth2, mechanism.Kind);
            Assert.True(mechanism.HasInitialResponse);
            Assert.True(mechanism.SendsPasswordInClear);
        }

        [Fact]
        public void OAuthBearer_answers_the_rfc_7628_smtp_error_challenge_with_0x01_and_reports_invalid_token()
        {
            var mechanism = new OAuthBearer(TestBytes.Ascii("user@example.com"), TestBytes.Ascii(Rfc7628Token), "server.example.com", 587);
            mechanism.InitialResponse();
            byte[] challenge = Challenge(Rfc7628SmtpError);

            byte[] answer = mechanism.Respond(challenge, 0, challenge.Length);

            Assert.Equal("AQ==", B64(answer));
            Assert.True(mechanism.IsComplete);
            Assert.Equal(OAuthSaslStatus.InvalidToken, mechanism.ErrorStatus);
            Assert.True(mechanism.TokenRejected);
            Assert.Equal("invalid_token", mechanism.ErrorStatusText);
            Assert.Equal("https://mail.example.com/", mechanism.ErrorScope);
            Assert.Null(mechanism.Respond(new byte[0], 0, 0));
        }

        [Fact]
        public void OAuthBearer_reads_scope_and_openid_configuration_of_the_rfc_7628_imap_error()
        {
            var mechanism = new OAuthBearer(TestBytes.Ascii("user@example.com"), TestBytes.Ascii(Rfc7628Token), "server.example.com", 143);
            mechanism.InitialResponse();
            byte[] challenge = Challenge(Rfc7628ImapError);

            mechanism.Respond(challenge, 0, challenge.Length);

            Assert.Equal(OAuthSaslStatus.InvalidToken, mechanism.ErrorStatus);
            Assert.Equal("example_scope", mechanism.ErrorScope);
            Assert.Equal("https://example.com/.well-known/openid-configuration", mechanism.ErrorConfiguration);
        }

        [Theory]
        [InlineData("{\"status\":\"401\",\"schemes\":\"bearer mac\",\"scope\":\"https://mail.google.com/\"}", OAuthSaslStatus.InvalidToken, "401")]
        [InlineData("{\"status\":\"400\",\"schemes\":\"Bearer\",\"scope\":\"https://mail.google.com/\"}", OAuthSaslStatus.InvalidRequest, "400")]
        [InlineData("{\"status\":\"invalid_request\"}", OAuthSaslStatus.InvalidRequest, "invalid_request")]
        [InlineData("{\"status\":\"insufficient_scope\",\"scope\":\"a b\"}", OAuthSaslStatus.InsufficientScope, "insufficient_scope")]
        [InlineData("{\"status\":\"403\"}", OAuthSaslStatus.InsufficientScope, "403")]
        [InlineData("{\"status\":\"server_busy\"}", OAuthSaslStatus.Other, "server_busy")]
        [InlineData(" { \"extra\" : [1, {\"x\": null}], \"status\" : \"inv\\u0061lid_token\" } ", OAuthSaslStatus.InvalidToken, "invalid_token")]
        [InlineData("{\"scope\":\"x\"}", OAuthSaslStatus.Malformed, "")]
        [InlineData("{\"status\":401}", OAuthSaslStatus.Malformed, "")]
        [InlineData("not json", OAuthSaslStatus.Malformed, "")]
        [InlineData("{\"status\":\"invalid_token\"", OAuthSaslStatus.Malformed, "")]
        [InlineData("{\"status\":\"invalid_token\"} x", OAuthSaslStatus.Malformed, "")]
        [InlineData("[\"invalid_token\"]", OAuthSaslStatus.Malformed, "")]
        [InlineData("", OAuthSaslStatus.Malformed, "")]
        public void XOAuth2_answers_any_error_challenge_with_an_empty_response_and_classifies_it(string json, OAuthSaslStatus expected, string statusText)
        {
            var mechanism = new XOAuth2(TestBytes.Ascii("u@example.com"), TestBytes.Ascii("tok"));
            mechanism.InitialResponse();
            byte[] challenge = Encoding.UTF8.GetBytes(json);

            byte[] answer = mechanism.Respond(challenge, 0, challenge.Length);

            Assert.NotNull(answer);
            Assert.Empty(answer);
            Assert.Equal(expected, mechanism.ErrorStatus);
            Assert.Equal(statusText, mechanism.ErrorStatusText);
            Assert.Equal(expected == OAuthSaslStatus.InvalidToken, mechanism.TokenRejected);
            Assert.True(mechanism.IsComplete);
        }

        [Fact]
        public void Without_initial_response_the_empty_challenge_gets_the_message()
        {
            foreach (OAuthSaslMechanism mechanism in new OAuthSaslMechanism[] { new XOAuth2(TestBytes.Ascii("u"), TestBytes.Ascii("t")), new OAuthBearer(TestBytes.Ascii("u"), TestBytes.Ascii("t")) })
            {
                int length = mechanism.InitialResponseLength;

                byte[] message = mechanism.Respond(new byte[0], 0, 0);

                Assert.Equal(length, message.Length);
                Assert.False(mechanism.IsComplete);
                Assert.Equal(-1, mechanism.InitialResponseLength);
                Assert.Null(mechanism.InitialResponse());
                Assert.Equal(OAuthSaslStatus.None, mechanism.ErrorStatus);
            }
        }

        [Fact]
        public void A_non_empty_challenge_before_the_message_is_refused()
        {
            var mechanism = new XOAuth2(TestBytes.Ascii("u"), TestBytes.Ascii("t"));
            byte[] challenge = TestBytes.Ascii("{\"status\":\"401\"}");

            Assert.Null(mechanism.Respond(challenge, 0, challenge.Length));
        }

        [Theory]
        [InlineData("has space")]
        [InlineData("")]
        [InlineData("=abc")]
        [InlineData("ab=c")]
        [InlineData("tok\u0001en")]
        [InlineData("tok\r\nen")]
        [InlineData("tok\u00e9")]
        public void A_token_outside_rfc_6750_b64token_syntax_is_not_sent(string token)
        {
            var mechanism = new OAuthBearer(TestBytes.Ascii("u"), Encoding.UTF8.GetBytes(token));

            Assert.Equal(-1, mechanism.InitialResponseLength);
            Assert.Null(mechanism.InitialResponse());
            Assert.Null(mechanism.Respond(new byte[0], 0, 0));
        }

        [Theory]
        [InlineData("abc-._~+/")]
        [InlineData("a==")]
        [InlineData("Z")]
        public void B64token_syntax_is_accepted(string token)
        {
            Assert.NotNull(new XOAuth2(TestBytes.Ascii("u"), TestBytes.Ascii(token)).InitialResponse());
        }

        [Fact]
        public void A_user_name_with_the_separator_is_not_sent()
        {
            Assert.Null(new XOAuth2(TestBytes.Ascii("u\u0001x"), TestBytes.Ascii("t")).InitialResponse());
            Assert.Null(new OAuthBearer(new byte[] { (byte)'u', 0 }, TestBytes.Ascii("t")).InitialResponse());
        }

        [Fact]
        public void Clear_wipes_the_token_and_user_and_refuses_everything_after()
        {
            var mechanism = new OAuthBearer(TestBytes.Ascii("user@example.com"), TestBytes.Ascii(Rfc7628Token), "server.example.com", 587);
            mechanism.InitialResponse();

            mechanism.Clear();

            Assert.True(SaslTestSupport.AllZero(SaslTestSupport.StoredPassword(mechanism)));
            Assert.True(SaslTestSupport.AllZero(SaslTestSupport.StoredUser(mechanism)));
            byte[] challenge = Challenge(Rfc7628SmtpError);
            Assert.Null(mechanism.Respond(challenge, 0, challenge.Length));
            Assert.Equal(-1, mechanism.InitialResponseLength);
        }

        [Fact]
        public void The_mechanism_keeps_a_copy_of_the_token()
        {
            byte[] token = TestBytes.Ascii("secret-token");
            var mechanism = new XOAuth2(TestBytes.Ascii("u"), token);
            Array.Clear(token, 0, token.Length);

            Assert.Contains("auth=Bearer secret-token", Encoding.ASCII.GetString(mechanism.InitialResponse()));
        }

        [Fact]
        public void OAuthBearer_refuses_a_bad_host_or_port()
        {
            Assert.Throws<ArgumentException>(() => new OAuthBearer(TestBytes.Ascii("u"), TestBytes.Ascii("t"), "bad host", 25));
            Assert.Throws<ArgumentOutOfRangeException>(() => new OAuthBearer(TestBytes.Ascii("u"), TestBytes.Ascii("t"), "h", 70000));
        }
    }
}
