using System;
using System.Collections.Generic;
using System.Linq;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Tests.Doubles;
using NetBoard.Hal;

namespace NetBoard.Firmware.Tests.Jobs
{
    /// <summary>Which failures a job is retried after, how often and how far apart, through the whole runtime.</summary>
    public class SmtpSendTaskRetryTests
    {
        private const int Attempts = 4;
        private const int IntervalS = 90;

        // The queue task looks at the engine and the queue this often while it waits for a retry.
        private const int QueuePollMs = 500;

        private static readonly Dictionary<string, (Func<LinkScript> Smtp, Func<LinkScript> Pop, int Code, string Server)> s_faults =
            new Dictionary<string, (Func<LinkScript>, Func<LinkScript>, int, string)>
            {
                ["connect refused"] = (() => new LinkScript { ConnectError = NetError.Refused }, null, UserErrorCode.SmtpConnectFailed, "smtp"),
                ["connect times out"] = (() => new LinkScript { NeverOpens = true }, null, UserErrorCode.SmtpConnectFailed, "smtp"),
                ["no greeting"] = (() => LinkScript.On("GREETING", LinkRule.Silent), null, UserErrorCode.SmtpConnectionLost, "smtp"),
                ["421 greeting"] = (() => LinkScript.On("GREETING", LinkRule.Answer("421 4.3.2 too busy")), null, UserErrorCode.SmtpTemporaryFailure, "smtp"),
                ["MAIL 451"] = (() => LinkScript.On("MAIL", LinkRule.Answer("451 4.3.0 try again later")), null, UserErrorCode.SmtpTemporaryFailure, "smtp"),
                ["RCPT 450"] = (() => LinkScript.On("RCPT", LinkRule.Answer("450 4.2.0 mailbox busy")), null, UserErrorCode.SmtpTemporaryFailure, "smtp"),
                ["dropped at the final dot"] = (() => LinkScript.On(".", LinkRule.Drop), null, UserErrorCode.SmtpConnectionLost, "smtp"),
                ["AUTH 454"] = (() => LinkScript.On("AUTH", LinkRule.Answer("454 4.7.0 try later")), null, UserErrorCode.SmtpAuthTemporaryFailure, "smtp"),
                ["RCPT 421"] = (() => LinkScript.On("RCPT", LinkRule.Answer("421 4.3.2 Service shutting down")), null, UserErrorCode.SmtpTemporaryFailure, "smtp"),
                ["421 after the final dot"] = (() => LinkScript.On(".", LinkRule.Answer("421 4.3.2 Service shutting down")), null, UserErrorCode.SmtpTemporaryFailure, "smtp"),
                ["garbage after the final dot"] = (() => LinkScript.On(".", LinkRule.Answer("Hello? this is not a reply")), null, UserErrorCode.SmtpConnectionLost, "smtp"),
                ["POP refused (#810)"] = (null, () => new LinkScript { ConnectError = NetError.Refused }, UserErrorCode.PopConnectFailed, "pop"),
                ["POP greeting lost (#810)"] = (null, () => LinkScript.On("GREETING", LinkRule.Silent), UserErrorCode.PopConnectFailed, "pop"),
                ["MAIL 550"] = (() => LinkScript.On("MAIL", LinkRule.Answer("550 5.7.1 sender refused")), null, UserErrorCode.SmtpSenderRejected, "smtp"),
                ["RCPT 550"] = (() => LinkScript.On("RCPT", LinkRule.Answer("550 5.1.1 no such user")), null, UserErrorCode.SmtpRecipientsRejected, "smtp"),
                ["554 after the final dot"] = (() => LinkScript.On(".", LinkRule.Answer("554 5.7.1 spam")), null, UserErrorCode.SmtpMessageRejected, "smtp"),
                ["AUTH 535 (#839)"] = (() => LinkScript.On("AUTH", LinkRule.Answer("535 5.7.8 bad credentials")), null, UserErrorCode.SmtpAuthFailed, "smtp"),
                ["POP PASS rejected (#813)"] = (null, () => LinkScript.On("PASS", LinkRule.Answer("-ERR [AUTH] Authentication failed.")), UserErrorCode.PopAuthFailed, "pop"),
            };

