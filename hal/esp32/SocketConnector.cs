using System;

namespace NetBoard.Hal.Esp32
{
    /// <summary>
    /// Opens TCP connections on the device's lwIP stack. Each connection resolves and connects on a
    /// worker thread of its own, so <see cref="Connect"/> returns at once.
    /// </summary>
    public sealed class SocketConnector : INetConnector
    {
        private readonly IStorage _storage;

        /// <summary>Creates the connector; <paramref name="storage"/> holds the CA files named by tls.ca_file.</summary>
        public SocketConnector(IStorage storage)
        {
            if (storage == null)
            {
                throw new ArgumentNullException("storage");
            }

            _storage = storage;
        }

        /// <inheritdoc />
        public INetConnection Connect(string host, int port, string localAddress)
        {
            if (host == null || host.Length == 0)
            {
                throw new ArgumentException("A host is required.", "host");
            }

            if (port < 1 || port > 65535)
            {
                throw new ArgumentOutOfRangeException("port");
            }

            var connection = new SocketConnection(_storage);
            connection.BeginConnect(host, port, localAddress);
            return connection;
        }
    }
}
