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
        /// True when <see cref="Read"/> has something to report now: received bytes, or the end of the
        /// connection (the peer's FIN or reset, a TLS close_notify) once every byte before it has been read.
        /// Never blocks. A task waiting for a reply polls it, so a server that hangs up is noticed at once,
        /// not at the step's deadline (<see cref="Available"/> stays 0 after a close).
        /// </summary>
        bool IsReadable { get; }

        /// <summary>
        /// Copies up to <paramref name="count"/> received bytes; returns 0 when none are waiting.
        /// When the peer has closed, returns 0 and <see cref="State"/> becomes Closed.
        /// </summary>
        int Read(byte[] buffer, int offset, int count);

        /// <summary>Queues up to <paramref name="count"/> bytes for sending; returns how many were taken (0 when the send buffer is full).</summary>
        int Write(byte[] buffer, int offset, int count);

        /// <summary>Whether the connection is encrypted.</summary>
        TlsState Tls { get; }

        /// <summary>The negotiated protocol and cipher once encrypted (e.g. "Tls13 TLS_AES_256_GCM_SHA384"), else empty.</summary>
        string TlsDescription { get; }

        /// <summary>
        /// Starts a TLS client handshake on the open connection (right after connecting for implicit TLS,
        /// or after STARTTLS/STLS was accepted). Returns at once: <see cref="Tls"/> is Handshaking, then
        /// Established; on failure <see cref="State"/> becomes Failed with Error Tls or Certificate and the
        /// reason in <see cref="ErrorText"/>. Call it only when no received bytes are waiting: the core
        /// treats clear-text bytes after the server's go-ahead as an injection attack, never as TLS data.
        /// </summary>
        /// <param name="targetHost">The server name the certificate must carry.</param>
        /// <param name="policy">How the certificate is checked.</param>
        void StartTls(string targetHost, TlsPolicy policy);

        /// <summary>Closes the connection; safe to call more than once.</summary>
        void Close();
    }
}
