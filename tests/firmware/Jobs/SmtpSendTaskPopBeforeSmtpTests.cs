using System;
using System.Collections.Generic;
using System.Linq;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Tests.Doubles;
using NetBoard.Hal;

namespace NetBoard.Firmware.Tests.Jobs
{
    /// <summary>POP before SMTP through the whole runtime: the lock against a running reception, the login, the timer, the codes.</summary>
    public class SmtpSendTaskPopBeforeSmtpTests
    {
        private const int DelayMs = 750;

        private static (MailBoard Board, LabNetwork Net, EventLog Log) NewBoard(bool popBeforeSmtp = true, params (string, byte[])[] mailbox)
        {
            var clock = new VirtualClock();
            var log = new EventLog(clock);
            var net = new LabNetwork(clock, log, mailbox);
            var board = new MailBoard(new MemoryStorage(), net, clock, log, MailBoard.LabSettings(popBeforeSmtp, DelayMs));
            return (board, net, log);
        }

        [Fact]
        public void A_send_waits_for_a_running_reception_then_logs_in_waits_the_delay_and_sends()
        {
            var (board, net, log) = NewBoard(true, ("u1", LabMail.Fax(1)), ("u2", LabMail.Fax(2)));

            // The reception's server takes 4 s of virtual time for each RETR.
            net.PopScript = n => n == 1 ? LinkScript.On("RETR", LinkRule.Delay(4000)) : LinkScript.Normal;
            board.Receiver.RequestNow();
            board.RunUntil(() => log.Has("pop#1", "C: RETR 1"), what: "reception at RETR 1");
            long submittedAt = board.Clock.NowMs;
            MailJob job = board.Submit("alice@lab.test");
            Assert.NotNull(job);

            // The send task takes the job and waits for the lock while the reception still runs.
            board.RunUntil(() => board.Sender.Activity == "waiting for POP reception", 10_000, "send task waiting for the lock");
            Assert.Equal("POP receive", board.LockHolder);
            board.RunUntil(() => job.State == JobState.Sent && board.Quiet, what: "job sent");

            List<LabEvent> e = log.Events;
            Assert.Equal(new[] { "pop#1", "pop#2" }, log.Connections("pop"));
            Assert.Equal(new[] { "smtp#1" }, log.Connections("smtp"));

            LabEvent receptionQuit = log.Find("pop#1", "C: QUIT");
            LabEvent receptionClosed = log.Find("pop#1", "closed by the client");
            LabEvent lockToSender = log.Find("board", "lock SMTP send");
            LabEvent loginConnect = log.Find("pop#2", "connect");
            LabEvent user = log.Find("pop#2", "C: USER ifax");
            LabEvent pass = log.Find("pop#2", "C: PASS");
            LabEvent loginQuit = log.Find("pop#2", "C: QUIT");
            LabEvent loginClosed = log.Find("pop#2", "closed by the client");
            LabEvent timer = log.Find("timer", "start");
            LabEvent smtpConnect = log.Find("smtp#1", "connect");
            LabEvent mail = log.Find("smtp#1", "C: MAIL FROM:<mfp@lab.test>");
            LabEvent dot = log.Find("smtp#1", "C: .");
            LabEvent smtpQuit = log.Find("smtp#1", "C: QUIT");
            LabEvent lockFree = log.Find("board", "lock free", lockToSender.Index);
            LabEvent[] order = { receptionQuit, receptionClosed, lockToSender, loginConnect, user, pass, loginQuit, loginClosed, timer, smtpConnect, mail, dot, smtpQuit, lockFree };
            Assert.All(order, x => Assert.NotNull(x));
            for (int i = 1; i < order.Length; i++)
            {
                Assert.True(order[i - 1].Index < order[i].Index, "out of order: " + order[i - 1] + " / " + order[i] + "\n" + log.Dump());
            }

            // The submission came while the reception was mid-way, and the sender opened nothing until the reception's end.
            Assert.True(submittedAt < receptionQuit.Ms);
            Assert.DoesNotContain(e, x => x.Index < receptionClosed.Index && (x.Source == "pop#2" || x.Source.StartsWith("smtp", StringComparison.Ordinal)));
            Assert.Equal(new[] { "C: RETR 1", "C: DELE 1", "C: RETR 2", "C: DELE 2" }, log.Of("pop#1").Where(t => t.StartsWith("C: RETR", StringComparison.Ordinal) || t.StartsWith("C: DELE", StringComparison.Ordinal)));

            // The login is the send task's own: USER/PASS, then QUIT, nothing else.
            Assert.Equal(new[] { "connect", "C: CAPA", "C: USER ifax", "C: PASS ifax-Secret-4", "C: QUIT", "closed by the client" }, log.Of("pop#2").Where(t => t != "closed by the server"));

            // The hardware timer was armed in microseconds when the login ended; SMTP came no earlier than the delay after it.
            Assert.Equal("start " + (DelayMs * 1000L) + "us", timer.Text);
            Assert.Equal(DelayMs * 1000L, board.Timer.RequestedMicroseconds);
            Assert.Equal(loginClosed.Ms, timer.Ms);
            Assert.True(smtpConnect.Ms >= loginClosed.Ms + DelayMs, "SMTP at " + smtpConnect.Ms + ", login ended at " + loginClosed.Ms);
            Assert.True(board.Context.MailLock.IsFree);
            Assert.Contains(board.Journal, l => l.Contains("job " + job.Id + " email to=alice@lab.test OK", StringComparison.Ordinal) && l.EndsWith("pop-before-smtp", StringComparison.Ordinal));
            Assert.Single(net.Deliveries);
            Assert.Equal(2, board.Engine.Printed.Count);
        }

