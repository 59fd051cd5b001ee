using System;
using System.Collections.Generic;
using System.Diagnostics;
using NetBoard.Hal;

namespace NetBoard.Bench
{
    /// <summary>One connection the board opened: its port, when it was asked for and when the board closed it.</summary>
    internal sealed class ConnectionTimes
    {
        public int Port { get; set; }

        /// <summary>Stopwatch ticks at the Connect call.</summary>
        public long ConnectTicks { get; set; }

        /// <summary>Stopwatch ticks at the first Close or Dispose; 0 while open.</summary>
        public long CloseTicks { get; set; }
    }

    /// <summary>
    /// The board's connector with a stopwatch on it: records when each connection is asked for and when the
    /// board closes it, as the firmware's own network layer sees them (the POP-before-SMTP wait lies between
    /// the POP connection's close and the SMTP connect).
    /// </summary>
    internal sealed class TimingConnector : INetConnector
    {
        private readonly INetConnector _inner;
        private readonly List<ConnectionTimes> _connections = new List<ConnectionTimes>();

        public TimingConnector(INetConnector inner)
        {
            _inner = inner;
        }

        public INetConnection Connect(string host, int port, string localAddress)
        {
            ConnectionTimes times = new ConnectionTimes { Port = port, ConnectTicks = Stopwatch.GetTimestamp() };
            lock (_connections)
            {
                _connections.Add(times);
            }

            return new TimedConnection(_inner.Connect(host, port, localAddress), times);
        }

        /// <summary>The connections recorded since the last call, oldest first; the record starts anew.</summary>
        public List<ConnectionTimes> Take()
        {
            lock (_connections)
            {
                List<ConnectionTimes> taken = new List<ConnectionTimes>(_connections);
                _connections.Clear();
                return taken;
            }
        }

        private sealed class TimedConnection : INetConnection
        {
            private readonly INetConnection _inner;
            private readonly ConnectionTimes _times;

            public TimedConnection(INetConnection inner, ConnectionTimes times)
            {
                _inner = inner;
                _times = times;
            }

            public NetState State => _inner.State;

            public NetError Error => _inner.Error;

            public string ErrorText => _inner.ErrorText;

            public string LocalAddress => _inner.LocalAddress;

            public int Available => _inner.Available;

            public bool IsReadable => _inner.IsReadable;

            public TlsState Tls => _inner.Tls;

            public string TlsDescription => _inner.TlsDescription;

            public int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

            public int Write(byte[] buffer, int offset, int count) => _inner.Write(buffer, offset, count);

            public void StartTls(string targetHost, TlsPolicy policy) => _inner.StartTls(targetHost, policy);

            public void Close()
            {
                MarkClosed();
                _inner.Close();
            }

            public void Dispose()
            {
                MarkClosed();
                _inner.Dispose();
            }

            private void MarkClosed()
            {
                if (_times.CloseTicks == 0)
                {
                    _times.CloseTicks = Stopwatch.GetTimestamp();
                }
            }
        }
    }
}
