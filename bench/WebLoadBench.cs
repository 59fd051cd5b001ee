using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using NetBoard.Firmware.Device;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Settings;
using NetBoard.Firmware.Web;
using NetBoard.Hal;
using NetBoard.Hal.Host;

namespace NetBoard.Bench
{
    /// <summary>One condition of the web-load table: the POP-before-SMTP waits and SMTP rates of its sends.</summary>
    internal sealed class WebLoadResult
    {
        public string Condition { get; set; }

        /// <summary>Measured wait per send: the POP connection's close to the SMTP connect, ms.</summary>
        public List<double> DelaysMs { get; } = new List<double>();

        /// <summary>Attachment MB (10^6 bytes) per second from the SMTP connect to the connection's close, per send.</summary>
        public List<double> SmtpMBps { get; } = new List<double>();

        /// <summary>Pages the board answered while this condition's sends ran.</summary>
        public long Pages { get; set; }

        /// <summary>Seconds this condition's sends took, job submission to the job's end.</summary>
        public double Seconds { get; set; }
    }

    /// <summary>
    /// The board's runtime (job queue, SMTP send, POP receive, web server task on one cooperative scheduler,
    /// the host HAL) sending through the lab with POP before SMTP, with and without a client fetching the
    /// web page in a loop over loopback: does the page cost the POP-before-SMTP wait its accuracy, and the
    /// SMTP send its rate? The two conditions take turns in blocks, so a drift of the machine hits both.
    /// </summary>
    internal static class WebLoadBench
    {
        public const int DelayMs = 300;
        public const int AttachmentBytes = 1_000_000;
        public const string Idle = "page not polled";
        public static readonly string Polled = "page polled by " + Pollers + " clients in a loop";

        /// <summary>Clients polling at once: one per connection the board serves at a time.</summary>
        public const int Pollers = WebServerTask.DefaultConnectionCount;

        private const int BlockSends = 5;
        private const int JobBoundMs = 60000;

