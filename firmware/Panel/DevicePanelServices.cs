using System;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Settings;
using NetBoard.Hal;

namespace NetBoard.Firmware.Panel
{
    /// <summary>
    /// What the panel shows and does, over the running device: the job queue and task activity, the
    /// journal (read from storage only when it changed) and the test e-mail. Settings changes go
    /// through the context's <see cref="SettingsKeeper"/>.
    /// </summary>
    public sealed class DevicePanelServices : IPanelInfo, IPanelActions
    {
        /// <summary>Journal entries the panel's journal screen lists.</summary>
        public const int JournalLinesShown = 20;

        /// <summary>Where test e-mail documents are kept (one per request, so pruning one job cannot take another's).</summary>
        public const string TestDocumentFolder = "docs/test/";

        private readonly DeviceContext _context;
        private readonly JobQueueTask _queue;
        private readonly SmtpSendTask _sender;
        private readonly PopReceiveTask _receiver;
        private string[] _journal;
        private long _journalVersion = -1;

        /// <summary>Creates the services for the device's panel.</summary>
        public DevicePanelServices(DeviceContext context, JobQueueTask queue, SmtpSendTask sender, PopReceiveTask receiver)
        {
            _context = context;
            _queue = queue;
            _sender = sender;
            _receiver = receiver;
        }

        /// <inheritdoc />
        public string[] JobStatusLines()
        {
            JobStore jobs = _context.Jobs;
            int pending = 0;
            for (int i = 0; i < jobs.Count; i++)
            {
                if (jobs.At(i).IsPending)
                {
                    pending++;
                }
            }

            string[] lines = new string[2 + pending];
            lines[0] = "Send: " + _sender.Activity + (_sender.CurrentJob != null ? " #" + _sender.CurrentJob.Id.ToString() : string.Empty);
            lines[1] = "POP: " + _receiver.Activity;
            int at = 2;
            for (int i = 0; i < jobs.Count; i++)
            {
                MailJob job = jobs.At(i);
                if (job.IsPending)
                {
                    lines[at++] = "#" + job.Id.ToString() + " " + JobRecordFormat.StatusName(job)
                        + (job.LastErrorCode != 0 ? " " + UserErrorCode.Format(job.LastErrorCode) : string.Empty)
                        + " " + job.Recipients[0];
                }
            }

            return lines;
        }

        /// <inheritdoc />
        public string[] JournalLines()
        {
            Journal journal = _context.Journal;
            if (journal.Version != _journalVersion)
            {
                string[] oldestFirst = journal.Lines(JournalLinesShown);
                string[] newestFirst = new string[oldestFirst.Length];
                for (int i = 0; i < oldestFirst.Length; i++)
                {
                    newestFirst[i] = Shorten(oldestFirst[oldestFirst.Length - 1 - i]);
                }

                _journal = newestFirst;
                _journalVersion = journal.Version;
            }

            return _journal;
        }

        /// <summary>What the SMTP send task is doing, in a few words.</summary>
        public string SendActivity
        {
            get { return _sender.Activity; }
        }

        /// <summary>The job the SMTP send task is sending now, or null.</summary>
        public MailJob SendingJob
        {
            get { return _sender.CurrentJob; }
        }

        /// <summary>What the POP receive task is doing, in a few words.</summary>
        public string ReceiveActivity
        {
            get { return _receiver.Activity; }
        }

        /// <summary>The web page the runtime attached, or null; the factory reset forgets its password.</summary>
        public Web.WebSite Web { get; set; }

        /// <inheritdoc />
        public string ForgetWebPassword()
        {
            try
            {
                if (Web != null)
                {
                    return "Web setup code " + Web.ForgetPassword();
                }

                _context.Credentials.Delete(NetBoard.Firmware.Web.AdminPassword.EntryName);
            }
            catch (Exception e)
            {
                return "Web password not reset: " + e.Message;
            }

            return null;
        }

        /// <inheritdoc />
        public string SendTestEmail()
        {
            string message;
            MailJob job = QueueTestEmail(out message);
            return job == null ? message : "Test e-mail queued #" + job.Id.ToString();
        }

        /// <summary>
        /// Queues a real job: a small generated text page to the device's own address, sent like any
        /// scan. Returns the job, or null with <paramref name="message"/> saying why not.
        /// </summary>
        public MailJob QueueTestEmail(out string message)
        {
            message = null;
            DeviceSettings settings = _context.Settings;
            string address = settings.Get(SettingKeys.DeviceEmail);
            if (address.Length == 0)
            {
                message = "Set Device E-mail first";
                return null;
            }

            string name = TestDocumentFolder + _context.Clock.UtcNow.Ticks.ToString() + "/test-page.txt";
            try
            {
                byte[] page = Text.Utf8.GetBytes("Test page from " + settings.Get(SettingKeys.DeviceName) + ".\r\n");
                using (IStorageWriter writer = _context.Storage.Create(name))
                {
                    writer.Write(page, 0, page.Length);
                    writer.Commit();
                }
            }
            catch (Exception e)
            {
                message = "Test not queued: " + e.Message;
                return null;
            }

            MailJob job = _queue.Submit(JobKind.Email, new string[] { address }, "Test e-mail", name, out message);
            return job;
        }

        private static string Shorten(string line)
        {
            // The journal's "yyyy-MM-dd " date is noise on a 20-column display: keep time and result.
            return line.Length > 11 && line[4] == '-' && line[7] == '-' ? line.Substring(11) : line;
        }
    }
}
