using System;
using NetBoard.Hal;

namespace NetBoard.Bench
{
    /// <summary>
    /// An in-memory connection to <see cref="SinkProtocol"/>: no socket, no other thread. Running the
    /// firmware over it shows what the firmware core itself allocates per job, which is what the
    /// device's managed heap sees (there the network stack is native).
    /// </summary>
    internal sealed class MemoryConnector : INetConnector
    {
        private readonly MemoryConnection _connection = new MemoryConnection();

        /// <summary>True to have the in-memory server offer and take XOAUTH2 and OAUTHBEARER.</summary>
        public bool OfferOAuth
        {
            get { return _connection.Server.OfferOAuth; }
            set { _connection.Server.OfferOAuth = value; }
        }

        public INetConnection Connect(string host, int port, string localAddress)
        {
            _connection.Reset();
            return _connection;
        }
    }

    internal sealed class MemoryConnection : INetConnection
    {
        private readonly SinkProtocol _server = new SinkProtocol();
        private NetState _state;

        public SinkProtocol Server
        {
            get { return _server; }
        }

        public NetState State
        {
            get { return _state; }
        }

        public NetError Error
        {
            get { return NetError.None; }
        }

        public string ErrorText
        {
            get { return string.Empty; }
        }

        public string LocalAddress
        {
            get { return "127.0.0.1"; }
        }

        public int Available
        {
            get { return _state == NetState.Open ? _server.ReplyCount : 0; }
        }

        public bool IsReadable
        {
            get { return Available > 0; }
        }

        public TlsState Tls
        {
            get { return TlsState.None; }
        }

        public string TlsDescription
        {
            get { return string.Empty; }
        }

        public void Reset()
        {
            _state = NetState.Open;
            _server.Start();
        }

        public int Read(byte[] buffer, int offset, int count)
        {
            return _state == NetState.Open ? _server.TakeReply(buffer, offset, count) : 0;
        }

        public int Write(byte[] buffer, int offset, int count)
        {
            if (_state != NetState.Open)
            {
                return 0;
            }

            _server.Feed(buffer, offset, count);
            return count;
        }

        public void StartTls(string targetHost, TlsPolicy policy)
        {
            throw new NotSupportedException("no TLS in the in-memory benchmark connection");
        }

        public void Close()
        {
            _state = NetState.Closed;
        }

        public void Dispose()
        {
            Close();
        }
    }

    /// <summary>The attachment as a document source: the same bytes for every job, no copy.</summary>
    internal sealed class MemoryDocument : IDocumentSource
    {
        private readonly byte[] _data;
        private int _position;

        public MemoryDocument(byte[] data)
        {
            _data = data;
        }

        public long Length
        {
            get { return _data.Length; }
        }

        public int Read(byte[] buffer, int offset, int count)
        {
            int n = Math.Min(count, _data.Length - _position);
            Buffer.BlockCopy(_data, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public void Dispose()
        {
        }
    }
}
