using System;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Threading;

namespace NetBoard.Hal.Esp32
{
    /// <summary>
    /// A TCP connection on nanoFramework's <see cref="Socket"/>, with TLS on <see cref="SslStream"/>.
    /// <para>
    /// The device socket has no non-blocking mode, so the blocking calls run on a worker thread
    /// that only sets state: name resolution and Connect (bounded by the core's connect timeout,
    /// whose Close disposes the socket under it), and, once TLS is started, the handshake and every
    /// SslStream read and write. In clear text the scheduler thread reads only what
    /// <see cref="Socket.Available"/> reports and writes only after <see cref="Socket.Poll"/> says the
    /// socket is writable. With TLS the worker fills a bounded receive ring (reading only after
    /// SslStream.DataAvailable or Socket.Poll said a record is arriving) and drains a bounded send
    /// ring; the scheduler thread only copies to and from the rings.
    /// </para>
    /// <para>
    /// A close is reported at once, not at the core's deadline: <see cref="IsReadable"/> is
    /// Socket.Poll(0, SelectRead), true for bytes and for the peer's FIN (Available stays 0 and
    /// Read's one-byte Receive returns 0), and throwing for a reset (the device's Poll raises the
    /// socket's error state); with TLS the worker notes the end when SslStream.Read returns 0
    /// (close_notify) and fails the connection when it throws.
    /// </para>
    /// </summary>
    public sealed class SocketConnection : INetConnection
    {
        /// <summary>Largest clear-text send per call: within lwIP's low-water mark, so a writable socket takes it without waiting.</summary>
        public const int WriteChunkBytes = 1024;

        /// <summary>Size of each TLS ring; TLS records are up to 16 KB, the rings only smooth the flow.</summary>
        public const int TlsRingBytes = 2048;

        /// <summary>How long the TLS worker waits on the socket per pass before it looks at the send ring again.</summary>
        public const int TlsPollMicroseconds = 20000;

        /// <summary>How long one blocked TLS read or write may take before the connection counts as broken.</summary>
        public const int TlsIoTimeoutMs = 60000;

        private const int AddressFamilyInterNetwork = 2;

        private readonly object _sync = new object();
        private readonly IStorage _storage;
        private int _state = (int)NetState.Connecting;
        private int _tls = (int)TlsState.None;
        private Socket _socket;
        private SslStream _ssl;
        private NetError _error = NetError.None;
        private string _errorText = string.Empty;
        private string _localAddress = string.Empty;
        private string _host;
        private int _port;
        private string _bindAddress;
        private string _tlsHost;
        private TlsPolicy _tlsPolicy;
        private ByteRing _tlsIn;
        private ByteRing _tlsOut;
        private bool _tlsPeerClosed;

        internal SocketConnection(IStorage storage)
        {
            _storage = storage;
        }

        /// <inheritdoc />
        public NetState State
        {
            get { return (NetState)_state; }
        }

        /// <inheritdoc />
        public NetError Error
        {
            get
            {
                lock (_sync)
                {
                    return _error;
                }
            }
        }

        /// <inheritdoc />
        public string ErrorText
        {
            get
            {
                lock (_sync)
                {
                    return _errorText;
                }
            }
        }

        /// <inheritdoc />
        public string LocalAddress
        {
            get
            {
                lock (_sync)
                {
                    return _localAddress;
                }
            }
        }

        /// <inheritdoc />
        public TlsState Tls
        {
            get { return (TlsState)_tls; }
        }

        /// <inheritdoc />
        public string TlsDescription
        {
            // The device stack does not report the negotiated version or cipher suite.
            get { return _tls == (int)TlsState.Established ? "TLS (1.2 or later)" : string.Empty; }
        }

        /// <inheritdoc />
        public int Available
        {
            get
            {
                if (_state != (int)NetState.Open)
                {
                    return 0;
                }

                if (_tls != (int)TlsState.None)
                {
                    lock (_sync)
                    {
                        return _tlsIn == null ? 0 : _tlsIn.Count;
                    }
                }

                Socket socket = _socket;
                try
                {
                    return socket == null ? 0 : socket.Available;
                }
                catch (SocketException)
                {
                    // The next Read reports the failure and moves the state.
                    return 0;
                }
                catch (ObjectDisposedException)
                {
                    return 0;
                }
            }
        }

