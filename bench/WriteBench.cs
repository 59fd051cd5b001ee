using System;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using NetBoard.Hal;

namespace NetBoard.Bench
{
    /// <summary>Socket writes of one send: how many calls moved data, and how many octets they moved.</summary>
    internal sealed class WriteResult
    {
        public string Client { get; set; }

        public int SizeBytes { get; set; }

        public long Writes { get; set; }

        public long Octets { get; set; }

        /// <summary>Writes per MB (10^6 octets) sent: the message as it goes on the wire, base64 and commands included.</summary>
        public double WritesPerMB
        {
            get { return Writes / (Octets / 1e6); }
        }

        public double OctetsPerWrite
        {
            get { return (double)Octets / Writes; }
        }
    }

    /// <summary>
    /// Counts the socket writes of one send per client to the in-process sink: the firmware through a counting
    /// <see cref="INetConnection"/> around the host connection, MailKit through a counting stream around its socket.
    /// The counts are whole numbers of the code's own making (not timings): they change only when the code does.
    /// </summary>
    internal static class WriteBench
    {
        public static WriteResult[] Run(int size, SinkServer sink, TextWriterLog log)
        {
            byte[] attachment = new byte[size];
            new Random(20261204).NextBytes(attachment);
            BenchMessage message = new BenchMessage(attachment);
            CountingConnector connector = new CountingConnector(new NetBoard.Hal.Host.TcpConnector());
            FirmwareSender firmware = new FirmwareSender(connector, sink.Port);
            MailKitSender mailkit = new MailKitSender(sink.Port);
            firmware.Send(message);
            sink.WaitConnectionDone(10000);
            connector.Reset();
            firmware.Send(message);
            sink.WaitConnectionDone(10000);
            WriteResult fw = new WriteResult { Client = ThroughputBench.Firmware, SizeBytes = size, Writes = connector.Writes, Octets = connector.Octets };
            CountingStream.Reset();
            mailkit.CountWrites = true;
            mailkit.Send(message);
            sink.WaitConnectionDone(10000);
            WriteResult mk = new WriteResult { Client = ThroughputBench.MailKit, SizeBytes = size, Writes = CountingStream.Writes, Octets = CountingStream.Octets };
            foreach (WriteResult r in new[] { fw, mk })
            {
                log.Line(string.Format("  {0,-16} {1,6} writes, {2,8:F0} octets per write, {3,6:F0} writes per MB", r.Client, r.Writes, r.OctetsPerWrite, r.WritesPerMB));
            }

            return new[] { fw, mk };
        }
    }

    /// <summary>Hands out connections that count the writes that moved data.</summary>
    internal sealed class CountingConnector : INetConnector
    {
        private readonly INetConnector _inner;
        private long _writes;
        private long _octets;

        public CountingConnector(INetConnector inner)
        {
            _inner = inner;
        }

        public long Writes
        {
            get { return Interlocked.Read(ref _writes); }
        }

        public long Octets
        {
            get { return Interlocked.Read(ref _octets); }
        }

        public void Reset()
        {
            Interlocked.Exchange(ref _writes, 0);
            Interlocked.Exchange(ref _octets, 0);
        }

        public INetConnection Connect(string host, int port, string localAddress)
        {
            return new CountingConnection(this, _inner.Connect(host, port, localAddress));
        }

        private sealed class CountingConnection : INetConnection
        {
            private readonly CountingConnector _owner;
            private readonly INetConnection _inner;

            public CountingConnection(CountingConnector owner, INetConnection inner)
            {
                _owner = owner;
                _inner = inner;
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

            public int Write(byte[] buffer, int offset, int count)
            {
                int n = _inner.Write(buffer, offset, count);
                if (n > 0)
                {
                    Interlocked.Increment(ref _owner._writes);
                    Interlocked.Add(ref _owner._octets, n);
                }

                return n;
            }

            public void StartTls(string targetHost, TlsPolicy policy) => _inner.StartTls(targetHost, policy);

            public void Close() => _inner.Close();

            public void Dispose() => _inner.Dispose();
        }
    }

    /// <summary>A stream around MailKit's socket that counts the writes it is given.</summary>
    internal sealed class CountingStream : Stream
    {
        private static long s_writes;
        private static long s_octets;
        private readonly Stream _inner;

        public CountingStream(Stream inner)
        {
            _inner = inner;
        }

        public static long Writes => Interlocked.Read(ref s_writes);

        public static long Octets => Interlocked.Read(ref s_octets);

        public override bool CanRead => _inner.CanRead;

        public override bool CanSeek => false;

        public override bool CanWrite => _inner.CanWrite;

        public override bool CanTimeout => _inner.CanTimeout;

        public override int ReadTimeout
        {
            get => _inner.ReadTimeout;
            set => _inner.ReadTimeout = value;
        }

        public override int WriteTimeout
        {
            get => _inner.WriteTimeout;
            set => _inner.WriteTimeout = value;
        }

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public static void Reset()
        {
            Interlocked.Exchange(ref s_writes, 0);
            Interlocked.Exchange(ref s_octets, 0);
        }

        public override void Flush() => _inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            Count(count);
            _inner.Write(buffer, offset, count);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Count(count);
            return _inner.WriteAsync(buffer, offset, count, cancellationToken);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private static void Count(int count)
        {
            if (count > 0)
            {
                Interlocked.Increment(ref s_writes);
                Interlocked.Add(ref s_octets, count);
            }
        }
    }
}
