using System;
using System.Collections.Generic;
using System.Text;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Net;
using NetBoard.Firmware.Smtp;
using NetBoard.Firmware.Tests.Doubles;
using NetBoard.Firmware.Tests.Smtp;
using NetBoard.Hal;

namespace NetBoard.Firmware.Tests.Net
{
    public class SessionTransferTests
    {
        // SessionTransfer's private bounds: at most this many reads and this many writes in one Step.
        private const int MaxReadsPerStep = 4;
        private const int MaxWritesPerStep = 4;

        private readonly FakeClock _clock = new FakeClock();
        private readonly FakeConnection _connection = new FakeConnection();
        private readonly FakeConnector _connector;
        private SmtpSession _session;

        public SessionTransferTests()
        {
            _connector = new FakeConnector(_connection);
        }

        private SessionTransfer Create(SmtpSessionOptions options = null, IMessageReader message = null)
        {
            _session = new SmtpSession(options ?? ScriptedSmtp.Options(), message ?? new LinesMessage("Subject: t", "", "body"), null);
            return new SessionTransfer(_session, _connector, _clock, new ServerEndpoint("mail.lab.test", 2525, "192.0.2.9", false, null));
        }

        /// <summary>Connects and opens: after this the session waits for the greeting.</summary>
        private SessionTransfer Opened(SmtpSessionOptions options = null, IMessageReader message = null)
        {
            SessionTransfer transfer = Create(options, message);
            Assert.True(transfer.Step());
            _connection.State = NetState.Open;
            _connection.LocalAddress = "192.0.2.9";
            Assert.True(transfer.Step());
            Assert.Equal(SmtpState.Greeting, _session.State);
            return transfer;
        }

        [Fact]
        public void Nothing_happens_before_the_first_step()
        {
            SessionTransfer transfer = Create();
            Assert.Equal(0, _connector.Calls);
            Assert.Null(transfer.Connection);
            Assert.Equal(SmtpState.Idle, _session.State);
            Assert.False(transfer.IsDone);
        }

        [Fact]
        public void First_step_starts_connecting_to_the_configured_server()
        {
            SessionTransfer transfer = Create();
            Assert.True(transfer.Step());
            Assert.Equal(1, _connector.Calls);
            Assert.Equal("mail.lab.test", _connector.Host);
            Assert.Equal(2525, _connector.Port);
            Assert.Equal("192.0.2.9", _connector.LocalAddress);
            Assert.Same(_connection, transfer.Connection);
            Assert.Equal(SmtpState.Connecting, _session.State);
            Assert.Equal(0, _connection.ReadCalls + _connection.WriteCalls);
        }

        [Fact]
        public void Step_while_still_connecting_moves_nothing()
        {
            SessionTransfer transfer = Create();
            transfer.Step();
            Assert.False(transfer.Step());
            Assert.False(transfer.Step());
            Assert.Equal(1, _connector.Calls);
            Assert.Equal(SmtpState.Connecting, _session.State);
            Assert.Equal(0, _connection.ReadCalls + _connection.WriteCalls);
        }

        [Fact]
        public void Open_connection_moves_the_session_to_the_greeting_and_its_address_names_the_client()
        {
            SessionTransfer transfer = Opened();
            Assert.False(transfer.Step());
            _connection.Deliver("220 mail.lab.test ESMTP\r\n");
            Assert.True(transfer.Step());
            Assert.Equal(SmtpState.Ehlo, _session.State);
            Assert.Equal("EHLO [192.0.2.9]\r\n", _connection.WrittenText);
        }

        [Theory]
        [InlineData(NetError.Refused, UserErrorCode.SmtpConnectFailed)]
        [InlineData(NetError.Unreachable, UserErrorCode.SmtpConnectFailed)]
        [InlineData(NetError.HostNotFound, UserErrorCode.SmtpHostNotFound)]
        public void Failed_connect_ends_the_session_and_closes(NetError error, int code)
        {
            SessionTransfer transfer = Create();
            transfer.Step();
            _connection.State = NetState.Failed;
            _connection.Error = error;
            _connection.ErrorText = "stack says no";
            Assert.True(transfer.Step());
            Assert.True(transfer.IsDone);
            SmtpResult result = _session.Result;
            Assert.Equal(code, result.ErrorCode);
            Assert.Equal(error, result.NetError);
            Assert.Equal("stack says no", result.Detail);
            Assert.Equal("connect", result.Stage);
            Assert.True(result.Transient);
            Assert.Equal(1, _connection.CloseCalls);
        }

        [Fact]
        public void Connection_closed_while_connecting_is_a_connect_failure()
        {
            SessionTransfer transfer = Create();
            transfer.Step();
            _connection.State = NetState.Closed;
            Assert.True(transfer.Step());
            Assert.True(transfer.IsDone);
            Assert.Equal(UserErrorCode.SmtpConnectFailed, _session.Result.ErrorCode);
        }