        /// <inheritdoc />
        public bool IsReadable
        {
            get
            {
                if (_state != (int)NetState.Open)
                {
                    // Not open: the state change itself is the news.
                    return false;
                }

                if (_tls != (int)TlsState.None)
                {
                    lock (_sync)
                    {
                        // The worker saw close_notify or the end of the stream: the next Read reports it.
                        return _tlsIn != null && (_tlsIn.Count > 0 || _tlsPeerClosed);
                    }
                }

                Socket socket = _socket;
                if (socket == null)
                {
                    return false;
                }

                try
                {
                    // lwIP marks a socket readable for bytes and for the peer's FIN; Read tells which.
                    return socket.Poll(0, SelectMode.SelectRead);
                }
                catch (SocketException)
                {
                    // The device's Poll throws when the socket is in its error state (a reset): Read reports it.
                    return true;
                }
                catch (ObjectDisposedException)
                {
                    return false;
                }
            }
        }

        /// <inheritdoc />
        public int Read(byte[] buffer, int offset, int count)
        {
            CheckRange(buffer, offset, count);
            if (_state != (int)NetState.Open || count == 0)
            {
                return 0;
            }

            if (_tls != (int)TlsState.None)
            {
                return ReadTls(buffer, offset, count);
            }

            Socket socket = _socket;
            if (socket == null)
            {
                return 0;
            }

            try
            {
                int available = socket.Available;
                if (available == 0)
                {
                    // Readable with nothing to read is the peer's FIN (or an error Receive will report).
                    if (!socket.Poll(0, SelectMode.SelectRead))
                    {
                        return 0;
                    }

                    available = socket.Available;
                    if (available == 0)
                    {
                        int received = socket.Receive(buffer, offset, 1, SocketFlags.None);
                        if (received == 0)
                        {
                            Finish(NetState.Closed, NetError.None, string.Empty);
                        }

                        return received;
                    }
                }

                return socket.Receive(buffer, offset, available < count ? available : count, SocketFlags.None);
            }
            catch (SocketException e)
            {
                Finish(NetState.Failed, MapSocketError(e.ErrorCode), DescribeSocketError(e.ErrorCode));
                return 0;
            }
            catch (ObjectDisposedException)
            {
                return 0;
            }
        }

        /// <inheritdoc />
        public int Write(byte[] buffer, int offset, int count)
        {
            CheckRange(buffer, offset, count);
            if (_state != (int)NetState.Open || count == 0)
            {
                return 0;
            }

            if (_tls != (int)TlsState.None)
            {
                if (_tls != (int)TlsState.Established)
                {
                    return 0;
                }

                lock (_sync)
                {
                    return _tlsOut.Put(buffer, offset, count);
                }
            }

            Socket socket = _socket;
            if (socket == null)
            {
                return 0;
            }

            try
            {
                if (!socket.Poll(0, SelectMode.SelectWrite))
                {
                    return 0;
                }

                return socket.Send(buffer, offset, count < WriteChunkBytes ? count : WriteChunkBytes, SocketFlags.None);
            }
            catch (SocketException e)
            {
                Finish(NetState.Failed, MapSocketError(e.ErrorCode), DescribeSocketError(e.ErrorCode));
                return 0;
            }
            catch (ObjectDisposedException)
            {
                return 0;
            }
        }

        /// <inheritdoc />
        public void StartTls(string targetHost, TlsPolicy policy)
        {
            if (targetHost == null || policy == null)
            {
                throw new ArgumentNullException(targetHost == null ? "targetHost" : "policy");
            }

            lock (_sync)
            {
                if (_state != (int)NetState.Open || _tls != (int)TlsState.None)
                {
                    throw new InvalidOperationException("TLS starts once, on an open connection.");
                }

                _tlsHost = targetHost;
                _tlsPolicy = policy;
                _tlsIn = new ByteRing(TlsRingBytes);
                _tlsOut = new ByteRing(TlsRingBytes);
                _tls = (int)TlsState.Handshaking;
            }

            new Thread(RunTls).Start();
        }

        /// <inheritdoc />
        public void Close()
        {
            Finish(NetState.Closed, NetError.None, string.Empty);
        }

        /// <summary>Closes the connection; same as <see cref="Close"/>.</summary>
        public void Dispose()
        {
            Close();
        }

        internal void BeginConnect(string host, int port, string localAddress)
        {
            _host = host;
            _port = port;
            _bindAddress = localAddress;
            new Thread(RunConnect).Start();
        }

        private static void CheckRange(byte[] buffer, int offset, int count)
        {
            if (buffer == null)
            {
                throw new ArgumentNullException("buffer");
            }

            if (offset < 0 || count < 0 || offset > buffer.Length - count)
            {
                throw new ArgumentOutOfRangeException("count");
            }
        }

