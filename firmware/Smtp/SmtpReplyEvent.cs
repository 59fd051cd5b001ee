namespace NetBoard.Firmware.Smtp
{
    /// <summary>What <see cref="SmtpReplyReader.Feed"/> stopped at.</summary>
    public enum SmtpReplyEvent
    {
        /// <summary>All bytes consumed; the current line is not complete yet.</summary>
        NeedMore,

        /// <summary>A line of a multi-line reply is complete (more lines follow).</summary>
        Line,

        /// <summary>The last line of a reply is complete: the reply is whole.</summary>
        Reply,

        /// <summary>The server broke the reply syntax; <see cref="SmtpReplyReader.Error"/> says how.</summary>
        Error,
    }
}
