namespace NetBoard.Hal
{
    /// <summary>Where a network connection is in its life.</summary>
    public enum NetState
    {
        /// <summary>Name resolution or the TCP handshake is still running.</summary>
        Connecting,

        /// <summary>Connected; bytes can be read and written.</summary>
        Open,

        /// <summary>The peer closed the connection, or it was closed locally.</summary>
        Closed,

        /// <summary>Connecting failed, or the connection broke; <see cref="INetConnection.Error"/> says why.</summary>
        Failed,
    }
}
