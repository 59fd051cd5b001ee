using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Tests.Doubles;

namespace NetBoard.Firmware.Tests.Jobs
{
    /// <summary>
    /// Deferred recipients through the whole runtime: a message taken while one RCPT got a 4xx is partly sent; the
    /// deferred recipient stays in the job and is retried on the job's retry policy, alone, while those who have
    /// the message are never sent to again. The record keeps who is done.
    /// </summary>
    public class SmtpSendTaskRecipientTests
    {
        private const int Attempts = 4;
        private const int IntervalS = 90;
        private const int QueuePollMs = 500;

        private static readonly string[] s_to = { "a@lab.test", "b@lab.test", "c@lab.test" };

        private static (MailBoard Board, LabNetwork Net, EventLog Log, MailJob Job) Start(Func<int, LinkScript> smtp)
        {
            var clock = new VirtualClock();
            var log = new EventLog(clock);
            var net = new LabNetwork(clock, log) { SmtpScript = smtp };
            var board = new MailBoard(new MemoryStorage(), net, clock, log, MailBoard.LabSettings(attempts: Attempts, intervalS: IntervalS));
            board.Storage.Put("scan/three.pdf", Encoding.ASCII.GetBytes("%PDF-1.4 one document for three\n"));
            MailJob job = board.Queue.Submit(JobKind.Email, s_to, "for three", "scan/three.pdf", out string error);
            Assert.Null(error);
            return (board, net, log, job);
        }

        private static LinkScript Defer(string address, string reply = "450 4.2.0 <b@lab.test>: Mailbox busy, try again later") =>
            LinkScript.On("RCPT TO:<" + address + ">", LinkRule.Answer(reply));

        private static int DeliveriesTo(LabNetwork net, string to) => net.Deliveries.Count(d => d.Recipients.Contains(to));

        private static List<string> Rcpts(EventLog log, string connection) => log.Of(connection).Where(t => t.StartsWith("C: RCPT ", StringComparison.Ordinal)).ToList();

        [Fact]
        public void A_deferred_recipient_is_retried_alone_one_interval_later_and_everyone_gets_the_message_once()
        {
            var (board, net, log, job) = Start(n => n == 1 ? Defer("b@lab.test") : LinkScript.Normal);

            board.RunUntil(() => board.AttemptEnded(job, 1));
            Assert.Equal(JobState.Queued, job.State);
            Assert.Equal(UserErrorCode.SmtpTemporaryFailure, job.LastErrorCode);
            Assert.Equal("partly sent", JobRecordFormat.StatusName(job));
            Assert.StartsWith("partly sent, b@lab.test deferred: 450 4.2.0", job.LastDetail);
            MailJob stored = board.Stored(job.Id);
            Assert.Equal(new[] { RecipientState.Sent, RecipientState.Pending, RecipientState.Sent }, stored.RecipientStates);
            Assert.Equal(JobState.Queued, stored.State);
            string first = board.Journal.Last();
            Assert.Contains(" to=a@lab.test,b@lab.test,c@lab.test PARTLY SENT #805 SMTP server busy, will retry ", first);
            Assert.Contains(" sent=a@lab.test,c@lab.test deferred=b@lab.test(450) [250 ", first);
            Assert.EndsWith("(retry 1/" + Attempts + ")", first);

            board.RunUntil(() => job.State == JobState.Sent);
            Assert.Equal(2, job.Attempts);
            Assert.All(s_to, to => Assert.Equal(1, DeliveriesTo(net, to)));
            Assert.Equal(new[] { "a@lab.test", "c@lab.test" }, net.Deliveries[0].Recipients);
            Assert.Equal(new[] { "b@lab.test" }, net.Deliveries[1].Recipients);
            Assert.Equal(new[] { "C: RCPT TO:<b@lab.test>" }, Rcpts(log, "smtp#2"));

            // The same message: its To: names all three both times.
            Assert.All(net.Deliveries, d => Assert.Contains("b@lab.test", d.Headers, StringComparison.Ordinal));
            Assert.All(net.Deliveries, d => Assert.Contains("c@lab.test", d.Headers, StringComparison.Ordinal));

            long ended = log.Find("board", "job " + job.Id + " queued attempts=1").Ms;
            long gap = log.Find("smtp#2", "connect").Ms - ended;
            Assert.True(gap >= IntervalS * 1000L && gap < (IntervalS * 1000L) + QueuePollMs, "the retry came " + gap + " ms after the first attempt");
            Assert.Matches(@" job \d+ email to=a@lab\.test,b@lab\.test,c@lab\.test OK .*sent=b@lab\.test \[250 ", board.Journal.Last());
            Assert.Equal(new[] { RecipientState.Sent, RecipientState.Sent, RecipientState.Sent }, board.Stored(job.Id).RecipientStates);

            board.RunFor(3L * IntervalS * 1000);
            Assert.Equal(2, log.Connections("smtp").Count);
        }

