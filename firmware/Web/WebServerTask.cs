using System;
using NetBoard.Firmware.Scheduling;
using NetBoard.Hal;

namespace NetBoard.Firmware.Web
{
    /// <summary>
    /// The board's HTTP/1.1 server as a cooperative task: a fixed number of connection slots, each
    /// with its own parser and writer made once. A step accepts into free slots, reads at most
    /// <see cref="MaxReadsPerStep"/> small chunks and writes at most <see cref="MaxChunksPerStep"/>
    /// chunks per connection, so it never holds the scheduler longer than a page takes to make.
    /// One request per connection (Connection: close). Memory per slot is fixed:
    /// <see cref="ConnectionBufferBytes"/> (3,584 bytes with the defaults) plus the request's few
    /// strings and the page being sent; the read buffer (<see cref="ReadChunkBytes"/>) is shared.
    /// </summary>
    public sealed class WebServerTask : SchedulerTask
    {
        /// <summary>Connections served at once by default; more clients wait in the stack's backlog.</summary>
        public const int DefaultConnectionCount = 2;

        /// <summary>How long a client has to send its whole request (request line, headers and body) before it gets 408.</summary>
        public const int RequestTimeoutMs = 10000;

        /// <summary>How long a client has to take the whole response before the connection is dropped.</summary>
        public const int ResponseTimeoutMs = 10000;

        /// <summary>How long, after refusing a request, the server drops what the client still sends before it closes.</summary>
        public const int DrainTimeoutMs = 2000;

        /// <summary>Most bytes dropped while draining.</summary>
        public const int MaxDrainBytes = 65536;

        /// <summary>The shared read buffer, in bytes.</summary>
        public const int ReadChunkBytes = 512;

        /// <summary>Reads per connection per step.</summary>
        public const int MaxReadsPerStep = 4;

        /// <summary>Response chunks per connection per step.</summary>
        public const int MaxChunksPerStep = 4;

        /// <summary>Wait between steps while a connection is open.</summary>
        public const int ActivePollMs = 2;

        /// <summary>Wait between looks at the listener while no connection is open.</summary>
        public const int IdlePollMs = 20;

        private readonly INetListener _listener;
        private readonly IWebHandler _handler;
        private readonly WebConnection[] _slots;
        private readonly byte[] _read = new byte[ReadChunkBytes];

        /// <summary>Creates the task with <see cref="DefaultConnectionCount"/> slots and the parser's default limits.</summary>
        public WebServerTask(INetListener listener, IWebHandler handler)
            : this(listener, handler, DefaultConnectionCount, HttpRequestParser.DefaultMaxLineBytes, HttpRequestParser.DefaultMaxHeaderBytes, HttpRequestParser.DefaultMaxBodyBytes)
        {
        }

        /// <summary>Creates the task with <paramref name="connectionCount"/> slots and the given request limits (bytes).</summary>
        public WebServerTask(INetListener listener, IWebHandler handler, int connectionCount, int maxLineBytes, int maxHeaderBytes, int maxBodyBytes)
            : base("web")
        {
            if (listener == null)
            {
                throw new ArgumentNullException("listener");
            }

            if (handler == null)
            {
                throw new ArgumentNullException("handler");
            }

            if (connectionCount < 1 || connectionCount > 8)
            {
                throw new ArgumentOutOfRangeException("connectionCount");
            }

            _listener = listener;
            _handler = handler;
            _slots = new WebConnection[connectionCount];
            for (int i = 0; i < connectionCount; i++)
            {
                _slots[i] = new WebConnection(maxLineBytes, maxHeaderBytes, maxBodyBytes);
            }
        }

        /// <summary>Fixed bytes each connection slot holds: the parser's line and body buffers and the writer's chunk.</summary>
        public int ConnectionBufferBytes
        {
            get { return _slots[0].Parser.BufferBytes + HttpResponseWriter.ChunkBytes; }
        }

        /// <summary>Connection slots.</summary>
        public int ConnectionCount
        {
            get { return _slots.Length; }
        }

        /// <summary>Connections open now.</summary>
        public int OpenConnections
        {
            get
            {
                int open = 0;
                for (int i = 0; i < _slots.Length; i++)
                {
                    if (_slots[i].Phase != WebConnectionPhase.Free)
                    {
                        open++;
                    }
                }

                return open;
            }
        }

        /// <summary>Connections accepted so far.</summary>
        public long Accepted { get; private set; }

        /// <summary>Responses sent in full so far (pages and refusals).</summary>
        public long Responses { get; private set; }

        /// <summary>Requests refused so far (400, 408, 413, 414, 431, 501, 505).</summary>
        public long Refused { get; private set; }

        /// <summary>Connections dropped without a whole response: the client left, or did not take the response in time.</summary>
        public long Dropped { get; private set; }

        /// <summary>Closes every open connection and stops listening.</summary>
        public void Stop()
        {
            for (int i = 0; i < _slots.Length; i++)
            {
                if (_slots[i].Phase != WebConnectionPhase.Free)
                {
                    Release(_slots[i]);
                }
            }

            _listener.Close();
        }