        [Fact]
        public void Connect_times_out_at_the_connect_deadline_not_before()
        {
            SmtpSessionOptions options = ScriptedSmtp.Options();
            options.ConnectTimeoutMs = 30000;
            SessionTransfer transfer = Create(options);
            transfer.Step();
            _clock.NowMs += 29999;
            Assert.False(transfer.Step());
            Assert.False(transfer.IsDone);
            Assert.Equal(0, _connection.CloseCalls);

            _clock.NowMs += 1;
            Assert.True(transfer.Step());
            Assert.True(transfer.IsDone);
            SmtpResult result = _session.Result;
            Assert.Equal(UserErrorCode.SmtpConnectFailed, result.ErrorCode);
            Assert.Equal(NetError.TimedOut, result.NetError);
            Assert.Equal("connect timed out", result.Detail);
            Assert.Equal(1, _connection.CloseCalls);
        }

        [Fact]
        public void Missing_greeting_times_out()
        {
            SmtpSessionOptions options = ScriptedSmtp.Options();
            options.GreetingTimeoutMs = 1000;
            SessionTransfer transfer = Opened(options);
            _clock.NowMs += 999;
            Assert.False(transfer.Step());
            _clock.NowMs += 1;
            Assert.True(transfer.Step());
            Assert.True(transfer.IsDone);
            Assert.Equal(UserErrorCode.SmtpConnectionLost, _session.Result.ErrorCode);
            Assert.Equal("no reply in time", _session.Result.Detail);
            Assert.Equal(NetError.TimedOut, _session.Result.NetError);
            Assert.Equal(NetState.Closed, _connection.State);
        }

        [Fact]
        public void Peer_close_in_the_middle_is_a_lost_connection()
        {
            SessionTransfer transfer = Opened();
            _connection.Deliver("220 hi\r\n");
            transfer.Step();
            Assert.Equal(SmtpState.Ehlo, _session.State);
            _connection.PeerCloses();
            Assert.True(transfer.Step());
            Assert.True(transfer.IsDone);
            SmtpResult result = _session.Result;
            Assert.Equal(UserErrorCode.SmtpConnectionLost, result.ErrorCode);
            Assert.Equal(NetError.Reset, result.NetError);
            Assert.Equal("connection closed by the server", result.Detail);
            Assert.Equal("EHLO", result.Stage);
            Assert.True(_connection.CloseCalls >= 1);
        }

        [Fact]
        public void Connection_reset_keeps_the_stack_error()
        {
            SessionTransfer transfer = Opened();
            _connection.State = NetState.Failed;
            _connection.Error = NetError.Reset;
            _connection.ErrorText = "Connection reset by peer";
            Assert.True(transfer.Step());
            Assert.True(transfer.IsDone);
            Assert.Equal(UserErrorCode.SmtpConnectionLost, _session.Result.ErrorCode);
            Assert.Equal(NetError.Reset, _session.Result.NetError);
            Assert.Equal("Connection reset by peer", _session.Result.Detail);
        }

        [Fact]
        public void Reply_read_before_the_peer_close_decides_the_result()
        {
            SessionTransfer transfer = Opened();
            _connection.Deliver("421 4.3.2 shutting down\r\n");
            _connection.PeerCloses();
            Assert.True(transfer.Step());
            Assert.True(transfer.IsDone);
            SmtpResult result = _session.Result;
            Assert.Equal(UserErrorCode.SmtpTemporaryFailure, result.ErrorCode);
            Assert.Equal(421, result.ReplyCode);
            Assert.Equal("4.3.2 shutting down", result.ReplyText);
        }

        [Fact]
        public void One_step_reads_at_most_four_times()
        {
            SessionTransfer transfer = Opened();
            _connection.ReadLimit = 1;
            _connection.Deliver("220 hi\r\n");
            int before = _connection.ReadCalls;
            Assert.True(transfer.Step());
            Assert.Equal(MaxReadsPerStep, _connection.ReadCalls - before);
            Assert.Equal(SmtpState.Greeting, _session.State);
            Assert.True(transfer.Step());
            Assert.Equal(SmtpState.Ehlo, _session.State);
            Assert.Equal(SessionTransfer.ReceiveBufferSize, _connection.LargestReadOffered);
        }

        [Fact]
        public void One_step_writes_at_most_four_times()
        {
            SessionTransfer transfer = Opened();
            _connection.WriteLimit = 1;
            _connection.Deliver("220 hi\r\n");
            Assert.True(transfer.Step());
            Assert.Equal(MaxWritesPerStep, _connection.WriteCalls);
            Assert.Equal("EHLO", _connection.WrittenText);
            Assert.True(transfer.WaitingToSend);
            Assert.True(transfer.Step());
            Assert.Equal("EHLO [19", _connection.WrittenText);
        }