        [Fact]
        public void A_recipient_deferred_every_time_fails_the_job_as_partly_sent_and_the_others_get_it_once()
        {
            var (board, net, log, job) = Start(_ => Defer("b@lab.test"));
            board.RunUntil(() => job.State == JobState.Failed);

            Assert.Equal(Attempts, job.Attempts);
            Assert.Equal(UserErrorCode.SmtpTemporaryFailure, job.LastErrorCode);
            Assert.Equal("failed, partly sent", JobRecordFormat.StatusName(job));
            Assert.Equal(1, DeliveriesTo(net, "a@lab.test"));
            Assert.Equal(1, DeliveriesTo(net, "c@lab.test"));
            Assert.Equal(0, DeliveriesTo(net, "b@lab.test"));
            for (int n = 2; n <= Attempts; n++)
            {
                Assert.Equal(new[] { "C: RCPT TO:<b@lab.test>" }, Rcpts(log, "smtp#" + n));
                Assert.DoesNotContain("C: DATA", log.Of("smtp#" + n));
            }

            string[] lines = board.Journal.Where(l => l.Contains(" job " + job.Id + " ", StringComparison.Ordinal)).ToArray();
            Assert.Equal(Attempts, lines.Length);
            Assert.Contains(" PARTLY SENT #805 ", lines[0]);
            Assert.All(lines.Skip(1), l => Assert.Matches(@" NG #805 SMTP server busy, will retry .*deferred=b@lab\.test\(450\) at RCPT \[450 ", l));
            Assert.DoesNotContain("(retry", lines[Attempts - 1]);
            Assert.Equal(JobState.Failed, board.Stored(job.Id).State);
            Assert.Equal(new[] { RecipientState.Sent, RecipientState.Pending, RecipientState.Sent }, board.Stored(job.Id).RecipientStates);
        }

        [Fact]
        public void A_deferred_recipient_refused_on_the_retry_fails_the_job_without_resending_to_the_others()
        {
            var (board, net, log, job) = Start(n => n == 1 ? Defer("b@lab.test") : Defer("b@lab.test", "550 5.1.1 <b@lab.test>: Recipient address rejected"));
            board.RunUntil(() => job.State == JobState.Failed);
            Assert.Equal(2, job.Attempts);
            Assert.Equal(UserErrorCode.SmtpRecipientsRejected, job.LastErrorCode);
            Assert.Equal(1, DeliveriesTo(net, "a@lab.test"));
            Assert.Equal(1, DeliveriesTo(net, "c@lab.test"));
            Assert.Single(net.Deliveries);
            Assert.Equal("failed, partly sent", JobRecordFormat.StatusName(job));
        }

        [Fact]
        public void A_recipient_refused_for_good_while_the_others_got_it_is_not_retried()
        {
            var (board, net, log, job) = Start(_ => Defer("b@lab.test", "550 5.1.1 <b@lab.test>: Recipient address rejected"));
            board.RunUntil(() => board.AttemptEnded(job, 1));
            Assert.Equal(JobState.Sent, job.State);
            Assert.Equal(new[] { RecipientState.Sent, RecipientState.Rejected, RecipientState.Sent }, board.Stored(job.Id).RecipientStates);
            Assert.Matches(@" OK .*rejected=b@lab\.test\(550\) \[250 ", board.Journal.Last());
            board.RunFor(3L * IntervalS * 1000);
            Assert.Single(log.Connections("smtp"));
        }

        [Fact]
        public void A_421_after_an_accepted_rcpt_sends_nothing_and_the_whole_job_is_retried()
        {
            var (board, net, log, job) = Start(n => n == 1 ? LinkScript.On("RCPT TO:<b@lab.test>", LinkRule.Answer("421 4.3.2 Service shutting down")) : LinkScript.Normal);
            board.RunUntil(() => board.AttemptEnded(job, 1));
            Assert.Equal(JobState.Queued, job.State);
            Assert.Equal(UserErrorCode.SmtpTemporaryFailure, job.LastErrorCode);
            Assert.DoesNotContain("C: DATA", log.Of("smtp#1"));
            Assert.DoesNotContain("C: QUIT", log.Of("smtp#1"));
            Assert.Equal(new[] { RecipientState.Pending, RecipientState.Pending, RecipientState.Pending }, board.Stored(job.Id).RecipientStates);

            board.RunUntil(() => job.State == JobState.Sent);
            Assert.Single(net.Deliveries);
            Assert.Equal(s_to, net.Deliveries[0].Recipients);
        }
    }
}
