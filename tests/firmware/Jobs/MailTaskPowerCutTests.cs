using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Tests.Doubles;

namespace NetBoard.Firmware.Tests.Jobs
{
    /// <summary>
    /// A power cut at every storage write of a full scenario (three jobs, one transient SMTP failure and its
    /// retry, the journal, one reception of two faxes), then a boot over what the flash kept.
    /// </summary>
    public class MailTaskPowerCutTests
    {
        private static readonly string[] s_recipients = { "a@lab.test", "b@lab.test", "c@lab.test" };

        private sealed class Run
        {
            public VirtualClock Clock { get; } = new VirtualClock();

            public EventLog Log { get; }

            public LabNetwork Net { get; }

            public List<PrintedDocument> Printed { get; } = new List<PrintedDocument>();

            public Dictionary<string, int> Accepted { get; } = new Dictionary<string, int>();

            public Run()
            {
                Log = new EventLog(Clock);
                Net = new LabNetwork(Clock, Log, ("u1", LabMail.Fax(1)), ("u2", LabMail.Fax(2)));

                // The first SMTP session meets a busy server: its job is retried.
                Net.SmtpScript = n => n == 1 ? LinkScript.On("MAIL", LinkRule.Answer("451 4.3.0 try again later")) : LinkScript.Normal;
            }

            public MailBoard Board(MemoryStorage storage) =>
                new MailBoard(storage, Net, Clock, Log, MailBoard.LabSettings(attempts: 3, intervalS: 10), Printed);

            public bool Done(MailBoard board) =>
                Accepted.Values.All(id => board.Context.Jobs.Find(id) is MailJob job && !job.IsPending)
                && board.Receiver.Receptions >= 1 && board.Quiet && new Inbox(board.Storage).Pending().Length == 0;
        }

        /// <summary>Runs the scenario on <paramref name="storage"/> until it is done or the storage dies.</summary>
        private static MailBoard FirstLife(Run run, MemoryStorage storage)
        {
            MailBoard board = run.Board(storage);
            foreach (string to in s_recipients)
            {
                MailJob job = board.Submit(to);
                if (job != null)
                {
                    run.Accepted[to] = job.Id;
                }
            }

            board.Receiver.RequestNow();
            try
            {
                board.TryRunUntil(() => storage.IsCut || run.Done(board), 2_000_000);
            }
            catch (System.IO.IOException) when (storage.IsCut)
            {
                // The write that failed was the cut; the board is dead from here (see PopReceiveTaskTests for the same failure without a cut).
            }

            Assert.True(storage.IsCut || run.Done(board), "the first life neither ended nor was cut\n" + run.Log.Dump());
            return board;
        }

        private static int DeliveriesTo(IEnumerable<SmtpDelivery> deliveries, string to) => deliveries.Count(d => d.Recipients.Contains(to));

        [Fact]
        public void Without_a_cut_the_scenario_sends_every_job_once_and_prints_every_fax_once()
        {
            var run = new Run();
            var storage = new MemoryStorage();
            MailBoard board = FirstLife(run, storage);
            Assert.False(storage.IsCut);
            Assert.Equal(3, run.Accepted.Count);
            Assert.All(s_recipients, to => Assert.Equal(1, DeliveriesTo(run.Net.Deliveries, to)));
            Assert.Equal(2, board.Context.Jobs.Find(run.Accepted["a@lab.test"]).Attempts);
            Assert.Equal(new[] { LabMail.Tiff(1), LabMail.Tiff(2) }, run.Printed.Select(p => p.Content));
            Assert.True(storage.Operations > 30, "the scenario writes enough to be worth cutting: " + storage.Operations);
        }

