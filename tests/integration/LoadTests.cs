using System.Diagnostics;
using NetBoard.Boards.Host;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Settings;
using Xunit.Abstractions;

namespace NetBoard.Integration.Tests
{
    /// <summary>
    /// Load: 1,000 jobs queued at once on the virtual board's own composition (host HAL, job queue, scheduler),
    /// each sent with POP before SMTP and SMTP AUTH through the lab from a foreign address, in one run. Every job
    /// must be delivered exactly once (one Maildir file per unique subject) and memory must stay flat: the
    /// allocation per job in the second half of the run is no more than in the first, and the heap after a full
    /// collection does not grow between the first hundred jobs and the end.
    /// </summary>
    [Collection(LabCollection.Name)]
    public sealed class LoadTests
    {
        public const int Jobs = 1000;

        private readonly LabFixture _lab;
        private readonly ITestOutputHelper _output;

        public LoadTests(LabFixture lab, ITestOutputHelper output)
        {
            _lab = lab;
            _output = output;
        }

        private static void Set(DeviceSettings settings, string key, string value)
        {
            string error = settings.Set(key, value);
            Assert.True(error == null, key + ": " + error);
        }

        [Fact]
        public void A_thousand_queued_jobs_with_pop_before_smtp_and_smtp_auth_are_delivered_once_with_flat_memory()
        {
            using Board folder = new Board();
            var settings = new DeviceSettings();
            foreach (KeyValuePair<string, string> pair in Board.LabSettings(_lab, _lab.AuthPort, "plain"))
            {
                Set(settings, pair.Key, pair.Value);
            }

            Set(settings, "smtp.user", _lab["SCAN_USER"]);
            Set(settings, "smtp.password", _lab["SCAN_PASSWORD"]);
            Set(settings, "pop.host", _lab.Host);
            Set(settings, "pop.port", _lab.Pop3Port.ToString());
            Set(settings, "pop.user", _lab["SCAN_USER"]);
            Set(settings, "pop.password", _lab["SCAN_PASSWORD"]);
            Set(settings, "pop.login", "user");
            Set(settings, "pop.before_smtp", "on");
            Set(settings, "pop.before_smtp.delay_ms", "0");
            Set(settings, "net.local_address", _lab.ForeignAddressAt(7));

            string token = "load-" + Documents.Token();
            string document = folder.WriteDocument("small.pdf", Documents.Random(600));
            using HostBoard board = HostBoard.Open(settings, folder.NewFolder("data"), folder.NewFolder("printed"));
            var jobs = new List<MailJob>();
            for (int i = 0; i < Jobs; i++)
            {
                MailJob job = board.Queue.Submit(JobKind.Email, new[] { _lab["SCAN_USER"] }, token + " #" + i, board.ImportDocument(document), out string problem);
                Assert.True(job != null, "job " + i + " not accepted: " + problem);
                jobs.Add(job);
            }

            // Bounds so a stuck lab fails the test instead of hanging the suite; not a timing assertion.
            var watch = Stopwatch.StartNew();
            TimeSpan bound = TimeSpan.FromMinutes(5);
            long heapStart = 0;
            long allocatedAtStart = 0;
            long allocatedAtHalf = 0;
            int finished = 0;
            while (finished < Jobs && watch.Elapsed < bound)
            {
                board.Scheduler.RunOnce();
                int now = 0;
                foreach (MailJob job in jobs)
                {
                    now += job.IsPending ? 0 : 1;
                }

                if (now >= 100 && finished < 100)
                {
                    heapStart = GC.GetTotalMemory(true);
                    allocatedAtStart = GC.GetAllocatedBytesForCurrentThread();
                }

                if (now >= 550 && finished < 550)
                {
                    allocatedAtHalf = GC.GetAllocatedBytesForCurrentThread();
                }

                finished = now;
            }

            long allocatedAtEnd = GC.GetAllocatedBytesForCurrentThread();
            long heapEnd = GC.GetTotalMemory(true);
            TimeSpan sending = watch.Elapsed;
            Assert.True(finished == Jobs, finished + " of " + Jobs + " jobs finished within " + bound);
            var failed = jobs.Where(j => j.State != JobState.Sent).ToList();
            Assert.True(failed.Count == 0, failed.Count + " jobs not sent, e.g. " + string.Join("; ", failed.Take(3).Select(j => j.Id + " " + j.State + " #" + j.LastErrorCode + " " + j.LastDetail)));

            // Delivery is asynchronous in Postfix: wait (bounded) until every subject is in the Maildir.
            string maildir = _lab["MAILDIR_SCAN"];
            List<string> subjects = new List<string>();
            var wait = Stopwatch.StartNew();
            do
            {
                subjects = Maildir.Find(maildir, token).Select(Subject).ToList();
                if (subjects.Count >= Jobs)
                {
                    break;
                }

                System.Threading.Thread.Sleep(500);
            }
            while (wait.Elapsed < Maildir.DeliveryBound + TimeSpan.FromSeconds(40));

            System.Threading.Thread.Sleep(1000);
            subjects = Maildir.Find(maildir, token).Select(Subject).ToList();
            var counts = subjects.GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());
            var missing = Enumerable.Range(0, Jobs).Where(i => !counts.ContainsKey(token + " #" + i)).ToList();
            var twice = counts.Where(p => p.Value > 1).Select(p => p.Key).ToList();
            double perJobFirst = (allocatedAtHalf - allocatedAtStart) / 450.0;
            double perJobSecond = (allocatedAtEnd - allocatedAtHalf) / 450.0;
            _output.WriteLine(Jobs + " jobs sent in " + sending.TotalSeconds.ToString("F1") + " s (" + (sending.TotalMilliseconds / Jobs).ToString("F1") + " ms per job, POP login + SMTP AUTH each); "
                + subjects.Count + " delivered, " + counts.Count + " unique subjects, " + missing.Count + " missing, " + twice.Count + " twice");
            _output.WriteLine("allocated per job: " + perJobFirst.ToString("F0") + " bytes (jobs 100-550), " + perJobSecond.ToString("F0") + " bytes (jobs 550-1000); heap after GC "
                + heapStart + " bytes after 100 jobs, " + heapEnd + " bytes after 1000");
            Assert.True(missing.Count == 0, missing.Count + " jobs never delivered, e.g. #" + string.Join(", #", missing.Take(5)));
            Assert.True(twice.Count == 0, twice.Count + " subjects delivered more than once, e.g. " + string.Join(", ", twice.Take(3)));
            Assert.Equal(Jobs, subjects.Count);
            Assert.True(perJobSecond <= (perJobFirst * 1.25) + 4096, "allocation per job grows: " + perJobFirst + " then " + perJobSecond);
            Assert.True(heapEnd <= heapStart + (4 * 1024 * 1024), "heap grows: " + heapStart + " -> " + heapEnd);
        }

        private static string Subject(string file)
        {
            using FileStream stream = File.OpenRead(file);
            return MimeKit.HeaderList.Load(stream)[MimeKit.HeaderId.Subject];
        }
    }
}
