namespace NetBoard.Firmware.Smtp
{
    /// <summary>A message produced on demand in whole CRLF-terminated lines, so the body never sits whole in memory.</summary>
    public interface IMessageReader
    {
        /// <summary>The message's total size in octets before dot-stuffing (for SIZE=).</summary>
        long Length { get; }

        /// <summary>
        /// Writes as many whole lines as fit into <paramref name="count"/> octets (the caller gives at least
        /// 1000); returns 0 once the message is complete.
        /// </summary>
        int Read(byte[] buffer, int offset, int count);
    }
}