        private static NetError MapSocketError(int code)
        {
            switch ((SocketError)code)
            {
                case SocketError.HostNotFound:
                case SocketError.NoData:
                case SocketError.TryAgain:
                    return NetError.HostNotFound;
                case SocketError.ConnectionRefused:
                    return NetError.Refused;
                case SocketError.HostUnreachable:
                case SocketError.NetworkUnreachable:
                case SocketError.HostDown:
                case SocketError.NetworkDown:
                    return NetError.Unreachable;
                case SocketError.TimedOut:
                    return NetError.TimedOut;
                case SocketError.ConnectionReset:
                case SocketError.ConnectionAborted:
                case SocketError.NetworkReset:
                case SocketError.Shutdown:
                case SocketError.Disconnecting:
                case SocketError.NotConnected:
                    return NetError.Reset;
                case SocketError.AddressNotAvailable:
                    return NetError.LocalAddress;
                default:
                    return NetError.Other;
            }
        }

        private static string DescribeSocketError(int code)
        {
            return "socket error " + code.ToString();
        }

        /// <summary>True for a dotted-quad IPv4 literal, which needs no resolver.</summary>
        private static bool IsIPv4Literal(string host)
        {
            int dots = 0;
            int digits = 0;
            for (int i = 0; i < host.Length; i++)
            {
                char c = host[i];
                if (c == '.')
                {
                    if (digits == 0)
                    {
                        return false;
                    }

                    dots++;
                    digits = 0;
                }
                else if (c >= '0' && c <= '9' && digits < 3)
                {
                    digits++;
                }
                else
                {
                    return false;
                }
            }

            return dots == 3 && digits > 0;
        }

        private static string FormatAddress(EndPoint endPoint)
        {
            var ip = endPoint as IPEndPoint;
            return ip == null ? string.Empty : ip.Address.ToString();
        }

