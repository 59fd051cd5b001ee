namespace NetBoard.Hal
{
    /// <summary>Opens TCP connections: resolves the name and connects without blocking the caller.</summary>
    public interface INetConnector
    {
        /// <summary>
        /// Starts connecting to <paramref name="host"/> (a name or a dotted address) on <paramref name="port"/>.
        /// Returns at once with a connection in the Connecting state.
        /// </summary>
        /// <param name="host">Host name or address literal.</param>
        /// <param name="port">TCP port, 1 to 65535.</param>
        /// <param name="localAddress">Source address to bind, or null or empty for the stack's choice.</param>
        INetConnection Connect(string host, int port, string localAddress);
    }
}
