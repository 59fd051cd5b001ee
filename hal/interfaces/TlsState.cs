namespace NetBoard.Hal
{
    /// <summary>Whether a connection is encrypted.</summary>
    public enum TlsState
    {
        /// <summary>Plain TCP.</summary>
        None,

        /// <summary>The TLS handshake is running.</summary>
        Handshaking,

        /// <summary>Encrypted: every byte read and written goes through TLS.</summary>
        Established,
    }
}
