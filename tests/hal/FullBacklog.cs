using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;

namespace NetBoard.Hal.Tests
{
    /// <summary>
    /// Fills a listener's accept queue, so further connects to it stay in the handshake
    /// (Linux drops the SYN while the queue is full and only retries after a second).
    /// </summary>
    internal sealed class FullBacklog : IDisposable
    {
        private const int FillerConnections = 64;

        private readonly List<Socket> _sockets = new List<Socket>();

        public FullBacklog(int port)
        {
            var endPoint = new IPEndPoint(IPAddress.Loopback, port);
            for (int i = 0; i < FillerConnections; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Blocking = false;
                try
                {
                    socket.Connect(endPoint);
                }
                catch (SocketException)
                {
                    // In progress or dropped: either way the slot is taken or the queue is full.
                }

                _sockets.Add(socket);
            }
        }

        public void Dispose()
        {
            foreach (Socket socket in _sockets)
            {
                socket.Dispose();
            }
        }
    }
}
