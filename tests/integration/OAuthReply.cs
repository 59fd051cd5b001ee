using System.Net;
using System.Text.Json;

namespace NetBoard.Integration.Tests
{
    /// <summary>An authorization server's JSON reply: a token response (RFC 6749 section 5.1) or an error (section 5.2).</summary>
    internal sealed class OAuthReply
    {
        public OAuthReply(HttpStatusCode status, string body)
        {
            Status = status;
            Body = body;
            try
            {
                Json = string.IsNullOrEmpty(body) ? default : JsonDocument.Parse(body).RootElement.Clone();
            }
            catch (JsonException)
            {
                Json = default;
            }
        }

        public HttpStatusCode Status { get; }

        public string Body { get; }

        public JsonElement Json { get; }

        /// <summary>The error code, or null on success.</summary>
        public string Error => Text("error");

        public string AccessToken => Text("access_token");

        public string RefreshToken => Text("refresh_token");

        public string TokenType => Text("token_type");

        public string Scope => Text("scope");

        public int ExpiresInS => Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty("expires_in", out JsonElement e) ? e.GetInt32() : 0;

        /// <summary>Fails the test unless this is a bearer token response; returns it for chaining.</summary>
        public OAuthReply AssertToken()
        {
            Assert.True(Status == HttpStatusCode.OK && AccessToken != null, "no token: " + this);
            Assert.Equal("Bearer", TokenType);
            return this;
        }

        /// <summary>The status and the error fields only: never a token in a failure message.</summary>
        public override string ToString()
        {
            return (int)Status + " error=" + (Error ?? "none") + " " + (Text("error_description") ?? string.Empty);
        }

        private string Text(string name)
        {
            return Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
        }
    }
}
