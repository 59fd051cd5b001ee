using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace NetBoard.Hal.Tests
{
    /// <summary>A listener on 127.0.0.1 with an ephemeral port, for connection tests.</summary>
    internal sealed class LoopbackServer : IDisposable
    {
        private const int AcceptTimeoutMs = 10000;

        private readonly TcpListener _listener;

        public LoopbackServer(int backlog = 16)
        {
            _listener = new TcpListener(IPAddress.Loopback, 0);
            _listener.Start(backlog);
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        }

        public int Port { get; }

        public async Task<Socket> AcceptAsync()
        {
            using var timeout = new CancellationTokenSource(AcceptTimeoutMs);
            Socket socket = await _listener.AcceptSocketAsync(timeout.Token);

            // Blocking test-side calls must not hang a failing test forever.
            socket.ReceiveTimeout = 30000;
            socket.SendTimeout = 30000;
            return socket;
        }

        public void Dispose()
        {
            _listener.Stop();
        }
    }
}
