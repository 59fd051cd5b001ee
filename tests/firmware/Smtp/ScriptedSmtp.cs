using System;
using System.Collections.Generic;
using System.Text;
using NetBoard.Firmware.Diagnostics;
using NetBoard.Firmware.Smtp;

namespace NetBoard.Firmware.Tests.Smtp
{
    /// <summary>A message of fixed lines, for driving the session without MIME.</summary>
    internal sealed class LinesMessage : IMessageReader
    {
        private readonly byte[] _bytes;
        private int _position;

        public LinesMessage(params string[] lines)
        {
            _bytes = Encoding.ASCII.GetBytes(string.Concat(Array.ConvertAll(lines, l => l + "\r\n")));
        }

        public long Length => _bytes.Length + LengthError;

        /// <summary>How far <see cref="Length"/> is from what the reader really gives (0: exact, as the composer's is).</summary>
        public int LengthError { get; init; }

        public int Reads { get; private set; }

        public int Read(byte[] buffer, int offset, int count)
        {
            Assert.True(count >= 1000, "the session must offer at least 1000 octets of room");
            Reads++;
            int written = 0;
            while (_position < _bytes.Length)
            {
                int end = Array.IndexOf(_bytes, (byte)'\n', _position) + 1;
                int length = end - _position;
                if (written + length > count)
                {
                    break;
                }

                Array.Copy(_bytes, _position, buffer, offset + written, length);
                written += length;
                _position = end;
            }

            return written;
        }
    }

    /// <summary>A message that throws while being read, like a storage failure.</summary>
    internal sealed class FailingMessage : IMessageReader
    {
        public long Length => 100;

        public int Read(byte[] buffer, int offset, int count) => throw new System.IO.IOException("flash read error");
    }

    /// <summary>Collects the dialogue the session logs.</summary>
    internal sealed class ListLog : ISessionLog
    {
        public List<string> Lines { get; } = new List<string>();

        public void Line(bool sent, string text) => Lines.Add((sent ? "C: " : "S: ") + text);
    }

    /// <summary>Plays the server's side against an <see cref="SmtpSession"/> on a virtual clock.</summary>
    internal sealed class ScriptedSmtp
    {
        public ScriptedSmtp(SmtpSessionOptions options, IMessageReader message = null)
        {
            Log = new ListLog();
            Session = new SmtpSession(options, message ?? new LinesMessage("Subject: test", "", "hello"), Log);
            Session.Start(Now);
            Session.OnConnected("192.0.2.7", Now);
        }

        public SmtpSession Session { get; }

        public ListLog Log { get; }

        public long Now { get; set; } = 1000;

        public static SmtpSessionOptions Options(SmtpAuthMode auth = SmtpAuthMode.Off, string user = "scan", string password = "s3cret!", params string[] to)
        {
            return new SmtpSessionOptions
            {
                AuthMode = auth,
                User = Encoding.UTF8.GetBytes(user),
                Password = Encoding.UTF8.GetBytes(password),
                Sender = "mfp@lab.test",
                Recipients = to.Length == 0 ? new[] { "alice@lab.test" } : to,
            };
        }

        /// <summary>Everything the session wants to send now (taking it all, as a fast connection would).</summary>
        public string Sent()
        {
            var text = new StringBuilder();
            while (Session.OutputCount > 0)
            {
                Assert.True(Session.OutputCount <= SmtpSession.OutputBufferSize);
                text.Append(Encoding.ASCII.GetString(Session.Output, Session.OutputOffset, Session.OutputCount));
                Session.OnSent(Session.OutputCount, Now);
            }

            return text.ToString();
        }

        /// <summary>The server sends <paramref name="reply"/> (CRLF added to each line).</summary>
        public void Reply(params string[] lines)
        {
            byte[] bytes = Encoding.ASCII.GetBytes(string.Concat(Array.ConvertAll(lines, l => l + "\r\n")));
            Session.Receive(bytes, 0, bytes.Length, Now);
        }

        /// <summary>The server sends <paramref name="text"/> as is, in one read or one octet per read.</summary>
        public void Feed(string text, bool byteByByte)
        {
            byte[] bytes = Encoding.ASCII.GetBytes(text);
            if (!byteByByte)
            {
                Session.Receive(bytes, 0, bytes.Length, Now);
                return;
            }

            for (int i = 0; i < bytes.Length; i++)
            {
                Session.Receive(bytes, i, 1, Now);
            }
        }

        /// <summary>Greeting and EHLO with the given keyword lines; returns what the session sent after EHLO.</summary>
        public string Hello(params string[] keywords)
        {
            Reply("220 mail.lab.test ESMTP");
            Assert.Equal("EHLO [192.0.2.7]\r\n", Sent());
            var lines = new List<string> { "mail.lab.test" };
            lines.AddRange(keywords);
            var reply = new string[lines.Count];
            for (int i = 0; i < lines.Count; i++)
            {
                reply[i] = "250" + (i == lines.Count - 1 ? " " : "-") + lines[i];
            }

            Reply(reply);
            return Sent();
        }

        /// <summary>From MAIL FROM (already sent) to the end, accepting everything.</summary>
        public string AcceptTransaction()
        {
            Reply("250 2.1.0 Ok");
            Assert.StartsWith("RCPT TO:<", Sent());
            for (int i = 1; i < Session.Result.Recipients.Length; i++)
            {
                Reply("250 2.1.5 Ok");
                Assert.StartsWith("RCPT TO:<", Sent());
            }

            Reply("250 2.1.5 Ok");
            Assert.Equal("DATA\r\n", Sent());
            Reply("354 End data with <CR><LF>.<CR><LF>");
            string body = Sent();
            Assert.EndsWith("\r\n.\r\n", body);
            Reply("250 2.0.0 Ok: queued as 4F2");
            Assert.Equal("QUIT\r\n", Sent());
            Reply("221 2.0.0 Bye");
            Assert.True(Session.IsDone);
            return body;
        }
    }
}
