using System;
using System.Collections.Generic;
using System.Text;
using NetBoard.Firmware.Diagnostics;
using NetBoard.Firmware.Http;
using NetBoard.Firmware.Net;
using NetBoard.Firmware.Tests.Doubles;
using NetBoard.Hal;

namespace NetBoard.Firmware.Tests.Http
{
    public class HttpExchangeTests
    {
        private const string Secret = "rt-SECRET-0123";
        private const string ClientSecret = "cs~SECRET";

        private readonly FakeClock _clock = new FakeClock();
        private readonly FakeConnection _connection = new FakeConnection();
        private readonly CapturingLog _log = new CapturingLog();

        private sealed class CapturingLog : ISessionLog
        {
            public List<string> Lines { get; } = new List<string>();

            public void Line(bool sent, string text) => Lines.Add((sent ? "C: " : "S: ") + text);
        }

        private static HttpRequest TokenRequest(bool secure = true)
        {
            var form = new HttpForm();
            form.Add("grant_type", "refresh_token");
            form.Add("refresh_token", Encoding.ASCII.GetBytes(Secret));
            var request = new HttpRequest("POST", "login.example.test", secure ? 443 : 80, secure, "/tenant/oauth2/v2.0/token") { Form = form };
            request.AddHeader("Accept", "application/json");
            request.SetBasicAuthorization(Encoding.ASCII.GetBytes("client"), Encoding.ASCII.GetBytes(ClientSecret));
            return request;
        }

        private (HttpExchange Exchange, SessionTransfer Transfer) Create(HttpRequest request = null, HttpExchangeOptions options = null, TlsPolicy policy = null)
        {
            var exchange = new HttpExchange(request ?? TokenRequest(), options, _log);
            SessionTransfer transfer = exchange.CreateTransfer(new FakeConnector(_connection), _clock, null, policy);
            return (exchange, transfer);
        }

        /// <summary>Connects, runs the TLS handshake and lets the request go out.</summary>
        private (HttpExchange Exchange, SessionTransfer Transfer) Sent(HttpRequest request = null, HttpExchangeOptions options = null)
        {
            var (exchange, transfer) = Create(request, options);
            transfer.Step();
            _connection.State = NetState.Open;
            transfer.Step();
            _connection.EstablishTls();
            transfer.Step();
            transfer.Step();
            Assert.Equal(HttpExchangeState.Receiving, exchange.State);
            return (exchange, transfer);
        }

        private static void RunUntilDone(SessionTransfer transfer)
        {
            for (int i = 0; i < 1000 && !transfer.IsDone; i++)
            {
                transfer.Step();
            }

            Assert.True(transfer.IsDone);
        }

