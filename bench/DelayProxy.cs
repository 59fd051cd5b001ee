using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading;

namespace NetBoard.Bench
{
    /// <summary>
    /// A userspace TCP proxy on loopback that delays every chunk by half the round-trip time in each
    /// direction (no root, no netem), and counts the round trips of each connection: the server's first
    /// data, and every time the server speaks again after the client has spoken.
    /// </summary>
    internal sealed class DelayProxy : IDisposable
    {
        private readonly TcpListener _listener;
        private readonly int _upstreamPort;
        private readonly int _oneWayMs;
        private readonly Thread _acceptThread;
        private readonly object _gate = new object();
        private volatile bool _stopped;
        private bool _clientSpoke;
        private int _roundTrips;

        public DelayProxy(int upstreamPort, int roundTripMs)
        {
            _upstreamPort = upstreamPort;
            _oneWayMs = roundTripMs / 2;
            _listener = new TcpListener(IPAddress.Loopback, 0);
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _acceptThread = new Thread(Accept) { IsBackground = true, Name = "delay proxy" };
            _acceptThread.Start();
        }

        public int Port { get; }

        /// <summary>Round trips of the last connection so far.</summary>
        public int RoundTrips
        {
            get
            {
                lock (_gate)
                {
                    return _roundTrips;
                }
            }
        }

        public void Dispose()
        {
            _stopped = true;
            _listener.Stop();
        }

        private void Accept()
        {
            while (!_stopped)
            {
                Socket client;
                try
                {
                    client = _listener.AcceptSocket();
                }
                catch (SocketException)
                {
                    return;
                }
                catch (ObjectDisposedException)
                {
                    return;
                }

                Socket server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                client.NoDelay = true;
                server.NoDelay = true;
                server.Connect(IPAddress.Loopback, _upstreamPort);
                lock (_gate)
                {
                    _roundTrips = 0;
                    _clientSpoke = true;
                }

                Pipe(client, server, true);
                Pipe(server, client, false);
            }
        }

        // One direction: a reader stamps each chunk with its due time, a writer sends it when due.
        private void Pipe(Socket from, Socket to, bool fromClient)
        {
            BlockingCollection<Tuple<long, byte[]>> queue = new BlockingCollection<Tuple<long, byte[]>>();
            Thread reader = new Thread(() =>
            {
                byte[] buffer = new byte[65536];
                try
                {
                    while (true)
                    {
                        int n = from.Receive(buffer);
                        if (n <= 0)
                        {
                            break;
                        }

                        lock (_gate)
                        {
                            if (fromClient)
                            {
                                _clientSpoke = true;
                            }
                            else if (_clientSpoke)
                            {
                                _roundTrips++;
                                _clientSpoke = false;
                            }
                        }

                        byte[] chunk = new byte[n];
                        Buffer.BlockCopy(buffer, 0, chunk, 0, n);
                        queue.Add(Tuple.Create(Environment.TickCount64 + _oneWayMs, chunk));
                    }
                }
                catch (SocketException)
                {
                }
                catch (ObjectDisposedException)
                {
                }

                queue.CompleteAdding();
            })
            { IsBackground = true };
            Thread writer = new Thread(() =>
            {
                try
                {
                    foreach (Tuple<long, byte[]> item in queue.GetConsumingEnumerable())
                    {
                        long wait = item.Item1 - Environment.TickCount64;
                        if (wait > 0)
                        {
                            Thread.Sleep((int)wait);
                        }

                        to.Send(item.Item2);
                    }

                    to.Shutdown(SocketShutdown.Send);
                }
                catch (SocketException)
                {
                }
                catch (ObjectDisposedException)
                {
                }
            })
            { IsBackground = true };
            reader.Start();
            writer.Start();
        }
    }
}
