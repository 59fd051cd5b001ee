using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using NetBoard.Hal;

namespace NetBoard.Firmware.Tests.Pop
{
    /// <summary>
    /// A small POP3 server behind the HAL connection interface, for running a session through
    /// SessionTransfer: it answers whole command lines, hands out replies in small reads, and removes
    /// messages marked by DELE only when it answers QUIT.
    /// </summary>
    internal sealed class InMemoryPopServer : INetConnection, INetConnector
    {
        private const string Timestamp = "<77.1@pop.lab.test>";
        private readonly List<(string Uid, byte[] Body)> _mailbox;
        private readonly HashSet<int> _marked = new HashSet<int>();
        private readonly Queue<byte> _toClient = new Queue<byte>();
        private readonly List<byte> _fromClient = new List<byte>();
        private readonly string _user;
        private readonly string _password;
        private string _givenUser;
        private bool _closeAfterReplies;

        public InMemoryPopServer(string user, string password, params (string Uid, byte[] Body)[] messages)
        {
            _user = user;
            _password = password;
            _mailbox = messages.ToList();
            Send("+OK lab POP3 ready " + Timestamp);
        }

        public IReadOnlyList<(string Uid, byte[] Body)> Mailbox => _mailbox;

        public List<string> Commands { get; } = new List<string>();

        /// <summary>When true the server drops the connection instead of answering QUIT.</summary>
        public bool DropOnQuit { get; set; }

        /// <summary>Largest number of octets one Read returns, like a small TCP segment.</summary>
        public int ReadPiece { get; set; } = 97;

        public NetState State { get; private set; } = NetState.Connecting;

        public NetError Error => NetError.None;

        public string ErrorText => string.Empty;

        public string LocalAddress => "192.0.2.7";

        public int Available => _toClient.Count;

        public bool IsReadable => _toClient.Count > 0;

        public TlsState Tls => TlsState.None;

        public string TlsDescription => string.Empty;

        public INetConnection Connect(string host, int port, string localAddress)
        {
            Assert.Equal(NetState.Connecting, State);
            State = NetState.Open;
            return this;
        }

        public int Read(byte[] buffer, int offset, int count)
        {
            int n = Math.Min(Math.Min(count, ReadPiece), _toClient.Count);
            for (int i = 0; i < n; i++)
            {
                buffer[offset + i] = _toClient.Dequeue();
            }

            if (_toClient.Count == 0 && _closeAfterReplies)
            {
                State = NetState.Closed;
            }

            return n;
        }

        public int Write(byte[] buffer, int offset, int count)
        {
            Assert.Equal(NetState.Open, State);
            for (int i = 0; i < count; i++)
            {
                _fromClient.Add(buffer[offset + i]);
                int end = _fromClient.Count;
                if (end >= 2 && _fromClient[end - 2] == '\r' && _fromClient[end - 1] == '\n')
                {
                    string line = Encoding.UTF8.GetString(_fromClient.ToArray(), 0, end - 2);
                    _fromClient.Clear();
                    Command(line);
                }
            }

            return count;
        }

        /// <summary>This server speaks plain POP3 only; a session that starts TLS here is a test failure.</summary>
        public void StartTls(string targetHost, TlsPolicy policy)
        {
            throw new InvalidOperationException("The in-memory POP3 server has no TLS.");
        }

        public void Close()
        {
            if (State == NetState.Open)
            {
                State = NetState.Closed;
            }
        }

        public void Dispose() => Close();

        private void Command(string line)
        {
            Commands.Add(line);
            string[] words = line.Split(' ');
            switch (words[0])
            {
                case "CAPA":
                    Send("+OK", "TOP", "UIDL", ".");
                    break;
                case "USER":
                    _givenUser = words[1];
                    Send("+OK");
                    break;
                case "PASS":
                    Send(_givenUser == _user && line.Substring(5) == _password ? "+OK Logged in." : "-ERR [AUTH] Authentication failed.");
                    break;
                case "APOP":
                    string digest = Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(Timestamp + _password))).ToLowerInvariant();
                    Send(words[1] == _user && words[2] == digest ? "+OK Logged in." : "-ERR [AUTH] Authentication failed.");
                    break;
                case "UIDL":
                    Send(new[] { "+OK" }.Concat(_mailbox.Select((m, i) => (i + 1) + " " + m.Uid)).Append(".").ToArray());
                    break;
                case "LIST":
                    Send(new[] { "+OK" }.Concat(_mailbox.Select((m, i) => (i + 1) + " " + m.Body.Length)).Append(".").ToArray());
                    break;
                case "RETR":
                    int retr = int.Parse(words[1]);
                    Send("+OK " + _mailbox[retr - 1].Body.Length + " octets");
                    foreach (byte b in ScriptedPop.Stuffed(_mailbox[retr - 1].Body))
                    {
                        _toClient.Enqueue(b);
                    }

                    break;
                case "DELE":
                    _marked.Add(int.Parse(words[1]));
                    Send("+OK message deleted");
                    break;
                case "QUIT":
                    if (DropOnQuit)
                    {
                        // The connection goes before the UPDATE state: nothing is removed.
                        _toClient.Clear();
                        State = NetState.Closed;
                        return;
                    }

                    var kept = _mailbox.Where((m, i) => !_marked.Contains(i + 1)).ToList();
                    _mailbox.Clear();
                    _mailbox.AddRange(kept);
                    Send("+OK Logging out.");
                    _closeAfterReplies = true;
                    break;
                default:
                    Send("-ERR unknown command");
                    break;
            }
        }

        private void Send(params string[] lines)
        {
            foreach (byte b in Encoding.ASCII.GetBytes(string.Concat(lines.Select(l => l + "\r\n"))))
            {
                _toClient.Enqueue(b);
            }
        }
    }
}
