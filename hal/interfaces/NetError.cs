namespace NetBoard.Hal
{
    /// <summary>The category of a network failure, as the stack reported it.</summary>
    public enum NetError
    {
        /// <summary>No failure.</summary>
        None,

        /// <summary>The host name could not be resolved.</summary>
        HostNotFound,

        /// <summary>The peer refused the connection.</summary>
        Refused,

        /// <summary>The peer or its network could not be reached.</summary>
        Unreachable,

        /// <summary>Connecting took longer than the stack allows.</summary>
        TimedOut,

        /// <summary>The connection was reset or aborted while open.</summary>
        Reset,

        /// <summary>The TLS handshake failed (no common protocol version or cipher, cut off, not TLS at all).</summary>
        Tls,

        /// <summary>The TLS handshake reached the server's certificate and it was refused (untrusted, expired, wrong name).</summary>
        Certificate,

        /// <summary>The local address to bind could not be used.</summary>
        LocalAddress,

        /// <summary>Any other stack error; the error text says which.</summary>
        Other,
    }
}
