using System;
using System.Collections.Generic;
using System.Text;
using NetBoard.Hal;

namespace NetBoard.Firmware.Tests.Doubles
{
    /// <summary>A clock the test moves by hand.</summary>
    internal sealed class FakeClock : IClock
    {
        public long NowMs { get; set; } = 5000;

        public DateTime UtcNow { get; set; } = new DateTime(2026, 3, 4, 5, 6, 7, DateTimeKind.Utc);
    }

    /// <summary>Hands out one prepared connection and records how it was asked for.</summary>
    internal sealed class FakeConnector : INetConnector
    {
        public FakeConnector(FakeConnection connection)
        {
            Connection = connection;
        }

        public FakeConnection Connection { get; }

        public int Calls { get; private set; }

        public string Host { get; private set; }

        public int Port { get; private set; }

        public string LocalAddress { get; private set; }

        public INetConnection Connect(string host, int port, string localAddress)
        {
            Calls++;
            Host = host;
            Port = port;
            LocalAddress = localAddress;
            return Connection;
        }
    }

    /// <summary>
    /// A connection whose far side the test controls: bytes to deliver, how much one Read or Write
    /// moves, and the peer's close (seen, as on a socket, once every delivered byte is read).
    /// StartTls only records its arguments and starts the handshake; the test ends it with
    /// <see cref="EstablishTls"/> or <see cref="FailTls"/>.
    /// </summary>
    internal sealed class FakeConnection : INetConnection
    {
        private readonly Queue<byte> _incoming = new Queue<byte>();
        private bool _peerClosed;

        public NetState State { get; set; } = NetState.Connecting;

        public NetError Error { get; set; }

        public string ErrorText { get; set; } = string.Empty;

        public string LocalAddress { get; set; } = string.Empty;

        public int Available => State == NetState.Open ? _incoming.Count : 0;

        /// <summary>Like a socket: readable with bytes waiting, and after the peer's close (which the next Read reports).</summary>
        public bool IsReadable => State == NetState.Open && (_incoming.Count > 0 || _peerClosed);

        public TlsState Tls { get; set; } = TlsState.None;

        public string TlsDescription => Tls == TlsState.Established ? NegotiatedTls : string.Empty;

        /// <summary>What <see cref="TlsDescription"/> reports once the handshake is established.</summary>
        public string NegotiatedTls { get; set; } = "Tls13 TLS_AES_256_GCM_SHA384";

        public int StartTlsCalls { get; private set; }

        /// <summary>The target host of the last StartTls, or null.</summary>
        public string TlsTargetHost { get; private set; }

        /// <summary>The policy of the last StartTls, or null.</summary>
        public TlsPolicy TlsPolicy { get; private set; }

        /// <summary>Bytes that were waiting unread when StartTls was called (the contract says none).</summary>
        public int UnreadAtStartTls { get; private set; }

        /// <summary>Most bytes one Read returns.</summary>
        public int ReadLimit { get; set; } = int.MaxValue;

        /// <summary>Most bytes one Write takes (0: the send buffer is full).</summary>
        public int WriteLimit { get; set; } = int.MaxValue;

        public List<byte> Written { get; } = new List<byte>();

        public string WrittenText => Encoding.ASCII.GetString(Written.ToArray());

        public int ReadCalls { get; set; }

        /// <summary>The largest count a Read was offered.</summary>
        public int LargestReadOffered { get; private set; }

        public int WriteCalls { get; set; }

        public int CloseCalls { get; private set; }

        /// <summary>Called after each Write with the bytes taken, so a scripted peer can answer.</summary>
        public Action<FakeConnection> OnWritten { get; set; }

        public void Deliver(string text)
        {
            foreach (byte b in Encoding.ASCII.GetBytes(text))
            {
                _incoming.Enqueue(b);
            }
        }

        public void PeerCloses()
        {
            _peerClosed = true;
        }

