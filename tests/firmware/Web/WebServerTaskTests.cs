using System;
using System.Collections.Generic;
using System.Text;
using NetBoard.Firmware.Scheduling;
using NetBoard.Firmware.Tests.Doubles;
using NetBoard.Firmware.Web;
using NetBoard.Hal;

namespace NetBoard.Firmware.Tests.Web
{
    public class WebServerTaskTests
    {
        private const string Get = "GET /status?x=1 HTTP/1.1\r\nHost: board\r\n\r\n";

        private sealed class FakeListener : INetListener
        {
            public Queue<FakeConnection> Pending { get; } = new Queue<FakeConnection>();

            public bool IsListening { get; private set; } = true;

            public int LocalPort => 8080;

            public int AcceptCalls { get; private set; }

            public INetConnection Accept()
            {
                AcceptCalls++;
                return IsListening && Pending.Count > 0 ? Pending.Dequeue() : null;
            }

            public void Close()
            {
                IsListening = false;
            }

            public void Dispose()
            {
                Close();
            }
        }

        private sealed class EchoHandler : IWebHandler
        {
            public List<string> Seen { get; } = new List<string>();

            public Func<HttpRequestParser, HttpResponse> Answer { get; set; }

            public HttpResponse Handle(HttpRequestParser request, long nowMs)
            {
                string body = Encoding.ASCII.GetString(request.Body, 0, request.BodyLength);
                Seen.Add(request.Method + " " + request.Path + "?" + request.Query + " " + body);
                return Answer != null ? Answer(request) : new HttpResponse(200, HttpResponse.TextType, "path=" + request.Path);
            }
        }

        private static FakeConnection Client(string request = null)
        {
            var connection = new FakeConnection { State = NetState.Open };
            if (request != null)
            {
                connection.Deliver(request);
            }

            return connection;
        }

        private static int StatusOf(FakeConnection connection)
        {
            string text = connection.WrittenText;
            Assert.StartsWith("HTTP/1.1 ", text);
            return int.Parse(text.Substring(9, 3));
        }

        /// <summary>Steps the task whenever it is due on a virtual clock, up to <paramref name="untilMs"/> or until <paramref name="done"/>.</summary>
        private static void Run(WebServerTask task, FakeClock clock, long untilMs, Func<bool> done = null)
        {
            while (clock.NowMs < untilMs && (done == null || !done()))
            {
                if (task.IsDue(clock.NowMs))
                {
                    task.Step(clock.NowMs);
                }
                else
                {
                    clock.NowMs = Math.Min(task.WakeAtMs, untilMs);
                }
            }
        }

        [Fact]
        public void A_request_trickling_in_one_byte_per_step_is_answered_and_closed()
        {
            var listener = new FakeListener();
            var handler = new EchoHandler();
            var task = new WebServerTask(listener, handler);
            FakeConnection client = Client(Get);
            client.ReadLimit = 1;
            listener.Pending.Enqueue(client);
            var clock = new FakeClock();
            Run(task, clock, clock.NowMs + 5000, () => client.State != NetState.Open);

            Assert.Equal(NetState.Closed, client.State);
            Assert.Equal(200, StatusOf(client));
            Assert.EndsWith("\r\n\r\npath=/status", client.WrittenText);
            Assert.Equal(new[] { "GET /status?x=1 " }, handler.Seen);
            Assert.Equal(1, task.Accepted);
            Assert.Equal(1, task.Responses);
            Assert.Equal(0, task.OpenConnections);
        }

        [Fact]
        public void A_form_post_reaches_the_handler_with_its_body()
        {
            var listener = new FakeListener();
            var handler = new EchoHandler();
            var task = new WebServerTask(listener, handler);
            FakeConnection client = Client("POST /settings HTTP/1.1\r\nHost: b\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 7\r\n\r\na=1&b=2");
            listener.Pending.Enqueue(client);
            var clock = new FakeClock();
            Run(task, clock, clock.NowMs + 1000, () => client.State != NetState.Open);
            Assert.Equal(new[] { "POST /settings? a=1&b=2" }, handler.Seen);
        }

