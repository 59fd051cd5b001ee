namespace NetBoard.Firmware.Http
{
    /// <summary>The states of <see cref="HttpExchange"/>.</summary>
    public enum HttpExchangeState
    {
        /// <summary>Not started.</summary>
        Idle,

        /// <summary>The caller is connecting (and, for https, running the TLS handshake).</summary>
        Connecting,

        /// <summary>The request is being sent.</summary>
        Sending,

        /// <summary>The request went; the response is coming.</summary>
        Receiving,

        /// <summary>Ended; the result is final.</summary>
        Done,
    }
}
