namespace NetBoard.Firmware.OAuth
{
    /// <summary>Where a device sign-in (RFC 8628) started from the panel or the virtual board is.</summary>
    public enum OAuthSignInState
    {
        /// <summary>No sign-in was started.</summary>
        Idle,

        /// <summary>The device code is being requested.</summary>
        Starting,

        /// <summary>The user code and verification URI are shown; the token endpoint is polled.</summary>
        WaitingForUser,

        /// <summary>The sign-in succeeded and the refresh token is stored.</summary>
        SignedIn,

        /// <summary>The sign-in ended without tokens; the error code says why.</summary>
        Failed,
    }
}
