using NetBoard.Hal;

namespace NetBoard.Firmware.Net
{
    /// <summary>
    /// A client protocol session as a state machine that never touches the network itself
    /// (SMTP, POP3): <see cref="SessionTransfer"/> feeds it received bytes and connection events
    /// and sends what it puts in its output buffer.
    /// </summary>
    public interface IClientSession
    {
        /// <summary>True once the session has ended; its result is final then.</summary>
        bool IsDone { get; }

        /// <summary>True between <see cref="Start"/> and <see cref="OnConnected"/>.</summary>
        bool IsConnecting { get; }

        /// <summary>When the current step times out, on the caller's millisecond clock.</summary>
        long Deadline { get; }

        /// <summary>The buffer holding octets to send.</summary>
        byte[] Output { get; }

        /// <summary>The first octet to send in <see cref="Output"/>.</summary>
        int OutputOffset { get; }

        /// <summary>How many octets wait to be sent.</summary>
        int OutputCount { get; }

        /// <summary>True when the session waits for the caller to run a TLS handshake (after STARTTLS or STLS was accepted).</summary>
        bool WantsTls { get; }

        /// <summary>The TLS handshake the session asked for succeeded.</summary>
        void OnTlsStarted(long nowMs);

        /// <summary>Starts the session: the caller is connecting now.</summary>
        void Start(long nowMs);

        /// <summary>The connection is open.</summary>
        void OnConnected(string localAddress, long nowMs);

        /// <summary>Connecting failed.</summary>
        void OnConnectFailed(NetError error, string errorText);

        /// <summary>The connection ended before the session did.</summary>
        void OnConnectionEnded(NetError error, string errorText);

        /// <summary>Bytes received from the server.</summary>
        void Receive(byte[] buffer, int offset, int count, long nowMs);

        /// <summary>The caller sent <paramref name="count"/> octets from <see cref="Output"/>.</summary>
        void OnSent(int count, long nowMs);

        /// <summary>Ends the session if its current step has passed its deadline.</summary>
        void CheckTimeout(long nowMs);

        /// <summary>
        /// True while the session computes something between network events (SCRAM's key derivation) and
        /// wants <see cref="Compute"/> called at every step until it is done.
        /// </summary>
        bool IsComputing { get; }

        /// <summary>Does one bounded slice of the computation <see cref="IsComputing"/> announced.</summary>
        void Compute(long nowMs);
    }
}