        /// <inheritdoc />
        public override void Step(long nowMs)
        {
            bool active = false;
            for (int i = 0; i < _slots.Length; i++)
            {
                WebConnection slot = _slots[i];
                if (slot.Phase == WebConnectionPhase.Free)
                {
                    TryAccept(slot, nowMs);
                }

                if (slot.Phase != WebConnectionPhase.Free)
                {
                    StepConnection(slot, nowMs);
                }

                if (slot.Phase != WebConnectionPhase.Free)
                {
                    active = true;
                }
            }

            SleepUntil(nowMs + (active ? ActivePollMs : IdlePollMs));
        }

        private void TryAccept(WebConnection slot, long nowMs)
        {
            if (!_listener.IsListening)
            {
                return;
            }

            INetConnection connection = _listener.Accept();
            if (connection == null)
            {
                return;
            }

            Accepted++;
            slot.Connection = connection;
            slot.Parser.Reset();
            slot.Phase = WebConnectionPhase.Reading;
            slot.DeadlineMs = nowMs + RequestTimeoutMs;
            slot.Drained = 0;
        }

        private void StepConnection(WebConnection slot, long nowMs)
        {
            if (slot.Phase == WebConnectionPhase.Reading)
            {
                StepReading(slot, nowMs);
            }

            if (slot.Phase == WebConnectionPhase.Answering)
            {
                StepAnswering(slot, nowMs);
            }

            if (slot.Phase == WebConnectionPhase.Writing)
            {
                StepWriting(slot, nowMs);
            }

            if (slot.Phase == WebConnectionPhase.Draining)
            {
                StepDraining(slot, nowMs);
            }
        }

        private void StepReading(WebConnection slot, long nowMs)
        {
            HttpRequestParser parser = slot.Parser;
            INetConnection connection = slot.Connection;
            for (int r = 0; r < MaxReadsPerStep && !parser.IsDone; r++)
            {
                int count = connection.Read(_read, 0, _read.Length);
                if (count == 0)
                {
                    break;
                }

                // One request per connection: bytes after it are not read on.
                parser.Feed(_read, 0, count);
            }

            if (!parser.IsDone)
            {
                if (connection.State != NetState.Open)
                {
                    Dropped++;
                    Release(slot);
                    return;
                }

                if (nowMs < slot.DeadlineMs)
                {
                    return;
                }

                parser.TimeOut();
            }

            if (parser.State == HttpParseState.Failed)
            {
                Refused++;
                StartWriting(slot, HttpResponse.Error(parser.ErrorStatus), nowMs);
                return;
            }

            slot.Phase = WebConnectionPhase.Answering;
        }

        private void StepAnswering(WebConnection slot, long nowMs)
        {
            HttpResponse response = Answer(slot.Parser, nowMs);
            if (response != HttpResponse.NotYet)
            {
                StartWriting(slot, response, nowMs);
            }
        }

        private static void StartWriting(WebConnection slot, HttpResponse response, long nowMs)
        {
            slot.Writer.Start(response, slot.Parser.Method == "HEAD");
            slot.Phase = WebConnectionPhase.Writing;
            slot.DeadlineMs = nowMs + ResponseTimeoutMs;
        }

        private HttpResponse Answer(HttpRequestParser request, long nowMs)
        {
            try
            {
                HttpResponse response = _handler.Handle(request, nowMs);
                return response == null ? HttpResponse.Error(HttpStatus.InternalServerError) : response;
            }
            catch (Exception)
            {
                // A page that fails must not stop the scheduler; the client gets 500, the board goes on.
                return HttpResponse.Error(HttpStatus.InternalServerError);
            }
        }

        private void StepWriting(WebConnection slot, long nowMs)
        {
            INetConnection connection = slot.Connection;
            if (connection.State == NetState.Open)
            {
                slot.Writer.Pump(connection, MaxChunksPerStep);
            }

            if (slot.Writer.IsDone)
            {
                Responses++;
                if (slot.Parser.State == HttpParseState.Failed)
                {
                    slot.Phase = WebConnectionPhase.Draining;
                    slot.DeadlineMs = nowMs + DrainTimeoutMs;
                }
                else
                {
                    Release(slot);
                }

                return;
            }

            if (connection.State != NetState.Open || nowMs >= slot.DeadlineMs)
            {
                Dropped++;
                Release(slot);
            }
        }

        private void StepDraining(WebConnection slot, long nowMs)
        {
            INetConnection connection = slot.Connection;
            for (int r = 0; r < MaxReadsPerStep; r++)
            {
                int count = connection.Read(_read, 0, _read.Length);
                if (count == 0)
                {
                    break;
                }

                slot.Drained += count;
            }

            if (connection.State != NetState.Open || nowMs >= slot.DeadlineMs || slot.Drained >= MaxDrainBytes)
            {
                Release(slot);
            }
        }

        private static void Release(WebConnection slot)
        {
            INetConnection connection = slot.Connection;
            slot.Connection = null;
            slot.Phase = WebConnectionPhase.Free;
            if (connection != null)
            {
                connection.Close();
            }
        }
    }
}
