namespace NetBoard.Firmware.OAuth
{
    /// <summary>The state of the board's OAuth 2.0 tokens, as <see cref="IOAuthTokens.Status"/> reports it.</summary>
    public enum OAuthTokenStatus
    {
        /// <summary>OAuth is not configured.</summary>
        Off,

        /// <summary>An access token is valid.</summary>
        Ready,

        /// <summary>A token request is on its way (refresh or client credentials); look again later.</summary>
        Refreshing,

        /// <summary>No refresh token, or the authorization server refused it (invalid_grant): someone must sign in again.</summary>
        SignInNeeded,

        /// <summary>The last token request failed for a reason that may pass (server unreachable, 5xx); it is retried later.</summary>
        Failed,
    }
}
