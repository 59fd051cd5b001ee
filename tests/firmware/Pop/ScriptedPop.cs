using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using NetBoard.Firmware.Pop;
using NetBoard.Firmware.Tests.Smtp;

namespace NetBoard.Firmware.Tests.Pop
{
    /// <summary>A mail sink in memory that records every call the session makes.</summary>
    internal sealed class MemorySink : IPopMailSink
    {
        private MemoryStream _current;
        private string _uid;

        public HashSet<string> Known { get; } = new HashSet<string>();

        public List<string> Calls { get; } = new List<string>();

        public List<byte[]> Stored { get; } = new List<byte[]>();

        public HashSet<byte[]> WriteBuffers { get; } = new HashSet<byte[]>(ReferenceEqualityComparer.Instance);

        public int LargestWrite { get; private set; }

        public int Writes { get; private set; }

        /// <summary>What Commit returns, per message in order; true once the list runs out.</summary>
        public Queue<bool> CommitAnswers { get; } = new Queue<bool>();

        public bool Has(string uid)
        {
            Calls.Add("Has " + uid);
            return Known.Contains(uid);
        }

        public void Begin(string uid, long size)
        {
            Assert.Null(_current);
            Calls.Add("Begin " + uid + " " + size);
            _current = new MemoryStream();
            _uid = uid;
        }

        public void Write(byte[] buffer, int offset, int count)
        {
            Assert.NotNull(_current);
            Assert.True(count > 0);
            WriteBuffers.Add(buffer);
            LargestWrite = Math.Max(LargestWrite, count);
            Writes++;
            _current.Write(buffer, offset, count);
        }

        public bool Commit()
        {
            Assert.NotNull(_current);
            bool ok = CommitAnswers.Count == 0 || CommitAnswers.Dequeue();
            Calls.Add("Commit " + _uid + " " + ok);
            if (ok)
            {
                Stored.Add(_current.ToArray());
                Known.Add(_uid);
            }

            _current = null;
            return ok;
        }

        public void Abort()
        {
            Assert.NotNull(_current);
            Calls.Add("Abort " + _uid);
            _current = null;
        }
    }

    /// <summary>Plays the server's side against a <see cref="PopSession"/> on a virtual clock.</summary>
    internal sealed class ScriptedPop
    {
        public const string Greeting = "+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>";

        private readonly byte[] _output;

        public ScriptedPop(PopSessionOptions options, MemorySink sink = null)
        {
            Log = new ListLog();
            Sink = sink ?? new MemorySink();
            Session = new PopSession(options, Sink, Log);
            _output = Session.Output;
            Session.Start(Now);
            Session.OnConnected("192.0.2.7", Now);
        }

        public PopSession Session { get; }

        public MemorySink Sink { get; }

        public ListLog Log { get; }

        public long Now { get; set; } = 1000;

        public static PopSessionOptions Options(PopSessionMode mode = PopSessionMode.Receive, PopLoginMode login = PopLoginMode.UserPass, string user = "ifax", string password = "ifax-Secret-4")
        {
            return new PopSessionOptions
            {
                Mode = mode,
                LoginMode = login,
                User = Encoding.UTF8.GetBytes(user),
                Password = Encoding.UTF8.GetBytes(password),
            };
        }

        /// <summary>Everything the session wants to send now (taking it all, as a fast connection would).</summary>
        public string Sent()
        {
            var text = new StringBuilder();
            while (Session.OutputCount > 0)
            {
                Assert.Same(_output, Session.Output);
                Assert.True(Session.OutputCount <= PopSession.OutputBufferSize);
                text.Append(Encoding.UTF8.GetString(Session.Output, Session.OutputOffset, Session.OutputCount));
                Session.OnSent(Session.OutputCount, Now);
            }

            return text.ToString();
        }

        /// <summary>The server sends <paramref name="lines"/> (CRLF added to each line) in one piece.</summary>
        public void Reply(params string[] lines)
        {
            Raw(Encoding.Latin1.GetBytes(string.Concat(Array.ConvertAll(lines, l => l + "\r\n"))));
        }

        /// <summary>The server sends <paramref name="bytes"/>, in pieces of <paramref name="piece"/> octets.</summary>
        public void Raw(byte[] bytes, int piece = int.MaxValue)
        {
            for (int i = 0; i < bytes.Length && !Session.IsDone; i += piece)
            {
                Session.Receive(bytes, i, Math.Min(piece, bytes.Length - i), Now);
            }
        }

        /// <summary>Greeting, CAPA answered with <paramref name="capabilities"/>, and USER/PASS accepted.</summary>
        public void LogIn(params string[] capabilities)
        {
            Reply(Greeting);
            Assert.Equal("CAPA\r\n", Sent());
            var capa = new List<string> { "+OK Capability list follows" };
            capa.AddRange(capabilities);
            capa.Add(".");
            Reply(capa.ToArray());
            Assert.Equal("USER ifax\r\n", Sent());
            Reply("+OK");
            Assert.Equal("PASS ifax-Secret-4\r\n", Sent());
            Reply("+OK Logged in.");
            Assert.True(Session.Result.LoggedIn);
        }

        /// <summary>A message as the server sends it after "+OK": byte-stuffed, then the terminating line.</summary>
        public static byte[] Stuffed(byte[] message)
        {
            var wire = new MemoryStream();
            bool lineStart = true;
            for (int i = 0; i < message.Length; i++)
            {
                if (lineStart && message[i] == (byte)'.')
                {
                    wire.WriteByte((byte)'.');
                }

                wire.WriteByte(message[i]);
                lineStart = message[i] == (byte)'\n' && i > 0 && message[i - 1] == (byte)'\r';
            }

            wire.Write(Encoding.ASCII.GetBytes(".\r\n"));
            return wire.ToArray();
        }
    }
}
