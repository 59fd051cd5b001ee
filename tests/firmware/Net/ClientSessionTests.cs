using System;
using System.Text;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Net;
using NetBoard.Firmware.Pop;
using NetBoard.Firmware.Smtp;
using NetBoard.Firmware.Tests.Pop;
using NetBoard.Firmware.Tests.Smtp;
using NetBoard.Hal;

namespace NetBoard.Firmware.Tests.Net
{
    /// <summary>The session skeleton the SMTP and POP sessions share: life cycle, deadlines, TLS go-ahead, credentials.</summary>
    public sealed class ClientSessionTests
    {
        public static TheoryData<string> Protocols() => new TheoryData<string> { "SMTP", "POP" };

        private static (ClientSession Session, byte[] User, byte[] Password, SessionResult Result) Create(string protocol)
        {
            if (protocol == "SMTP")
            {
                SmtpSessionOptions smtp = ScriptedSmtp.Options(SmtpAuthMode.Auto);
                smtp.Security = SmtpSecurity.StartTls;
                smtp.ConnectTimeoutMs = 7000;
                var session = new SmtpSession(smtp, new LinesMessage("x"), null);
                return (session, smtp.User, smtp.Password, session.Result);
            }

            PopSessionOptions pop = ScriptedPop.Options(PopSessionMode.LoginOnly);
            pop.Security = PopSecurity.Stls;
            pop.ConnectTimeoutMs = 7000;
            var popSession = new PopSession(pop, null, null);
            return (popSession, pop.User, pop.Password, popSession.Result);
        }

        private static void Feed(ClientSession session, string text, long nowMs)
        {
            byte[] bytes = Encoding.ASCII.GetBytes(text);
            session.Receive(bytes, 0, bytes.Length, nowMs);
        }

        private static void TakeOutput(ClientSession session, long nowMs)
        {
            session.OnSent(session.OutputCount, nowMs);
        }

        /// <summary>Greeting, capabilities and STARTTLS/STLS: the server's go-ahead has just been read.</summary>
        private static void ToGoAhead(string protocol, ClientSession session)
        {
            session.Start(0);
            session.OnConnected("192.0.2.7", 0);
            if (protocol == "SMTP")
            {
                Feed(session, "220 hi\r\n", 1);
                TakeOutput(session, 1);
                Feed(session, "250-mail.lab.test\r\n250 STARTTLS\r\n", 2);
                TakeOutput(session, 2);
                Feed(session, "220 go ahead\r\n", 3);
            }
            else
            {
                Feed(session, ScriptedPop.Greeting + "\r\n", 1);
                TakeOutput(session, 1);
                Feed(session, "+OK\r\nSTLS\r\n.\r\n", 2);
                TakeOutput(session, 2);
                Feed(session, "+OK go ahead\r\n", 3);
            }
        }

        [Theory]
        [MemberData(nameof(Protocols))]
        public void The_life_cycle_runs_idle_connecting_open_done_and_a_second_start_is_refused(string protocol)
        {
            var (session, _, _, _) = Create(protocol);
            Assert.Equal(SessionStage.Idle, session.Stage);
            session.Start(100);
            Assert.Equal(SessionStage.Connecting, session.Stage);
            Assert.True(session.IsConnecting);
            Assert.Equal(7100, session.Deadline);
            Assert.Throws<InvalidOperationException>(() => session.Start(200));
            session.OnConnected("192.0.2.7", 200);
            Assert.Equal(SessionStage.Open, session.Stage);
            session.OnConnectionEnded(NetError.Reset, "reset by peer");
            Assert.Equal(SessionStage.Done, session.Stage);
            Assert.True(session.IsDone);
        }

        [Theory]
        [MemberData(nameof(Protocols))]
        public void A_connect_past_its_deadline_fails_as_a_connect_failure_and_clears_the_credentials(string protocol)
        {
            var (session, user, password, result) = Create(protocol);
            session.Start(0);
            session.CheckTimeout(6999);
            Assert.False(session.IsDone);
            session.CheckTimeout(7000);

            Assert.True(session.IsDone);
            Assert.Equal(protocol == "SMTP" ? UserErrorCode.SmtpConnectFailed : UserErrorCode.PopConnectFailed, result.ErrorCode);
            Assert.Equal("connect timed out", result.Detail);
            Assert.Equal(NetError.TimedOut, result.NetError);
            Assert.Equal("connect", result.Stage);
            Assert.All(user, b => Assert.Equal(0, b));
            Assert.All(password, b => Assert.Equal(0, b));
        }

        [Theory]
        [MemberData(nameof(Protocols))]
        public void After_the_go_ahead_the_session_waits_for_the_handshake_and_starts_over_protected(string protocol)
        {
            var (session, _, _, result) = Create(protocol);
            ToGoAhead(protocol, session);

            Assert.True(session.WantsTls);
            Assert.Equal(SessionStage.TlsHandshake, session.Stage);
            Assert.Equal("TLS", result.Stage);
            Assert.Equal(0, session.OutputCount);
            session.OnTlsStarted(4);

            Assert.Equal(SessionStage.Open, session.Stage);
            string sent = Encoding.ASCII.GetString(session.Output, session.OutputOffset, session.OutputCount);
            Assert.Equal(protocol == "SMTP" ? "EHLO [192.0.2.7]\r\n" : "CAPA\r\n", sent);
        }

        [Theory]
        [MemberData(nameof(Protocols))]
        public void Clear_text_arriving_between_the_go_ahead_and_the_handshake_ends_the_session(string protocol)
        {
            var (session, user, password, result) = Create(protocol);
            ToGoAhead(protocol, session);

            // A later read, not behind the go-ahead in the same one: still sent in clear.
            Feed(session, protocol == "SMTP" ? "250 injected\r\n" : "+OK injected\r\n", 5);

            Assert.True(session.IsDone);
            Assert.Equal(0, session.OutputCount);
            Assert.Equal(protocol == "SMTP" ? UserErrorCode.SmtpProtocolError : UserErrorCode.PopConnectFailed, result.ErrorCode);
            Assert.StartsWith("data after the server's ", result.Detail);
            Assert.All(user, b => Assert.Equal(0, b));
            Assert.All(password, b => Assert.Equal(0, b));
            session.OnTlsStarted(6);
            Assert.True(session.IsDone);
        }
    }
}
