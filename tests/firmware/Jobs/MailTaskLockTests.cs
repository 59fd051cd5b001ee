using System;
using System.Collections.Generic;
using System.Linq;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Tests.Doubles;
using NetBoard.Hal;

namespace NetBoard.Firmware.Tests.Jobs
{
    /// <summary>The mail-session lock is given back on every way a POP-before-SMTP send or a reception can end.</summary>
    public class MailTaskLockTests
    {
        private static readonly Dictionary<string, Func<LinkScript>> s_smtpFaults = new Dictionary<string, Func<LinkScript>>
        {
            ["connect refused"] = () => new LinkScript { ConnectError = NetError.Refused },
            ["connect times out"] = () => new LinkScript { NeverOpens = true },
            ["no greeting"] = () => LinkScript.On("GREETING", LinkRule.Silent),
            ["554 greeting"] = () => LinkScript.On("GREETING", LinkRule.Answer("554 5.3.2 no service")),
            ["MAIL 451"] = () => LinkScript.On("MAIL", LinkRule.Answer("451 4.3.0 try again later")),
            ["MAIL 550"] = () => LinkScript.On("MAIL", LinkRule.Answer("550 5.7.1 sender refused")),
            ["RCPT 550"] = () => LinkScript.On("RCPT", LinkRule.Answer("550 5.1.1 no such user")),
            ["DATA 554"] = () => LinkScript.On("DATA", LinkRule.Answer("554 5.5.1 no valid recipients")),
            ["dropped at the final dot"] = () => LinkScript.On(".", LinkRule.Drop),
            ["no answer to the final dot"] = () => LinkScript.On(".", LinkRule.Silent),
            ["552 after the final dot"] = () => LinkScript.On(".", LinkRule.Answer("552 5.3.4 message too big")),
            ["dropped at EHLO"] = () => LinkScript.On("EHLO", LinkRule.Drop),
        };

        private static readonly Dictionary<string, Func<LinkScript>> s_receptionFaults = new Dictionary<string, Func<LinkScript>>
        {
            ["connect refused"] = () => new LinkScript { ConnectError = NetError.Refused },
            ["-ERR greeting"] = () => LinkScript.On("GREETING", LinkRule.Answer("-ERR go away")),
            ["no greeting"] = () => LinkScript.On("GREETING", LinkRule.Silent),
            ["PASS rejected"] = () => LinkScript.On("PASS", LinkRule.Answer("-ERR [AUTH] Authentication failed.")),
            ["LIST -ERR"] = () => LinkScript.On("LIST", LinkRule.Answer("-ERR mailbox busy")),
            ["UIDL dropped"] = () => LinkScript.On("UIDL", LinkRule.Drop),
            ["RETR -ERR"] = () => LinkScript.On("RETR", LinkRule.Answer("-ERR no such message")),
            ["RETR dropped"] = () => LinkScript.On("RETR", LinkRule.Drop),
            ["RETR stalls"] = () => LinkScript.On("RETR", LinkRule.Silent),
            ["DELE -ERR"] = () => LinkScript.On("DELE", LinkRule.Answer("-ERR cannot delete")),
            ["QUIT dropped"] = () => LinkScript.On("QUIT", LinkRule.Drop),
            ["QUIT -ERR"] = () => LinkScript.On("QUIT", LinkRule.Answer("-ERR some deleted messages not removed")),
            ["QUIT unanswered"] = () => LinkScript.On("QUIT", LinkRule.Silent),
            ["garbage after login"] = () => LinkScript.On("UIDL", LinkRule.Answer("what?")),
        };

        public static TheoryData<string> PopLoginFaults() => new TheoryData<string>
        {
            "connect refused", "connect times out", "no greeting", "-ERR greeting", "garbage greeting",
            "dropped after the greeting", "dropped at USER", "no answer to PASS", "mailbox in use", "USER rejected", "PASS rejected",
        };

        public static TheoryData<string> SmtpFaults() => new TheoryData<string>(s_smtpFaults.Keys);

        public static TheoryData<string> ReceptionFaults() => new TheoryData<string>(s_receptionFaults.Keys);

        private static (MailBoard Board, LabNetwork Net, EventLog Log) NewBoard()
        {
            var clock = new VirtualClock();
            var log = new EventLog(clock);
            var net = new LabNetwork(clock, log, ("u1", LabMail.Fax(1)));
            var board = new MailBoard(new MemoryStorage(), net, clock, log, MailBoard.LabSettings(popBeforeSmtp: true));
            return (board, net, log);
        }

        [Theory]
        [MemberData(nameof(PopLoginFaults))]
        public void After_a_failed_pop_login_a_reception_takes_the_lock(string fault)
        {
            var (board, net, log) = NewBoard();
            net.PopScript = n => n == 1 ? SmtpSendTaskPopBeforeSmtpTests.PopFault(fault) : LinkScript.Normal;
            MailJob job = board.Submit("alice@lab.test");
            board.RunUntil(() => board.AttemptEnded(job, 1), what: fault);
            Assert.NotEqual(UserErrorCode.None, job.LastErrorCode);
            AssertReceptionRuns(board, log);
        }

