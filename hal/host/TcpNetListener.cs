using System;
using System.Net;
using System.Net.Sockets;

namespace NetBoard.Hal.Host
{
    /// <summary>
    /// A listening TCP socket on <see cref="Socket"/>, non-blocking: <see cref="Accept"/> polls the
    /// socket without waiting and hands each client over as an open <see cref="TcpConnection"/>.
    /// </summary>
    public sealed class TcpNetListener : INetListener
    {
        /// <summary>The address the listener binds when none is configured: loopback only.</summary>
        public const string DefaultAddress = "127.0.0.1";

        /// <summary>Pending connections the stack queues before it refuses more.</summary>
        public const int Backlog = 4;

        private readonly object _sync = new object();
        private Socket _socket;
        private readonly int _localPort;
        private readonly System.Security.Cryptography.X509Certificates.X509Certificate2 _certificate;

        /// <summary>Binds <paramref name="address"/> (null or empty: loopback) on <paramref name="port"/> (0: any free port) and listens.</summary>
        /// <exception cref="SocketException">The address is taken or not local.</exception>
        public TcpNetListener(string address, int port)
            : this(address, port, null)
        {
        }

        /// <summary>
        /// Binds and listens like <see cref="TcpNetListener(string, int)"/>; with a <paramref name="certificate"/>
        /// (holding its private key) every accepted connection starts TLS as the server at once.
        /// </summary>
        /// <exception cref="SocketException">The address is taken or not local.</exception>
        public TcpNetListener(string address, int port, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
        {
            _certificate = certificate;
            if (port < 0 || port > 65535)
            {
                throw new ArgumentOutOfRangeException(nameof(port));
            }

            IPAddress ip = IPAddress.Parse(string.IsNullOrEmpty(address) ? DefaultAddress : address);
            var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Bind(new IPEndPoint(ip, port));
                socket.Listen(Backlog);
                socket.Blocking = false;
                _localPort = ((IPEndPoint)socket.LocalEndPoint).Port;
            }
            catch
            {
                socket.Dispose();
                throw;
            }

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

        /// <summary>True when accepted connections speak TLS (a certificate was given).</summary>
        public bool IsSecure
        {
            get { return _certificate != null; }
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
                    if (!_socket.Poll(0, SelectMode.SelectRead))
                    {
                        return null;
                    }

                    client = _socket.Accept();
                }
                catch (SocketException ex) when (ex.SocketErrorCode == SocketError.WouldBlock || ex.SocketErrorCode == SocketError.ConnectionAborted || ex.SocketErrorCode == SocketError.ConnectionReset)
                {
                    // The client gave up between the poll and the accept.
                    return null;
                }
            }

            var connection = new TcpConnection();
            connection.OpenAccepted(client);
            if (_certificate != null && connection.State == NetState.Open)
            {
                connection.StartServerTls(_certificate);
            }

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

            socket?.Dispose();
        }

        /// <summary>Stops listening; same as <see cref="Close"/>.</summary>
        public void Dispose()
        {
            Close();
        }
    }
}
