using System;
using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using NetBoard.Firmware.Scheduling;
using NetBoard.Firmware.Web;
using NetBoard.Hal.Host;

namespace NetBoard.Boards.Host.Tests
{
    /// <summary>The web server task on the host listener, driven by the real scheduler, against real HTTP clients on loopback.</summary>
    public sealed class WebServerLoopbackTests : IDisposable
    {
        private const int TimeoutMs = 20000;

        private readonly TcpNetListener _listener;
        private readonly WebServerTask _task;
        private readonly Thread _loop;
        private volatile bool _stop;

        public WebServerLoopbackTests()
        {
            _listener = new TcpNetListener(null, 0);
            _task = new WebServerTask(_listener, new FormEchoHandler());
            var scheduler = new CooperativeScheduler(new SystemClock(), new HostIdle());
            scheduler.Add(_task);
            _loop = new Thread(() =>
            {
                while (!_stop)
                {
                    scheduler.RunOnce();
                }

                _task.Stop();
            });
            _loop.IsBackground = true;
            _loop.Start();
        }

        public void Dispose()
        {
            _stop = true;
            _loop.Join(TimeoutMs);
        }

        private sealed class FormEchoHandler : IWebHandler
        {
            public HttpResponse Handle(HttpRequestParser request, long nowMs)
            {
                if (request.Method == "POST")
                {
                    if (!request.HasFormBody)
                    {
                        return HttpResponse.Error(HttpStatus.UnsupportedMediaType);
                    }

                    var form = new FormFields();
                    if (!form.Parse(request.Body, 0, request.BodyLength))
                    {
                        return HttpResponse.Error(HttpStatus.BadRequest);
                    }

                    return new HttpResponse(HttpStatus.Ok, HttpResponse.HtmlType, "<p>" + HtmlText.Escape(form.Get("name")) + "</p>");
                }

                return new HttpResponse(HttpStatus.Ok, HttpResponse.TextType, "path " + request.Path + " query " + request.Query);
            }
        }

        private Uri Base => new Uri("http://127.0.0.1:" + _listener.LocalPort + "/");

        private static HttpClient Client() => new HttpClient { Timeout = TimeSpan.FromMilliseconds(TimeoutMs) };

        /// <summary>Sends raw bytes and reads until the server closes.</summary>
        private string Raw(byte[] request, int pauseAfterBytes = -1, int pauseMs = 0)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.ReceiveTimeout = TimeoutMs;
            socket.Connect(new IPEndPoint(IPAddress.Loopback, _listener.LocalPort));
            if (pauseAfterBytes >= 0)
            {
                socket.Send(request, 0, pauseAfterBytes, SocketFlags.None);
                Thread.Sleep(pauseMs);
                socket.Send(request, pauseAfterBytes, request.Length - pauseAfterBytes, SocketFlags.None);
            }
            else
            {
                try
                {
                    socket.Send(request);
                }
                catch (SocketException)
                {
                    // The server may answer and close before a large request is all sent.
                }
            }

            var received = new System.IO.MemoryStream();
            var buffer = new byte[4096];
            while (true)
            {
                int n;
                try
                {
                    n = socket.Receive(buffer);
                }
                catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
                {
                    break;
                }

                if (n == 0)
                {
                    break;
                }

                received.Write(buffer, 0, n);
            }

            return Encoding.UTF8.GetString(received.ToArray());
        }

        [Fact]
        public async System.Threading.Tasks.Task Http_client_gets_a_page_with_the_security_headers()
        {
            using HttpClient client = Client();
            using HttpResponseMessage response = await client.GetAsync(new Uri(Base, "jobs?page=3"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("path /jobs query page=3", await response.Content.ReadAsStringAsync());
            Assert.Equal("DENY", string.Join(",", response.Headers.GetValues("X-Frame-Options")));
            Assert.Contains("default-src 'none'", string.Join(",", response.Headers.GetValues("Content-Security-Policy")));
            Assert.True(response.Headers.CacheControl.NoStore);
            Assert.True(response.Headers.ConnectionClose);
        }

        [Fact]
        public async System.Threading.Tasks.Task Http_client_posts_a_form_and_gets_it_back_escaped()
        {
            using HttpClient client = Client();
            using var content = new FormUrlEncodedContent(new[] { new System.Collections.Generic.KeyValuePair<string, string>("name", "<Fran\u00e7ois & \U0001F4E0>") });
            using HttpResponseMessage response = await client.PostAsync(new Uri(Base, "form"), content);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("<p>&lt;Fran\u00e7ois &amp; \U0001F4E0&gt;</p>", await response.Content.ReadAsStringAsync());
        }

        [Fact]
        public async System.Threading.Tasks.Task Several_clients_in_turn_are_all_served_by_two_slots()
        {
            using HttpClient client = Client();
            var pending = new System.Threading.Tasks.Task<HttpResponseMessage>[6];
            for (int i = 0; i < pending.Length; i++)
            {
                pending[i] = client.GetAsync(new Uri(Base, "n" + i));
            }

            for (int i = 0; i < pending.Length; i++)
            {
                using HttpResponseMessage response = await pending[i];
                Assert.Equal("path /n" + i + " query ", await response.Content.ReadAsStringAsync());
            }
        }

        [Fact]
        public void Request_split_by_a_pause_is_answered()
        {
            byte[] request = Encoding.ASCII.GetBytes("GET /slow HTTP/1.1\r\nHost: b\r\n\r\n");
            string answer = Raw(request, 10, 300);
            Assert.StartsWith("HTTP/1.1 200 OK\r\n", answer);
            Assert.EndsWith("path /slow query ", answer);
        }

        [Fact]
        public void Malformed_request_gets_400()
        {
            Assert.StartsWith("HTTP/1.1 400 Bad Request\r\n", Raw(Encoding.ASCII.GetBytes("GET /a b HTTP/1.1\r\nHost: b\r\n\r\n")));
        }

        [Fact]
        public void Oversized_headers_get_431_and_oversized_body_413_over_a_real_socket()
        {
            string big = "GET / HTTP/1.1\r\nHost: b\r\n" + string.Concat(System.Linq.Enumerable.Repeat("X-Pad: " + new string('p', 900) + "\r\n", 40)) + "\r\n";
            Assert.StartsWith("HTTP/1.1 431 ", Raw(Encoding.ASCII.GetBytes(big)));
            string post = "POST / HTTP/1.1\r\nHost: b\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 50000\r\n\r\n" + new string('a', 50000);
            Assert.StartsWith("HTTP/1.1 413 ", Raw(Encoding.ASCII.GetBytes(post)));
        }

        [Fact]
        public void Silent_client_gets_408_after_the_request_time()
        {
            var watch = Stopwatch.StartNew();
            string answer = Raw(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\n"), 16, 0);
            Assert.StartsWith("HTTP/1.1 408 Request Timeout\r\n", answer);
            Assert.True(watch.ElapsedMilliseconds >= WebServerTask.RequestTimeoutMs - 100);
        }
    }
}