        [Fact]
        public void The_delay_counts_from_the_accepted_login_not_from_the_reply_to_quit()
        {
            var (board, net, log) = NewBoard();

            // The server answers QUIT 200 ms late: that wait is part of the delay, not added to it.
            net.PopScript = _ => LinkScript.On("QUIT", LinkRule.Delay(200));
            MailJob job = board.Submit("alice@lab.test");
            board.RunUntil(() => job.State == JobState.Sent && board.Quiet, what: "job sent");

            LabEvent pass = log.Find("pop#1", "C: PASS");
            LabEvent loginClosed = log.Find("pop#1", "closed by the client");
            LabEvent timer = log.Find("timer", "start");
            LabEvent smtpConnect = log.Find("smtp#1", "connect");
            Assert.All(new[] { pass, loginClosed, timer, smtpConnect }, x => Assert.NotNull(x));
            Assert.True(loginClosed.Ms >= pass.Ms + 200, log.Dump());

            // The +OK to PASS came at pass.Ms (the server answers at once); the timer covers what is left of the delay.
            long leftMs = DelayMs - (timer.Ms - pass.Ms);
            Assert.Equal("start " + (leftMs * 1000L) + "us", timer.Text);
            Assert.True(leftMs < DelayMs - 150, "timer " + timer.Text + " after the login at " + pass.Ms);
            Assert.True(smtpConnect.Ms >= pass.Ms + DelayMs, "SMTP at " + smtpConnect.Ms + ", login accepted at " + pass.Ms);
            Assert.True(smtpConnect.Ms < loginClosed.Ms + DelayMs, "SMTP at " + smtpConnect.Ms + ", QUIT answered at " + loginClosed.Ms);
            Assert.Single(net.Deliveries);
        }

        [Fact]
        public void Without_pop_before_smtp_a_send_does_not_wait_for_a_reception()
        {
            var (board, net, log) = NewBoard(false, ("u1", LabMail.Fax(1)));
            net.PopScript = n => LinkScript.On("RETR", LinkRule.Delay(4000));
            board.Receiver.RequestNow();
            board.RunUntil(() => log.Has("pop#1", "C: RETR 1"));
            MailJob job = board.Submit("alice@lab.test");
            board.RunUntil(() => job.State == JobState.Sent, what: "job sent");
            Assert.Equal("POP receive", board.LockHolder);
            Assert.Null(log.Find("pop#1", "C: QUIT"));
            board.RunUntil(() => board.Quiet, what: "reception done");
            Assert.Single(log.Connections("pop"));
            Assert.Single(board.Engine.Printed);
        }

        private static readonly Dictionary<string, Func<LinkScript>> s_popFaults = new Dictionary<string, Func<LinkScript>>
        {
            ["connect refused"] = () => new LinkScript { ConnectError = NetError.Refused },
            ["connect times out"] = () => new LinkScript { NeverOpens = true },
            ["no greeting"] = () => LinkScript.On("GREETING", LinkRule.Silent),
            ["-ERR greeting"] = () => LinkScript.On("GREETING", LinkRule.Answer("-ERR [SYS/TEMP] service unavailable")),
            ["garbage greeting"] = () => LinkScript.On("GREETING", LinkRule.Answer("220 smtp.lab.test ESMTP")),
            ["dropped after the greeting"] = () => LinkScript.On("CAPA", LinkRule.Drop),
            ["dropped at USER"] = () => LinkScript.On("USER", LinkRule.Drop),
            ["no answer to PASS"] = () => LinkScript.On("PASS", LinkRule.Silent),
            ["mailbox in use"] = () => LinkScript.On("PASS", LinkRule.Answer("-ERR [IN-USE] mailbox locked by another session")),
            ["USER rejected"] = () => LinkScript.On("USER", LinkRule.Answer("-ERR no such mailbox")),
            ["PASS rejected"] = () => LinkScript.On("PASS", LinkRule.Answer("-ERR [AUTH] Authentication failed.")),
        };