        [Fact]
        public void Full_send_buffer_stops_the_writes_and_reports_no_progress()
        {
            SessionTransfer transfer = Opened();
            _connection.WriteLimit = 0;
            _connection.Deliver("220 hi\r\n");
            Assert.True(transfer.Step());
            int before = _connection.WriteCalls;
            Assert.False(transfer.Step());
            Assert.Equal(1, _connection.WriteCalls - before);
            Assert.True(transfer.WaitingToSend);
            Assert.Empty(_connection.Written);

            _connection.WriteLimit = int.MaxValue;
            Assert.True(transfer.Step());
            Assert.False(transfer.WaitingToSend);
            Assert.Equal("EHLO [192.0.2.9]\r\n", _connection.WrittenText);
        }

        [Fact]
        public void Whole_transaction_runs_through_the_transfer()
        {
            var peer = new ScriptedPeer(_connection);
            SessionTransfer transfer = Opened(ScriptedSmtp.Options(SmtpAuthMode.Plain, "scan", "pw", "alice@lab.test", "bob@lab.test"), new LinesMessage("Subject: t", "", ".hidden", "body"));
            _connection.Deliver("220 mail.lab.test ESMTP\r\n");
            int steps = 0;
            while (!transfer.IsDone && steps++ < 100)
            {
                transfer.Step();
            }

            Assert.True(transfer.IsDone);
            Assert.False(transfer.Step());
            Assert.True(_session.Result.Success, _session.Result.Detail);
            Assert.Equal("PLAIN", _session.Result.AuthMechanism);
            Assert.Equal(
                new[]
                {
                    "EHLO [192.0.2.9]",
                    "AUTH PLAIN " + Convert.ToBase64String(Encoding.ASCII.GetBytes("\0scan\0pw")),
                    "MAIL FROM:<mfp@lab.test>",
                    "RCPT TO:<alice@lab.test>",
                    "RCPT TO:<bob@lab.test>",
                    "DATA",
                    "QUIT",
                },
                peer.Commands);
            Assert.Equal("Subject: t\r\n\r\n..hidden\r\nbody\r\n", peer.Message);
            Assert.True(peer.QuitSeen);
            Assert.True(_connection.CloseCalls >= 1);
        }

        [Fact]
        public void One_byte_at_a_time_both_ways_delivers_the_same_message_in_bounded_steps()
        {
            var lines = new List<string> { "Subject: big", "" };
            var random = new Random(42);
            for (int i = 0; i < 400; i++)
            {
                lines.Add((random.Next(5) == 0 ? "." : string.Empty) + new string((char)('a' + (i % 26)), random.Next(0, 90)));
            }

            var expected = new StringBuilder();
            foreach (string line in lines)
            {
                expected.Append(line.StartsWith('.') ? "." + line : line).Append("\r\n");
            }

            var peer = new ScriptedPeer(_connection, "250-mail.lab.test\r\n250-SIZE 100000\r\n250 AUTH LOGIN\r\n");
            SessionTransfer transfer = Opened(ScriptedSmtp.Options(SmtpAuthMode.Off), new LinesMessage(lines.ToArray()));
            _connection.ReadLimit = 1;
            _connection.WriteLimit = 1;
            _connection.Deliver("220 mail.lab.test ESMTP\r\n");

            int steps = 0;
            int limit = 4 * (expected.Length + 1000);
            while (!transfer.IsDone && steps++ < limit)
            {
                int reads = _connection.ReadCalls;
                int writes = _connection.WriteCalls;
                int written = _connection.Written.Count;
                transfer.Step();
                Assert.InRange(_connection.ReadCalls - reads, 0, MaxReadsPerStep);
                Assert.InRange(_connection.WriteCalls - writes, 0, MaxWritesPerStep);
                Assert.InRange(_connection.Written.Count - written, 0, MaxWritesPerStep);
            }

            Assert.True(transfer.IsDone);
            Assert.True(_session.Result.Success, _session.Result.Detail);
            Assert.Equal(expected.ToString(), peer.Message);
            Assert.StartsWith("MAIL FROM:<mfp@lab.test> SIZE=", peer.Commands[1]);
            Assert.Equal("QUIT", peer.Commands[^1]);
        }

        [Fact]
        public void Step_after_the_end_moves_nothing_and_closes_again()
        {
            SessionTransfer transfer = Create();
            transfer.Step();
            _connection.State = NetState.Failed;
            _connection.Error = NetError.Refused;
            transfer.Step();
            int reads = _connection.ReadCalls;
            Assert.False(transfer.Step());
            Assert.Equal(reads, _connection.ReadCalls);
            Assert.Equal(2, _connection.CloseCalls);
            Assert.Equal(1, _connector.Calls);
        }
    }
}