        public static TheoryData<string> Transient() => new TheoryData<string>
        {
            "connect refused", "connect times out", "no greeting", "421 greeting", "MAIL 451", "RCPT 450", "dropped at the final dot", "AUTH 454",
            "RCPT 421", "421 after the final dot", "garbage after the final dot",
            "POP refused (#810)", "POP greeting lost (#810)",
        };

        public static TheoryData<string> Permanent() => new TheoryData<string>
        {
            "MAIL 550", "RCPT 550", "554 after the final dot", "AUTH 535 (#839)", "POP PASS rejected (#813)",
        };

        private static (MailBoard Board, EventLog Log, MailJob Job, int Code, string Server) Start(string fault)
        {
            var (smtp, pop, code, server) = s_faults[fault];
            var clock = new VirtualClock();
            var log = new EventLog(clock);
            var net = new LabNetwork(clock, log);
            var board = new MailBoard(new MemoryStorage(), net, clock, log, MailBoard.LabSettings(popBeforeSmtp: pop != null, attempts: Attempts, intervalS: IntervalS));
            board.Change("smtp.user", "scan");
            board.Change("smtp.password", "s3cret!");
            net.SmtpScript = _ => smtp == null ? LinkScript.Normal : smtp();
            net.PopScript = _ => pop == null ? LinkScript.Normal : pop();
            MailJob job = board.Submit("alice@lab.test");
            return (board, log, job, code, server);
        }

        [Theory]
        [MemberData(nameof(Transient))]
        public void A_transient_failure_is_retried_one_interval_apart_up_to_the_attempts_then_fails(string fault)
        {
            var (board, log, job, code, server) = Start(fault);
            board.RunUntil(() => job.State == JobState.Failed, what: fault);

            Assert.Equal(Attempts, job.Attempts);
            Assert.Equal(code, job.LastErrorCode);
            Assert.Equal(JobState.Failed, board.Stored(job.Id).State);
            List<string> connections = log.Connections(server);
            Assert.Equal(Attempts, connections.Count);
            for (int k = 1; k < Attempts; k++)
            {
                LabEvent ended = log.Find("board", "job " + job.Id + " queued attempts=" + k);
                LabEvent next = log.Find(server + "#" + (k + 1), "connect");
                Assert.NotNull(ended);
                long gap = next.Ms - ended.Ms;
                Assert.True(gap >= IntervalS * 1000L && gap < (IntervalS * 1000L) + QueuePollMs, "attempt " + (k + 1) + " came " + gap + " ms after attempt " + k + " ended");
            }

            string[] lines = board.Journal.Where(l => l.Contains(" job " + job.Id + " ", StringComparison.Ordinal)).ToArray();
            Assert.Equal(Attempts, lines.Length);
            Assert.All(lines, l => Assert.Contains("NG " + UserErrorCode.Format(code) + " ", l, StringComparison.Ordinal));
            for (int k = 1; k < Attempts; k++)
            {
                Assert.EndsWith("(retry " + k + "/" + Attempts + ")", lines[k - 1], StringComparison.Ordinal);
            }

            Assert.DoesNotContain("(retry", lines[Attempts - 1], StringComparison.Ordinal);

            board.RunFor(3L * IntervalS * 1000);
            Assert.Equal(Attempts, log.Connections(server).Count);
            Assert.True(board.Context.MailLock.IsFree);
        }

