using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace NetBoard.Hal.Host
{
    /// <summary>
    /// A TCP connection on <see cref="Socket"/>. Resolution and the handshake run in the background;
    /// once open, the socket is non-blocking, so <see cref="Read"/> and <see cref="Write"/> return at once.
    /// </summary>
    public sealed class TcpConnection : INetConnection
    {
        private const int MicrosecondsPerMillisecond = 1000;

        private readonly object _sync = new object();
        private readonly CancellationTokenSource _cancel = new CancellationTokenSource();
        // No spinning: only a host idle loop waits on it, and it should sleep, not burn a core.
        private readonly ManualResetEventSlim _settled = new ManualResetEventSlim(false, 0);
        private volatile int _state = (int)NetState.Connecting;
        private volatile Socket _socket;
        private NetError _error = NetError.None;
        private string _errorText = string.Empty;
        private string _localAddress = string.Empty;

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
        public int Read(byte[] buffer, int offset, int count)
        {
            Socket socket = _socket;
            if (_state != (int)NetState.Open || socket == null || count == 0)
            {
                return 0;
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

        /// <summary>
        /// Waits up to <paramref name="timeoutMs"/> until <see cref="Read"/> has something to report
        /// (bytes, the peer's close or an error) or the connection leaves the Connecting state.
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
            if (Finish(NetState.Closed, NetError.None, string.Empty))
            {
                try
                {
                    _cancel.Cancel();
                }
                catch (AggregateException)
                {
                    // A failing cancellation callback must not turn Close into a throwing call.
                }
            }
        }

        /// <summary>Closes the connection; same as <see cref="Close"/>.</summary>
        public void Dispose()
        {
            Close();
        }

        internal void BeginConnect(string host, int port, string localAddress)
        {
            CancellationToken token = _cancel.Token;
            _ = Task.Run(() => ConnectAsync(host, port, localAddress, token));
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

                socket.NoDelay = true;
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
            if (socket != null)
            {
                DisposeQuietly(socket);
            }

            return true;
        }
    }
}
