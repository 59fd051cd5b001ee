using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;

namespace NetBoard.Firmware.Tests.Reliability
{
    /// <summary>How a scripted server hangs up.</summary>
    public enum Hangup
    {
        /// <summary>An orderly close: FIN (shutdown, then close).</summary>
        Fin,

        /// <summary>An abortive close: RST (linger 0, then close).</summary>
        Reset,
    }

    /// <summary>
    /// One client connection on a loopback server: line reads with a bound, writes, TLS on the same socket, and
    /// the two ways to hang up. Every call blocks the server's own thread only.
    /// </summary>
    internal sealed class LoopbackConnection : IDisposable
    {
        /// <summary>How long the server waits for the client (a bound on a stuck test, not an assertion on speed).</summary>
        public const int ReceiveTimeoutMs = 20000;

        private readonly Socket _socket;
        private readonly byte[] _buffer = new byte[8192];
        private Stream _stream;
        private int _start;
        private int _end;

        public LoopbackConnection(Socket socket)
        {
            _socket = socket;
            _socket.ReceiveTimeout = ReceiveTimeoutMs;
            _socket.SendTimeout = ReceiveTimeoutMs;
            _socket.NoDelay = true;
            _stream = new NetworkStream(socket, false);
        }

        /// <summary>Octets written to the client (clear text or inside TLS).</summary>
        public long OctetsSent { get; private set; }

        /// <summary>Reads one line without its CRLF; null when the client closed or went silent.</summary>
        public string ReadLine()
        {
            var line = new List<byte>();
            while (true)
            {
                if (_start == _end && !Fill())
                {
                    return null;
                }

                byte b = _buffer[_start++];
                if (b == (byte)'\n')
                {
                    if (line.Count > 0 && line[line.Count - 1] == (byte)'\r')
                    {
                        line.RemoveAt(line.Count - 1);
                    }

                    return Encoding.Latin1.GetString(line.ToArray());
                }

                line.Add(b);
            }
        }

        /// <summary>Sends <paramref name="text"/> as it is (the caller adds line ends); false when the client is gone.</summary>
        public bool Send(string text) => Send(Encoding.Latin1.GetBytes(text));

        public bool Send(byte[] bytes)
        {
            try
            {
                _stream.Write(bytes, 0, bytes.Length);
                _stream.Flush();
                OctetsSent += bytes.Length;
                return true;
            }
            catch (Exception e) when (e is IOException || e is SocketException || e is ObjectDisposedException)
            {
                return false;
            }
        }

        /// <summary>Runs the server side of a TLS handshake; false when it failed.</summary>
        public bool StartTls(X509Certificate2 certificate)
        {
            var ssl = new SslStream(new NetworkStream(_socket, false), false);
            try
            {
                ssl.AuthenticateAsServer(new SslServerAuthenticationOptions
                {
                    ServerCertificate = certificate,
                    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                });
            }
            catch (Exception e) when (e is IOException || e is AuthenticationException || e is SocketException)
            {
                ssl.Dispose();
                return false;
            }

            _stream = ssl;
            _start = _end = 0;
            return true;
        }

        /// <summary>Hangs up as <paramref name="how"/> says and notes when.</summary>
        public void HangUp(Hangup how)
        {
            try
            {
                if (how == Hangup.Reset)
                {
                    _socket.LingerState = new LingerOption(true, 0);
                }
                else
                {
                    _socket.Shutdown(SocketShutdown.Both);
                }
            }
            catch (SocketException)
            {
                // The client is gone already.
            }

            _socket.Close();
        }

        public void Dispose()
        {
            _stream.Dispose();
            _socket.Dispose();
        }

