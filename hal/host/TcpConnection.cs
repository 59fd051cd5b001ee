using System;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Threading;
using System.Threading.Tasks;

namespace NetBoard.Hal.Host
{
    /// <summary>
    /// A TCP connection on <see cref="Socket"/>. Resolution and the handshake run in the background;
    /// once open, the socket is non-blocking, so <see cref="Read"/> and <see cref="Write"/> return at once.
    /// After <see cref="StartTls"/>, an <see cref="SslStream"/> owns the socket: background loops move
    /// bytes between it and two bounded buffers, which <see cref="Read"/> and <see cref="Write"/> use.
    /// </summary>
    public sealed class TcpConnection : INetConnection
    {
        private const int MicrosecondsPerMillisecond = 1000;
        private const int TlsReceiveBufferBytes = 16 * 1024;
        private const int TlsSendBufferBytes = 16 * 1024;

        // How long a server-side TLS connection's Close waits for its send buffer to drain.
        private const int ServerCloseFlushMs = 5000;

        private readonly object _sync = new object();
        private readonly CancellationTokenSource _cancel = new CancellationTokenSource();
        // No spinning: only a host idle loop waits on it, and it should sleep, not burn a core.
        private readonly ManualResetEventSlim _settled = new ManualResetEventSlim(false, 0);
        private volatile int _state = (int)NetState.Connecting;
        private volatile Socket _socket;
        private NetError _error = NetError.None;
        private string _errorText = string.Empty;
        private string _localAddress = string.Empty;
        private volatile int _tls = (int)TlsState.None;
        private string _tlsDescription = string.Empty;

        // Set when TLS has news for a host idle loop: handshake over, bytes received, peer closed, failed.
        private readonly ManualResetEventSlim _tlsNews = new ManualResetEventSlim(false, 0);
        private readonly object _receiveSync = new object();
        private readonly object _sendSync = new object();
        private readonly SemaphoreSlim _receiveSpace = new SemaphoreSlim(0, 1);
        private readonly SemaphoreSlim _sendData = new SemaphoreSlim(0, 1);
        private ByteRing _received;
        private ByteRing _toSend;
        private bool _receivePaused;
        private bool _peerEnded;
        private bool _senderIdle;
        private volatile bool _flushOnClose;

        internal TcpConnection()
        {
        }