        [Fact]
        public void A_slow_client_gets_408_when_the_request_time_is_up_and_not_before()
        {
            var listener = new FakeListener();
            var handler = new EchoHandler();
            var task = new WebServerTask(listener, handler);
            FakeConnection client = Client("GET / HTTP/1.1\r\nHo");
            listener.Pending.Enqueue(client);
            var clock = new FakeClock();
            long start = clock.NowMs;
            Run(task, clock, start + WebServerTask.RequestTimeoutMs - 1);
            Assert.Empty(client.Written);
            Assert.Equal(NetState.Open, client.State);

            Run(task, clock, start + WebServerTask.RequestTimeoutMs + 100);
            Assert.Equal(408, StatusOf(client));
            Assert.Empty(handler.Seen);
            Assert.Equal(1, task.Refused);

            // It drains for a while, then closes even if the client never does.
            Run(task, clock, clock.NowMs + WebServerTask.DrainTimeoutMs + 100);
            Assert.Equal(NetState.Closed, client.State);
            Assert.Equal(0, task.OpenConnections);
        }

        [Theory]
        [InlineData("GET /x HTTP/1.1\r\nHost: b\r\nX: \u0001\r\n\r\n", 400)]
        [InlineData("POST / HTTP/1.1\r\nHost: b\r\nContent-Length: 1000000\r\n\r\n", 413)]
        [InlineData("GET / HTTP/3.0\r\n\r\n", 505)]
        public void Refused_requests_get_their_status_and_the_handler_never_sees_them(string request, int status)
        {
            var listener = new FakeListener();
            var handler = new EchoHandler();
            var task = new WebServerTask(listener, handler);
            FakeConnection client = Client(request);
            listener.Pending.Enqueue(client);
            var clock = new FakeClock();
            Run(task, clock, clock.NowMs + 100);
            Assert.Equal(status, StatusOf(client));
            Assert.Empty(handler.Seen);
        }

        [Fact]
        public void Oversized_headers_get_431_and_what_the_client_still_sends_is_drained_until_it_closes()
        {
            var listener = new FakeListener();
            var task = new WebServerTask(listener, new EchoHandler());
            FakeConnection client = Client("GET / HTTP/1.1\r\nHost: b\r\nCookie: " + new string('c', 5000) + "\r\n\r\n");
            listener.Pending.Enqueue(client);
            var clock = new FakeClock();
            Run(task, clock, clock.NowMs + 100);
            Assert.Equal(431, StatusOf(client));
            Assert.Equal(NetState.Open, client.State);
            Assert.Equal(0, client.Available);

            client.PeerCloses();
            Run(task, clock, clock.NowMs + 100);
            Assert.Equal(NetState.Closed, client.State);
            Assert.Equal(0, task.OpenConnections);
        }

        [Fact]
        public void Large_upload_is_read_a_bounded_amount_per_step()
        {
            var listener = new FakeListener();
            var task = new WebServerTask(listener, new EchoHandler());
            FakeConnection client = Client("POST / HTTP/1.1\r\nHost: b\r\nContent-Length: 2000\r\n\r\n" + new string('z', 2000));
            listener.Pending.Enqueue(client);
            int before = client.Available;
            task.Step(0);
            Assert.Equal(WebServerTask.MaxReadsPerStep * WebServerTask.ReadChunkBytes, before - client.Available);
        }

        [Fact]
        public void Only_the_configured_number_of_connections_is_served_at_once()
        {
            var listener = new FakeListener();
            var task = new WebServerTask(listener, new EchoHandler());
            FakeConnection a = Client("GET / HTTP/1.1\r\n");
            FakeConnection b = Client("GET / HTTP/1.1\r\n");
            FakeConnection c = Client(Get);
            listener.Pending.Enqueue(a);
            listener.Pending.Enqueue(b);
            listener.Pending.Enqueue(c);
            var clock = new FakeClock();
            Run(task, clock, clock.NowMs + 1000);
            Assert.Equal(2, task.OpenConnections);
            Assert.Single(listener.Pending);
            Assert.Empty(c.Written);

            a.PeerCloses();
            Run(task, clock, clock.NowMs + 1000, () => c.State != NetState.Open);
            Assert.Equal(200, StatusOf(c));
            Assert.Equal(1, task.Dropped);
        }

        [Fact]
        public void A_client_that_leaves_mid_request_frees_its_slot_without_an_answer()
        {
            var listener = new FakeListener();
            var handler = new EchoHandler();
            var task = new WebServerTask(listener, handler);
            FakeConnection client = Client("GET / HTTP/1.1\r\nHost");
            client.PeerCloses();
            listener.Pending.Enqueue(client);
            var clock = new FakeClock();
            Run(task, clock, clock.NowMs + 100);
            Assert.Empty(client.Written);
            Assert.Empty(handler.Seen);
            Assert.Equal(0, task.OpenConnections);
            Assert.Equal(1, task.Dropped);
        }

