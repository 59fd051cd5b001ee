using System;
using System.Text;
using NetBoard.Firmware.OAuth;

namespace NetBoard.Firmware.Tests.OAuth
{
    public class OAuthResponseTests
    {
        private static OAuthResponse Parse(string json)
        {
            byte[] body = Encoding.UTF8.GetBytes(json);
            return OAuthResponse.Parse(body, 0, body.Length);
        }

        private static string Text(byte[] value) => value == null ? null : Encoding.ASCII.GetString(value);

        [Fact]
        public void Token_response_of_rfc_6749_5_1()
        {
            OAuthResponse r = Parse("{\"access_token\":\"2YotnFZFEjr1zCsicMWpAA\",\"token_type\":\"example\",\"expires_in\":3600,"
                + "\"refresh_token\":\"tGzv3JOkF0XG5Qx2TlKWIA\",\"example_parameter\":\"example_value\"}");

            Assert.True(r.IsValid, r.ParseError);
            Assert.False(r.IsError);
            Assert.Equal("2YotnFZFEjr1zCsicMWpAA", Text(r.AccessToken));
            Assert.Equal("tGzv3JOkF0XG5Qx2TlKWIA", Text(r.RefreshToken));
            Assert.Equal("example", r.TokenType);
            Assert.Equal(3600, r.ExpiresIn);
            Assert.Equal(-1, r.Interval);
            Assert.Null(r.DeviceCode);
        }

        [Fact]
        public void Device_authorization_response_of_rfc_8628_3_2()
        {
            OAuthResponse r = Parse("{\n \"device_code\": \"GmRhmhcxhwAzkoEqiMEg_DnyEysNkuNhszIySk9eS\",\n \"user_code\": \"WDJB-MJHT\",\n"
                + " \"verification_uri\": \"https://example.com/device\",\n \"verification_uri_complete\":\n \"https://example.com/device?user_code=WDJB-MJHT\",\n"
                + " \"expires_in\": 1800,\n \"interval\": 5\n}");

            Assert.True(r.IsValid, r.ParseError);
            Assert.Equal("GmRhmhcxhwAzkoEqiMEg_DnyEysNkuNhszIySk9eS", Text(r.DeviceCode));
            Assert.Equal("WDJB-MJHT", r.UserCode);
            Assert.Equal("https://example.com/device", r.VerificationUri);
            Assert.Equal("https://example.com/device?user_code=WDJB-MJHT", r.VerificationUriComplete);
            Assert.Equal(1800, r.ExpiresIn);
            Assert.Equal(5, r.Interval);
        }

        [Fact]
        public void Microsoft_style_error_with_nested_members_and_escapes()
        {
            OAuthResponse r = Parse("{\"error\":\"authorization_pending\",\"error_description\":\"AADSTS70016: OAuth 2.0 device flow error.\\r\\nTrace ID: 0\\u00e9\","
                + "\"error_codes\":[70016],\"timestamp\":\"2026-01-01 00:00:00Z\",\"trace_id\":\"x\",\"correlation_id\":\"y\",\"error_uri\":\"https://login.example/error?code=70016\"}");

            Assert.True(r.IsValid, r.ParseError);
            Assert.True(r.IsError);
            Assert.Equal("authorization_pending", r.Error);
            Assert.Equal("AADSTS70016: OAuth 2.0 device flow error.\r\nTrace ID: 0\u00e9", r.ErrorDescription);
            Assert.Null(r.AccessToken);
        }

        [Fact]
        public void Seconds_may_come_as_a_digit_string()
        {
            OAuthResponse r = Parse("{\"token_type\":\"Bearer\",\"expires_in\":\"3599\",\"ext_expires_in\":\"3599\",\"access_token\":\"eyJ0eXAi.x.y\",\"scope\":\"https://outlook.office.com/SMTP.Send\"}");

            Assert.True(r.IsValid, r.ParseError);
            Assert.Equal(3599, r.ExpiresIn);
            Assert.Equal("https://outlook.office.com/SMTP.Send", r.Scope);
        }

