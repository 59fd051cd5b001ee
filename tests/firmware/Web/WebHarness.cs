using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.RegularExpressions;
using NetBoard.Firmware.Settings;
using NetBoard.Firmware.Tests.Doubles;
using NetBoard.Firmware.Web;
using NetBoard.Hal;

namespace NetBoard.Firmware.Tests.Web
{
    /// <summary>A listener the test hands connections to.</summary>
    internal sealed class QueueListener : INetListener
    {
        public Queue<FakeConnection> Pending { get; } = new Queue<FakeConnection>();

        public bool IsListening { get; private set; } = true;

        public int LocalPort => 8080;

        public INetConnection Accept() => IsListening && Pending.Count > 0 ? Pending.Dequeue() : null;

        public void Close() => IsListening = false;

        public void Dispose() => Close();
    }

    /// <summary>The operating system's generator, as the virtual board's random source.</summary>
    internal sealed class OsRandom : IRandomSource
    {
        public int Calls { get; private set; }

        public void NextBytes(byte[] buffer, int offset, int count)
        {
            Calls++;
            System.Security.Cryptography.RandomNumberGenerator.Fill(buffer.AsSpan(offset, count));
        }
    }

    /// <summary>One answer as the client received it.</summary>
    internal sealed class WebAnswer
    {
        public int Status { get; init; }

        public Dictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        public string Body { get; init; } = string.Empty;

        /// <summary>Scheduler rounds between the request's arrival and the end of its answer.</summary>
        public long Rounds { get; init; }

        public string Location => Headers.TryGetValue("Location", out string v) ? v : null;

        public string SetCookie => Headers.TryGetValue("Set-Cookie", out string v) ? v : null;

        /// <summary>The value of the CSRF field of the page's first form.</summary>
        public string Csrf
        {
            get
            {
                Match m = Regex.Match(Body, "name=\"csrf\" value=\"([0-9a-f]+)\"");
                Assert.True(m.Success, "no CSRF field in:\n" + Body);
                return m.Groups[1].Value;
            }
        }

        /// <summary>The text of the element with that id (tags stripped, references decoded).</summary>
        public string TextOf(string id)
        {
            Match m = Regex.Match(Body, "<(\\w+)[^>]*\\bid=\"" + Regex.Escape(id) + "\"[^>]*>(.*?)</\\1>", RegexOptions.Singleline);
            return m.Success ? WebUtility.HtmlDecode(Regex.Replace(m.Groups[2].Value, "<[^>]+>", string.Empty)) : null;
        }
    }

    /// <summary>
    /// The whole runtime on the virtual clock with the web page attached over a scripted listener: each request
    /// is a new connection through the real server task and scheduler. Keeps a cookie jar like a browser.
    /// </summary>
    internal sealed class WebHarness
    {
        public const string Password = "Admin-Pa55word";

        public WebHarness(DeviceSettings settings = null, bool secure = false, MemoryStorage storage = null)
        {
            Clock = new VirtualClock();
            var log = new EventLog(Clock);
            Storage = storage ?? new MemoryStorage();
            Board = new MailBoard(Storage, new FakeConnector(new FakeConnection { State = NetState.Failed, Error = NetError.Refused }), Clock, log, settings ?? MailBoard.LabSettings());
            Board.Context.RandomSource = Random;
            Listener = new QueueListener();
            Site = Board.Runtime.AttachWeb(Listener, secure);
        }

        public VirtualClock Clock { get; }

        public MemoryStorage Storage { get; }

        public MailBoard Board { get; }

        public OsRandom Random { get; } = new OsRandom();

        public QueueListener Listener { get; }

        public WebSite Site { get; }

        /// <summary>The session cookie value the "browser" holds, or null.</summary>
        public string Cookie { get; set; }

        public WebAnswer Get(string target) => Send("GET " + target + " HTTP/1.1\r\nHost: board\r\n" + CookieLine() + "\r\n");

        public WebAnswer Post(string target, string body, string contentType = "application/x-www-form-urlencoded") =>
            Send("POST " + target + " HTTP/1.1\r\nHost: board\r\n" + CookieLine() + "Content-Type: " + contentType + "\r\nContent-Length: " + body.Length + "\r\n\r\n" + body);

        public WebAnswer Post(string target, params (string Name, string Value)[] fields) => Post(target, Form(fields));

        public static string Form(params (string Name, string Value)[] fields) =>
            string.Join("&", fields.Select(f => Uri.EscapeDataString(f.Name) + "=" + Uri.EscapeDataString(f.Value)));

        /// <summary>Sends raw request text on a new connection and runs the board until the server closes it.</summary>
        public WebAnswer Send(string request)
        {
            var connection = new FakeConnection { State = NetState.Open };
            connection.Deliver(request);
            Listener.Pending.Enqueue(connection);
            long before = Board.Rounds;
            Board.RunUntil(() => connection.CloseCalls > 0, 200_000, "the answer to " + request.Split('\r')[0]);
            string text = System.Text.Encoding.UTF8.GetString(connection.Written.ToArray());
            int split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            Assert.True(split > 0, "no head in: " + text);
            string[] head = text.Substring(0, split).Split("\r\n");
            var answer = new WebAnswer { Status = int.Parse(head[0].Substring(9, 3)), Body = text.Substring(split + 4), Rounds = Board.Rounds - before };
            foreach (string line in head.Skip(1))
            {
                int colon = line.IndexOf(':');
                answer.Headers[line.Substring(0, colon)] = line.Substring(colon + 1).Trim();
            }

            if (answer.SetCookie != null)
            {
                Match m = Regex.Match(answer.SetCookie, "^nb_session=([0-9a-f]*);");
                Assert.True(m.Success, answer.SetCookie);
                Cookie = m.Groups[1].Value.Length == 0 ? null : m.Groups[1].Value;
            }

            return answer;
        }

        /// <summary>First use: the setup page, then the code and the password; ends signed in.</summary>
        public WebAnswer SetUp(string password = Password)
        {
            WebAnswer page = Get("/setup");
            Assert.Equal(200, page.Status);
            return Post("/setup", ("csrf", page.Csrf), ("code", Site.SetupCode), ("password", password), ("confirm", password));
        }

        /// <summary>Signs in with the sign-in page's form.</summary>
        public WebAnswer SignIn(string password = Password)
        {
            WebAnswer page = Get("/signin");
            return Post("/signin", ("csrf", page.Csrf), ("password", password));
        }

        private string CookieLine() => Cookie == null ? string.Empty : "Cookie: theme=dark; nb_session=" + Cookie + "\r\n";
    }
}
