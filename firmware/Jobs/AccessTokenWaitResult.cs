namespace NetBoard.Firmware.Jobs
{
    /// <summary>What one look at the OAuth 2.0 tokens found (<see cref="AccessTokenWait.Poll"/>).</summary>
    public enum AccessTokenWaitResult
    {
        /// <summary>No token yet: look again later.</summary>
        Waiting,

        /// <summary>A token is there for the attempt.</summary>
        Ready,

        /// <summary>No token will come for this attempt; the code says why.</summary>
        Failed,
    }
}