        /// <summary>The scripted POP faults by name (shared with the lock tests).</summary>
        internal static LinkScript PopFault(string name) => s_popFaults[name]();

        public static TheoryData<string> PopConnectFaults() => new TheoryData<string>
        {
            "connect refused", "connect times out", "no greeting", "-ERR greeting", "garbage greeting",
            "dropped after the greeting", "dropped at USER", "no answer to PASS", "mailbox in use",
        };

        public static TheoryData<string> LoginRejections() => new TheoryData<string> { "USER rejected", "PASS rejected" };

        [Theory]
        [MemberData(nameof(PopConnectFaults))]
        public void A_pop_connection_fault_is_810_retried_without_smtp(string fault)
        {
            var (board, net, log) = NewBoard();
            net.PopScript = _ => PopFault(fault);
            MailJob job = board.Submit("alice@lab.test");
            board.RunUntil(() => board.AttemptEnded(job, 1), what: fault);

            AssertFailedAttempt(board, log, job, UserErrorCode.PopConnectFailed);
            Assert.Equal(JobState.Queued, job.State);
            Assert.Equal(board.Clock.UtcNow.Ticks + (60 * TimeSpan.TicksPerSecond), job.NextAttemptTicks);
            MailJob stored = board.Stored(job.Id);
            Assert.Equal(JobState.Queued, stored.State);
            Assert.Equal(job.NextAttemptTicks, stored.NextAttemptTicks);
            Assert.EndsWith("(retry 1/3)", board.Journal.Last(), StringComparison.Ordinal);
        }

        [Fact]
        public void An_unknown_pop_host_is_810_without_smtp()
        {
            var (board, _, log) = NewBoard();
            board.Change("pop.host", "nowhere.lab.test");
            MailJob job = board.Submit("alice@lab.test");
            board.RunUntil(() => board.AttemptEnded(job, 1));
            Assert.True(log.Has("net", "no such host nowhere.lab.test"));
            AssertFailedAttempt(board, log, job, UserErrorCode.PopConnectFailed);
            Assert.Equal(JobState.Queued, job.State);
            Assert.Equal(board.Clock.UtcNow.Ticks + (60 * TimeSpan.TicksPerSecond), job.NextAttemptTicks);
        }

        [Theory]
        [MemberData(nameof(LoginRejections))]
        public void A_rejected_pop_login_is_813_and_fails_at_once_without_smtp(string fault)
        {
            var (board, net, log) = NewBoard();
            net.PopScript = _ => PopFault(fault);
            MailJob job = board.Submit("alice@lab.test");
            board.RunUntil(() => board.AttemptEnded(job, 1), what: fault);

            AssertFailedAttempt(board, log, job, UserErrorCode.PopAuthFailed);
            Assert.Equal(JobState.Failed, job.State);
            Assert.Equal(JobState.Failed, board.Stored(job.Id).State);
            Assert.True(log.Has("pop#1", "C: QUIT"), "the session still says QUIT");

            // Failed for good: no new attempt however long the board runs.
            board.RunFor(5 * 60_000);
            Assert.Single(log.Connections("pop"));
            Assert.Equal(1, job.Attempts);
        }

        [Fact]
        public void A_wrong_pop_password_in_the_settings_is_813()
        {
            var (board, _, log) = NewBoard();
            board.Change("pop.password", "not-the-password");
            MailJob job = board.Submit("alice@lab.test");
            board.RunUntil(() => board.AttemptEnded(job, 1));
            AssertFailedAttempt(board, log, job, UserErrorCode.PopAuthFailed);
            Assert.Equal(JobState.Failed, job.State);
        }

        private static void AssertFailedAttempt(MailBoard board, EventLog log, MailJob job, int code)
        {
            Assert.Empty(log.Connections("smtp"));
            Assert.DoesNotContain(log.Events, e => e.Source == "timer");
            Assert.True(board.Context.MailLock.IsFree, "lock still held by " + board.LockHolder);
            Assert.Equal(1, job.Attempts);
            Assert.Equal(code, job.LastErrorCode);
            string line = board.Journal.Last();
            Assert.Contains("job " + job.Id + " ", line, StringComparison.Ordinal);
            Assert.Contains("NG " + UserErrorCode.Format(code) + " ", line, StringComparison.Ordinal);
            Assert.Contains("POP before SMTP", line, StringComparison.Ordinal);
        }
    }
}
