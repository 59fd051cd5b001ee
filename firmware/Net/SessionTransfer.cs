using System;
using NetBoard.Hal;

namespace NetBoard.Firmware.Net
{
    /// <summary>
    /// Runs a client session (SMTP, POP3) over a HAL connection: connects, moves bytes both ways and
    /// checks deadlines, a bounded amount per <see cref="Step"/>, never waiting.
    /// </summary>
    public sealed class SessionTransfer
    {
        /// <summary>Receive buffer: replies are short, so a reply line's worth is plenty.</summary>
        public const int ReceiveBufferSize = 512;

        // Bounds one step to a few output blocks so other tasks get their turn.
        private const int MaxWritesPerStep = 4;
        private const int MaxReadsPerStep = 4;

        private readonly IClientSession _session;
        private readonly INetConnector _connector;
        private readonly IClock _clock;
        private readonly ServerEndpoint _endpoint;
        private readonly byte[] _in = new byte[ReceiveBufferSize];
        private INetConnection _connection;

        /// <summary>Prepares a transfer to <paramref name="endpoint"/>; nothing happens before the first <see cref="Step"/>.</summary>
        public SessionTransfer(IClientSession session, INetConnector connector, IClock clock, ServerEndpoint endpoint)
        {
            if (endpoint == null)
            {
                throw new ArgumentNullException("endpoint");
            }

            _session = session;
            _connector = connector;
            _clock = clock;
            _endpoint = endpoint;
        }

        /// <summary>Where the session connects.</summary>
        public ServerEndpoint Endpoint
        {
            get { return _endpoint; }
        }

        /// <summary>The session being run.</summary>
        public IClientSession Session
        {
            get { return _session; }
        }

        /// <summary>The connection, once the first step has started it.</summary>
        public INetConnection Connection
        {
            get { return _connection; }
        }

        /// <summary>True when the session has ended and the connection is closed.</summary>
        public bool IsDone
        {
            get { return _session.IsDone; }
        }

        /// <summary>True while the session has output the connection has not taken yet.</summary>
        public bool WaitingToSend
        {
            get { return _session.OutputCount > 0; }
        }

        /// <summary>The connection state the last <see cref="Step"/> acted on.</summary>
        public NetState SeenState { get; private set; }

        /// <summary>The TLS state the last <see cref="Step"/> acted on.</summary>
        public TlsState SeenTls { get; private set; }

        /// <summary>Does what can be done now; returns true when anything moved.</summary>
        public bool Step()
        {
            long now = _clock.NowMs;
            if (_connection != null)
            {
                // Read before acting: a change after this point must wake a task that waits on the connection.
                SeenState = _connection.State;
                SeenTls = _connection.Tls;
            }

            if (_connection == null)
            {
                _session.Start(now);
                _connection = _connector.Connect(_endpoint.Host, _endpoint.Port, _endpoint.LocalAddress);
                return true;
            }

            if (_session.IsDone)
            {
                _connection.Close();
                return false;
            }

            bool progress = _session.IsConnecting ? StepConnecting(now) : StepOpen(now);
            if (!_session.IsDone)
            {
                _session.CheckTimeout(now);
            }

            if (_session.IsDone)
            {
                _connection.Close();
                progress = true;
            }

            return progress;
        }

        private bool StepConnecting(long now)
        {
            NetState state = _connection.State;
            if (state == NetState.Open && _endpoint.ImplicitTls && _connection.Tls != TlsState.Established)
            {
                if (_connection.Tls == TlsState.None)
                {
                    _connection.StartTls(_endpoint.Host, _endpoint.TlsPolicy);
                    return true;
                }

                return false;
            }

            if (state == NetState.Open)
            {
                _session.OnConnected(_connection.LocalAddress, now);
                return true;
            }

            if (state == NetState.Failed || state == NetState.Closed)
            {
                _session.OnConnectFailed(_connection.Error, _connection.ErrorText);
                return true;
            }

            return false;
        }

        private bool StepTls(long now)
        {
            if (_connection.Tls == TlsState.None)
            {
                _connection.StartTls(_endpoint.Host, _endpoint.TlsPolicy);
                return true;
            }

            if (_connection.Tls == TlsState.Established)
            {
                _session.OnTlsStarted(now);
                return true;
            }

            return false;
        }

        private bool StepOpen(long now)
        {
            // Bytes, or a close, behind the go-ahead are read first: the session refuses the one, reports the other.
            if (_session.WantsTls && !_connection.IsReadable && _connection.State == NetState.Open)
            {
                return StepTls(now);
            }

            bool progress = false;
            for (int i = 0; i < MaxReadsPerStep && !_session.IsDone; i++)
            {
                int read = _connection.Read(_in, 0, _in.Length);
                if (read <= 0)
                {
                    break;
                }

                _session.Receive(_in, 0, read, now);
                progress = true;
            }

            // One slice per step: the scheduler runs the other tasks between slices, and the answer goes out below.
            if (_session.IsComputing && !_session.IsDone)
            {
                _session.Compute(now);
                progress = true;
            }

            for (int i = 0; i < MaxWritesPerStep && !_session.IsDone && _session.OutputCount > 0; i++)
            {
                int written = _connection.Write(_session.Output, _session.OutputOffset, _session.OutputCount);
                if (written <= 0)
                {
                    break;
                }

                _session.OnSent(written, now);
                progress = true;
            }

            NetState state = _connection.State;
            if (!_session.IsDone && (state == NetState.Closed || state == NetState.Failed))
            {
                _session.OnConnectionEnded(_connection.Error, _connection.ErrorText);
                progress = true;
            }

            return progress;
        }
    }
}
