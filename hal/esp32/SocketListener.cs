using System;
using System.Net;
using System.Net.Sockets;

namespace NetBoard.Hal.Esp32
{
    /// <summary>
    /// A listening TCP socket on the device's lwIP stack. <see cref="Accept"/> polls with a zero
    /// timeout, so it takes only a client that is already waiting and never blocks the scheduler.
    /// </summary>
    public sealed class SocketListener : INetListener
    {
        /// <summary>Pending connections lwIP queues before it refuses more; the board serves few at a time.</summary>
        public const int Backlog = 2;

        private readonly object _sync = new object();
        private readonly IStorage _storage;
        private readonly int _localPort;
        private Socket _socket;

        /// <summary>
        /// Binds <paramref name="address"/> (null or empty: every interface) on <paramref name="port"/> and listens.
        /// <paramref name="storage"/> is handed to the accepted connections (it holds CA files).
        /// </summary>
        public SocketListener(IStorage storage, string address, int port)
        {
            if (storage == null)
            {
                throw new ArgumentNullException("storage");
            }

            if (port < 1 || port > 65535)
            {
                throw new ArgumentOutOfRangeException("port");
            }

            _storage = storage;
            IPAddress ip = address == null || address.Length == 0 ? IPAddress.Any : IPAddress.Parse(address);
            Socket socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Bind(new IPEndPoint(ip, port));
                socket.Listen(Backlog);
            }
            catch (Exception)
            {
                socket.Close();
                throw;
            }

            _localPort = port;
            _socket = socket;
        }

        /// <inheritdoc />
        public bool IsListening
        {
            get
            {
                lock (_sync)
                {
                    return _socket != null;
                }
            }
        }

        /// <inheritdoc />
        public int LocalPort
        {
            get { return _localPort; }
        }

        /// <inheritdoc />
        public INetConnection Accept()
        {
            Socket client;
            lock (_sync)
            {
                if (_socket == null)
                {
                    return null;
                }

                try
                {
                    // Readable on a listening socket means a connection is queued; Accept then returns at once.
                    if (!_socket.Poll(0, SelectMode.SelectRead))
                    {
                        return null;
                    }

                    client = _socket.Accept();
                }
                catch (SocketException)
                {
                    // The client went away between the poll and the accept.
                    return null;
                }
            }

            SocketConnection connection = new SocketConnection(_storage);
            connection.OpenAccepted(client);
            return connection;
        }

        /// <inheritdoc />
        public void Close()
        {
            Socket socket;
            lock (_sync)
            {
                socket = _socket;
                _socket = null;
            }

            if (socket != null)
            {
                socket.Close();
            }
        }

        /// <summary>Stops listening; same as <see cref="Close"/>.</summary>
        public void Dispose()
        {
            Close();
        }
    }
}