        [Theory]
        [InlineData("[]", "body is not a JSON object")]
        [InlineData("\"x\"", "body is not a JSON object")]
        [InlineData("", "body is not JSON: JSON text ends too early")]
        [InlineData("<html>502</html>", "body is not JSON: value expected")]
        [InlineData("{\"access_token\":\"a\",}", "body is not JSON: member name expected")]
        [InlineData("{\"access_token\":\"a\"} trailing", "body is not JSON: data after the JSON value")]
        [InlineData("{\"access_token\":\"a\",\"access_token\":\"b\"}", "member access_token appears twice")]
        [InlineData("{\"access_token\":42}", "member access_token is not a string")]
        [InlineData("{\"access_token\":\"\"}", "member access_token is not a token")]
        [InlineData("{\"refresh_token\":\"a\\u0001b\"}", "member refresh_token is not a token")]
        [InlineData("{\"device_code\":\"caf\\u00e9\"}", "member device_code is not a token")]
        [InlineData("{\"expires_in\":-1}", "member expires_in is not a number of seconds")]
        [InlineData("{\"expires_in\":1.5}", "member expires_in is not a number of seconds")]
        [InlineData("{\"interval\":\"5s\"}", "member interval is not a number of seconds")]
        [InlineData("{\"interval\":true}", "member interval is not a number of seconds")]
        [InlineData("{\"expires_in\":99999999999}", "member expires_in is not a number of seconds")]
        [InlineData("{\"error\":null}", "member error is not a string")]
        [InlineData("{\"user_code\":[\"A\"]}", "member user_code is not a string")]
        [InlineData("{\"x\":[1,2}", "body is not JSON: ',' or ']' expected")]
        public void Malformed_bodies_are_refused_with_a_clear_error(string json, string error)
        {
            OAuthResponse r = Parse(json);

            Assert.False(r.IsValid);
            Assert.Equal(error, r.ParseError);
        }

        [Fact]
        public void A_refused_body_leaves_no_token_behind()
        {
            OAuthResponse r = Parse("{\"access_token\":\"secret1\",\"refresh_token\":\"secret2\",\"expires_in\":\"soon\"}");

            Assert.False(r.IsValid);
            Assert.Null(r.AccessToken);
            Assert.Null(r.RefreshToken);
            Assert.DoesNotContain("secret", r.ParseError);
        }

        [Fact]
        public void Token_length_is_bounded()
        {
            string max = new string('a', OAuthResponse.MaxTokenLength);

            Assert.True(Parse("{\"access_token\":\"" + max + "\"}").IsValid);
            Assert.Equal("member access_token longer than 8192 octets", Parse("{\"access_token\":\"" + max + "b\"}").ParseError);
            Assert.Equal("member verification_uri longer than 2048 octets", Parse("{\"verification_uri\":\"" + new string('u', 2049) + "\"}").ParseError);
        }

        [Fact]
        public void A_long_error_description_is_cut()
        {
            OAuthResponse r = Parse("{\"error\":\"invalid_grant\",\"error_description\":\"" + new string('d', 5000) + "\"}");

            Assert.True(r.IsValid);
            Assert.Equal(OAuthResponse.MaxDescriptionLength, r.ErrorDescription.Length);
        }

        [Fact]
        public void Clear_wipes_the_secrets()
        {
            OAuthResponse r = Parse("{\"access_token\":\"at\",\"refresh_token\":\"rt\",\"device_code\":\"dc\"}");
            byte[] access = r.AccessToken;
            byte[] refresh = r.RefreshToken;
            byte[] device = r.DeviceCode;

            r.Clear();

            Assert.All(access, b => Assert.Equal(0, b));
            Assert.All(refresh, b => Assert.Equal(0, b));
            Assert.All(device, b => Assert.Equal(0, b));
            Assert.Null(r.AccessToken);
        }

        [Fact]
        public void Escaped_member_names_are_recognised()
        {
            OAuthResponse r = Parse("{\"access\\u005ftoken\":\"a\\/b\"}");

            Assert.Equal("a/b", Text(r.AccessToken));
        }
    }
}