        /// <inheritdoc />
        public NetState State
        {
            get
            {
                return (NetState)_state;
            }
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
        public int Available
        {
            get
            {
                Socket socket = _socket;
                if (_state != (int)NetState.Open || socket == null)
                {
                    return 0;
                }

                if (_tls != (int)TlsState.None)
                {
                    return TlsAvailable();
                }

                try
                {
                    return socket.Available;
                }
                catch (ObjectDisposedException)
                {
                    return 0;
                }
                catch (SocketException)
                {
                    // The next Read reports the error and moves the state.
                    return 0;
                }
            }
        }

        /// <inheritdoc />
        public bool IsReadable
        {
            get
            {
                Socket socket = _socket;
                if (_state != (int)NetState.Open || socket == null)
                {
                    // Not open: the state change itself is the news.
                    return false;
                }

                if (_tls != (int)TlsState.None)
                {
                    return TlsReadable();
                }

                try
                {
                    // Readable covers bytes, the peer's FIN and a reset; the next Read tells which.
                    return socket.Poll(0, SelectMode.SelectRead);
                }
                catch (ObjectDisposedException)
                {
                    return false;
                }
                catch (SocketException)
                {
                    return true;
                }
            }
        }

        /// <inheritdoc />
        public int Read(byte[] buffer, int offset, int count)
        {
            Socket socket = _socket;
            if (_state != (int)NetState.Open || socket == null || count == 0)
            {
                return 0;
            }

            if (_tls != (int)TlsState.None)
            {
                return TlsRead(buffer, offset, count);
            }

            int received;
            SocketError error;
            try
            {
                received = socket.Receive(buffer, offset, count, SocketFlags.None, out error);
            }
            catch (ObjectDisposedException)
            {
                return 0;
            }

            if (error == SocketError.Success)
            {
                if (received > 0)
                {
                    return received;
                }

                // A non-blocking receive of zero bytes that succeeds is the peer's FIN.
                Finish(NetState.Closed, NetError.None, string.Empty);
                return 0;
            }

            if (error != SocketError.WouldBlock)
            {
                Finish(NetState.Failed, MapSocketError(error), DescribeSocketError(error));
            }

            return 0;
        }

        /// <inheritdoc />
        public int Write(byte[] buffer, int offset, int count)
        {
            Socket socket = _socket;
            if (_state != (int)NetState.Open || socket == null || count == 0)
            {
                return 0;
            }

            if (_tls != (int)TlsState.None)
            {
                return TlsWrite(buffer, offset, count);
            }

            int sent;
            SocketError error;
            try
            {
                sent = socket.Send(buffer, offset, count, SocketFlags.None, out error);
            }
            catch (ObjectDisposedException)
            {
                return 0;
            }

            // WouldBlock can follow a partial send, and the bytes already taken count.
            if (error == SocketError.Success || error == SocketError.WouldBlock)
            {
                return sent;
            }

            Finish(NetState.Failed, MapSocketError(error), DescribeSocketError(error));
            return 0;
        }

        /// <inheritdoc />
        public TlsState Tls
        {
            get
            {
                return (TlsState)_tls;
            }
        }

        /// <inheritdoc />
        public string TlsDescription
        {
            get
            {
                lock (_sync)
                {
                    return _tls == (int)TlsState.Established ? _tlsDescription : string.Empty;
                }
            }
        }

        /// <inheritdoc />
        /// <exception cref="InvalidOperationException">The connection is not open, or TLS was started before.</exception>
        public void StartTls(string targetHost, TlsPolicy policy)
        {
            if (string.IsNullOrEmpty(targetHost))
            {
                throw new ArgumentException("A target host is required.", nameof(targetHost));
            }

            if (policy == null)
            {
                throw new ArgumentNullException(nameof(policy));
            }

            Socket socket;
            lock (_sync)
            {
                if (_state != (int)NetState.Open)
                {
                    throw new InvalidOperationException("TLS needs an open connection.");
                }

                if (_tls != (int)TlsState.None)
                {
                    throw new InvalidOperationException("TLS was already started on this connection.");
                }

                _received = new ByteRing(TlsReceiveBufferBytes);
                _toSend = new ByteRing(TlsSendBufferBytes);
                _tls = (int)TlsState.Handshaking;
                socket = _socket;
            }

            CancellationToken token = _cancel.Token;
            var check = new TlsCertificateCheck(policy);
            _ = Task.Run(() => RunTlsAsync(socket, (stream, t) => AuthenticateAsClientAsync(stream, targetHost, check, t), check, token));
        }

        /// <summary>
        /// Starts TLS as the server on an accepted connection (host only: the web page over HTTPS), with
        /// <paramref name="certificate"/> (holding its private key); TLS 1.2 at least. Until the handshake
        /// ends, <see cref="Read"/> and <see cref="Write"/> move nothing; a failed handshake fails the connection.
        /// </summary>
        /// <exception cref="InvalidOperationException">The connection is not open, or TLS was started before.</exception>
        public void StartServerTls(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
        {
            if (certificate == null)
            {
                throw new ArgumentNullException(nameof(certificate));
            }

            Socket socket;
            lock (_sync)
            {
                if (_state != (int)NetState.Open)
                {
                    throw new InvalidOperationException("TLS needs an open connection.");
                }

                if (_tls != (int)TlsState.None)
                {
                    throw new InvalidOperationException("TLS was already started on this connection.");
                }

                _received = new ByteRing(TlsReceiveBufferBytes);
                _toSend = new ByteRing(TlsSendBufferBytes);
                _tls = (int)TlsState.Handshaking;
                _flushOnClose = true;
                socket = _socket;
            }

            CancellationToken token = _cancel.Token;
            _ = Task.Run(() => RunTlsAsync(socket, (stream, t) => AuthenticateAsServerAsync(stream, certificate, t), null, token));
        }

        private static Task AuthenticateAsClientAsync(SslStream stream, string targetHost, TlsCertificateCheck check, CancellationToken token)
        {
            var options = new SslClientAuthenticationOptions
            {
                TargetHost = targetHost,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
                RemoteCertificateValidationCallback = check.Validate,
            };
            return stream.AuthenticateAsClientAsync(options, token);
        }

        private static Task AuthenticateAsServerAsync(SslStream stream, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, CancellationToken token)
        {
            var options = new SslServerAuthenticationOptions
            {
                ServerCertificate = certificate,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                ClientCertificateRequired = false,
                CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
            };
            return stream.AuthenticateAsServerAsync(options, token);
        }

        /// <summary>
        /// Waits up to <paramref name="timeoutMs"/> until <see cref="Read"/> has something to report
        /// (bytes, the peer's close or an error), the connection leaves the Connecting state, or a TLS handshake ends.
        /// For host idle loops only; the core never waits.
        /// </summary>
        /// <param name="timeoutMs">Longest wait in milliseconds; -1 waits without limit.</param>
        /// <returns>True when there is something to act on; false when the time ran out.</returns>
        public bool WaitReadable(int timeoutMs)
        {
            if (timeoutMs < Timeout.Infinite)
            {
                throw new ArgumentOutOfRangeException(nameof(timeoutMs));
            }

            int state = _state;
            if (state == (int)NetState.Connecting)
            {
                return _settled.Wait(timeoutMs);
            }

            Socket socket = _socket;
            if (state != (int)NetState.Open || socket == null)
            {
                return true;
            }

            if (_tls != (int)TlsState.None)
            {
                return WaitTlsNews(timeoutMs);
            }

            int timeoutMicroseconds;
            if (timeoutMs < 0)
            {
                timeoutMicroseconds = -1;
            }
            else if (timeoutMs > int.MaxValue / MicrosecondsPerMillisecond)
            {
                timeoutMicroseconds = int.MaxValue;
            }
            else
            {
                timeoutMicroseconds = timeoutMs * MicrosecondsPerMillisecond;
            }

            try
            {
                return socket.Poll(timeoutMicroseconds, SelectMode.SelectRead);
            }
            catch (ObjectDisposedException)
            {
                return true;
            }
            catch (SocketException)
            {
                return true;
            }
        }

        /// <inheritdoc />
        public void Close()
        {
            if (_flushOnClose && _tls == (int)TlsState.Established && _state == (int)NetState.Open && HasUnsentTls())
            {
                // A server's last answer is still in the send buffer: let the send loop hand it over first.
                _ = Task.Run(CloseWhenSentAsync);
                return;
            }

            Finish(NetState.Closed, NetError.None, string.Empty);
        }

        private bool HasUnsentTls()
        {
            lock (_sendSync)
            {
                return _toSend != null && _toSend.Count > 0;
            }
        }

        private async Task CloseWhenSentAsync()
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            while (HasUnsentTls() && _state == (int)NetState.Open && watch.ElapsedMilliseconds < ServerCloseFlushMs)
            {
                await Task.Delay(5).ConfigureAwait(false);
            }

            Finish(NetState.Closed, NetError.None, string.Empty);
        }

        /// <summary>Closes the connection; same as <see cref="Close"/>.</summary>
        public void Dispose()
        {
            Close();
        }

        /// <summary>Takes over a socket a listener accepted: non-blocking from now on, and Open at once.</summary>
        internal void OpenAccepted(Socket socket)
        {
            try
            {
                socket.NoDelay = true;
            }
            catch (SocketException)
            {
                // Reset right after the handshake: the first Read reports it.
            }

            socket.Blocking = false;
            if (Adopt(socket))
            {
                Open(socket, FormatAddress(socket.LocalEndPoint));
            }
        }

        internal void BeginConnect(string host, int port, string localAddress)
        {
            CancellationToken token = _cancel.Token;
            _ = Task.Run(() => ConnectAsync(host, port, localAddress, token));
        }

        private static void CheckBuffer(byte[] buffer, int offset, int count)
        {
            if (buffer == null)
            {
                throw new ArgumentNullException(nameof(buffer));
            }

            if (offset < 0 || count < 0 || offset > buffer.Length - count)
            {
                throw new ArgumentOutOfRangeException(nameof(count));
            }
        }

        private static string ShortMessage(Exception ex)
        {
            // The innermost message names the cause ("unsupported protocol"); outer ones say "see inner exception".
            Exception inner = ex;
            while (inner.InnerException != null)
            {
                inner = inner.InnerException;
            }

            return inner.Message;
        }

        private static SocketException FindSocketError(Exception ex)
        {
            for (Exception inner = ex; inner != null; inner = inner.InnerException)
            {
                if (inner is SocketException socketError)
                {
                    return socketError;
                }
            }

            return null;
        }

        private static NetError MapSocketError(SocketError error)
        {
            switch (error)
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
                case SocketError.OperationAborted:
                    return NetError.Reset;
                case SocketError.AddressNotAvailable:
                    return NetError.LocalAddress;
                default:
                    return NetError.Other;
            }
        }

