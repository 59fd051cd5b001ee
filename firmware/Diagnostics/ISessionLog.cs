namespace NetBoard.Firmware.Diagnostics
{
    /// <summary>
    /// Receives the protocol dialogue (commands and reply lines, never message bodies);
    /// authentication payloads arrive already masked.
    /// </summary>
    public interface ISessionLog
    {
        /// <summary>One line: <paramref name="sent"/> is true for what the device sent.</summary>
        void Line(bool sent, string text);
    }
}