        [Fact]
        public void Https_runs_tls_from_the_first_byte_then_sends_the_request_and_reads_the_response()
        {
            var policy = new TlsPolicy(true, "ca.pem");
            var (exchange, transfer) = Create(policy: policy);

            transfer.Step();
            Assert.Equal(HttpExchangeState.Connecting, exchange.State);
            _connection.State = NetState.Open;
            transfer.Step();
            Assert.Equal(1, _connection.StartTlsCalls);
            Assert.Equal("login.example.test", _connection.TlsTargetHost);
            Assert.Same(policy, _connection.TlsPolicy);
            Assert.Empty(_connection.Written);
            _connection.EstablishTls();
            transfer.Step();
            transfer.Step();

            string written = _connection.WrittenText;
            Assert.StartsWith("POST /tenant/oauth2/v2.0/token HTTP/1.1\r\nHost: login.example.test\r\nAccept: application/json\r\nAuthorization: Basic ", written);
            Assert.EndsWith("\r\n\r\ngrant_type=refresh_token&refresh_token=" + Secret, written);

            _connection.ReadLimit = 7;
            _connection.Deliver("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "10\r\n{\"access_token\":\r\n8;x=1\r\n\"abc\", \"\r\n0D\r\nexpires_in\":1\r\n1\r\n}\r\n0\r\n\r\n");
            RunUntilDone(transfer);

            HttpResult result = exchange.Result;
            Assert.Equal(HttpError.None, result.Error);
            Assert.True(result.Success);
            Assert.Equal(200, result.StatusCode);
            Assert.Equal("application/json", result.ContentType);
            Assert.Equal("{\"access_token\":\"abc\", \"expires_in\":1}", Encoding.ASCII.GetString(result.Body, 0, result.BodyLength));
            Assert.Equal(NetState.Closed, _connection.State);
        }

        [Fact]
        public void Plain_http_does_not_start_tls()
        {
            var (exchange, transfer) = Create(TokenRequest(false));
            transfer.Step();
            _connection.State = NetState.Open;
            transfer.Step();
            transfer.Step();

            Assert.Equal(0, _connection.StartTlsCalls);
            Assert.StartsWith("POST /tenant/oauth2/v2.0/token HTTP/1.1\r\nHost: login.example.test\r\n", _connection.WrittenText);
            Assert.False(exchange.WantsTls);
        }

        [Fact]
        public void A_slow_send_buffer_gets_the_request_out_in_pieces_and_the_buffer_is_wiped_after()
        {
            _connection.WriteLimit = 5;
            var (exchange, transfer) = Create();
            transfer.Step();
            _connection.State = NetState.Open;
            transfer.Step();
            _connection.EstablishTls();
            for (int i = 0; i < 200 && exchange.State != HttpExchangeState.Receiving; i++)
            {
                transfer.Step();
            }

            Assert.Equal(HttpRequestWriter.Length(TokenRequest()), _connection.Written.Count);
            Assert.All(exchange.Output, b => Assert.Equal(0, b));
            Assert.Equal(0, exchange.OutputCount);
        }

        [Fact]
        public void The_log_has_the_request_line_and_status_but_no_secret()
        {
            var (exchange, transfer) = Sent();
            _connection.Deliver("HTTP/1.1 400 Bad Request\r\nContent-Length: 27\r\n\r\n{\"error\":\"invalid_grant\"}\r\n");
            RunUntilDone(transfer);

            string log = string.Join("\n", _log.Lines);
            Assert.Contains("C: POST /tenant/oauth2/v2.0/token HTTP/1.1", log);
            Assert.Contains("C: Authorization: Basic ****", log);
            Assert.Contains("S: HTTP/1.1 400 Bad Request", log);
            Assert.Contains("S: [body of 27 octets]", log);
            Assert.DoesNotContain("SECRET", log);
            Assert.DoesNotContain("invalid_grant", log);
            Assert.DoesNotContain(Convert.ToBase64String(Encoding.ASCII.GetBytes("client:" + ClientSecret.Replace("~", "%7E"))), log);
            Assert.Equal(400, exchange.Result.StatusCode);
            Assert.True(exchange.Result.Success);
        }

        [Fact]
        public void A_close_delimited_body_ends_with_the_peers_close()
        {
            var (exchange, transfer) = Sent();
            _connection.Deliver("HTTP/1.0 200 OK\r\n\r\n{\"a\":1}");
            _connection.PeerCloses();
            RunUntilDone(transfer);

            Assert.Equal(HttpError.None, exchange.Result.Error);
            Assert.Equal("{\"a\":1}", Encoding.ASCII.GetString(exchange.Result.Body, 0, exchange.Result.BodyLength));
        }

        [Fact]
        public void A_body_cut_short_by_the_close_is_an_error()
        {
            var (exchange, transfer) = Sent();
            _connection.Deliver("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"a\":");
            _connection.PeerCloses();
            RunUntilDone(transfer);

            Assert.Equal(HttpError.ClosedEarly, exchange.Result.Error);
            Assert.Equal("connection closed after 5 of 100 body octets", exchange.Result.Detail);
            Assert.Equal(200, exchange.Result.StatusCode);
            Assert.Equal(0, exchange.Result.BodyLength);
            Assert.All(exchange.Result.Body, b => Assert.Equal(0, b));
        }

        [Fact]
        public void A_close_before_any_response_is_an_error()
        {
            var (exchange, transfer) = Sent();
            _connection.PeerCloses();
            RunUntilDone(transfer);

            Assert.Equal(HttpError.ClosedEarly, exchange.Result.Error);
            Assert.Equal(0, exchange.Result.StatusCode);
        }

        [Fact]
        public void A_reset_mid_body_is_a_lost_connection()
        {
            var (exchange, transfer) = Sent();
            _connection.Deliver("HTTP/1.1 200 OK\r\n\r\npartial");
            transfer.Step();
            _connection.State = NetState.Failed;
            _connection.Error = NetError.Reset;
            _connection.ErrorText = "Connection reset by peer";
            RunUntilDone(transfer);

            Assert.Equal(HttpError.ConnectionLost, exchange.Result.Error);
            Assert.Equal(NetError.Reset, exchange.Result.NetError);
            Assert.Equal("Connection reset by peer", exchange.Result.Detail);
        }

        [Fact]
        public void A_refused_certificate_is_a_connect_failure()
        {
            var (exchange, transfer) = Create();
            transfer.Step();
            _connection.State = NetState.Open;
            transfer.Step();
            _connection.FailTls(NetError.Certificate, "certificate not trusted");
            RunUntilDone(transfer);

            Assert.Equal(HttpError.ConnectFailed, exchange.Result.Error);
            Assert.Equal(NetError.Certificate, exchange.Result.NetError);
            Assert.Empty(_connection.Written);
        }

        [Fact]
        public void No_response_in_time_is_a_timeout()
        {
            var options = new HttpExchangeOptions { ResponseTimeoutMs = 10000 };
            var (exchange, transfer) = Sent(options: options);
            _clock.NowMs += 9999;
            transfer.Step();
            Assert.False(exchange.IsDone);

            _clock.NowMs += 1;
            transfer.Step();

            Assert.Equal(HttpError.TimedOut, exchange.Result.Error);
            Assert.Equal("no response in time", exchange.Result.Detail);
            Assert.Equal(NetError.TimedOut, exchange.Result.NetError);
        }

        [Fact]
        public void Each_piece_of_the_response_restarts_the_timeout()
        {
            var options = new HttpExchangeOptions { ResponseTimeoutMs = 1000 };
            var (exchange, transfer) = Sent(options: options);
            _connection.Deliver("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\na");
            transfer.Step();
            _clock.NowMs += 900;
            _connection.Deliver("b");
            transfer.Step();
            _clock.NowMs += 900;
            transfer.Step();
            Assert.False(exchange.IsDone);
            _clock.NowMs += 100;
            transfer.Step();

            Assert.Equal(HttpError.TimedOut, exchange.Result.Error);
            Assert.Equal("response body stopped coming", exchange.Result.Detail);
        }

        [Fact]
        public void Connecting_too_long_is_a_timeout()
        {
            var (exchange, transfer) = Create(options: new HttpExchangeOptions { ConnectTimeoutMs = 500 });
            transfer.Step();
            _clock.NowMs += 500;
            transfer.Step();

            Assert.Equal(HttpError.TimedOut, exchange.Result.Error);
            Assert.Equal("connect timed out", exchange.Result.Detail);
        }

        [Fact]
        public void A_body_over_the_limit_is_refused()
        {
            var (exchange, transfer) = Sent(options: new HttpExchangeOptions { MaxBodySize = 2000 });
            _connection.Deliver("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7D0\r\n" + new string('a', 2000) + "\r\n1\r\nb\r\n0\r\n\r\n");
            RunUntilDone(transfer);

            Assert.Equal(HttpError.BodyTooLarge, exchange.Result.Error);
        }

        [Fact]
        public void A_chunked_body_grows_its_buffer_up_to_the_limit_and_wipes_what_it_outgrew()
        {
            var (exchange, transfer) = Sent(options: new HttpExchangeOptions { MaxBodySize = 5000 });
            string body = new string('x', 5000);
            _connection.Deliver("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1388\r\n" + body + "\r\n0\r\n\r\n");
            RunUntilDone(transfer);

            Assert.Equal(HttpError.None, exchange.Result.Error);
            Assert.Equal(5000, exchange.Result.BodyLength);
            Assert.Equal(5000, exchange.Result.Body.Length);
            Assert.Equal(body, Encoding.ASCII.GetString(exchange.Result.Body, 0, 5000));
        }

        [Fact]
        public void A_content_length_body_gets_a_buffer_of_exactly_its_size_and_clear_wipes_it()
        {
            var (exchange, transfer) = Sent();
            _connection.Deliver("HTTP/1.1 200 OK\r\nContent-Length: 19\r\n\r\n{\"access_token\":\"t\"");
            RunUntilDone(transfer);

            HttpResult result = exchange.Result;
            Assert.Equal(19, result.Body.Length);
            byte[] body = result.Body;
            result.Clear();
            Assert.All(body, b => Assert.Equal(0, b));
            Assert.Equal(0, result.BodyLength);
        }

        [Fact]
        public void A_malformed_response_ends_the_exchange_with_its_error()
        {
            var (exchange, transfer) = Sent();
            _connection.Deliver("HTTP/1.1 OK\r\n\r\n");
            RunUntilDone(transfer);

            Assert.Equal(HttpError.Malformed, exchange.Result.Error);
            Assert.Equal("malformed status line", exchange.Result.Detail);
        }

        [Fact]
        public void A_name_that_does_not_resolve_is_a_connect_failure()
        {
            var (exchange, transfer) = Create();
            transfer.Step();
            _connection.State = NetState.Failed;
            _connection.Error = NetError.HostNotFound;
            _connection.ErrorText = "No such host is known";
            RunUntilDone(transfer);

            Assert.Equal(HttpError.ConnectFailed, exchange.Result.Error);
            Assert.Equal(NetError.HostNotFound, exchange.Result.NetError);
        }

        [Fact]
        public void An_exchange_starts_once()
        {
            var exchange = new HttpExchange(TokenRequest(), null, null);
            exchange.Start(0);

            Assert.Throws<InvalidOperationException>(() => exchange.Start(0));
        }
    }
}
