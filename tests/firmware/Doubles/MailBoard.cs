using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using NetBoard.Firmware.Device;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Scheduling;
using NetBoard.Firmware.Settings;
using NetBoard.Firmware.Storage;
using NetBoard.Hal;

namespace NetBoard.Firmware.Tests.Doubles
{
    /// <summary>
    /// The whole firmware runtime (<see cref="DeviceRuntime"/>, the wiring the boards use) on test doubles:
    /// <see cref="MemoryStorage"/>, the lab network (or real sockets), the virtual clock and timer and a
    /// recording engine, loaded from storage as at boot. After each
    /// scheduler round it logs changes of the mail-session lock's holder and of job states to the event log
    /// (source "board").
    /// </summary>
    internal sealed class MailBoard
    {
        private readonly Dictionary<int, string> _jobStates = new Dictionary<int, string>();
        private string _lockHolder = "free";

        /// <param name="idle">How the scheduler idles; null for the virtual clock's own (time jumps ahead).</param>
        /// <param name="store">Where settings commits are saved; null for nowhere.</param>
        public MailBoard(MemoryStorage storage, INetConnector network, VirtualClock clock, EventLog log, DeviceSettings settings, List<PrintedDocument> printed = null, ISystemIdle idle = null, SettingsStore store = null)
        {
            Storage = storage;
            Network = network;
            Clock = clock;
            Log = log;
            Timer = new RecordingTimer(clock, log);
            Engine = new RecordingEngine(() => Storage, clock, printed);
            Runtime = new DeviceRuntime(new SettingsKeeper(settings, store), network, clock, idle ?? clock, storage, Timer, Engine);
            Observe();
        }

        public MemoryStorage Storage { get; }

        public INetConnector Network { get; }

        public VirtualClock Clock { get; }

        public EventLog Log { get; }

        public RecordingTimer Timer { get; }

        public RecordingEngine Engine { get; }

        /// <summary>The firmware's own runtime wiring, as the boards use it.</summary>
        public DeviceRuntime Runtime { get; }

        public DeviceContext Context => Runtime.Context;

        public DeviceSettings Settings => Context.Settings;

        public CooperativeScheduler Scheduler => Runtime.Scheduler;

        public JobQueueTask Queue => Runtime.Queue;

        public SmtpSendTask Sender => Runtime.Sender;

        public PopReceiveTask Receiver => Runtime.Receiver;

        /// <summary>Scheduler rounds run so far.</summary>
        public long Rounds { get; private set; }

        /// <summary>Called after every round (tests use it to watch the tasks).</summary>
        public Action OnRound { get; set; }

        /// <summary>Lab settings: SMTP and POP on the lab servers, short SMTP timeouts, USER/PASS login.</summary>
        public static DeviceSettings LabSettings(bool popBeforeSmtp = false, int delayMs = 300, int attempts = 3, int intervalS = 60)
        {
            var settings = new DeviceSettings();
            Set(settings, SettingKeys.SmtpHost, LabNetwork.SmtpHost);
            Set(settings, SettingKeys.DeviceEmail, "mfp@lab.test");
            Set(settings, SettingKeys.SmtpAuth, "auto");
            Set(settings, SettingKeys.SmtpTimeoutConnect, "20");
            Set(settings, SettingKeys.SmtpTimeoutGreeting, "30");
            Set(settings, SettingKeys.SmtpTimeoutMail, "30");
            Set(settings, SettingKeys.SmtpTimeoutRcpt, "30");
            Set(settings, SettingKeys.SmtpTimeoutData, "30");
            Set(settings, SettingKeys.SmtpTimeoutBlock, "30");
            Set(settings, SettingKeys.SmtpTimeoutFinal, "30");
            Set(settings, SettingKeys.PopHost, LabNetwork.PopHost);
            Set(settings, SettingKeys.PopUser, LabNetwork.PopUser);
            Set(settings, SettingKeys.PopPassword, LabNetwork.PopPassword);
            Set(settings, SettingKeys.PopLogin, "user");
            Set(settings, SettingKeys.PopBeforeSmtp, popBeforeSmtp ? "on" : "off");
            Set(settings, SettingKeys.PopBeforeSmtpDelayMs, delayMs.ToString());
            Set(settings, SettingKeys.JobRetryAttempts, attempts.ToString());
            Set(settings, SettingKeys.JobRetryIntervalS, intervalS.ToString());
            return settings;
        }

        public static void Set(DeviceSettings settings, string key, string value) => Assert.Null(settings.Set(key, value));

        /// <summary>Changes the settings in force as an editor does: a copy changed and committed whole.</summary>
        public void Change(string key, string value)
        {
            DeviceSettings edited = Context.SettingsKeeper.Edit();
            Set(edited, key, value);
            Assert.Null(Context.SettingsKeeper.Commit(edited));
        }

        /// <summary>Puts a document in storage (as the engine does after a scan) and submits a job for it; null when not accepted.</summary>
        public MailJob Submit(string recipient, string documentName = null, byte[] document = null, JobKind kind = JobKind.Email)
        {
            documentName ??= "scan/" + recipient.Split('@')[0] + ".pdf";
            if (!Storage.Exists(documentName))
            {
                Storage.Put(documentName, document ?? Encoding.ASCII.GetBytes("%PDF-1.4 document for " + recipient + "\n"));
            }

            MailJob job = Queue.Submit(kind, new[] { recipient }, "scan for " + recipient, documentName, out _);
            Observe();
            return job;
        }

