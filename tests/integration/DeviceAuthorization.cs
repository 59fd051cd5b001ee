using System.Text.Json;

namespace NetBoard.Integration.Tests
{
    /// <summary>A device authorization response (RFC 8628 section 3.2).</summary>
    internal sealed class DeviceAuthorization
    {
        public DeviceAuthorization(string clientId, JsonElement json)
        {
            ClientId = clientId;
            DeviceCode = json.GetProperty("device_code").GetString();
            UserCode = json.GetProperty("user_code").GetString();
            VerificationUri = json.GetProperty("verification_uri").GetString();
            VerificationUriComplete = json.TryGetProperty("verification_uri_complete", out JsonElement complete) ? complete.GetString() : null;
            ExpiresInS = json.GetProperty("expires_in").GetInt32();
            // RFC 8628: 5 s when the server names no interval
            IntervalS = json.TryGetProperty("interval", out JsonElement interval) ? interval.GetInt32() : 5;
        }

        public string ClientId { get; }

        public string DeviceCode { get; }

        public string UserCode { get; }

        public string VerificationUri { get; }

        public string VerificationUriComplete { get; }

        public int ExpiresInS { get; }

        public int IntervalS { get; }

        /// <summary>When the device last asked the token endpoint (set by <see cref="OAuthLab.PollAsync"/>).</summary>
        public DateTime? LastPollUtc { get; set; }
    }
}
