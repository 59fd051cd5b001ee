namespace NetBoard.Firmware.Scheduling
{
    /// <summary>What a task waits for before its next step.</summary>
    public enum TaskWaitKind
    {
        /// <summary>Run again on the next pass.</summary>
        Ready,

        /// <summary>Run at <see cref="SchedulerTask.WakeAtMs"/>.</summary>
        Time,

        /// <summary>Run when the mail-session lock is free (or at the deadline).</summary>
        Lock,

        /// <summary>Run when the connection has data, the peer closed it, or it changed state (or at the deadline).</summary>
        Readable,

        /// <summary>Run when the one-shot timer has fired (or at the deadline).</summary>
        Timer,
    }
}
