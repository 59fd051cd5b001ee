using System;
using System.Linq;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Tests.Doubles;

namespace NetBoard.Firmware.Tests.Scheduling
{
    /// <summary>A large message streaming through the send task leaves the other tasks their turn on every pass.</summary>
    public class SchedulerFairnessTests
    {
        private const int BodyOctets = 2 * 1024 * 1024;

        // One step of the send task moves a bounded amount; generous, so only streaming "all at once" fails.
        private const int MostOctetsPerStep = 64 * 1024;

        [Fact]
        public void A_two_megabyte_body_never_keeps_the_queue_or_the_reception_waiting_more_than_one_step()
        {
            var clock = new VirtualClock();
            var log = new EventLog(clock);
            var net = new LabNetwork(clock, log, ("u1", LabMail.Fax(1)));
            var board = new MailBoard(new MemoryStorage(), net, clock, log, MailBoard.LabSettings());
            var body = new byte[BodyOctets];
            new Random(7).NextBytes(body);
            MailJob big = board.Submit("alice@lab.test", "scan/big.pdf", body);
            Assert.NotNull(big);

            // A reception is asked for as the message data starts.
            board.Storage.Put("scan/small.pdf", new byte[] { (byte)'%', (byte)'P', (byte)'D', (byte)'F' });
            log.OnEvent = e =>
            {
                if (e.Source == "smtp#1" && e.Text == "C: DATA")
                {
                    board.Receiver.RequestNow();
                }
            };

            bool inBody = false;
            long octets = 0;
            int scans = 0;
            int passes = 0;
            int unfair = 0;
            long largestStep = 0;
            board.OnRound = () =>
            {
                ScriptedLink smtp = net.Links.FirstOrDefault(l => l.Name == "smtp#1");
                long moved = (smtp?.OctetsWritten ?? 0) - octets;
                int asked = board.Engine.TakeScanCalls - scans;
                octets += moved;
                scans += asked;
                if (inBody)
                {
                    // A pass while the body streams: the queue task stepped in it, and the send task moved a bounded amount.
                    passes++;
                    largestStep = Math.Max(largestStep, moved);
                    if (asked != 1)
                    {
                        unfair++;
                    }
                }

                inBody = log.Has("smtp#1", "C: DATA") && !log.Has("smtp#1", "C: .");
                if (inBody)
                {
                    // While it streams, the panel submits a job before every pass: the queue task is woken each time
                    // (each of its steps asks the engine for a scan, which is how its steps are counted).
                    Assert.NotNull(board.Queue.Submit(JobKind.Email, new[] { "bob@lab.test" }, "page " + passes, "scan/small.pdf", out _));
                }
            };

            int jobsBefore = board.Context.Jobs.Count;
            board.RunUntil(() => big.State != JobState.Queued && big.State != JobState.Sending, what: "big job done");
            log.OnEvent = null;

            Assert.Equal(JobState.Sent, big.State);
            SmtpDelivery delivered = Assert.Single(net.Deliveries, d => d.Recipients.Contains("alice@lab.test"));
            Assert.True(delivered.BodyOctets > BodyOctets * 4 / 3, "the whole document went out base64-encoded: " + delivered.BodyOctets);
            Assert.True(passes >= BodyOctets / MostOctetsPerStep, "the body took " + passes + " passes");
            Assert.True(largestStep <= MostOctetsPerStep, "one step sent " + largestStep + " octets");
            Assert.True(unfair == 0, unfair + " unfair of " + passes + " passes; scans left " + board.Engine.Scans.Count + ", take calls " + board.Engine.TakeScanCalls + ", rounds " + board.Rounds);

            Assert.True(board.Context.Jobs.Count - jobsBefore >= passes, (board.Context.Jobs.Count - jobsBefore) + " jobs accepted over " + passes + " passes");

            // The reception ran start to end while the body was streaming, and its fax was printed.
            LabEvent data = log.Find("smtp#1", "C: DATA");
            LabEvent dot = log.Find("smtp#1", "C: .");
            LabEvent connect = log.Find("pop#1", "connect");
            LabEvent quit = log.Find("pop#1", "C: QUIT");
            Assert.True(data.Index < connect.Index && quit.Index < dot.Index, "reception " + connect.Index + ".." + quit.Index + ", body " + data.Index + ".." + dot.Index);
            Assert.Single(board.Engine.Printed);
        }

        [Fact]
        public void Finished_scans_waiting_at_the_engine_do_not_hold_back_a_due_job()
        {
            var clock = new VirtualClock();
            var log = new EventLog(clock);
            var net = new LabNetwork(clock, log);
            var board = new MailBoard(new MemoryStorage(), net, clock, log, MailBoard.LabSettings());
            MailJob first = board.Submit("alice@lab.test");
            board.Storage.Put("scan/small.pdf", new byte[] { (byte)'%', (byte)'P', (byte)'D', (byte)'F' });
            for (int i = 0; i < 50; i++)
            {
                board.Engine.Scans.Enqueue(new NetBoard.Hal.ScanRequest("scan/small.pdf", false, new[] { "bob@lab.test" }, "page " + i));
            }

            board.RunUntil(() => first.State != JobState.Queued, what: "first job handed to the send task");
            Assert.True(board.Engine.Scans.Count >= 45, "the first job started only after " + (50 - board.Engine.Scans.Count) + " scans were taken");
        }
    }
}
