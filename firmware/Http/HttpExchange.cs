using System;
using NetBoard.Firmware.Diagnostics;
using NetBoard.Firmware.Net;
using NetBoard.Hal;

namespace NetBoard.Firmware.Http
{
    /// <summary>
    /// One HTTP/1.1 request and its response as a client session that <see cref="SessionTransfer"/> drives over a
    /// HAL connection, TLS from the first byte for https. It never touches the network itself: the request waits in
    /// an output buffer of its exact size, the response goes through <see cref="HttpResponseParser"/> and its body
    /// into a buffer bounded by <see cref="HttpExchangeOptions.MaxBodySize"/>.
    /// </summary>
    /// <remarks>
    /// Allocation per exchange: the request's length (wiped once sent), the parser's line buffer
    /// (<see cref="HttpResponseParser.MaxLineLength"/>), and the body: exactly Content-Length, or for a chunked or
    /// close-delimited body a buffer that doubles from <see cref="InitialBodyBufferSize"/> up to the limit, each
    /// outgrown buffer wiped; a failed exchange wipes what body it had. The log sees the request line and field
    /// names, never credentials or a body.
    /// </remarks>
    public sealed class HttpExchange : IClientSession
    {
        /// <summary>The first body buffer when the length is not announced.</summary>
        public const int InitialBodyBufferSize = 1024;

        private const string MaskedPayload = "****";

        private readonly HttpRequest _request;
        private readonly HttpExchangeOptions _options;
        private readonly ISessionLog _log;
        private readonly HttpResponseParser _parser;
        private readonly HttpResult _result = new HttpResult();
        private readonly CommandBuffer _out;
        private HttpExchangeState _state = HttpExchangeState.Idle;
        private long _deadline;
        private byte[] _body;
        private int _bodyLength;

        /// <summary>Prepares an exchange; nothing is sent before the caller connects.</summary>
        /// <param name="request">The request; its credential and form arrays must stay unchanged until the request is sent.</param>
        /// <param name="options">Bounds and timeouts, or null for the defaults.</param>
        /// <param name="log">Receives the request line, field names and the status line, or null.</param>
        public HttpExchange(HttpRequest request, HttpExchangeOptions options, ISessionLog log)
        {
            if (request == null)
            {
                throw new ArgumentNullException("request");
            }

            _request = request;
            _options = options == null ? new HttpExchangeOptions() : options;
            if (_options.MaxBodySize < 0 || _options.ConnectTimeoutMs < 1 || _options.ResponseTimeoutMs < 1)
            {
                throw new ArgumentOutOfRangeException("options");
            }

            _log = log;
            _parser = new HttpResponseParser(_options.MaxHeaderBlockSize, _options.MaxBodySize, request.IsHead);
            _out = new CommandBuffer(HttpRequestWriter.Length(request));
            _body = new byte[0];
            _result.Body = _body;
        }

        /// <summary>Where the exchange is.</summary>
        public HttpExchangeState State
        {
            get { return _state; }
        }

        /// <summary>The outcome (final once <see cref="IsDone"/>).</summary>
        public HttpResult Result
        {
            get { return _result; }
        }

        /// <summary>True once the exchange has ended.</summary>
        public bool IsDone
        {
            get { return _state == HttpExchangeState.Done; }
        }

        /// <summary>True between <see cref="Start"/> and <see cref="OnConnected"/>.</summary>
        public bool IsConnecting
        {
            get { return _state == HttpExchangeState.Connecting; }
        }

        /// <summary>When the current step times out, on the caller's millisecond clock.</summary>
        public long Deadline
        {
            get { return _deadline; }
        }

        /// <summary>The buffer holding the request octets still to send.</summary>
        public byte[] Output
        {
            get { return _out.Buffer; }
        }

        /// <summary>The first octet to send in <see cref="Output"/>.</summary>
        public int OutputOffset
        {
            get { return _out.Offset; }
        }

        /// <summary>How many octets wait to be sent.</summary>
        public int OutputCount
        {
            get { return _out.Count; }
        }

