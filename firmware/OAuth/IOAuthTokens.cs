namespace NetBoard.Firmware.OAuth
{
    /// <summary>
    /// The OAuth 2.0 access token the mail sessions present with XOAUTH2 or OAUTHBEARER, kept fresh by the
    /// board's OAuth task (refresh-token or client-credentials grant). The send and receive tasks ask for it
    /// when an attempt begins and never wait on the network for it: when no token is valid they request a
    /// refresh and look again on a later step.
    /// </summary>
    public interface IOAuthTokens
    {
        /// <summary>True when the settings configure OAuth 2.0 (a provider and a grant), whether signed in or not.</summary>
        bool IsConfigured { get; }

        /// <summary>What the tokens are doing now.</summary>
        OAuthTokenStatus Status { get; }

        /// <summary>
        /// The user error code that explains <see cref="OAuthTokenStatus.SignInNeeded"/> or
        /// <see cref="OAuthTokenStatus.Failed"/>, else 0.
        /// </summary>
        int ErrorCode { get; }

        /// <summary>
        /// A copy of the access token valid at <paramref name="nowMs"/> for at least the refresh margin, or null
        /// when there is none (not signed in, expired, being refreshed). The caller owns the copy and wipes it
        /// (<c>Array.Clear</c>) when the session ends.
        /// </summary>
        /// <param name="nowMs">The scheduler's clock.</param>
        byte[] CopyAccessToken(long nowMs);

        /// <summary>
        /// Asks for a new access token without waiting for it. <paramref name="rejected"/> is the token a mail server
        /// refused (it is dropped, so <see cref="CopyAccessToken"/> never returns it again), or null when the caller only
        /// found none valid. A request while a refresh runs joins that refresh.
        /// </summary>
        /// <param name="rejected">The refused token, or null.</param>
        void RequestRefresh(byte[] rejected);
    }
}
