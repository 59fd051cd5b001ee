using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using NetBoard.Firmware.Tests.Pop;
using NetBoard.Hal;

namespace NetBoard.Firmware.Tests.Doubles
{
    /// <summary>One thing that happened, at a virtual millisecond, said by one source ("pop#2", "smtp#1", "timer", "board").</summary>
    internal sealed record LabEvent(int Index, long Ms, string Source, string Text)
    {
        public override string ToString() => Ms + " " + Source + " " + Text;
    }

    /// <summary>The single ordered record of what the scripted servers, the connector, the timer and the board observer saw.</summary>
    internal sealed class EventLog
    {
        private readonly VirtualClock _clock;

        public EventLog(VirtualClock clock) => _clock = clock;

        public List<LabEvent> Events { get; } = new List<LabEvent>();

        /// <summary>Called after each event is added (tests use it to act at a given point of a dialogue).</summary>
        public Action<LabEvent> OnEvent { get; set; }

        public void Add(string source, string text)
        {
            var e = new LabEvent(Events.Count, _clock.NowMs, source, text);
            Events.Add(e);
            OnEvent?.Invoke(e);
        }

        /// <summary>The first event from <paramref name="source"/> whose text starts with <paramref name="text"/>, at or after <paramref name="from"/>; null if none.</summary>
        public LabEvent Find(string source, string text, int from = 0) =>
            Events.Skip(from).FirstOrDefault(e => e.Source == source && e.Text.StartsWith(text, StringComparison.Ordinal));

        public LabEvent Last(string source, string text) =>
            Events.LastOrDefault(e => e.Source == source && e.Text.StartsWith(text, StringComparison.Ordinal));

        public bool Has(string source, string text) => Find(source, text) != null;

        /// <summary>The texts of <paramref name="source"/>'s events, in order.</summary>
        public List<string> Of(string source) => Events.Where(e => e.Source == source).Select(e => e.Text).ToList();

        /// <summary>Sources of a kind ("pop" gives pop#1, pop#2, ...) that connected.</summary>
        public List<string> Connections(string kind) =>
            Events.Where(e => e.Source.StartsWith(kind + "#", StringComparison.Ordinal) && e.Text.StartsWith("connect", StringComparison.Ordinal)).Select(e => e.Source).ToList();

        public string Dump(int last = 80) => string.Join("\n", Events.Skip(Math.Max(0, Events.Count - last)));
    }

    /// <summary>What a scripted server does with the reply to one command (or to the connection: "GREETING").</summary>
    internal sealed class LinkRule
    {
        /// <summary>The reply is held back for this long (virtual ms).</summary>
        public long DelayMs { get; init; }

        /// <summary>No reply ever comes; the connection stays open.</summary>
        public bool Stall { get; init; }

        /// <summary>The server drops the connection instead of replying.</summary>
        public bool Cut { get; init; }

        /// <summary>This reply (CRLF added) instead of the server's own.</summary>
        public string Reply { get; init; }

        public static LinkRule Delay(long ms) => new LinkRule { DelayMs = ms };

        public static LinkRule Answer(string reply) => new LinkRule { Reply = reply };

        public static readonly LinkRule Silent = new LinkRule { Stall = true };

        public static readonly LinkRule Drop = new LinkRule { Cut = true };
    }

    /// <summary>How one connection to a scripted server behaves: how connecting ends, and rules per command.</summary>
    internal sealed class LinkScript
    {
        /// <summary>Connecting fails with this error (None: it opens).</summary>
        public NetError ConnectError { get; init; }

        /// <summary>Connecting never ends (the client's connect timeout has to).</summary>
        public bool NeverOpens { get; init; }

        /// <summary>
        /// Rules by the whole command line ("RETR 2"), else by its verb ("RETR"); "GREETING" is the
        /// connection's first reply, "." the reply to the end of message data.
        /// </summary>
        public Dictionary<string, LinkRule> Rules { get; } = new Dictionary<string, LinkRule>(StringComparer.Ordinal);

        public static LinkScript Normal => new LinkScript();

        public static LinkScript On(string command, LinkRule rule)
        {
            var script = new LinkScript();
            script.Rules[command] = rule;
            return script;
        }