        /// <summary>Runs scheduler rounds until <paramref name="condition"/> holds; fails the test past <paramref name="maxRounds"/>.</summary>
        public void RunUntil(Func<bool> condition, long maxRounds = 3_000_000, string what = null)
        {
            for (long i = 0; !condition(); i++)
            {
                if (i >= maxRounds)
                {
                    Assert.Fail("not reached within " + maxRounds + " rounds: " + (what ?? "condition") + " at " + Clock.NowMs + " ms\n" + Log.Dump());
                }

                Round();
            }
        }

        /// <summary>Runs rounds until <paramref name="condition"/> holds or the bound is reached; returns whether it held.</summary>
        public bool TryRunUntil(Func<bool> condition, long maxRounds)
        {
            for (long i = 0; i < maxRounds; i++)
            {
                if (condition())
                {
                    return true;
                }

                Round();
            }

            return condition();
        }

        /// <summary>Runs rounds for <paramref name="ms"/> of virtual time.</summary>
        public void RunFor(long ms)
        {
            long until = Clock.NowMs + ms;
            RunUntil(() => Clock.NowMs >= until, 10_000_000, "time " + until);
        }

        public void Round()
        {
            Scheduler.RunOnce();
            Rounds++;
            Observe();
            OnRound?.Invoke();
        }

        /// <summary>True when no task has anything in hand: the sender is idle, no reception or printing runs, the lock is free.</summary>
        public bool Quiet => Sender.IsIdle && !Receiver.IsBusy && Context.MailLock.IsFree;

        /// <summary>The job's attempt has ended (it is no longer being sent) and the task is idle.</summary>
        public bool AttemptEnded(MailJob job, int attempts) => job.Attempts >= attempts && Sender.IsIdle;

        /// <summary>The journal's lines, oldest first.</summary>
        public string[] Journal => Context.Journal.Lines(NetBoard.Firmware.Jobs.Journal.MaxEntries);

        /// <summary>The job as its record in storage says now.</summary>
        public MailJob Stored(int id) => Record(Storage, id);

        /// <summary>The job as its record in <paramref name="storage"/> says, read without the job store; null when there is no whole record.</summary>
        public static MailJob Record(IStorage storage, int id)
        {
            string text = RecordFile.Read(storage, JobStore.NameOf(id));
            return text == null ? null : JobRecordFormat.Parse(text);
        }

        /// <summary>Who holds the lock: "SMTP send", "POP receive" or "free".</summary>
        public string LockHolder => Context.MailLock.Holder is SchedulerTask task ? task.Name : (Context.MailLock.IsFree ? "free" : "other");

        private void Observe()
        {
            string holder = LockHolder;
            if (holder != _lockHolder)
            {
                _lockHolder = holder;
                Log.Add("board", "lock " + holder);
            }

            for (int i = 0; i < Context.Jobs.Count; i++)
            {
                MailJob job = Context.Jobs.At(i);
                string state = JobRecordFormat.StateName(job.State) + " attempts=" + job.Attempts;
                if (!_jobStates.TryGetValue(job.Id, out string old) || old != state)
                {
                    _jobStates[job.Id] = state;
                    Log.Add("board", "job " + job.Id + " " + state);
                }
            }
        }
    }

    /// <summary>Received mail as a sending MTA would put it in the mailbox.</summary>
    internal static class LabMail
    {
        /// <summary>A TIFF image of <paramref name="size"/> octets whose bytes depend on <paramref name="seed"/>.</summary>
        public static byte[] Tiff(int seed, int size = 600)
        {
            var data = new byte[size];
            new Random(seed).NextBytes(data);
            data[0] = (byte)'I';
            data[1] = (byte)'I';
            data[2] = 42;
            data[3] = 0;
            return data;
        }

        /// <summary>A multipart message: a text part, then each attachment (type, file name, content) in base64.</summary>
        public static byte[] Message(string subject, params (string Type, string FileName, byte[] Content)[] attachments)
        {
            const string boundary = "lab-boundary-42";
            var text = new StringBuilder();
            text.Append("From: Branch Office <branch@lab.test>\r\n");
            text.Append("To: mfp@lab.test\r\n");
            text.Append("Subject: " + subject + "\r\n");
            text.Append("Date: Sun, 29 Nov 2026 09:00:00 +0000\r\n");
            text.Append("Message-ID: <" + subject.Replace(' ', '.') + "@lab.test>\r\n");
            text.Append("MIME-Version: 1.0\r\n");
            text.Append("Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n");
            text.Append("--" + boundary + "\r\n");
            text.Append("Content-Type: text/plain; charset=us-ascii\r\n\r\n");
            text.Append("Cover note for " + subject + ".\r\n.dot at the start of a line\r\n");
            foreach (var (type, fileName, content) in attachments)
            {
                text.Append("--" + boundary + "\r\n");
                text.Append("Content-Type: " + type + "; name=\"" + fileName + "\"\r\n");
                text.Append("Content-Transfer-Encoding: base64\r\n");
                text.Append("Content-Disposition: attachment; filename=\"" + fileName + "\"\r\n\r\n");
                text.Append(Convert.ToBase64String(content, Base64FormattingOptions.InsertLineBreaks) + "\r\n");
            }

            text.Append("--" + boundary + "--\r\n");
            return Encoding.ASCII.GetBytes(text.ToString());
        }

        /// <summary>A fax: one TIFF page.</summary>
        public static byte[] Fax(int n) => Message("fax " + n, ("image/tiff", "fax" + n + ".tif", Tiff(n)));
    }
}
