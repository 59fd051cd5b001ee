using System;
using System.Collections.Generic;
using System.Text;
using NetBoard.Hal;

namespace NetBoard.Firmware.Tests.Doubles
{
    /// <summary>
    /// An HTTP server behind <see cref="INetConnector"/>: every connection opens at once, and once a whole request (head
    /// and Content-Length body) has arrived the handler's answer is delivered and the server closes. A null answer
    /// leaves the client waiting (a slow server); <see cref="Refuse"/> makes connecting fail.
    /// </summary>
    internal sealed class ScriptedHttpServer : INetConnector
    {
        private readonly Func<ScriptedHttpRequest, string> _handler;

        public ScriptedHttpServer(Func<ScriptedHttpRequest, string> handler) => _handler = handler;

        public List<ScriptedHttpRequest> Requests { get; } = new List<ScriptedHttpRequest>();

        public List<FakeConnection> Connections { get; } = new List<FakeConnection>();

        /// <summary>When set, connections fail with this error.</summary>
        public NetError? Refuse { get; set; }

        /// <summary>The clock that stamps requests, if any.</summary>
        public IClock Clock { get; set; }

        public INetConnection Connect(string host, int port, string localAddress)
        {
            var connection = new FakeConnection { State = NetState.Open };
            Connections.Add(connection);
            if (Refuse.HasValue)
            {
                connection.State = NetState.Failed;
                connection.Error = Refuse.Value;
                connection.ErrorText = "refused";
                return connection;
            }

            bool answered = false;
            connection.OnWritten = c =>
            {
                string text = c.WrittenText;
                int head = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (answered || head < 0)
                {
                    return;
                }

                int length = 0;
                foreach (string line in text.Substring(0, head).Split("\r\n"))
                {
                    if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                    {
                        length = int.Parse(line.Substring(15).Trim());
                    }
                }

                if (text.Length < head + 4 + length)
                {
                    return;
                }

                answered = true;
                var request = new ScriptedHttpRequest(host, port, text, Clock == null ? 0 : Clock.NowMs);
                Requests.Add(request);
                string answer = _handler(request);
                if (answer != null)
                {
                    c.Deliver(answer);
                    c.PeerCloses();
                }
            };
            return connection;
        }

        /// <summary>A JSON response with a Content-Length.</summary>
        public static string Json(int status, string json)
        {
            string reason = status == 200 ? "OK" : status == 400 ? "Bad Request" : status == 401 ? "Unauthorized" : "Error";
            return "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: application/json\r\nContent-Length: "
                + Encoding.UTF8.GetByteCount(json) + "\r\n\r\n" + json;
        }
    }

    /// <summary>One request the scripted server received.</summary>
    internal sealed class ScriptedHttpRequest
    {
        public ScriptedHttpRequest(string host, int port, string text, long atMs)
        {
            Host = host;
            Port = port;
            Text = text;
            AtMs = atMs;
            int head = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            Head = text.Substring(0, head);
            Body = text.Substring(head + 4);
            Form = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string pair in Body.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                int eq = pair.IndexOf('=');
                Form[Uri.UnescapeDataString(pair.Substring(0, eq).Replace('+', ' '))] = Uri.UnescapeDataString(pair.Substring(eq + 1).Replace('+', ' '));
            }
        }

        public string Host { get; }

        public int Port { get; }

        public string Text { get; }

        public string Head { get; }

        public string Body { get; }

        public long AtMs { get; }

        public Dictionary<string, string> Form { get; }

        public string RequestLine => Head.Split("\r\n")[0];

        public string Grant => Form.TryGetValue("grant_type", out string g) ? g : null;

        /// <summary>The decoded "id:secret" of an Authorization: Basic field, or null.</summary>
        public string Basic
        {
            get
            {
                foreach (string line in Head.Split("\r\n"))
                {
                    if (line.StartsWith("Authorization: Basic ", StringComparison.Ordinal))
                    {
                        return Encoding.UTF8.GetString(Convert.FromBase64String(line.Substring(21)));
                    }
                }

                return null;
            }
        }
    }
}