        public LinkScript And(string command, LinkRule rule)
        {
            Rules[command] = rule;
            return this;
        }

        public LinkRule RuleFor(string line)
        {
            if (Rules.TryGetValue(line, out LinkRule exact))
            {
                return exact;
            }

            string verb = line.Split(' ')[0].ToUpperInvariant();
            return Rules.TryGetValue(verb, out LinkRule byVerb) ? byVerb : null;
        }
    }

    /// <summary>A server as a state machine over whole lines: what it says on connecting, and the reply to each line.</summary>
    internal interface ILineServer
    {
        string Open();

        /// <summary>The reply to <paramref name="line"/> (lines joined by CRLF, the last one with CRLF); <paramref name="closes"/> when the server hangs up after it.</summary>
        string Line(string line, out bool closes);

        /// <summary>One line of message data (SMTP, after 354).</summary>
        void DataLine(string line);

        /// <summary>The reply to the end of message data.</summary>
        string EndData();
    }

    /// <summary>The lab's POP server: <see cref="InMemoryPopServer"/> behind the line interface; the mailbox lives on across connections.</summary>
    internal sealed class PopLineServer : ILineServer
    {
        private readonly InMemoryPopServer _server;

        public PopLineServer(InMemoryPopServer server) => _server = server;

        public InMemoryPopServer Server => _server;

        public string Open()
        {
            _server.Connect("pop.lab.test", 110, string.Empty);
            return Drain();
        }

        public string Line(string line, out bool closes)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(line + "\r\n");
            _server.Write(bytes, 0, bytes.Length);
            string reply = Drain();
            closes = _server.State == NetState.Closed;
            return reply;
        }

        public void DataLine(string line) => throw new InvalidOperationException("POP has no message data from the client");

        public string EndData() => throw new InvalidOperationException("POP has no message data from the client");

