using System;

namespace NetBoard.Hal.Host
{
    /// <summary>Opens <see cref="TcpConnection"/>s on the host's socket stack.</summary>
    public sealed class TcpConnector : INetConnector
    {
        private const int MaxPort = 65535;

        /// <inheritdoc />
        public INetConnection Connect(string host, int port, string localAddress)
        {
            return ConnectTcp(host, port, localAddress);
        }

        /// <summary>
        /// Like <see cref="Connect"/>, but typed, so host code can use <see cref="TcpConnection.WaitReadable"/>.
        /// </summary>
        /// <param name="host">Host name or address literal.</param>
        /// <param name="port">TCP port, 1 to 65535.</param>
        /// <param name="localAddress">Source address to bind, or null or empty for the stack's choice.</param>
        /// <returns>A connection in the Connecting state.</returns>
        public TcpConnection ConnectTcp(string host, int port, string localAddress)
        {
            if (string.IsNullOrEmpty(host))
            {
                throw new ArgumentException("A host is required.", nameof(host));
            }

            if (port < 1 || port > MaxPort)
            {
                throw new ArgumentOutOfRangeException(nameof(port));
            }

            var connection = new TcpConnection();
            connection.BeginConnect(host, port, localAddress);
            return connection;
        }
    }
}
