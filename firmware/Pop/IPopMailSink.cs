namespace NetBoard.Firmware.Pop
{
    /// <summary>
    /// Where a receiving <see cref="PopSession"/> puts messages, and what it asks to avoid fetching one twice.
    /// A message is deleted on the server only after <see cref="Commit"/> returned true, and the deletion is
    /// final only when the server answers QUIT; so a session cut short loses nothing, and <see cref="Has"/>
    /// keeps what was already stored from being stored again.
    /// </summary>
    /// <remarks>
    /// A server without UIDL gives no unique ids: the session then asks <c>Has("")</c> once. False agrees to
    /// take every message as new, with the empty string as its id (a connection lost between a commit and
    /// the QUIT reply then brings that message again next time); true leaves all messages on the server.
    /// </remarks>
    public interface IPopMailSink
    {
        /// <summary>True when the message with this unique id (RFC 1939 UIDL) is already stored.</summary>
        /// <param name="uid">The server's unique id, or an empty string (see the remarks).</param>
        /// <returns>True to skip the message.</returns>
        bool Has(string uid);

        /// <summary>A message starts; <see cref="Write"/> calls follow, then <see cref="Commit"/> or <see cref="Abort"/>.</summary>
        /// <param name="uid">The unique id, or an empty string when the server has no UIDL.</param>
        /// <param name="size">The size the server announced in LIST, in octets, or -1 when it did not.</param>
        void Begin(string uid, long size);

        /// <summary>The next bytes of the message, dot-unstuffed, with their CRLF line ends; never the terminating ".".</summary>
        /// <param name="buffer">The session's buffer; valid only during the call.</param>
        /// <param name="offset">The first byte.</param>
        /// <param name="count">How many bytes, at most <see cref="PopSession.BodyChunkSize"/>.</param>
        void Write(byte[] buffer, int offset, int count);

        /// <summary>The message is complete; store it for good. The session deletes it on the server only when this returns true.</summary>
        /// <returns>True when the message is stored and <see cref="Has"/> will say so from now on.</returns>
        bool Commit();

        /// <summary>The message is incomplete (connection lost, timeout, or a storage failure); forget what was written.</summary>
        void Abort();
    }
}