        [Theory]
        [MemberData(nameof(Permanent))]
        public void A_permanent_failure_fails_at_once(string fault)
        {
            var (board, log, job, code, server) = Start(fault);
            board.RunUntil(() => board.AttemptEnded(job, 1), what: fault);
            Assert.Equal(JobState.Failed, job.State);
            Assert.Equal(code, job.LastErrorCode);
            Assert.Equal(JobState.Failed, board.Stored(job.Id).State);
            Assert.DoesNotContain("(retry", board.Journal.Last(), StringComparison.Ordinal);
            Assert.Contains(UserErrorCode.Format(code), board.Journal.Last(), StringComparison.Ordinal);

            board.RunFor(3L * IntervalS * 1000);
            Assert.Single(log.Connections(server));
            Assert.Equal(1, job.Attempts);
        }

        [Fact]
        public void A_transient_failure_then_success_sends_once_on_the_retry()
        {
            var clock = new VirtualClock();
            var log = new EventLog(clock);
            var net = new LabNetwork(clock, log);
            var board = new MailBoard(new MemoryStorage(), net, clock, log, MailBoard.LabSettings(attempts: Attempts, intervalS: IntervalS));
            net.SmtpScript = n => n == 1 ? LinkScript.On("MAIL", LinkRule.Answer("451 4.3.0 try again later")) : LinkScript.Normal;
            MailJob job = board.Submit("alice@lab.test");
            board.RunUntil(() => job.State == JobState.Sent);
            Assert.Equal(2, job.Attempts);
            Assert.Equal(UserErrorCode.None, job.LastErrorCode);
            Assert.Single(net.Deliveries);
            Assert.Equal(new[] { "alice@lab.test" }, net.Deliveries[0].Recipients);
            Assert.Equal("smtp#2", net.Deliveries[0].Connection);
            Assert.Contains("Subject: scan for alice@lab.test", net.Deliveries[0].Headers, StringComparison.Ordinal);
            board.RunFor(3L * IntervalS * 1000);
            Assert.Equal(2, log.Connections("smtp").Count);
        }

        [Fact]
        public void An_over_long_250_after_the_final_dot_is_a_delivery_never_retried()
        {
            var clock = new VirtualClock();
            var log = new EventLog(clock);
            var net = new LabNetwork(clock, log);
            var board = new MailBoard(new MemoryStorage(), net, clock, log, MailBoard.LabSettings(attempts: Attempts, intervalS: IntervalS));
            net.SmtpScript = _ => LinkScript.On(".", LinkRule.Answer("250 2.0.0 Ok: queued as 4F2 " + new string('x', 700)));
            MailJob job = board.Submit("alice@lab.test");
            board.RunUntil(() => board.AttemptEnded(job, 1));
            Assert.Equal(JobState.Sent, job.State);
            Assert.Equal(UserErrorCode.None, job.LastErrorCode);
            Assert.Single(net.Deliveries);
            Assert.Matches(@" OK .*\(reply to the final dot read by its code: reply line longer than 512 octets\) \[250 2\.0\.0 Ok: queued as 4F2 x+\.\.\.\]$", board.Journal.Last());
            Assert.Contains("C: QUIT", log.Of("smtp#1"));
            board.RunFor(3L * IntervalS * 1000);
            Assert.Single(log.Connections("smtp"));
        }

        [Fact]
        public void A_421_ends_the_session_without_quit()
        {
            var clock = new VirtualClock();
            var log = new EventLog(clock);
            var net = new LabNetwork(clock, log);
            var board = new MailBoard(new MemoryStorage(), net, clock, log, MailBoard.LabSettings(attempts: Attempts, intervalS: IntervalS));
            net.SmtpScript = n => n == 1 ? LinkScript.On("DATA", LinkRule.Answer("421 4.3.2 Service shutting down")) : LinkScript.Normal;
            MailJob job = board.Submit("alice@lab.test");
            board.RunUntil(() => job.State == JobState.Sent);
            List<string> first = log.Of("smtp#1");
            Assert.Equal("closed by the client", first.Last());
            Assert.DoesNotContain("C: QUIT", first);
            Assert.Single(net.Deliveries);
            Assert.Equal(2, job.Attempts);
        }
    }
}
