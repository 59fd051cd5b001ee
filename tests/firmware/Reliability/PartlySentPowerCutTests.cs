using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Tests.Doubles;
using Xunit.Abstractions;

namespace NetBoard.Firmware.Tests.Reliability
{
    /// <summary>
    /// A job to three recipients whose first attempt is partly sent (one RCPT deferred with 450), its retry, and
    /// the power cut after every single storage write of that run. The boot that follows must find the job, send
    /// to every recipient the server has not taken yet, and never send again to a recipient the flash recorded
    /// as sent. The only duplicate allowed is the one no device can avoid: a cut after the server took the
    /// message and before the record said so.
    /// </summary>
    public class PartlySentPowerCutTests
    {
        private static readonly string[] s_to = { "a@lab.test", "b@lab.test", "c@lab.test" };

        private readonly ITestOutputHelper _output;

        public PartlySentPowerCutTests(ITestOutputHelper output)
        {
            _output = output;
        }

        private sealed class Run
        {
            public Run()
            {
                Log = new EventLog(Clock);
                Net = new LabNetwork(Clock, Log);

                // The first SMTP session meets a busy mailbox for b only.
                Net.SmtpScript = n => n == 1 ? LinkScript.On("RCPT TO:<b@lab.test>", LinkRule.Answer("450 4.2.0 <b@lab.test>: Mailbox busy")) : LinkScript.Normal;
            }

            public VirtualClock Clock { get; } = new VirtualClock();

            public EventLog Log { get; }

            public LabNetwork Net { get; }

            public int JobId { get; set; } = -1;

            public MailBoard Board(MemoryStorage storage) => new MailBoard(storage, Net, Clock, Log, MailBoard.LabSettings(attempts: 3, intervalS: 10));

            public bool Done(MailBoard board) => board.Context.Jobs.Find(JobId) is MailJob job && !job.IsPending && board.Quiet;
        }

        private static void FirstLife(Run run, MemoryStorage storage)
        {
            storage.Put("scan/three.pdf", Encoding.ASCII.GetBytes("%PDF-1.4 one document for three\n"));
            MailBoard board = null;
            try
            {
                board = run.Board(storage);
                MailJob job = board.Queue.Submit(JobKind.Email, s_to, "for three", "scan/three.pdf", out _);
                if (job == null)
                {
                    return;
                }

                run.JobId = job.Id;
                board.TryRunUntil(() => storage.IsCut || run.Done(board), 2_000_000);
            }
            catch (System.IO.IOException) when (storage.IsCut)
            {
                // The write that failed was the cut.
            }

            Assert.True(storage.IsCut || (board != null && run.Done(board)), "the first life neither ended nor was cut\n" + run.Log.Dump());
        }

        [Fact]
        public void Without_a_cut_the_first_attempt_is_partly_sent_and_the_retry_sends_to_b_alone()
        {
            var run = new Run();
            var storage = new MemoryStorage();
            FirstLife(run, storage);
            Assert.False(storage.IsCut);
            Assert.Equal(2, run.Net.Deliveries.Count);
            Assert.Equal(new[] { "a@lab.test", "c@lab.test" }, run.Net.Deliveries[0].Recipients);
            Assert.Equal(new[] { "b@lab.test" }, run.Net.Deliveries[1].Recipients);
            Assert.True(storage.Operations > 8, "the scenario writes enough to be worth cutting: " + storage.Operations);
        }

        [Fact]
        public void A_power_cut_at_any_write_loses_no_recipient_and_resends_to_none_recorded_sent()
        {
            var clean = new MemoryStorage();
            FirstLife(new Run(), clean);
            int writes = clean.Operations;
            var failures = new List<string>();
            int recordedPartly = 0;
            for (int cut = 0; cut <= writes; cut++)
            {
                string failure = CutAt(cut, ref recordedPartly);
                if (failure != null)
                {
                    failures.Add("cut after " + cut + " writes: " + failure);
                }
            }

            _output.WriteLine((writes + 1) + " cut points; " + recordedPartly + " of them left a record saying partly sent");
            Assert.True(recordedPartly > 0, "some cut lands while the record says partly sent");
            Assert.True(failures.Count == 0, failures.Count + " of " + (writes + 1) + " cuts broke an invariant:\n" + string.Join("\n", failures.Take(10)));
        }

        private static string CutAt(int cut, ref int recordedPartly)
        {
            var run = new Run();
            var storage = new MemoryStorage { CutAfter = cut };
            FirstLife(run, storage);
            int deliveriesBefore = run.Net.Deliveries.Count;
            MemoryStorage kept = storage.Reboot();
            var problems = new List<string>();
            if (run.JobId < 0)
            {
                // Not accepted: nothing may have been sent.
                return deliveriesBefore == 0 ? null : "a job that was never accepted was sent";
            }

            MailJob record = MailBoard.Record(kept, run.JobId);
            if (record == null)
            {
                return "the accepted job's record is gone";
            }

            if (record.IsPartlySent)
            {
                recordedPartly++;
            }

            var sentBefore = s_to.Where((_, i) => record.RecipientStates[i] == RecipientState.Sent).ToList();
            MailBoard second = run.Board(kept);
            if (!second.TryRunUntil(() => run.Done(second), 2_000_000))
            {
                return "the second life did not settle\n" + run.Log.Dump(30);
            }

            MailJob job = second.Context.Jobs.Find(run.JobId);
            if (job.State != JobState.Sent)
            {
                problems.Add("job ended " + JobRecordFormat.StatusName(job) + " after " + job.Attempts + " attempts (" + job.LastDetail + ")");
            }

            foreach (string to in s_to)
            {
                int before = run.Net.Deliveries.Take(deliveriesBefore).Count(d => d.Recipients.Contains(to));
                int after = run.Net.Deliveries.Skip(deliveriesBefore).Count(d => d.Recipients.Contains(to));
                if (before + after == 0)
                {
                    problems.Add(to + " never got the message");
                }

                if (sentBefore.Contains(to) && after > 0)
                {
                    problems.Add(to + " was recorded sent before the cut and was sent again after it");
                }

                // Only an attempt still in flight at the cut may have delivered what the record does not show.
                if (before > 0 && !sentBefore.Contains(to) && record.State != JobState.Sending)
                {
                    problems.Add(to + " got the message before the cut but the " + JobRecordFormat.StateName(record.State) + " record does not say so");
                }

                if (before > 1 || after > 1)
                {
                    problems.Add(to + " got the message twice in one life");
                }
            }

            return problems.Count == 0 ? null : string.Join("; ", problems);
        }
    }
}