        [Fact]
        public void A_power_cut_at_any_write_loses_no_accepted_job_resends_no_sent_job_and_loses_no_fax()
        {
            var clean = new MemoryStorage();
            FirstLife(new Run(), clean);
            int writes = clean.Operations;
            var failures = new List<string>();
            for (int cut = 0; cut <= writes; cut++)
            {
                string failure = CutAt(cut);
                if (failure != null)
                {
                    failures.Add("cut after " + cut + " writes: " + failure);
                }
            }

            Assert.True(failures.Count == 0, failures.Count + " of " + (writes + 1) + " cuts broke an invariant:\n" + string.Join("\n", failures.Take(10)));
        }

        private static string CutAt(int cut)
        {
            var run = new Run();
            var storage = new MemoryStorage { CutAfter = cut };
            MailBoard first = FirstLife(run, storage);
            int deliveriesBefore = run.Net.Deliveries.Count;
            int printsBefore = run.Printed.Count;

            // What the flash says at the moment of the cut.
            MemoryStorage kept = storage.Reboot();
            var sentBefore = s_recipients.Where(to => run.Accepted.TryGetValue(to, out int id) && MailBoard.Record(kept, id)?.State == JobState.Sent).ToList();

            MailBoard second = run.Board(kept);
            second.Receiver.RequestNow();
            if (!second.TryRunUntil(() => run.Done(second), 2_000_000))
            {
                return "the second life did not settle\n" + run.Log.Dump(30);
            }

            var problems = new List<string>();
            foreach (string to in s_recipients)
            {
                List<SmtpDelivery> after = run.Net.Deliveries.Skip(deliveriesBefore).Where(d => d.Recipients.Contains(to)).ToList();
                List<SmtpDelivery> before = run.Net.Deliveries.Take(deliveriesBefore).Where(d => d.Recipients.Contains(to)).ToList();
                if (!run.Accepted.TryGetValue(to, out int id))
                {
                    if (before.Count + after.Count > 0)
                    {
                        problems.Add("job for " + to + " was not accepted but was sent");
                    }

                    continue;
                }

                MailJob job = second.Context.Jobs.Find(id);
                if (job == null)
                {
                    problems.Add("accepted job " + id + " (" + to + ") lost");
                    continue;
                }

                if (job.State != JobState.Sent)
                {
                    problems.Add("job " + id + " ended " + job.State + " after " + job.Attempts + " attempts (" + job.LastDetail + ")");
                }

                if (sentBefore.Contains(to) && after.Count > 0)
                {
                    problems.Add("job " + id + " was recorded sent before the cut and was sent again after it");
                }

                if (before.Count > 1 || after.Count > 1)
                {
                    problems.Add("job " + id + " sent twice in one life");
                }

                if (before.Count + after.Count == 0)
                {
                    problems.Add("job " + id + " never reached the server");
                }
            }

            if (second.Context.Jobs.Count != run.Accepted.Count)
            {
                problems.Add(second.Context.Jobs.Count + " jobs after the boot, " + run.Accepted.Count + " accepted");
            }

            // Every fax is printed exactly once, except that a cut between handing a message to the
            // engine and recording it printed prints that one message again (the engine lost power too).
            for (int n = 1; n <= 2; n++)
            {
                byte[] page = LabMail.Tiff(n);
                int printed = run.Printed.Count(p => p.Content.AsSpan().SequenceEqual(page));
                int printedBefore = run.Printed.Take(printsBefore).Count(p => p.Content.AsSpan().SequenceEqual(page));
                bool lastBeforeCut = printsBefore > 0 && run.Printed[printsBefore - 1].Content.AsSpan().SequenceEqual(page);
                if (printed == 0)
                {
                    problems.Add("fax " + n + " never printed");
                }
                else if (printed > 1 && !(printed == 2 && printedBefore == 1 && lastBeforeCut && storage.IsCut))
                {
                    problems.Add("fax " + n + " printed " + printed + " times");
                }
            }

            if (run.Net.Mailbox.Count != 0)
            {
                problems.Add(run.Net.Mailbox.Count + " messages left on the server");
            }

            return problems.Count == 0 ? null : string.Join("; ", problems);
        }
    }
}
