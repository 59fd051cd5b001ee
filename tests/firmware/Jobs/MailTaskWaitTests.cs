using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Net;
using NetBoard.Firmware.Smtp;
using NetBoard.Firmware.Tests.Doubles;
using NetBoard.Firmware.Tests.Smtp;
using NetBoard.Hal;

namespace NetBoard.Firmware.Tests.Jobs
{
    /// <summary>
    /// A connection changes state on another thread (the host's connect and TLS run in the background):
    /// a change between the transfer's step and the task's wait must still wake the task.
    /// </summary>
    public class MailTaskWaitTests
    {
        private sealed class TransferTask : MailTask
        {
            private readonly SessionTransfer _transfer;

            public TransferTask(SessionTransfer transfer)
                : base("transfer")
            {
                _transfer = transfer;
            }

            public override void Step(long nowMs)
            {
                StepTransfer(_transfer, nowMs);
            }
        }

        /// <summary>A connection whose background work finishes connecting after its state was read a given number of times.</summary>
        private sealed class RacingConnection : INetConnection
        {
            private readonly FakeConnection _inner = new FakeConnection();
            private int _stateReads;

            public int OpenAfterReads { get; set; } = int.MaxValue;

            public NetState State
            {
                get
                {
                    NetState state = _inner.State;
                    if (++_stateReads == OpenAfterReads)
                    {
                        _inner.State = NetState.Open;
                    }

                    return state;
                }
            }

            public NetError Error => _inner.Error;

            public string ErrorText => _inner.ErrorText;

            public string LocalAddress => _inner.LocalAddress;

            public int Available => _inner.Available;

            public bool IsReadable => _inner.IsReadable;

            public TlsState Tls => _inner.Tls;

            public string TlsDescription => _inner.TlsDescription;

            public int StateReads => _stateReads;

            public int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

            public int Write(byte[] buffer, int offset, int count) => _inner.Write(buffer, offset, count);

            public void StartTls(string targetHost, TlsPolicy policy) => _inner.StartTls(targetHost, policy);

            public void Close() => _inner.Close();

            public void Dispose() => _inner.Dispose();
        }

        private sealed class OneConnector : INetConnector
        {
            private readonly INetConnection _connection;

            public OneConnector(INetConnection connection) => _connection = connection;

            public INetConnection Connect(string host, int port, string localAddress) => _connection;
        }

        [Fact]
        public void A_connect_that_completes_during_the_step_still_wakes_the_task()
        {
            var clock = new VirtualClock();
            var connection = new RacingConnection();
            var options = ScriptedSmtp.Options();
            options.Security = SmtpSecurity.Implicit;
            var session = new SmtpSession(options, new LinesMessage("x"), null);
            var transfer = new SessionTransfer(session, new OneConnector(connection), clock, new ServerEndpoint("mail.lab.test", 465, null, true, null));
            var task = new TransferTask(transfer);
            task.Step(clock.NowMs);

            // The step reads the state while still connecting; the connect completes right after that read.
            int before = connection.StateReads;
            connection.OpenAfterReads = before + 2;
            task.Step(clock.NowMs);
            Assert.True(connection.StateReads > before);
            Assert.True(task.IsDue(clock.NowMs), "the task slept although the connection opened after its step looked");
        }

        [Fact]
        public void A_peer_close_with_nothing_to_read_wakes_the_task_and_ends_the_session()
        {
            var clock = new VirtualClock();
            var connection = new FakeConnection();
            var session = new SmtpSession(ScriptedSmtp.Options(), new LinesMessage("x"), null);
            var transfer = new SessionTransfer(session, new FakeConnector(connection), clock, new ServerEndpoint("mail.lab.test", 25, null, false, null));
            var task = new TransferTask(transfer);
            task.Step(clock.NowMs);
            connection.State = NetState.Open;
            task.Step(clock.NowMs);
            task.Step(clock.NowMs);
            connection.Deliver("220 mail.lab.test ESMTP\r\n");
            task.Step(clock.NowMs);
            task.Step(clock.NowMs);
            Assert.Contains("EHLO", connection.WrittenText);
            task.Step(clock.NowMs);
            Assert.False(task.IsDue(clock.NowMs), "the task should wait for the reply to EHLO");

            // FIN without a reply: nothing to read, the state still Open until a Read looks.
            connection.PeerCloses();
            Assert.Equal(0, connection.Available);
            Assert.True(task.IsDue(clock.NowMs), "the task slept through the server's close");
            task.Step(clock.NowMs);
            Assert.True(session.IsDone);
            Assert.Equal(UserErrorCode.SmtpConnectionLost, session.Result.ErrorCode);
        }

        [Fact]
        public void A_connection_that_opens_right_after_the_step_still_wakes_the_task()
        {
            var clock = new VirtualClock();
            var connection = new FakeConnection();
            var options = ScriptedSmtp.Options();
            options.Security = SmtpSecurity.Implicit;
            var session = new SmtpSession(options, new LinesMessage("x"), null);
            var transfer = new SessionTransfer(session, new FakeConnector(connection), clock, new ServerEndpoint("mail.lab.test", 465, null, true, null));
            var task = new TransferTask(transfer);

            task.Step(clock.NowMs);
            Assert.True(task.IsDue(clock.NowMs));

            // The transfer sees "connecting" and makes no progress; the connect completes just after.
            task.Step(clock.NowMs);
            connection.State = NetState.Open;
            Assert.True(task.IsDue(clock.NowMs), "the task slept through the connection opening");

            // Implicit TLS: nothing arrives before the client's hello, so only the state change can wake it.
            task.Step(clock.NowMs);
            Assert.Equal(1, connection.StartTlsCalls);
            task.Step(clock.NowMs);
            connection.Tls = TlsState.Established;
            Assert.True(task.IsDue(clock.NowMs), "the task slept through the end of the handshake");
        }
    }
}
