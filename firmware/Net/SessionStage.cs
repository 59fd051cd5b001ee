namespace NetBoard.Firmware.Net
{
    /// <summary>Where a <see cref="ClientSession"/> is in its life, whatever its protocol.</summary>
    public enum SessionStage
    {
        /// <summary>Not started.</summary>
        Idle,

        /// <summary>The caller is connecting (and, for implicit TLS, running the handshake).</summary>
        Connecting,

        /// <summary>Connected: the protocol runs.</summary>
        Open,

        /// <summary>The server said go ahead to STARTTLS or STLS: the caller runs the TLS handshake.</summary>
        TlsHandshake,

        /// <summary>Ended; the result is final.</summary>
        Done,
    }
}