        public int Read(byte[] buffer, int offset, int count)
        {
            ReadCalls++;
            LargestReadOffered = Math.Max(LargestReadOffered, count);
            if (State != NetState.Open)
            {
                return 0;
            }

            if (_incoming.Count == 0)
            {
                if (_peerClosed)
                {
                    State = NetState.Closed;
                }

                return 0;
            }

            int n = Math.Min(Math.Min(count, ReadLimit), _incoming.Count);
            for (int i = 0; i < n; i++)
            {
                buffer[offset + i] = _incoming.Dequeue();
            }

            return n;
        }

        public int Write(byte[] buffer, int offset, int count)
        {
            WriteCalls++;
            if (State != NetState.Open)
            {
                return 0;
            }

            int n = Math.Min(count, WriteLimit);
            for (int i = 0; i < n; i++)
            {
                Written.Add(buffer[offset + i]);
            }

            if (n > 0)
            {
                OnWritten?.Invoke(this);
            }

            return n;
        }

        public void StartTls(string targetHost, TlsPolicy policy)
        {
            if (State != NetState.Open || Tls != TlsState.None)
            {
                throw new InvalidOperationException("TLS needs an open connection without TLS.");
            }

            StartTlsCalls++;
            TlsTargetHost = targetHost;
            TlsPolicy = policy;
            UnreadAtStartTls = _incoming.Count;
            Tls = TlsState.Handshaking;
        }

        /// <summary>Ends the handshake successfully.</summary>
        public void EstablishTls()
        {
            Tls = TlsState.Established;
        }

        /// <summary>Ends the handshake with a failure (Error Tls or Certificate).</summary>
        public void FailTls(NetError error, string errorText)
        {
            State = NetState.Failed;
            Error = error;
            ErrorText = errorText;
        }

        public void Close()
        {
            CloseCalls++;
            if (State == NetState.Open || State == NetState.Connecting)
            {
                State = NetState.Closed;
            }
        }

        public void Dispose()
        {
            Close();
        }
    }

    /// <summary>
    /// A minimal SMTP server on a <see cref="FakeConnection"/>: answers each command line the client
    /// completes, takes the message after 354 up to the final dot, and closes after QUIT.
    /// </summary>
    internal sealed class ScriptedPeer
    {
        private int _consumed;
        private bool _inData;

        public ScriptedPeer(FakeConnection connection, string ehloReply = "250-mail.lab.test\r\n250 AUTH PLAIN LOGIN\r\n")
        {
            Connection = connection;
            EhloReply = ehloReply;
            connection.OnWritten = _ => Answer();
        }

        public FakeConnection Connection { get; }

        public string EhloReply { get; set; }

        public List<string> Commands { get; } = new List<string>();

        public string Message { get; private set; }

        public bool QuitSeen { get; private set; }

        private void Answer()
        {
            string text = Connection.WrittenText;
            while (true)
            {
                if (_inData)
                {
                    int end = text.IndexOf("\r\n.\r\n", _consumed, StringComparison.Ordinal);
                    if (end < 0)
                    {
                        return;
                    }

                    Message = text.Substring(_consumed, end + 2 - _consumed);
                    _consumed = end + 5;
                    _inData = false;
                    Connection.Deliver("250 2.0.0 queued\r\n");
                    continue;
                }

                int lineEnd = text.IndexOf("\r\n", _consumed, StringComparison.Ordinal);
                if (lineEnd < 0)
                {
                    return;
                }

                string line = text.Substring(_consumed, lineEnd - _consumed);
                _consumed = lineEnd + 2;
                Commands.Add(line);
                string verb = line.Split(' ')[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        Connection.Deliver(EhloReply);
                        break;
                    case "AUTH":
                        Connection.Deliver("235 2.7.0 ok\r\n");
                        break;
                    case "DATA":
                        _inData = true;
                        Connection.Deliver("354 go ahead\r\n");
                        break;
                    case "QUIT":
                        QuitSeen = true;
                        Connection.Deliver("221 2.0.0 bye\r\n");
                        Connection.PeerCloses();
                        break;
                    default:
                        Connection.Deliver("250 ok\r\n");
                        break;
                }
            }
        }
    }
}
