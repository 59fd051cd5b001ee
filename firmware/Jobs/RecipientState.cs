namespace NetBoard.Firmware.Jobs
{
    /// <summary>Where one recipient of a job is.</summary>
    public enum RecipientState
    {
        /// <summary>Still to be sent to (never tried, or deferred with a 4xx).</summary>
        Pending,

        /// <summary>A server took the message for this recipient; it is never sent to again.</summary>
        Sent,

        /// <summary>The server refused this recipient for good (5xx to RCPT) while taking the message for others.</summary>
        Rejected,
    }
}