        [Theory]
        [MemberData(nameof(SmtpFaults))]
        public void After_an_smtp_failure_behind_a_pop_login_a_reception_takes_the_lock(string fault)
        {
            var (board, net, log) = NewBoard();
            net.SmtpScript = _ => s_smtpFaults[fault]();
            MailJob job = board.Submit("alice@lab.test");
            board.RunUntil(() => board.AttemptEnded(job, 1), what: fault);
            Assert.True(log.Has("pop#1", "C: PASS"), "the POP login ran");
            Assert.Single(log.Connections("smtp"));
            Assert.NotEqual(UserErrorCode.None, job.LastErrorCode);
            Assert.EndsWith("pop-before-smtp", board.Journal.Last().Replace(" (retry 1/3)", string.Empty), StringComparison.Ordinal);
            AssertReceptionRuns(board, log);
        }

        [Fact]
        public void After_an_unknown_smtp_host_behind_a_pop_login_a_reception_takes_the_lock()
        {
            var (board, _, log) = NewBoard();
            board.Change("smtp.host", "nowhere.lab.test");
            MailJob job = board.Submit("alice@lab.test");
            board.RunUntil(() => board.AttemptEnded(job, 1));
            Assert.Equal(UserErrorCode.SmtpHostNotFound, job.LastErrorCode);
            AssertReceptionRuns(board, log);
        }

        [Fact]
        public void After_the_document_vanishes_during_the_pop_login_a_reception_takes_the_lock()
        {
            var (board, _, log) = NewBoard();
            MailJob job = board.Submit("alice@lab.test");
            log.OnEvent = e =>
            {
                if (e.Source == "pop#1" && e.Text.StartsWith("C: PASS", StringComparison.Ordinal))
                {
                    board.Storage.Delete(job.DocumentName);
                }
            };
            board.RunUntil(() => board.AttemptEnded(job, 1));
            log.OnEvent = null;
            Assert.Equal(UserErrorCode.DocumentError, job.LastErrorCode);
            Assert.Equal(JobState.Failed, job.State);
            Assert.Empty(log.Connections("smtp"));
            AssertReceptionRuns(board, log);
        }

        [Fact]
        public void After_an_smtp_auth_failure_behind_a_pop_login_a_reception_takes_the_lock()
        {
            var (board, net, log) = NewBoard();
            board.Change("smtp.user", "scan");
            board.Change("smtp.password", "s3cret!");
            net.SmtpScript = _ => LinkScript.On("AUTH", LinkRule.Answer("535 5.7.8 Authentication credentials invalid"));
            MailJob job = board.Submit("alice@lab.test");
            board.RunUntil(() => board.AttemptEnded(job, 1));
            Assert.Equal(UserErrorCode.SmtpAuthFailed, job.LastErrorCode);
            AssertReceptionRuns(board, log);
        }

        [Theory]
        [MemberData(nameof(ReceptionFaults))]
        public void After_a_failed_reception_a_pop_before_smtp_send_takes_the_lock(string fault)
        {
            var (board, net, log) = NewBoard();
            net.PopScript = n => n == 1 ? s_receptionFaults[fault]() : LinkScript.Normal;
            board.Receiver.RequestNow();
            board.RunUntil(() => board.Receiver.Receptions == 1 && !board.Receiver.IsBusy, what: fault);
            Assert.True(board.Context.MailLock.IsFree, "lock still held by " + board.LockHolder);
            Assert.Contains(board.Journal, l => l.Contains(" receive ", StringComparison.Ordinal));

            MailJob job = board.Submit("alice@lab.test");
            board.RunUntil(() => board.AttemptEnded(job, 1), what: "send after " + fault);
            Assert.Equal(JobState.Sent, job.State);
            LabEvent taken = log.Last("board", "lock SMTP send");
            Assert.NotNull(taken);
            Assert.True(taken.Index > log.Last("board", "lock POP receive").Index);
            Assert.True(log.Has("pop#2", "C: PASS"));
            Assert.True(board.Context.MailLock.IsFree);
        }

        [Fact]
        public void After_a_reception_whose_inbox_is_full_a_pop_before_smtp_send_takes_the_lock()
        {
            var (board, _, log) = NewBoard();
            board.Storage.FailAfterBytes = 300;
            board.Receiver.RequestNow();
            board.RunUntil(() => board.Receiver.Receptions == 1 && !board.Receiver.IsBusy);
            Assert.Equal(UserErrorCode.PopReceptionInterrupted, board.Receiver.LastResult.ErrorCode);
            board.Storage.FailAfterBytes = long.MaxValue;
            MailJob job = board.Submit("alice@lab.test");
            board.RunUntil(() => board.AttemptEnded(job, 1));
            Assert.Equal(JobState.Sent, job.State);
            Assert.True(log.Has("pop#2", "C: PASS"));
        }

        private static void AssertReceptionRuns(MailBoard board, EventLog log)
        {
            Assert.True(board.Context.MailLock.IsFree, "lock still held by " + board.LockHolder);
            int before = log.Events.Count;
            int pops = log.Connections("pop").Count;
            board.Receiver.RequestNow();
            board.RunUntil(() => board.Receiver.Receptions == 1 && !board.Receiver.IsBusy, what: "reception after the failure");
            Assert.NotNull(log.Find("board", "lock POP receive", before));
            Assert.Equal(UserErrorCode.None, board.Receiver.LastResult.ErrorCode);
            Assert.Equal(pops + 1, log.Connections("pop").Count);
            Assert.Single(board.Engine.Printed);
            Assert.True(board.Context.MailLock.IsFree);
        }
    }
}
