using System;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.OAuth;
using NetBoard.Firmware.Settings;
using NetBoard.Hal;

namespace NetBoard.Firmware.Panel
{
    /// <summary>
    /// What the panel shows and does, over the running device: the job queue and task activity, the
    /// journal (read from storage only when it changed), the test e-mail and the OAuth 2.0 sign-in. Settings
    /// changes go through the context's <see cref="SettingsKeeper"/>.
    /// </summary>
    public sealed class DevicePanelServices : IPanelInfo, IPanelActions, IOAuthPanelActions
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

        /// <inheritdoc />
        public string StartOAuthSignIn()
        {
            OAuthTokenKeeper keeper = _context.OAuth as OAuthTokenKeeper;
            return keeper == null ? "Not available" : keeper.StartSignIn();
        }

        /// <inheritdoc />
        public string[] OAuthSignInLines()
        {
            OAuthTokenKeeper keeper = _context.OAuth as OAuthTokenKeeper;
            if (keeper == null)
            {
                return new string[] { "Not available" };
            }

            switch (keeper.SignInState)
            {
                case OAuthSignInState.Starting:
                    return new string[] { "OAuth 2.0 sign-in", "Getting a code..." };
                case OAuthSignInState.WaitingForUser:
                    return new string[] { "Code: " + keeper.UserCode, keeper.VerificationUri };
                case OAuthSignInState.SignedIn:
                    return new string[] { "Signed in", Account() };
                case OAuthSignInState.Failed:
                    int code = keeper.SignInErrorCode;
                    return new string[] { "Sign-in failed " + UserErrorCode.Format(code), UserErrorCode.Describe(code) };
                default:
                    return new string[] { keeper.StatusLine() };
            }
        }

        /// <inheritdoc />
        public string[] OAuthStatusLines()
        {
            OAuthTokenKeeper keeper = _context.OAuth as OAuthTokenKeeper;
            if (keeper == null)
            {
                return new string[] { "Not available" };
            }

            if (keeper.SignInState == OAuthSignInState.WaitingForUser)
            {
                return new string[] { "Waiting for sign-in", "Code: " + keeper.UserCode, keeper.VerificationUri };
            }

            return keeper.IsSignedIn || keeper.Status == OAuthTokenStatus.Ready
                ? new string[] { keeper.StatusLine(), Account() }
                : new string[] { keeper.StatusLine() };
        }

        /// <inheritdoc />
        public string OAuthSignOut()
        {
            OAuthTokenKeeper keeper = _context.OAuth as OAuthTokenKeeper;
            if (keeper == null)
            {
                return "Not available";
            }

            string error = keeper.SignOut();
            return error == null ? "Signed out" : error;
        }

        /// <summary>The mailbox the tokens are used for (the SMTP user, else the POP user, else the device address).</summary>
        private string Account()
        {
            DeviceSettings settings = _context.Settings;
            string user = settings.Get(SettingKeys.SmtpUser);
            if (user.Length == 0)
            {
                user = settings.Get(SettingKeys.PopUser);
            }

            if (user.Length == 0)
            {
                user = settings.Get(SettingKeys.DeviceEmail);
            }

            return "as " + user;
        }

        private static string Shorten(string line)
        {
            // The journal's "yyyy-MM-dd " date is noise on a 20-column display: keep time and result.
            return line.Length > 11 && line[4] == '-' && line[7] == '-' ? line.Substring(11) : line;
        }
    }
}