        /// <summary>Always false: https is TLS from the first byte (see <see cref="CreateTransfer"/>), there is no upgrade.</summary>
        public bool WantsTls
        {
            get { return false; }
        }

        /// <summary>
        /// Creates the transfer that runs this exchange: to the request's host and port, with TLS from the first
        /// byte for https under <paramref name="tlsPolicy"/> (null: verify against the platform's trust store).
        /// </summary>
        /// <param name="connector">Opens the connection.</param>
        /// <param name="clock">The millisecond clock.</param>
        /// <param name="localAddress">Source address, or null or empty for the stack's choice.</param>
        /// <param name="tlsPolicy">How the server certificate is checked for https.</param>
        public SessionTransfer CreateTransfer(INetConnector connector, IClock clock, string localAddress, TlsPolicy tlsPolicy)
        {
            TlsPolicy policy = null;
            if (_request.Secure)
            {
                policy = tlsPolicy == null ? new TlsPolicy(true, string.Empty) : tlsPolicy;
            }

            return new SessionTransfer(this, connector, clock, new ServerEndpoint(_request.Host, _request.Port, localAddress, _request.Secure, policy));
        }

        /// <summary>Not used: an exchange never asks for a TLS upgrade.</summary>
        public void OnTlsStarted(long nowMs)
        {
        }

        /// <summary>Starts the exchange: the caller is connecting now.</summary>
        public void Start(long nowMs)
        {
            if (_state != HttpExchangeState.Idle)
            {
                throw new InvalidOperationException("exchange already started");
            }

            _state = HttpExchangeState.Connecting;
            _deadline = nowMs + _options.ConnectTimeoutMs;
        }

        /// <summary>The connection is open (and encrypted, for https): the request goes out.</summary>
        public void OnConnected(string localAddress, long nowMs)
        {
            if (_state != HttpExchangeState.Connecting)
            {
                return;
            }

            HttpRequestWriter.Write(_request, _out);
            LogRequest();
            _state = HttpExchangeState.Sending;
            _deadline = nowMs + _options.ResponseTimeoutMs;
        }

        /// <summary>Connecting failed (name, refusal, TLS handshake, certificate).</summary>
        public void OnConnectFailed(NetError error, string errorText)
        {
            if (IsDone)
            {
                return;
            }

            _result.NetError = error;
            Fail(HttpError.ConnectFailed, errorText == null || errorText.Length == 0 ? "connect failed" : errorText);
        }

        /// <summary>The connection ended: the end of a close-delimited body, else a response cut short.</summary>
        public void OnConnectionEnded(NetError error, string errorText)
        {
            if (IsDone)
            {
                return;
            }

            if (error != NetError.None)
            {
                _result.NetError = error;
                Fail(HttpError.ConnectionLost, errorText == null || errorText.Length == 0 ? "connection lost" : errorText);
                return;
            }

            if (_parser.OnClosed() == HttpParseEvent.Complete)
            {
                Complete();
                return;
            }

            Fail(_parser.Error, _parser.ErrorDetail);
        }

        /// <summary>Bytes of the response.</summary>
        public void Receive(byte[] buffer, int offset, int count, long nowMs)
        {
            if (IsDone || _state == HttpExchangeState.Connecting || _state == HttpExchangeState.Idle)
            {
                return;
            }

            _deadline = nowMs + _options.ResponseTimeoutMs;
            while (!IsDone)
            {
                int used;
                HttpParseEvent ev = _parser.Feed(buffer, offset, count, out used);
                offset += used;
                count -= used;
                switch (ev)
                {
                    case HttpParseEvent.NeedMore:
                        return;
                    case HttpParseEvent.HeadersComplete:
                        OnHeaders();
                        break;
                    case HttpParseEvent.Body:
                        Append(buffer, _parser.BodyOffset, _parser.BodyCount);
                        break;
                    case HttpParseEvent.Complete:
                        Complete();
                        return;
                    default:
                        Fail(_parser.Error, _parser.ErrorDetail);
                        return;
                }
            }
        }