        private void RunConnect()
        {
            IPAddress address;
            try
            {
                address = Resolve(_host);
            }
            catch (SocketException e)
            {
                NetError category = MapSocketError(e.ErrorCode);
                Finish(NetState.Failed, category == NetError.Other ? NetError.HostNotFound : category, DescribeSocketError(e.ErrorCode));
                return;
            }
            catch (Exception e)
            {
                Finish(NetState.Failed, NetError.HostNotFound, e.Message);
                return;
            }

            if (address == null)
            {
                Finish(NetState.Failed, NetError.HostNotFound, "No IPv4 address for the host");
                return;
            }

            Socket socket;
            try
            {
                socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            }
            catch (SocketException e)
            {
                Finish(NetState.Failed, NetError.Other, DescribeSocketError(e.ErrorCode));
                return;
            }

            lock (_sync)
            {
                if (_state != (int)NetState.Connecting)
                {
                    socket.Close();
                    return;
                }

                _socket = socket;
            }

            if (_bindAddress != null && _bindAddress.Length > 0)
            {
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(_bindAddress), 0));
                }
                catch (Exception e)
                {
                    Finish(NetState.Failed, NetError.LocalAddress, e.Message);
                    return;
                }
            }

            try
            {
                // Blocks this worker only; Close disposes the socket, which ends the wait.
                socket.Connect(new IPEndPoint(address, _port));
                string local = FormatAddress(socket.LocalEndPoint);
                lock (_sync)
                {
                    if (_state != (int)NetState.Connecting)
                    {
                        return;
                    }

                    _localAddress = local;
                    _state = (int)NetState.Open;
                }
            }
            catch (SocketException e)
            {
                Finish(NetState.Failed, MapSocketError(e.ErrorCode), DescribeSocketError(e.ErrorCode));
            }
            catch (ObjectDisposedException)
            {
                // Closed while connecting: the state is already final.
            }
            catch (Exception e)
            {
                Finish(NetState.Failed, NetError.Other, e.Message);
            }
        }

        private IPAddress Resolve(string host)
        {
            if (IsIPv4Literal(host))
            {
                return IPAddress.Parse(host);
            }

            IPHostEntry entry = Dns.GetHostEntry(host);
            IPAddress[] list = entry.AddressList;
            for (int i = 0; i < list.Length; i++)
            {
                if (list[i] != null && (int)list[i].AddressFamily == AddressFamilyInterNetwork)
                {
                    return list[i];
                }
            }

            return null;
        }

        private int ReadTls(byte[] buffer, int offset, int count)
        {
            lock (_sync)
            {
                if (_tlsIn == null)
                {
                    return 0;
                }

                int moved = _tlsIn.Take(buffer, offset, count);
                if (moved == 0 && _tlsPeerClosed)
                {
                    _tlsPeerClosed = false;
                    moved = -1;
                }

                if (moved >= 0)
                {
                    return moved;
                }
            }

            Finish(NetState.Closed, NetError.None, string.Empty);
            return 0;
        }

        /// <summary>The TLS worker: handshake, then pumps both rings until the connection ends.</summary>
        private void RunTls()
        {
            Socket socket = _socket;
            SslStream ssl;
            try
            {
                X509Certificate ca = LoadCa(_tlsPolicy.CaFile);
                socket.ReceiveTimeout = TlsIoTimeoutMs;
                socket.SendTimeout = TlsIoTimeoutMs;
                ssl = new SslStream(socket);
                ssl.SslVerification = _tlsPolicy.VerifyCertificate ? SslVerification.CertificateRequired : SslVerification.NoVerification;
                lock (_sync)
                {
                    if (_state != (int)NetState.Open)
                    {
                        ssl.Dispose();
                        return;
                    }

                    _ssl = ssl;
                }

                ssl.AuthenticateAsClient(_tlsHost, null, ca, SslProtocols.Tls12 | SslProtocols.Tls13);
            }
            catch (IOException e)
            {
                // The CA file could not be read or parsed: a certificate problem, not a handshake one.
                Finish(NetState.Failed, NetError.Certificate, "CA file: " + e.Message);
                return;
            }
            catch (Exception e)
            {
                if (_state == (int)NetState.Open)
                {
                    Finish(NetState.Failed, NetError.Tls, "TLS handshake failed: " + e.Message);
                }

                return;
            }

            _tls = (int)TlsState.Established;
            Pump(socket, ssl);
        }

        private void Pump(Socket socket, SslStream ssl)
        {
            byte[] chunk = new byte[TlsRingBytes];
            try
            {
                while (_state == (int)NetState.Open)
                {
                    int pending;
                    lock (_sync)
                    {
                        pending = _tlsOut.Take(chunk, 0, chunk.Length);
                    }

                    if (pending > 0)
                    {
                        ssl.Write(chunk, 0, pending);
                    }

                    int room;
                    lock (_sync)
                    {
                        room = _tlsIn.Free;
                    }

                    if (room == 0)
                    {
                        Thread.Sleep(5);
                        continue;
                    }

                    // Decrypted bytes may already wait inside mbedTLS; else wait briefly for a record to arrive.
                    if (!ssl.DataAvailable && !socket.Poll(pending > 0 ? 0 : TlsPollMicroseconds, SelectMode.SelectRead))
                    {
                        continue;
                    }

                    int received = ssl.Read(chunk, 0, room < chunk.Length ? room : chunk.Length);
                    lock (_sync)
                    {
                        if (received <= 0)
                        {
                            _tlsPeerClosed = true;
                            return;
                        }

                        _tlsIn.Put(chunk, 0, received);
                    }
                }
            }
            catch (Exception e)
            {
                if (_state == (int)NetState.Open)
                {
                    Finish(NetState.Failed, NetError.Reset, "TLS connection broken: " + e.Message);
                }
            }
        }

        /// <summary>The CA certificates of tls.ca_file as one PEM blob (NUL-terminated, as mbedTLS wants PEM), or null for the device's store.</summary>
        private X509Certificate LoadCa(string caFile)
        {
            if (caFile == null || caFile.Length == 0)
            {
                return null;
            }

            using (IDocumentSource source = _storage.OpenRead(caFile))
            {
                long length = source.Length;
                if (length <= 0 || length > 65536)
                {
                    throw new IOException("empty or larger than 64 KB");
                }

                byte[] pem = new byte[(int)length + 1];
                int filled = 0;
                while (filled < length)
                {
                    int n = source.Read(pem, filled, (int)length - filled);
                    if (n <= 0)
                    {
                        throw new IOException("truncated");
                    }

                    filled += n;
                }

                return new X509Certificate(pem);
            }
        }

        private bool Finish(NetState state, NetError error, string errorText)
        {
            Socket socket;
            SslStream ssl;
            lock (_sync)
            {
                if (_state == (int)NetState.Closed || _state == (int)NetState.Failed)
                {
                    return false;
                }

                _error = error;
                _errorText = errorText == null ? string.Empty : errorText;
                _state = (int)state;
                socket = _socket;
                ssl = _ssl;
                _socket = null;
                _ssl = null;
            }

            try
            {
                // Disposing the stream sends close_notify, closes the socket and frees the TLS context.
                if (ssl != null)
                {
                    ssl.Dispose();
                }
                else if (socket != null)
                {
                    socket.Close();
                }
            }
            catch (Exception)
            {
                // Nothing useful can be done about a failing close.
            }

            return true;
        }
    }
}
