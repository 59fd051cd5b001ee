using System;
using System.Text;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Net;
using NetBoard.Firmware.Pop;
using NetBoard.Hal;

namespace NetBoard.Firmware.Tests.Pop
{
    public class PopTransferTests
    {
        private static readonly byte[] First = Encoding.ASCII.GetBytes("Subject: fax 1\r\n\r\n.leading dot\r\n" + new string('z', 3000) + "\r\n");
        private static readonly byte[] Second = Encoding.ASCII.GetBytes("Subject: fax 2\r\n\r\n.\r\nend\r\n");
        private static readonly byte[] Third = Encoding.ASCII.GetBytes("Subject: fax 3\r\n\r\nthree\r\n");

        private static PopResult Run(InMemoryPopServer server, MemorySink sink, PopSessionOptions options)
        {
            var clock = new StepClock();
            var session = new PopSession(options, sink, null);
            var transfer = new SessionTransfer(session, server, clock, new ServerEndpoint("pop.lab.test", 110, string.Empty, false, null));
            for (int step = 0; step < 10000 && !transfer.IsDone; step++)
            {
                transfer.Step();
            }

            Assert.True(transfer.IsDone);
            return session.Result;
        }

        private static InMemoryPopServer Mailbox() =>
            new InMemoryPopServer("ifax", "ifax-Secret-4", ("u1", First), ("u2", Second), ("u3", Third));

        [Theory]
        [InlineData(PopLoginMode.UserPass)]
        [InlineData(PopLoginMode.Apop)]
        public void A_session_through_session_transfer_empties_the_mailbox(PopLoginMode login)
        {
            var server = Mailbox();
            var sink = new MemorySink();
            PopResult result = Run(server, sink, ScriptedPop.Options(PopSessionMode.Receive, login));
            Assert.Equal(UserErrorCode.None, result.ErrorCode);
            Assert.Equal(3, result.MessagesReceived);
            Assert.Equal(3, result.MessagesDeleted);
            Assert.Empty(server.Mailbox);
            Assert.Equal(new[] { First, Second, Third }, sink.Stored);
        }

        [Fact]
        public void A_drop_before_quit_loses_nothing_and_the_next_session_duplicates_nothing()
        {
            var server = Mailbox();
            server.DropOnQuit = true;
            var sink = new MemorySink();
            PopResult first = Run(server, sink, ScriptedPop.Options());
            Assert.Equal(UserErrorCode.PopReceptionInterrupted, first.ErrorCode);
            Assert.Equal(3, first.MessagesReceived);
            Assert.Equal(0, first.MessagesDeleted);
            Assert.Equal(3, server.Mailbox.Count);

            var again = new InMemoryPopServer("ifax", "ifax-Secret-4", ("u1", First), ("u2", Second), ("u3", Third), ("u4", Third));
            PopResult second = Run(again, sink, ScriptedPop.Options());
            Assert.Equal(UserErrorCode.None, second.ErrorCode);
            Assert.Equal(1, second.MessagesReceived);
            Assert.Equal(4, sink.Stored.Count);
            Assert.Contains("RETR 4", again.Commands);
            Assert.DoesNotContain("RETR 1", again.Commands);
        }

        [Fact]
        public void A_wrong_password_through_session_transfer_is_813()
        {
            var server = Mailbox();
            PopResult result = Run(server, new MemorySink(), ScriptedPop.Options(password: "wrong"));
            Assert.Equal(UserErrorCode.PopAuthFailed, result.ErrorCode);
            Assert.Equal("[AUTH] Authentication failed.", result.ReplyText);
            Assert.Equal(3, server.Mailbox.Count);
        }

        /// <summary>A clock that moves 1 ms per reading, so no deadline passes in a normal run.</summary>
        private sealed class StepClock : IClock
        {
            private long _now;

            public long NowMs => ++_now;

            public DateTime UtcNow => new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMilliseconds(_now);
        }
    }
}