        private static string DescribeSocketError(SocketError error)
        {
            return new SocketException((int)error).Message;
        }

        private static void ShutdownQuietly(Socket socket)
        {
            try
            {
                // A TLS loop may be blocked in a receive; without this, Linux closes with a reset, not an orderly end.
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
                // Already reset or never connected: the close below is all that is left.
            }
            catch (ObjectDisposedException)
            {
                // Closed already.
            }
        }

        private static void DisposeQuietly(Socket socket)
        {
            try
            {
                socket.Dispose();
            }
            catch (SocketException)
            {
                // Nothing useful can be done about a failing close.
            }
        }

        private static string FormatAddress(EndPoint endPoint)
        {
            if (endPoint is IPEndPoint ipEndPoint)
            {
                IPAddress address = ipEndPoint.Address;
                if (address.IsIPv4MappedToIPv6)
                {
                    address = address.MapToIPv4();
                }

                return address.ToString();
            }

            return string.Empty;
        }

        private static bool IsSpecialInvalidName(string host)
        {
            string name = host.TrimEnd('.');
            return name.Equals("invalid", StringComparison.OrdinalIgnoreCase)
                || name.EndsWith(".invalid", StringComparison.OrdinalIgnoreCase);
        }

        private async Task ConnectAsync(string host, int port, string localAddress, CancellationToken token)
        {
            try
            {
                IPAddress local = null;
                if (!string.IsNullOrEmpty(localAddress) && !IPAddress.TryParse(localAddress, out local))
                {
                    Finish(NetState.Failed, NetError.LocalAddress, "Invalid local address");
                    return;
                }

                IPAddress[] addresses;
                if (IsSpecialInvalidName(host))
                {
                    // RFC 6761 6.4: "invalid" names get an immediate negative answer, without asking a resolver.
                    Finish(NetState.Failed, NetError.HostNotFound, "No such host is known");
                    return;
                }

                if (IPAddress.TryParse(host, out IPAddress literal))
                {
                    addresses = new IPAddress[] { literal };
                }
                else
                {
                    try
                    {
                        addresses = await Dns.GetHostAddressesAsync(host, token).ConfigureAwait(false);
                    }
                    catch (SocketException ex)
                    {
                        NetError category = MapSocketError(ex.SocketErrorCode);
                        Finish(NetState.Failed, category == NetError.Other ? NetError.HostNotFound : category, ex.Message);
                        return;
                    }
                }

                await ConnectAnyAsync(addresses, port, local, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Close cancelled the attempt and already set the state.
            }
            catch (ObjectDisposedException)
            {
                // Close disposed the socket under a pending operation.
            }
            catch (Exception ex)
            {
                Finish(NetState.Failed, NetError.Other, ex.Message);
            }
        }

        private async Task ConnectAnyAsync(IPAddress[] addresses, int port, IPAddress local, CancellationToken token)
        {
            SocketException lastError = null;
            foreach (IPAddress address in addresses)
            {
                if (local != null && address.AddressFamily != local.AddressFamily)
                {
                    continue;
                }

                var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                if (!Adopt(socket))
                {
                    DisposeQuietly(socket);
                    return;
                }

                if (local != null)
                {
                    try
                    {
                        socket.Bind(new IPEndPoint(local, 0));
                    }
                    catch (SocketException ex)
                    {
                        // Binding does not depend on the remote address, so other addresses would fail alike.
                        Finish(NetState.Failed, NetError.LocalAddress, ex.Message);
                        return;
                    }
                }

                try
                {
                    await socket.ConnectAsync(new IPEndPoint(address, port), token).ConfigureAwait(false);
                }
                catch (SocketException ex)
                {
                    lastError = ex;
                    DisposeQuietly(socket);
                    continue;
                }

                try
                {
                    socket.NoDelay = true;
                }
                catch (SocketException)
                {
                    // Reset right after the handshake (before the greeting): the first Read reports it, as for any later reset.
                }

                socket.Blocking = false;
                Open(socket, FormatAddress(socket.LocalEndPoint));
                return;
            }

            if (lastError != null)
            {
                Finish(NetState.Failed, MapSocketError(lastError.SocketErrorCode), lastError.Message);
            }
            else if (addresses.Length == 0)
            {
                Finish(NetState.Failed, NetError.HostNotFound, "No address for the host");
            }
            else
            {
                Finish(NetState.Failed, NetError.LocalAddress, "No address of the local address's family");
            }
        }

        private bool Adopt(Socket socket)
        {
            lock (_sync)
            {
                if (_state != (int)NetState.Connecting)
                {
                    return false;
                }

                _socket = socket;
                return true;
            }
        }

        private void Open(Socket socket, string localAddress)
        {
            lock (_sync)
            {
                if (_state != (int)NetState.Connecting)
                {
                    // Closed while the handshake completed; Finish already disposed the socket.
                    return;
                }

                _localAddress = localAddress;
                _state = (int)NetState.Open;
            }

            _settled.Set();
        }

        private bool Finish(NetState state, NetError error, string errorText)
        {
            Socket socket;
            lock (_sync)
            {
                if (_state == (int)NetState.Closed || _state == (int)NetState.Failed)
                {
                    return false;
                }

                _error = error;
                _errorText = errorText ?? string.Empty;
                socket = _socket;
                _state = (int)state;
            }

            _settled.Set();
            _tlsNews.Set();
            if (socket != null)
            {
                if (_tls != (int)TlsState.None)
                {
                    ShutdownQuietly(socket);
                }

                DisposeQuietly(socket);
            }

            try
            {
                // Stops background work; the TLS loops dispose their stream once both have ended.
                _cancel.Cancel();
            }
            catch (AggregateException)
            {
                // A failing cancellation callback must not turn Close into a throwing call.
            }

            return true;
        }

        private async Task RunTlsAsync(Socket socket, Func<SslStream, CancellationToken, Task> authenticate, TlsCertificateCheck check, CancellationToken token)
        {
            SslStream stream = null;
            try
            {
                // NetworkStream refuses a non-blocking socket; only the stream uses the socket from here on.
                socket.Blocking = true;
                stream = new SslStream(new NetworkStream(socket, false), false);
                try
                {
                    await authenticate(stream, token).ConfigureAwait(false);
                }
                catch (Exception ex) when (!(ex is OperationCanceledException) && !(ex is ObjectDisposedException))
                {
                    string refusal = check?.Refusal;
                    if (refusal != null)
                    {
                        Finish(NetState.Failed, NetError.Certificate, refusal);
                    }
                    else
                    {
                        Finish(NetState.Failed, NetError.Tls, "handshake failed: " + ShortMessage(ex));
                    }

                    return;
                }

                lock (_sync)
                {
                    if (_state != (int)NetState.Open)
                    {
                        return;
                    }

                    _tlsDescription = stream.SslProtocol + " " + stream.NegotiatedCipherSuite;
                    _tls = (int)TlsState.Established;
                }

                _tlsNews.Set();
                Task sending = SendLoopAsync(stream, token);
                await ReceiveLoopAsync(stream, token).ConfigureAwait(false);
                await sending.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Close cancelled the work and already set the state.
            }
            catch (ObjectDisposedException)
            {
                // Close disposed the socket under a pending operation.
            }
            catch (Exception ex)
            {
                // A failed handshake at the socket level (e.g. reset) still reads as a TLS failure.
                Finish(NetState.Failed, _tls == (int)TlsState.Established ? NetError.Reset : NetError.Tls, "handshake failed: " + ShortMessage(ex));
            }
            finally
            {
                stream?.Dispose();
            }
        }

        private async Task ReceiveLoopAsync(SslStream stream, CancellationToken token)
        {
            try
            {
                while (true)
                {
                    Memory<byte> space;
                    lock (_receiveSync)
                    {
                        space = new Memory<byte>(_received.Bytes, _received.FreeOffset, _received.FreeLength);
                        _receivePaused = space.Length == 0;
                    }

                    if (space.Length == 0)
                    {
                        // Full: Read releases the semaphore once it has made room.
                        await _receiveSpace.WaitAsync(token).ConfigureAwait(false);
                        continue;
                    }

                    int count = await stream.ReadAsync(space, token).ConfigureAwait(false);
                    lock (_receiveSync)
                    {
                        if (count == 0)
                        {
                            _peerEnded = true;
                        }
                        else
                        {
                            _received.Commit(count);
                        }
                    }

                    _tlsNews.Set();
                    if (count == 0)
                    {
                        return;
                    }
                }
            }
            catch (Exception ex)
            {
                FailTransfer(ex);
            }
        }

        private async Task SendLoopAsync(SslStream stream, CancellationToken token)
        {
            try
            {
                while (true)
                {
                    ReadOnlyMemory<byte> pending;
                    lock (_sendSync)
                    {
                        pending = new ReadOnlyMemory<byte>(_toSend.Bytes, _toSend.FilledOffset, _toSend.FilledLength);
                        _senderIdle = pending.Length == 0;
                    }

                    if (pending.Length == 0)
                    {
                        // Empty: Write releases the semaphore once it has queued bytes.
                        await _sendData.WaitAsync(token).ConfigureAwait(false);
                        continue;
                    }

                    await stream.WriteAsync(pending, token).ConfigureAwait(false);
                    lock (_sendSync)
                    {
                        _toSend.Drop(pending.Length);
                    }
                }
            }
            catch (Exception ex)
            {
                FailTransfer(ex);
            }
        }

        private void FailTransfer(Exception ex)
        {
            if (ex is OperationCanceledException || ex is ObjectDisposedException || _state != (int)NetState.Open)
            {
                // Closed or failed elsewhere first; that state stands.
                return;
            }

            SocketException socketError = FindSocketError(ex);
            if (socketError != null)
            {
                NetError category = MapSocketError(socketError.SocketErrorCode);
                Finish(NetState.Failed, category == NetError.Other ? NetError.Reset : category, socketError.Message);
            }
            else
            {
                Finish(NetState.Failed, NetError.Reset, ShortMessage(ex));
            }
        }

        private int TlsAvailable()
        {
            if (_tls != (int)TlsState.Established)
            {
                return 0;
            }

            lock (_receiveSync)
            {
                return _received.Count;
            }
        }

        private bool TlsReadable()
        {
            if (_tls != (int)TlsState.Established)
            {
                return false;
            }

            lock (_receiveSync)
            {
                // The receive loop saw close_notify or the end of the stream: the next Read reports it.
                return _received.Count > 0 || _peerEnded;
            }
        }

        private int TlsRead(byte[] buffer, int offset, int count)
        {
            CheckBuffer(buffer, offset, count);
            if (_tls != (int)TlsState.Established)
            {
                return 0;
            }

            int taken;
            bool wakeReceiver = false;
            bool ended = false;
            lock (_receiveSync)
            {
                taken = _received.Take(buffer, offset, count);
                if (taken > 0 && _receivePaused)
                {
                    _receivePaused = false;
                    wakeReceiver = true;
                }

                ended = taken == 0 && _peerEnded;
            }

            if (wakeReceiver)
            {
                _receiveSpace.Release();
            }

            if (ended)
            {
                // Like a socket: the peer's close shows once every byte it sent has been read.
                Finish(NetState.Closed, NetError.None, string.Empty);
            }

            return taken;
        }

        private int TlsWrite(byte[] buffer, int offset, int count)
        {
            CheckBuffer(buffer, offset, count);
            if (_tls != (int)TlsState.Established)
            {
                return 0;
            }

            int taken;
            bool wakeSender = false;
            lock (_sendSync)
            {
                taken = _toSend.Put(buffer, offset, count);
                if (taken > 0 && _senderIdle)
                {
                    _senderIdle = false;
                    wakeSender = true;
                }
            }

            if (wakeSender)
            {
                _sendData.Release();
            }

            return taken;
        }

        private bool WaitTlsNews(int timeoutMs)
        {
            // Reset before looking, so news arriving between the look and the wait still wakes us.
            _tlsNews.Reset();
            if (_state != (int)NetState.Open)
            {
                return true;
            }

            if (_tls == (int)TlsState.Established)
            {
                lock (_receiveSync)
                {
                    if (_received.Count > 0 || _peerEnded)
                    {
                        return true;
                    }
                }
            }

            return _tlsNews.Wait(timeoutMs);
        }
    }
}