        private bool Fill()
        {
            try
            {
                int n = _stream.Read(_buffer, 0, _buffer.Length);
                _start = 0;
                _end = n;
                return n > 0;
            }
            catch (Exception e) when (e is IOException || e is SocketException || e is ObjectDisposedException)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// A line server on a free loopback port that serves one connection after another on a thread of its own.
    /// A fault names a command word (or "GREETING", or a pseudo-step the subclass knows) and a hang-up: on the
    /// connection it applies to, the server hangs up there instead of answering.
    /// </summary>
    internal abstract class LoopbackLineServer : IDisposable
    {
        private readonly TcpListener _listener;
        private readonly Thread _thread;
        private readonly object _sync = new object();
        private volatile bool _stopping;
        private long _hungUpAt;

        protected LoopbackLineServer()
        {
            _listener = new TcpListener(IPAddress.Loopback, 0);
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _thread = new Thread(AcceptLoop) { IsBackground = true, Name = GetType().Name };
            _thread.Start();
        }

        public int Port { get; }

        /// <summary>Where to hang up: the command word (upper case) or pseudo-step, or null for none.</summary>
        public string FaultAt { get; set; }

        /// <summary>How to hang up at <see cref="FaultAt"/>.</summary>
        public Hangup FaultHow { get; set; }

        /// <summary>The connection (1-based) the fault applies to.</summary>
        public int FaultConnection { get; set; } = 1;

        /// <summary>Connections accepted so far.</summary>
        public int Connections { get; private set; }

        /// <summary>When the fault's hang-up happened (Stopwatch ticks), or 0.</summary>
        public long HungUpAt => Interlocked.Read(ref _hungUpAt);

        /// <summary>Every line the server received, by connection ("n: line"); AUTH payloads included.</summary>
        public List<string> Received { get; } = new List<string>();

        /// <summary>Octets the server sent on its connections, in order.</summary>
        public List<long> OctetsSent { get; } = new List<long>();

        public void Dispose()
        {
            _stopping = true;
            _listener.Stop();
            _thread.Join(5000);
        }

        /// <summary>Serves one connection; returns when it is over.</summary>
        protected abstract void Serve(LoopbackConnection connection, int number);

        /// <summary>True (and hangs up) when the fault applies here.</summary>
        protected bool Fault(LoopbackConnection connection, int number, string step)
        {
            if (FaultAt != step || number != FaultConnection)
            {
                return false;
            }

            // Noted before the close, so the client cannot see the close before the test sees the time.
            Interlocked.Exchange(ref _hungUpAt, Stopwatch.GetTimestamp());
            connection.HangUp(FaultHow);
            return true;
        }

        protected string Read(LoopbackConnection connection, int number)
        {
            string line = connection.ReadLine();
            if (line != null)
            {
                lock (_sync)
                {
                    Received.Add(number + ": " + line);
                }
            }

            return line;
        }

        public string[] ReceivedLines()
        {
            lock (_sync)
            {
                return Received.ToArray();
            }
        }

        private void AcceptLoop()
        {
            while (!_stopping)
            {
                Socket socket;
                try
                {
                    socket = _listener.AcceptSocket();
                }
                catch (Exception e) when (e is SocketException || e is ObjectDisposedException || e is InvalidOperationException)
                {
                    return;
                }

                int number = ++Connections;
                using (var connection = new LoopbackConnection(socket))
                {
                    try
                    {
                        Serve(connection, number);
                    }
                    catch (Exception e) when (e is IOException || e is SocketException || e is ObjectDisposedException)
                    {
                        // The client went away; the next connection gets a fresh start.
                    }

                    lock (_sync)
                    {
                        OctetsSent.Add(connection.OctetsSent);
                    }
                }
            }
        }
    }

    /// <summary>
    /// A loopback SMTP server: EHLO offers AUTH PLAIN LOGIN, everything is accepted, and each message taken with
    /// a 250 to its final dot is recorded. Fault steps: GREETING, the command words, "BODY" (after the first
    /// kilobyte of message data) and "." (the final dot).
    /// </summary>
    internal sealed class LoopbackSmtpServer : LoopbackLineServer
    {
        private readonly object _sync = new object();
        private readonly List<string> _deliveries = new List<string>();

        /// <summary>The messages accepted, as "recipients|subject".</summary>
        public string[] Deliveries
        {
            get
            {
                lock (_sync)
                {
                    return _deliveries.ToArray();
                }
            }
        }

        protected override void Serve(LoopbackConnection c, int n)
        {
            if (Fault(c, n, "GREETING"))
            {
                return;
            }

            c.Send("220 smtp.lab.test ESMTP\r\n");
            var recipients = new List<string>();
            while (true)
            {
                string line = Read(c, n);
                if (line == null)
                {
                    return;
                }

                string word = line.Split(' ')[0].ToUpperInvariant();
                if (Fault(c, n, word))
                {
                    return;
                }

                switch (word)
                {
                    case "EHLO":
                        c.Send("250-smtp.lab.test\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n");
                        break;
                    case "AUTH":
                        c.Send("235 2.7.0 Authentication successful\r\n");
                        break;
                    case "RCPT":
                        recipients.Add(line.Substring(line.IndexOf(':') + 1).Trim('<', '>', ' '));
                        c.Send("250 2.1.5 Ok\r\n");
                        break;
                    case "DATA":
                        c.Send("354 End data with <CR><LF>.<CR><LF>\r\n");
                        if (!TakeMessage(c, n, recipients))
                        {
                            return;
                        }

                        break;
                    case "QUIT":
                        c.Send("221 2.0.0 Bye\r\n");
                        return;
                    default:
                        c.Send("250 2.0.0 Ok\r\n");
                        break;
                }
            }
        }

        private bool TakeMessage(LoopbackConnection c, int n, List<string> recipients)
        {
            long octets = 0;
            string subject = string.Empty;
            while (true)
            {
                string line = c.ReadLine();
                if (line == null)
                {
                    return false;
                }

                if (line == ".")
                {
                    if (Fault(c, n, "."))
                    {
                        return false;
                    }

                    lock (_sync)
                    {
                        _deliveries.Add(string.Join(",", recipients) + "|" + subject);
                    }

                    recipients.Clear();
                    return c.Send("250 2.0.0 Ok: queued as 4F2\r\n");
                }

                if (subject.Length == 0 && line.StartsWith("Subject: ", StringComparison.Ordinal))
                {
                    subject = line.Substring(9);
                }

                octets += line.Length + 2;
                if (octets > 1024 && Fault(c, n, "BODY"))
                {
                    return false;
                }
            }
        }
    }

    /// <summary>
    /// A loopback POP3 server over a shared mailbox that changes only at a confirmed QUIT (RFC 1939 UPDATE).
    /// CAPA lists USER, UIDL and, when set, STLS and SASL mechanisms; the greeting carries an APOP timestamp when set.
    /// Fault steps: GREETING, the command words, and "RETR BODY" (half the first message sent). Special
    /// behaviours for the scripted-peer tests: a RETR that streams without end or trickles, a LIST that lies,
    /// bytes injected after the +OK to STLS, and a custom status word.
    /// </summary>
    internal sealed class LoopbackPopServer : LoopbackLineServer
    {
        public const string Timestamp = "<1896.697170952@pop.lab.test>";

        private readonly object _sync = new object();
        private readonly List<(string Uid, byte[] Body)> _mailbox;

        public LoopbackPopServer(string user, string password, params (string Uid, byte[] Body)[] messages)
        {
            User = user;
            Password = password;
            _mailbox = messages.ToList();
        }

        public string User { get; }

        public string Password { get; }

        /// <summary>The mailbox now.</summary>
        public (string Uid, byte[] Body)[] Mailbox
        {
            get
            {
                lock (_sync)
                {
                    return _mailbox.ToArray();
                }
            }
        }

        /// <summary>Put an APOP timestamp in the greeting.</summary>
        public bool OfferApop { get; set; }

        /// <summary>The SASL mechanisms CAPA lists (empty: no SASL line).</summary>
        public string Sasl { get; set; } = string.Empty;

        /// <summary>The certificate for STLS; null: no STLS.</summary>
        public X509Certificate2 TlsCertificate { get; set; }

        /// <summary>Bytes sent in clear right after the +OK to STLS, before the handshake (an injection).</summary>
        public string InjectAfterStls { get; set; }

        /// <summary>How long the server waits between the +OK to STLS and the injected bytes (0: in the same write).</summary>
        public int InjectDelayMs { get; set; }

        /// <summary>The status word for success ("+OK"; "+OKAY" for a server that is not quite POP3).</summary>
        public string Ok { get; set; } = "+OK";

        /// <summary>Sizes LIST reports instead of the real ones, by message number.</summary>
        public Dictionary<int, long> ListedSizes { get; } = new Dictionary<int, long>();

        /// <summary>RETR of these message numbers streams message lines without end (up to <see cref="EndlessCapOctets"/>).</summary>
        public HashSet<int> Endless { get; } = new HashSet<int>();

        /// <summary>RETR of these message numbers sends one octet every <see cref="TrickleIntervalMs"/>, without end.</summary>
        public HashSet<int> Trickle { get; } = new HashSet<int>();

        public int TrickleIntervalMs { get; set; } = 50;

        /// <summary>Where an endless message stops if the client never does (1.13 GB, as the report that found the bug).</summary>
        public long EndlessCapOctets { get; set; } = 1_130_000_000L;

        /// <summary>Octets sent in the bodies of endless and trickling messages.</summary>
        public long StreamedOctets { get; private set; }

        protected override void Serve(LoopbackConnection c, int n)
        {
            if (Fault(c, n, "GREETING"))
            {
                return;
            }

            c.Send(Ok + " pop.lab.test ready" + (OfferApop ? " " + Timestamp : string.Empty) + "\r\n");
            var marked = new HashSet<int>();
            string user = null;
            bool loggedIn = false;
            (string Uid, byte[] Body)[] box = Mailbox;
            while (true)
            {
                string line = Read(c, n);
                if (line == null)
                {
                    return;
                }

                string[] words = line.Split(' ');
                string word = words[0].ToUpperInvariant();
                if (Fault(c, n, word))
                {
                    return;
                }

                switch (word)
                {
                    case "CAPA":
                        c.Send(Ok + "\r\nUSER\r\nUIDL\r\n" + (TlsCertificate != null ? "STLS\r\n" : string.Empty) + (Sasl.Length > 0 ? "SASL " + Sasl + "\r\n" : string.Empty) + ".\r\n");
                        break;
                    case "STLS":
                        if (InjectDelayMs > 0)
                        {
                            c.Send(Ok + " Begin TLS negotiation\r\n");
                            Thread.Sleep(InjectDelayMs);
                            c.Send(InjectAfterStls ?? string.Empty);
                        }
                        else
                        {
                            c.Send(Ok + " Begin TLS negotiation\r\n" + (InjectAfterStls ?? string.Empty));
                        }

                        if (!c.StartTls(TlsCertificate))
                        {
                            return;
                        }

                        break;
                    case "USER":
                        user = words.Length > 1 ? words[1] : string.Empty;
                        c.Send(Ok + "\r\n");
                        break;
                    case "PASS":
                        loggedIn = user == User && line.Substring(5) == Password;
                        c.Send(loggedIn ? Ok + " Logged in.\r\n" : "-ERR [AUTH] Authentication failed.\r\n");
                        break;
                    case "APOP":
                        loggedIn = OfferApop && words.Length == 3 && words[1] == User && words[2] == Digest(Timestamp + Password);
                        c.Send(loggedIn ? Ok + " Logged in.\r\n" : "-ERR [AUTH] Authentication failed.\r\n");
                        break;
                    case "AUTH":
                        loggedIn = CramMd5(c, n);
                        c.Send(loggedIn ? Ok + " Logged in.\r\n" : "-ERR [AUTH] Authentication failed.\r\n");
                        break;
                    case "UIDL":
                        c.Send(Ok + "\r\n" + string.Concat(box.Select((m, i) => (i + 1) + " " + m.Uid + "\r\n")) + ".\r\n");
                        break;
                    case "LIST":
                        c.Send(Ok + "\r\n" + string.Concat(box.Select((m, i) => (i + 1) + " " + (ListedSizes.TryGetValue(i + 1, out long s) ? s : m.Body.Length) + "\r\n")) + ".\r\n");
                        break;
                    case "RETR":
                        if (!Retrieve(c, n, box, int.Parse(words[1])))
                        {
                            return;
                        }

                        break;
                    case "DELE":
                        marked.Add(int.Parse(words[1]));
                        c.Send(Ok + " marked\r\n");
                        break;
                    case "QUIT":
                        if (loggedIn)
                        {
                            lock (_sync)
                            {
                                _mailbox.RemoveAll(m => marked.Any(k => box[k - 1].Uid == m.Uid));
                            }
                        }

                        c.Send(Ok + " bye\r\n");
                        return;
                    default:
                        c.Send("-ERR unknown command\r\n");
                        break;
                }
            }
        }

        private static string Digest(string text) => Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();

        private bool CramMd5(LoopbackConnection c, int n)
        {
            string challenge = "<" + n + ".4711@pop.lab.test>";
            c.Send("+ " + Convert.ToBase64String(Encoding.ASCII.GetBytes(challenge)) + "\r\n");
            string answer = Read(c, n);
            if (answer == null || answer == "*")
            {
                return false;
            }

            string expected = User + " " + Convert.ToHexString(HMACMD5.HashData(Encoding.UTF8.GetBytes(Password), Encoding.ASCII.GetBytes(challenge))).ToLowerInvariant();
            return Encoding.UTF8.GetString(Convert.FromBase64String(answer)) == expected;
        }

        private bool Retrieve(LoopbackConnection c, int n, (string Uid, byte[] Body)[] box, int number)
        {
            if (Endless.Contains(number))
            {
                c.Send(Ok + " message follows\r\n");
                byte[] line = Encoding.ASCII.GetBytes(new string('y', 1022) + "\r\n");
                for (long sent = 0; sent < EndlessCapOctets; sent += line.Length)
                {
                    if (!c.Send(line))
                    {
                        return false;
                    }

                    StreamedOctets += line.Length;
                }

                return c.Send(".\r\n");
            }

            if (Trickle.Contains(number))
            {
                c.Send(Ok + " message follows\r\n");
                byte[] one = { (byte)'z' };
                while (c.Send(one))
                {
                    StreamedOctets++;
                    Thread.Sleep(TrickleIntervalMs);
                }

                return false;
            }

            byte[] wire = NetBoard.Firmware.Tests.Pop.ScriptedPop.Stuffed(box[number - 1].Body);
            c.Send(Ok + " " + box[number - 1].Body.Length + " octets\r\n");
            if (FaultAt == "RETR BODY" && n == FaultConnection)
            {
                c.Send(wire.AsSpan(0, wire.Length / 2).ToArray());
                return !Fault(c, n, "RETR BODY");
            }

            return c.Send(wire);
        }
    }

    /// <summary>A self-signed server certificate for the loopback TLS servers (names mail.lab.test and 127.0.0.1).</summary>
    internal static class LoopbackCertificate
    {
        private static readonly Lazy<X509Certificate2> s_certificate = new Lazy<X509Certificate2>(Create);

        public static X509Certificate2 Server => s_certificate.Value;

        private static X509Certificate2 Create()
        {
            using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=mail.lab.test", key, HashAlgorithmName.SHA256);
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName("mail.lab.test");
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
            DateTimeOffset now = DateTimeOffset.UtcNow;
            using X509Certificate2 created = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
            return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
        }
    }
}