        private string Drain()
        {
            var text = new StringBuilder();
            var buffer = new byte[4096];
            int n;
            while ((n = _server.Read(buffer, 0, buffer.Length)) > 0)
            {
                text.Append(Encoding.Latin1.GetString(buffer, 0, n));
            }

            return text.ToString();
        }
    }

    /// <summary>A message an SMTP server took: who it was for and what it said.</summary>
    internal sealed record SmtpDelivery(string Connection, long Ms, IReadOnlyList<string> Recipients, string Headers, long BodyOctets);

    /// <summary>
    /// A small SMTP server: 220, EHLO (AUTH PLAIN), AUTH, MAIL, RCPT, DATA, the message, QUIT. It keeps the
    /// current transaction's recipients and the message's header lines; what it finally answers is up to
    /// the connection's rules.
    /// </summary>
    internal sealed class LabSmtpServer : ILineServer
    {
        private readonly StringBuilder _headers = new StringBuilder();
        private bool _inHeaders;

        public List<string> Recipients { get; } = new List<string>();

        public string Headers => _headers.ToString();

        public long BodyOctets { get; private set; }

        /// <summary>The mechanisms the EHLO reply announces.</summary>
        public string AuthOffer { get; set; } = "PLAIN";

        /// <summary>
        /// Which bearer tokens AUTH XOAUTH2 and OAUTHBEARER accept (null: all). A refused one gets the mechanism's JSON
        /// error challenge, then 535 after the client's dummy response, as Dovecot answers.
        /// </summary>
        public Func<string, bool> AcceptToken { get; set; }

        /// <summary>Every bearer token presented, in order.</summary>
        public List<string> Tokens { get; } = new List<string>();

        private string _awaiting;

        public string Open() => "220 smtp.lab.test ESMTP\r\n";

        public string Line(string line, out bool closes)
        {
            closes = false;
            if (_awaiting != null)
            {
                string step = _awaiting;
                _awaiting = null;
                return step == "dummy" ? "535 5.7.8 Error: authentication failed\r\n" : JudgeBearer(step, line);
            }

            string verb = line.Split(' ')[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO":
                    return "250-smtp.lab.test\r\n250-8BITMIME\r\n250 AUTH " + AuthOffer + "\r\n";
                case "HELO":
                    return "250 smtp.lab.test\r\n";
                case "AUTH":
                    string[] words = line.Split(' ');
                    string mechanism = words.Length > 1 ? words[1].ToUpperInvariant() : string.Empty;
                    if (mechanism == "XOAUTH2" || mechanism == "OAUTHBEARER")
                    {
                        if (words.Length < 3)
                        {
                            _awaiting = mechanism;
                            return "334 \r\n";
                        }

                        return JudgeBearer(mechanism, words[2]);
                    }

                    return "235 2.7.0 Authentication successful\r\n";
                case "MAIL":
                    Recipients.Clear();
                    return "250 2.1.0 Ok\r\n";
                case "RCPT":
                    int open = line.IndexOf('<');
                    int close = line.IndexOf('>');
                    Recipients.Add(open >= 0 && close > open ? line.Substring(open + 1, close - open - 1) : line);
                    return "250 2.1.5 Ok\r\n";
                case "DATA":
                    _headers.Clear();
                    _inHeaders = true;
                    BodyOctets = 0;
                    return "354 End data with <CR><LF>.<CR><LF>\r\n";
                case "RSET":
                    Recipients.Clear();
                    return "250 2.0.0 Ok\r\n";
                case "NOOP":
                    return "250 2.0.0 Ok\r\n";
                case "QUIT":
                    closes = true;
                    return "221 2.0.0 Bye\r\n";
                default:
                    return "502 5.5.2 Error: command not recognized\r\n";
            }
        }

        private string JudgeBearer(string mechanism, string response)
        {
            string message = Encoding.ASCII.GetString(Convert.FromBase64String(response));
            int at = message.IndexOf("auth=Bearer ", StringComparison.Ordinal) + "auth=Bearer ".Length;
            string token = message.Substring(at, message.IndexOf('\u0001', at) - at);
            Tokens.Add(token);
            if (AcceptToken == null || AcceptToken(token))
            {
                return "235 2.7.0 Authentication successful\r\n";
            }

            _awaiting = "dummy";
            string json = mechanism == "XOAUTH2" ? "{\"status\":\"401\",\"schemes\":\"bearer\",\"scope\":\"mail\"}" : "{\"status\":\"invalid_token\"}";
            return "334 " + Convert.ToBase64String(Encoding.ASCII.GetBytes(json)) + "\r\n";
        }

        public void DataLine(string line)
        {
            if (_inHeaders)
            {
                if (line.Length == 0)
                {
                    _inHeaders = false;
                }
                else
                {
                    _headers.Append(line).Append('\n');
                }
            }

            BodyOctets += line.Length + 2;
        }

        public string EndData() => "250 2.0.0 Ok: queued\r\n";
    }

    /// <summary>
    /// The client's end of a connection to a scripted server, on the virtual clock. It hands each whole
    /// command line to the server, applies the connection's rules to the reply (hold it back, swallow
    /// it, drop the line, answer otherwise), and logs every command and connection event.
    /// </summary>
    internal sealed class ScriptedLink : INetConnection
    {
        private readonly struct Segment
        {
            public Segment(long releaseAt, byte[] bytes)
            {
                ReleaseAt = releaseAt;
                Bytes = bytes;
            }

            public long ReleaseAt { get; }

            public byte[] Bytes { get; }
        }

        private readonly VirtualClock _clock;
        private readonly EventLog _log;
        private readonly LinkScript _script;
        private readonly ILineServer _server;
        private readonly Action<SmtpDelivery> _delivered;
        private readonly Queue<Segment> _segments = new Queue<Segment>();
        private readonly List<byte> _line = new List<byte>();
        private int _segmentOffset;
        private long _lastRelease;
        private bool _peerClosing;
        private bool _stalled;
        private bool _closedLocally;
        private bool _inData;
        private NetState _state;

        public ScriptedLink(string name, VirtualClock clock, EventLog log, LinkScript script, ILineServer server, Action<SmtpDelivery> delivered)
        {
            Name = name;
            _clock = clock;
            _log = log;
            _script = script;
            _server = server;
            _delivered = delivered;
            if (script.ConnectError != NetError.None)
            {
                _state = NetState.Failed;
                Error = script.ConnectError;
                ErrorText = "connect failed: " + script.ConnectError;
                log.Add(name, "connect failed " + script.ConnectError);
                return;
            }

            if (script.NeverOpens)
            {
                _state = NetState.Connecting;
                log.Add(name, "connect (never answers)");
                return;
            }

            _state = NetState.Open;
            log.Add(name, "connect");
            string greeting = _server.Open();
            Reply("GREETING", () => greeting, false);
        }

        public string Name { get; }

        /// <summary>Octets the client wrote.</summary>
        public long OctetsWritten { get; private set; }

        public int WriteCalls { get; private set; }

        public NetState State
        {
            get
            {
                if (_state == NetState.Open && _peerClosing && _segments.Count == 0)
                {
                    _state = NetState.Closed;
                    _log.Add(Name, "closed by the server");
                }

                return _state;
            }
        }

        public NetError Error { get; private set; }

        public string ErrorText { get; private set; } = string.Empty;

        public string LocalAddress => _state == NetState.Open ? "192.0.2.7" : string.Empty;

        /// <summary>The scripted link has no real TLS: StartTls is logged and the link counts as encrypted at once.</summary>
        public TlsState Tls { get; private set; }

        public string TlsDescription => Tls == TlsState.Established ? "scripted TLS" : string.Empty;

        public void StartTls(string targetHost, TlsPolicy policy)
        {
            _log.Add(Name, "TLS with " + targetHost);
            Tls = TlsState.Established;
        }

        public int Available
        {
            get
            {
                if (_state != NetState.Open)
                {
                    return 0;
                }

                int count = 0;
                bool first = true;
                foreach (Segment s in _segments)
                {
                    if (s.ReleaseAt > _clock.NowMs)
                    {
                        break;
                    }

                    count += s.Bytes.Length - (first ? _segmentOffset : 0);
                    first = false;
                }

                return count;
            }
        }

        /// <summary>The link's own State reports the server's close when it is looked at, so only bytes make it readable.</summary>
        public bool IsReadable => Available > 0;

        public int Read(byte[] buffer, int offset, int count)
        {
            if (State != NetState.Open)
            {
                return 0;
            }

            int n = 0;
            while (n < count && _segments.Count > 0 && _segments.Peek().ReleaseAt <= _clock.NowMs)
            {
                Segment s = _segments.Peek();
                int take = Math.Min(count - n, s.Bytes.Length - _segmentOffset);
                Array.Copy(s.Bytes, _segmentOffset, buffer, offset + n, take);
                n += take;
                _segmentOffset += take;
                if (_segmentOffset == s.Bytes.Length)
                {
                    _segments.Dequeue();
                    _segmentOffset = 0;
                }
            }

            return n;
        }

        public int Write(byte[] buffer, int offset, int count)
        {
            if (State != NetState.Open)
            {
                return 0;
            }

            WriteCalls++;
            OctetsWritten += count;
            for (int i = 0; i < count; i++)
            {
                _line.Add(buffer[offset + i]);
                int end = _line.Count;
                if (end >= 2 && _line[end - 2] == '\r' && _line[end - 1] == '\n')
                {
                    string line = Encoding.Latin1.GetString(_line.ToArray(), 0, end - 2);
                    _line.Clear();
                    OnLine(line);
                    if (_state != NetState.Open || _peerClosing)
                    {
                        // Whatever else the client sent is lost with the connection.
                        break;
                    }
                }
            }

            return count;
        }

        /// <summary>True once the connection is over (closed by either side, or failed), read without touching its state.</summary>
        public bool Ended => _closedLocally || _state == NetState.Closed || _state == NetState.Failed;

        public void Close()
        {
            if (!_closedLocally)
            {
                _closedLocally = true;
                _log.Add(Name, "closed by the client");
            }

            if (_state == NetState.Open || _state == NetState.Connecting)
            {
                _state = NetState.Closed;
            }
        }

        public void Dispose() => Close();

        private void OnLine(string line)
        {
            if (_inData)
            {
                if (line == ".")
                {
                    _inData = false;
                    _log.Add(Name, "C: . (" + (_server as LabSmtpServer)?.BodyOctets + " octets)");
                    if (Reply(".", _server.EndData, false).StartsWith("250", StringComparison.Ordinal) && _server is LabSmtpServer smtp)
                    {
                        _delivered?.Invoke(new SmtpDelivery(Name, _clock.NowMs, smtp.Recipients.ToList(), smtp.Headers, smtp.BodyOctets));
                    }
                }
                else
                {
                    _server.DataLine(line.Length > 0 && line[0] == '.' ? line.Substring(1) : line);
                }

                return;
            }

            _log.Add(Name, "C: " + line);
            if (_stalled)
            {
                return;
            }

            bool closes = false;
            string sent = Reply(line, () => _server.Line(line, out closes), false);
            if (closes)
            {
                _peerClosing = true;
            }

            if (line.Split(' ')[0].ToUpperInvariant() == "DATA" && sent.StartsWith("354", StringComparison.Ordinal))
            {
                _inData = true;
            }
        }

        /// <summary>
        /// Answers <paramref name="command"/> as the rules say: a dropped, stalled or overridden command never
        /// reaches the server itself (so it changes nothing there); else the server's own reply goes out,
        /// maybe late. Returns the reply sent, or an empty string.
        /// </summary>
        private string Reply(string command, Func<string> server, bool closes)
        {
            LinkRule rule = _script.RuleFor(command);
            if (rule != null && rule.Cut)
            {
                _log.Add(Name, "drops the connection instead of answering " + command);
                _peerClosing = true;
                return string.Empty;
            }

            if (rule != null && rule.Stall)
            {
                _log.Add(Name, "stalls at " + command);
                _stalled = true;
                return string.Empty;
            }

            string reply = rule != null && rule.Reply != null ? rule.Reply + "\r\n" : server();
            long release = Math.Max(_clock.NowMs + (rule?.DelayMs ?? 0), _lastRelease);
            _lastRelease = release;
            if (reply.Length > 0)
            {
                _segments.Enqueue(new Segment(release, Encoding.Latin1.GetBytes(reply)));
            }

            if (closes)
            {
                _peerClosing = true;
            }

            return reply;
        }
    }

    /// <summary>
    /// The lab network: "pop.lab.test", "smtp.lab.test" and "smtp2.lab.test" (a second SMTP server, whose
    /// connections are named smtp2#1, smtp2#2, ...) lead to scripted servers, any other name is not
    /// found. Each connection gets the script for its number (1, 2, ... per server); the POP mailbox
    /// outlives connections (it changes only at a confirmed QUIT), and every message an SMTP server
    /// accepted is recorded.
    /// </summary>
    internal sealed class LabNetwork : INetConnector
    {
        public const string PopHost = "pop.lab.test";
        public const string SmtpHost = "smtp.lab.test";
        public const string OtherSmtpHost = "smtp2.lab.test";
        public const string PopUser = "ifax";
        public const string PopPassword = "ifax-Secret-4";

        private readonly VirtualClock _clock;
        private readonly EventLog _log;
        private (string Uid, byte[] Body)[] _mailbox;
        private PopLineServer _lastPop;
        private int _pops;
        private int _smtps;
        private int _otherSmtps;

        public LabNetwork(VirtualClock clock, EventLog log, params (string Uid, byte[] Body)[] mailbox)
        {
            _clock = clock;
            _log = log;
            _mailbox = mailbox;
        }

        /// <summary>The script of the n-th POP connection (1-based).</summary>
        public Func<int, LinkScript> PopScript { get; set; } = _ => LinkScript.Normal;

        /// <summary>Sets up each new SMTP server (e.g. its AUTH offer and the tokens it accepts).</summary>
        public Action<LabSmtpServer> ConfigureSmtp { get; set; }

        /// <summary>Every SMTP server connected to, in order.</summary>
        public List<LabSmtpServer> SmtpServers { get; } = new List<LabSmtpServer>();

        /// <summary>The script of the n-th SMTP connection (1-based).</summary>
        public Func<int, LinkScript> SmtpScript { get; set; } = _ => LinkScript.Normal;

        public List<SmtpDelivery> Deliveries { get; } = new List<SmtpDelivery>();

        public List<ScriptedLink> Links { get; } = new List<ScriptedLink>();

        public List<PopLineServer> PopServers { get; } = new List<PopLineServer>();

        /// <summary>The mailbox as the server holds it now.</summary>
        public IReadOnlyList<(string Uid, byte[] Body)> Mailbox => _lastPop == null ? _mailbox : _lastPop.Server.Mailbox;

        /// <summary>Puts a new message in the mailbox (between sessions).</summary>
        public void AddMessage(string uid, byte[] body)
        {
            _mailbox = Mailbox.Append((uid, body)).ToArray();
            _lastPop = null;
        }

        public INetConnection Connect(string host, int port, string localAddress)
        {
            if (host == PopHost)
            {
                Assert.Equal(110, port);
                _pops++;
                var server = new PopLineServer(new InMemoryPopServer(PopUser, PopPassword, Mailbox.ToArray()));
                _lastPop = server;
                PopServers.Add(server);
                return Add(new ScriptedLink("pop#" + _pops, _clock, _log, PopScript(_pops), server, null));
            }

            if (host == SmtpHost)
            {
                Assert.Equal(25, port);
                _smtps++;
                var smtp = new LabSmtpServer();
                ConfigureSmtp?.Invoke(smtp);
                SmtpServers.Add(smtp);
                return Add(new ScriptedLink("smtp#" + _smtps, _clock, _log, SmtpScript(_smtps), smtp, Deliveries.Add));
            }

            if (host == OtherSmtpHost)
            {
                Assert.Equal(25, port);
                _otherSmtps++;
                return Add(new ScriptedLink("smtp2#" + _otherSmtps, _clock, _log, LinkScript.Normal, new LabSmtpServer(), Deliveries.Add));
            }

            _log.Add("net", "no such host " + host);
            return Add(new ScriptedLink("unknown", _clock, _log, new LinkScript { ConnectError = NetError.HostNotFound }, null, null));
        }

        private ScriptedLink Add(ScriptedLink link)
        {
            Links.Add(link);
            return link;
        }
    }

    /// <summary>The hardware one-shot timer on the virtual clock, logging when it is armed and disarmed.</summary>
    internal sealed class RecordingTimer : IOneShotTimer
    {
        private readonly VirtualTimer _timer;
        private readonly EventLog _log;

        public RecordingTimer(VirtualClock clock, EventLog log)
        {
            _timer = new VirtualTimer(clock);
            _log = log;
        }

        public bool HasFired => _timer.HasFired;

        public long RequestedMicroseconds => _timer.RequestedMicroseconds;

        public void Start(long delayMicroseconds)
        {
            _timer.Start(delayMicroseconds);
            _log.Add("timer", "start " + delayMicroseconds + "us");
        }

        public void Cancel()
        {
            _timer.Cancel();
            _log.Add("timer", "cancel");
        }
    }

    /// <summary>A document the engine was handed, with its content as it was in storage then.</summary>
    internal sealed record PrintedDocument(long Ms, string Name, string ContentType, byte[] Content);

    /// <summary>The print/scan engine: hands out queued scans, and records (or refuses) what it is asked to print.</summary>
    internal sealed class RecordingEngine : IEngine
    {
        private readonly Func<IStorage> _storage;
        private readonly VirtualClock _clock;

        public RecordingEngine(Func<IStorage> storage, VirtualClock clock, List<PrintedDocument> printed = null)
        {
            _storage = storage;
            _clock = clock;
            Printed = printed ?? new List<PrintedDocument>();
        }

        public Queue<ScanRequest> Scans { get; } = new Queue<ScanRequest>();

        public int TakeScanCalls { get; private set; }

        public List<PrintedDocument> Printed { get; }

        /// <summary>When false the engine refuses every document.</summary>
        public bool Accepts { get; set; } = true;

        public ScanRequest TakeScan()
        {
            TakeScanCalls++;
            return Scans.Count > 0 ? Scans.Dequeue() : null;
        }

        public bool Print(string documentName, string contentType)
        {
            if (!Accepts)
            {
                return false;
            }

            var content = new List<byte>();
            using (IDocumentSource doc = _storage().OpenRead(documentName))
            {
                var buffer = new byte[4096];
                int n;
                while ((n = doc.Read(buffer, 0, buffer.Length)) > 0)
                {
                    content.AddRange(buffer.Take(n));
                }
            }

            Printed.Add(new PrintedDocument(_clock.NowMs, documentName, contentType, content.ToArray()));
            return true;
        }
    }
}