        public static List<WebLoadResult> Run(Lab lab, int sends, TextWriterLog log, out string pageNote)
        {
            string folder = Path.Combine(Path.GetTempPath(), "netboard-webbench-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            try
            {
                return Run(lab, sends, folder, log, out pageNote);
            }
            finally
            {
                Directory.Delete(folder, true);
            }
        }

        private static List<WebLoadResult> Run(Lab lab, int sends, string folder, TextWriterLog log, out string pageNote)
        {
            DeviceSettings settings = new DeviceSettings();
            settings.Set(SettingKeys.SmtpHost, "127.0.0.1");
            settings.Set(SettingKeys.SmtpPort, lab.AuthPort.ToString(CultureInfo.InvariantCulture));
            settings.Set(SettingKeys.SmtpAuth, "plain");
            settings.Set(SettingKeys.SmtpUser, lab.ScanUser);
            settings.Set(SettingKeys.SmtpPassword, lab.ScanPassword);
            settings.Set(SettingKeys.PopHost, "127.0.0.1");
            settings.Set(SettingKeys.PopPort, lab.PopPort.ToString(CultureInfo.InvariantCulture));
            settings.Set(SettingKeys.PopUser, lab.ScanUser);
            settings.Set(SettingKeys.PopPassword, lab.ScanPassword);
            settings.Set(SettingKeys.PopBeforeSmtp, "on");
            settings.Set(SettingKeys.PopBeforeSmtpDelayMs, DelayMs.ToString(CultureInfo.InvariantCulture));
            settings.Set(SettingKeys.DeviceEmail, BenchMessage.Sender);
            settings.Set(SettingKeys.DeviceName, BenchMessage.DeviceName);

            FileStorage storage = new FileStorage(Path.Combine(folder, "flash"));
            TimingConnector connector = new TimingConnector(new TcpConnector());
            using (HostOneShotTimer timer = new HostOneShotTimer())
            using (TcpNetListener listener = new TcpNetListener("127.0.0.1", 0))
            {
                DeviceRuntime runtime = new DeviceRuntime(new SettingsKeeper(settings, null), connector, new SystemClock(), new HostIdle(), storage, timer, null);
                runtime.Context.RandomSource = new SystemRandomSource();
                BoardPage page = BoardPage.Attach(runtime, listener);
                pageNote = page.Describe();
                log.Line("web page: http://127.0.0.1:" + listener.LocalPort + page.Path + " (" + pageNote + ")");

                byte[] document = new byte[AttachmentBytes];
                new Random(20261204).NextBytes(document);
                WebLoadResult idle = new WebLoadResult { Condition = Idle };
                WebLoadResult polled = new WebLoadResult { Condition = Polled };

                // One warm-up send of each condition, not counted.
                Block(runtime, storage, connector, lab, document, 1, false, null, log, page);
                Block(runtime, storage, connector, lab, document, 1, true, null, log, page);
                int done = 0;
                while (done < sends)
                {
                    int n = Math.Min(BlockSends, sends - done);
                    Block(runtime, storage, connector, lab, document, n, false, idle, log, page);
                    Block(runtime, storage, connector, lab, document, n, true, polled, log, page);
                    done += n;
                }

                page.Stop();
                return new List<WebLoadResult> { idle, polled };
            }
        }

        /// <summary>Sends <paramref name="count"/> jobs one after another into <paramref name="into"/> (null: a warm-up), with clients polling the page when <paramref name="poll"/> says so.</summary>
        private static void Block(DeviceRuntime runtime, FileStorage storage, TimingConnector connector, Lab lab, byte[] document, int count, bool poll, WebLoadResult into, TextWriterLog log, BoardPage page)
        {
            List<PagePoller> pollers = new List<PagePoller>();
            for (int i = 0; poll && i < Pollers; i++)
            {
                pollers.Add(PagePoller.Start(page));
            }

            Stopwatch elapsed = Stopwatch.StartNew();
            long servedBefore = page.Served;
            try
            {
                for (int i = 0; i < count; i++)
                {
                    string name = "docs/bench-" + Guid.NewGuid().ToString("N") + "/scan.pdf";
                    using (IStorageWriter writer = storage.Create(name))
                    {
                        writer.Write(document, 0, document.Length);
                        writer.Commit();
                    }

                    connector.Take();
                    string problem;
                    MailJob job = runtime.Queue.Submit(JobKind.Email, new[] { BenchMessage.Recipient }, "web load", name, out problem);
                    if (job == null)
                    {
                        throw new InvalidOperationException(problem);
                    }

                    Stopwatch bound = Stopwatch.StartNew();
                    while (job.State != JobState.Sent && job.State != JobState.Failed && (job.Attempts == 0 || job.State != JobState.Queued))
                    {
                        if (bound.ElapsedMilliseconds > JobBoundMs)
                        {
                            throw new InvalidOperationException("job " + job.Id + " did not end within " + JobBoundMs + " ms");
                        }

                        runtime.RunOnce();
                    }

                    if (job.State != JobState.Sent)
                    {
                        throw new InvalidOperationException("job " + job.Id + " " + job.State + ": " + runtime.Sender.LastJournalLine);
                    }

                    Record(connector.Take(), lab, into);
                    WaitDelivered(runtime, lab);
                }
            }
            finally
            {
                foreach (PagePoller poller in pollers)
                {
                    poller.Stop(runtime);
                    if (poller.Failures > 0)
                    {
                        log.Line("  " + poller.Failures + " page fetches failed: " + poller.LastFailure);
                    }
                }
            }

            if (into != null)
            {
                into.Seconds += elapsed.Elapsed.TotalSeconds;
                into.Pages += page.Served - servedBefore;
                log.Line(string.Format(CultureInfo.InvariantCulture, "  {0,-22} {1} sends, wait median {2:F1} ms, SMTP median {3:F1} MB/s, {4} pages so far", into.Condition, into.DelaysMs.Count, Stats.Median(into.DelaysMs.ToArray()), Stats.Median(into.SmtpMBps.ToArray()), into.Pages));
            }
        }

        /// <summary>Runs the board (and so its page) until the lab has delivered the message, then deletes it.</summary>
        private static void WaitDelivered(DeviceRuntime runtime, Lab lab)
        {
            string dir = Path.Combine(lab.Maildir, "new");
            Stopwatch bound = Stopwatch.StartNew();
            while (bound.ElapsedMilliseconds < JobBoundMs && (!Directory.Exists(dir) || Directory.GetFiles(dir).Length == 0))
            {
                runtime.RunOnce();
            }

            lab.WaitDeliveredAndClean(1);
        }

        private static void Record(List<ConnectionTimes> connections, Lab lab, WebLoadResult into)
        {
            ConnectionTimes pop = connections.Find(c => c.Port == lab.PopPort);
            ConnectionTimes smtp = connections.Find(c => c.Port == lab.AuthPort);
            if (pop == null || smtp == null || pop.CloseTicks == 0 || smtp.CloseTicks == 0)
            {
                throw new InvalidOperationException("the send did not run POP, then SMTP (" + connections.Count + " connections)");
            }

            if (into == null)
            {
                return;
            }

            into.DelaysMs.Add((smtp.ConnectTicks - pop.CloseTicks) * 1000.0 / Stopwatch.Frequency);
            double seconds = (smtp.CloseTicks - smtp.ConnectTicks) / (double)Stopwatch.Frequency;
            into.SmtpMBps.Add(AttachmentBytes / 1e6 / seconds);
        }

        public static string ToMarkdown(List<WebLoadResult> results, string pageNote)
        {
            WebLoadResult idle = results[0];
            WebLoadResult polled = results[1];
            StringBuilder text = new StringBuilder();
            text.AppendLine("| web page | sends | POP-before-SMTP wait min | median | max | SMTP MB/s median (min-max) | pages answered per s |");
            text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (WebLoadResult r in results)
            {
                text.AppendLine(string.Format(CultureInfo.InvariantCulture, "| {0} | {1} | {2:F1} ms | {3:F1} ms | {4:F1} ms | {5:F1} ({6:F1}-{7:F1}) | {8:F0} |",
                    r.Condition, r.DelaysMs.Count, Stats.Min(r.DelaysMs.ToArray()), Stats.Median(r.DelaysMs.ToArray()), Stats.Max(r.DelaysMs.ToArray()),
                    Stats.Median(r.SmtpMBps.ToArray()), Stats.Min(r.SmtpMBps.ToArray()), Stats.Max(r.SmtpMBps.ToArray()), r.Pages / r.Seconds));
            }

            text.AppendLine();
            text.AppendLine(string.Format(CultureInfo.InvariantCulture,
                "Setting {0} ms; {1}-byte attachment to the lab's AUTH port (PLAIN) after a POP login to the lab's Dovecot; polled / not polled: wait median {2:F3}x, SMTP median {3:F2}x. Page: {4}.",
                DelayMs, AttachmentBytes, Stats.Median(polled.DelaysMs.ToArray()) / Stats.Median(idle.DelaysMs.ToArray()), Stats.Median(polled.SmtpMBps.ToArray()) / Stats.Median(idle.SmtpMBps.ToArray()), pageNote));
            return text.ToString();
        }

        /// <summary>A client on its own thread fetching the page over loopback, one request after another.</summary>
        private sealed class PagePoller
        {
            private readonly BoardPage _page;
            private readonly Thread _thread;
            private volatile bool _stop;

            private PagePoller(BoardPage page)
            {
                _page = page;
                _thread = new Thread(Loop) { IsBackground = true, Name = "page poller" };
            }

            public int Failures { get; private set; }

            public string LastFailure { get; private set; }

            public static PagePoller Start(BoardPage page)
            {
                PagePoller poller = new PagePoller(page);
                poller._thread.Start();
                return poller;
            }

            /// <summary>Ends the loop, running the board until the request in flight has its answer.</summary>
            public void Stop(DeviceRuntime runtime)
            {
                _stop = true;
                while (!_thread.Join(0))
                {
                    runtime.RunOnce();
                }
            }

            private void Loop()
            {
                using (HttpClient client = _page.CreateClient())
                {
                    while (!_stop)
                    {
                        try
                        {
                            using (HttpResponseMessage response = client.GetAsync(_page.Path).GetAwaiter().GetResult())
                            {
                                response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
                                if (!response.IsSuccessStatusCode)
                                {
                                    Failures++;
                                    LastFailure = "HTTP " + (int)response.StatusCode;
                                }
                            }
                        }
                        catch (Exception e) when (e is HttpRequestException || e is TaskCanceledException)
                        {
                            Failures++;
                            LastFailure = e.Message;
                        }
                    }
                }
            }
        }
    }
}
