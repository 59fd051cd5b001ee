namespace NetBoard.Firmware.Jobs
{
    /// <summary>Where a transmission job is.</summary>
    public enum JobState
    {
        /// <summary>Accepted and waiting for its (next) attempt.</summary>
        Queued,

        /// <summary>An attempt is running.</summary>
        Sending,

        /// <summary>The server accepted the message; it is never sent again.</summary>
        Sent,

        /// <summary>Failed for good (a permanent error, or out of attempts).</summary>
        Failed,
    }
}