        /// <summary>The caller sent <paramref name="count"/> octets of the request.</summary>
        public void OnSent(int count, long nowMs)
        {
            _out.Sent(count);
            _deadline = nowMs + _options.ResponseTimeoutMs;
            if (_out.Count == 0 && _state == HttpExchangeState.Sending)
            {
                // The request may carry a client secret or a refresh token.
                _out.Clear();
                _state = HttpExchangeState.Receiving;
            }
        }

        /// <summary>False: an HTTP exchange computes nothing between network events.</summary>
        public bool IsComputing
        {
            get { return false; }
        }

        /// <summary>Nothing to compute (see <see cref="IsComputing"/>).</summary>
        public void Compute(long nowMs)
        {
        }

        /// <summary>Ends the exchange if its current step has passed its deadline.</summary>
        public void CheckTimeout(long nowMs)
        {
            if (IsDone || _state == HttpExchangeState.Idle || nowMs < _deadline)
            {
                return;
            }

            string detail;
            switch (_state)
            {
                case HttpExchangeState.Connecting:
                    detail = "connect timed out";
                    break;
                case HttpExchangeState.Sending:
                    detail = "request not taken in time";
                    break;
                default:
                    detail = _parser.HeadersDone ? "response body stopped coming" : "no response in time";
                    break;
            }

            _result.NetError = NetError.TimedOut;
            Fail(HttpError.TimedOut, detail);
        }

        private void OnHeaders()
        {
            _result.StatusCode = _parser.StatusCode;
            _result.Reason = _parser.Reason;
            _result.ContentType = _parser.ContentType;
            if (_log != null)
            {
                _log.Line(false, "HTTP/1." + _parser.MinorVersion.ToString() + " " + _parser.StatusCode.ToString() + " " + _parser.Reason);
            }

            if (_parser.Framing == HttpBodyFraming.Length)
            {
                // The parser has already refused a length over the limit.
                _body = new byte[(int)_parser.ContentLength];
            }
            else if (_parser.Framing == HttpBodyFraming.Chunked || _parser.Framing == HttpBodyFraming.UntilClose)
            {
                _body = new byte[InitialBodyBufferSize < _options.MaxBodySize ? InitialBodyBufferSize : _options.MaxBodySize];
            }

            _result.Body = _body;
        }

        private void Append(byte[] buffer, int offset, int count)
        {
            if (_body.Length - _bodyLength < count)
            {
                // Only for chunked and close-delimited bodies; the parser keeps the total within the limit.
                int size = _body.Length;
                while (size - _bodyLength < count)
                {
                    size = size * 2 < _options.MaxBodySize ? size * 2 : _options.MaxBodySize;
                }

                byte[] larger = new byte[size];
                Array.Copy(_body, 0, larger, 0, _bodyLength);
                Array.Clear(_body, 0, _body.Length);
                _body = larger;
                _result.Body = _body;
            }

            Array.Copy(buffer, offset, _body, _bodyLength, count);
            _bodyLength += count;
            _result.BodyLength = _bodyLength;
        }

        private void Complete()
        {
            _result.Error = HttpError.None;
            if (_log != null)
            {
                _log.Line(false, "[body of " + _bodyLength.ToString() + " octets]");
            }

            Finish();
        }

        private void Fail(HttpError error, string detail)
        {
            _result.Error = error;
            _result.Detail = detail;

            // Part of a body is of no use and may hold part of a token.
            _result.Clear();
            _bodyLength = 0;
            Finish();
        }

        private void Finish()
        {
            _out.Clear();
            _state = HttpExchangeState.Done;
        }

        private void LogRequest()
        {
            if (_log == null)
            {
                return;
            }

            _log.Line(true, _request.Method + " " + _request.Target + " HTTP/1.1");
            for (int i = 0; i < _request.HeaderCount; i++)
            {
                _log.Line(true, _request.HeaderName(i) + ": " + _request.HeaderValue(i));
            }

            if (_request.BasicUser != null)
            {
                _log.Line(true, "Authorization: Basic " + MaskedPayload);
            }

            if (_request.Form != null)
            {
                // Form values include refresh tokens, device codes and client secrets.
                _log.Line(true, "[form body of " + _request.Form.EncodedLength.ToString() + " octets: " + MaskedPayload + "]");
            }
        }
    }
}
