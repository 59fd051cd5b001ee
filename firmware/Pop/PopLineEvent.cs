namespace NetBoard.Firmware.Pop
{
    /// <summary>What <see cref="PopLineReader.Feed"/> stopped at.</summary>
    public enum PopLineEvent
    {
        /// <summary>All bytes consumed; the current line is not complete yet.</summary>
        NeedMore,

        /// <summary>A line is complete and readable until the next call.</summary>
        Line,

        /// <summary>The line broke the length bound; <see cref="PopLineReader.Error"/> says so.</summary>
        Error,
    }
}
