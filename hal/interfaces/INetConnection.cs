using System;

namespace NetBoard.Hal
{
    /// <summary>
    /// One TCP connection. Every member returns at once: reads take only what is already
    /// received, writes only what the send buffer accepts, so the scheduler thread never blocks.
    /// </summary>
    public interface INetConnection : IDisposable
    {
        /// <summary>The connection's state; it moves forward only (Connecting, Open, then Closed or Failed).</summary>
        NetState State { get; }

        /// <summary>Why the connection failed, when <see cref="State"/> is Failed.</summary>
        NetError Error { get; }

        /// <summary>The stack's own error text (never holds payload bytes), or an empty string.</summary>
        string ErrorText { get; }

        /// <summary>The local address as dotted text once open, e.g. "192.168.1.20", or an empty string.</summary>
        string LocalAddress { get; }

        /// <summary>Bytes that <see cref="Read"/> can return now without waiting.</summary>
        int Available { get; }

        /// <summary>
        /// Copies up to <paramref name="count"/> received bytes; returns 0 when none are waiting.
        /// When the peer has closed, returns 0 and <see cref="State"/> becomes Closed.
        /// </summary>
        int Read(byte[] buffer, int offset, int count);

        /// <summary>Queues up to <paramref name="count"/> bytes for sending; returns how many were taken (0 when the send buffer is full).</summary>
        int Write(byte[] buffer, int offset, int count);

        /// <summary>Closes the connection; safe to call more than once.</summary>
        void Close();
    }
}
