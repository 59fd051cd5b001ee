using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;

namespace NetBoard.Bench
{
    /// <summary>
    /// An in-process SMTP sink on 127.0.0.1: one thread, one connection at a time, blocking sockets,
    /// a 64 KB receive buffer reused for every connection; it reads and discards the message. It
    /// counts what its own thread allocates per connection so that the benchmark can take it out of
    /// the process-wide allocation figure.
    /// </summary>
    internal sealed class SinkServer : IDisposable
    {
        private const int ReceiveBufferBytes = 64 * 1024;

        private readonly Socket _listener;
        private readonly Thread _thread;
        private readonly SinkProtocol _protocol = new SinkProtocol();
        private readonly byte[] _buffer = new byte[ReceiveBufferBytes];
        private readonly AutoResetEvent _connectionDone = new AutoResetEvent(false);
        private volatile bool _stopping;
        private long _lastAllocated;
        private long _lastOctets;

        public SinkServer()
        {
            _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _listener.Listen(4);
            Port = ((IPEndPoint)_listener.LocalEndPoint).Port;
            _thread = new Thread(Run) { IsBackground = true, Name = "smtp-sink" };
            _thread.Start();
        }

        public int Port { get; }

        /// <summary>Bytes the sink thread allocated while serving the last connection.</summary>
        public long LastConnectionAllocatedBytes
        {
            get { return Interlocked.Read(ref _lastAllocated); }
        }

        /// <summary>DATA octets of the last connection.</summary>
        public long LastConnectionDataOctets
        {
            get { return Interlocked.Read(ref _lastOctets); }
        }

        /// <summary>Waits until the connection being served has been closed on the sink's side.</summary>
        public bool WaitConnectionDone(int timeoutMs)
        {
            return _connectionDone.WaitOne(timeoutMs);
        }

        public void Dispose()
        {
            _stopping = true;
            _listener.Dispose();
            _thread.Join(2000);
            _connectionDone.Dispose();
        }

        private void Run()
        {
            while (!_stopping)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                Socket client;
                try
                {
                    client = _listener.Accept();
                }
                catch (SocketException)
                {
                    return;
                }
                catch (ObjectDisposedException)
                {
                    return;
                }

                try
                {
                    Serve(client);
                }
                catch (SocketException)
                {
                    // The client went away; the benchmark sees its own error.
                }
                finally
                {
                    client.Dispose();
                    Interlocked.Exchange(ref _lastOctets, _protocol.DataOctets);
                    Interlocked.Exchange(ref _lastAllocated, GC.GetAllocatedBytesForCurrentThread() - before);
                    _connectionDone.Set();
                }
            }
        }

        private void Serve(Socket client)
        {
            client.NoDelay = true;
            _protocol.Start();
            Flush(client);
            while (!_protocol.QuitSeen)
            {
                int n = client.Receive(_buffer, 0, _buffer.Length, SocketFlags.None);
                if (n == 0)
                {
                    return;
                }

                _protocol.Feed(_buffer, 0, n);
                Flush(client);
            }

            // After 221 wait for the client's close, as a server does.
            client.Shutdown(SocketShutdown.Send);
            while (client.Receive(_buffer, 0, _buffer.Length, SocketFlags.None) > 0)
            {
            }
        }

        private void Flush(Socket client)
        {
            while (_protocol.ReplyCount > 0)
            {
                ArraySegment<byte> pending = _protocol.PendingReply;
                int sent = client.Send(pending.Array, pending.Offset, pending.Count, SocketFlags.None);
                _protocol.ReplySent(sent);
            }
        }
    }
}