        [Fact]
        public void A_client_that_does_not_take_the_response_is_dropped_after_the_response_time()
        {
            var listener = new FakeListener();
            var task = new WebServerTask(listener, new EchoHandler());
            FakeConnection client = Client(Get);
            client.WriteLimit = 0;
            listener.Pending.Enqueue(client);
            var clock = new FakeClock();
            long start = clock.NowMs;
            Run(task, clock, start + WebServerTask.ResponseTimeoutMs - 10);
            Assert.Equal(NetState.Open, client.State);
            Run(task, clock, start + WebServerTask.ResponseTimeoutMs + 100);
            Assert.Equal(NetState.Closed, client.State);
            Assert.Equal(1, task.Dropped);
            Assert.Equal(0, task.Responses);
        }

        [Fact]
        public void A_failing_page_is_answered_500_and_the_task_goes_on()
        {
            var listener = new FakeListener();
            var handler = new EchoHandler { Answer = _ => throw new InvalidOperationException("boom") };
            var task = new WebServerTask(listener, handler);
            FakeConnection first = Client(Get);
            listener.Pending.Enqueue(first);
            var clock = new FakeClock();
            Run(task, clock, clock.NowMs + 100);
            Assert.Equal(500, StatusOf(first));
            Assert.DoesNotContain("boom", first.WrittenText);

            handler.Answer = null;
            FakeConnection second = Client(Get);
            listener.Pending.Enqueue(second);
            Run(task, clock, clock.NowMs + 100);
            Assert.Equal(200, StatusOf(second));
        }

        [Fact]
        public void Head_requests_get_no_body()
        {
            var listener = new FakeListener();
            var task = new WebServerTask(listener, new EchoHandler());
            FakeConnection client = Client("HEAD /a HTTP/1.1\r\nHost: b\r\n\r\n");
            listener.Pending.Enqueue(client);
            var clock = new FakeClock();
            Run(task, clock, clock.NowMs + 100);
            Assert.Contains("\r\nContent-Length: 7\r\n", client.WrittenText);
            Assert.EndsWith("\r\nConnection: close\r\n\r\n", client.WrittenText);
        }

        [Fact]
        public void Idle_task_sleeps_between_looks_at_the_listener_and_stop_closes_everything()
        {
            var listener = new FakeListener();
            var task = new WebServerTask(listener, new EchoHandler());
            task.Step(1000);
            Assert.Equal(TaskWaitKind.Time, task.WaitKind);
            Assert.Equal(1000 + WebServerTask.IdlePollMs, task.WakeAtMs);

            FakeConnection client = Client("GET /");
            listener.Pending.Enqueue(client);
            task.Step(2000);
            Assert.Equal(2000 + WebServerTask.ActivePollMs, task.WakeAtMs);

            task.Stop();
            Assert.Equal(NetState.Closed, client.State);
            Assert.False(listener.IsListening);
            Assert.Equal(0, task.OpenConnections);
        }

        [Fact]
        public void Per_connection_memory_is_the_stated_figure()
        {
            var task = new WebServerTask(new FakeListener(), new EchoHandler());
            Assert.Equal(2, task.ConnectionCount);
            Assert.Equal(3584, task.ConnectionBufferBytes);
        }

        [Fact]
        public void Web_task_and_a_timed_task_share_the_scheduler_without_delaying_it()
        {
            var clock = new FakeClock();
            var listener = new FakeListener();
            var web = new WebServerTask(listener, new EchoHandler());
            var timed = new TimedTask(clock.NowMs + 3000);
            var scheduler = new CooperativeScheduler(clock, new AdvancingIdle(clock));
            scheduler.Add(web);
            scheduler.Add(timed);
            for (int i = 0; i < 20; i++)
            {
                FakeConnection client = Client(Get);
                client.ReadLimit = 7;
                listener.Pending.Enqueue(client);
            }

            while (timed.RanAtMs < 0)
            {
                scheduler.RunOnce();
            }

            Assert.Equal(timed.DueMs, timed.RanAtMs);
            Assert.True(web.Responses > 0);
        }

        private sealed class TimedTask : SchedulerTask
        {
            public TimedTask(long dueMs)
                : base("timed")
            {
                DueMs = dueMs;
                SleepUntil(dueMs);
            }

            public long DueMs { get; }

            public long RanAtMs { get; private set; } = -1;

            public override void Step(long nowMs)
            {
                RanAtMs = nowMs;
                SleepUntil(Never);
            }
        }

        private sealed class AdvancingIdle : ISystemIdle
        {
            private readonly FakeClock _clock;

            public AdvancingIdle(FakeClock clock)
            {
                _clock = clock;
            }

            public void Wait(int timeoutMs)
            {
                _clock.NowMs += timeoutMs;
            }
        }
    }
}
