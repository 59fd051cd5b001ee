using System;
using System.Collections.Generic;
using System.Linq;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Panel;
using NetBoard.Firmware.Settings;
using NetBoard.Firmware.Tests.Doubles;
using Xunit.Abstractions;

namespace NetBoard.Firmware.Tests.Reliability
{
    /// <summary>
    /// The board's power-cut scenario (three jobs, one transient SMTP failure and its retry, the journal, one
    /// reception of two faxes) with settings changed through the panel's path while it runs: every few storage
    /// writes of the board, a new version of the settings (several keys at once) is put in force and saved by
    /// <see cref="SettingsStore"/> in the same flash. The power is cut after every single write; the boot that
    /// follows must find the settings old or new (never a mix of two versions, never older than the last save
    /// that finished), every accepted job and every received fax, and must not resend what was recorded sent.
    /// </summary>
    public class PowerCutWithSettingsTests
    {
        private static readonly string[] s_recipients = { "a@lab.test", "b@lab.test", "c@lab.test" };

        private readonly ITestOutputHelper _output;

        public PowerCutWithSettingsTests(ITestOutputHelper output)
        {
            _output = output;
        }

        /// <summary>Version <paramref name="k"/> of the settings: the lab settings with four keys that move together.</summary>
        private static DeviceSettings Version(int k)
        {
            DeviceSettings settings = MailBoard.LabSettings(attempts: 3, intervalS: 10);
            MailBoard.Set(settings, SettingKeys.DeviceName, "Scanner v" + k);
            MailBoard.Set(settings, SettingKeys.SmtpEhloName, "mfp-v" + k + ".lab.test");
            MailBoard.Set(settings, SettingKeys.PopIntervalMin, (k + 1).ToString());
            MailBoard.Set(settings, SettingKeys.SmtpTimeoutGreeting, (30 + k).ToString());
            return settings;
        }

        private sealed class Run
        {
            public VirtualClock Clock { get; } = new VirtualClock();

            public EventLog Log { get; }

            public LabNetwork Net { get; }

            public List<PrintedDocument> Printed { get; } = new List<PrintedDocument>();

            public Dictionary<string, int> Accepted { get; } = new Dictionary<string, int>();

            /// <summary>The last version whose save returned success (-1: none, factory settings).</summary>
            public int LastSaved { get; set; } = -1;

            /// <summary>The version whose save the cut interrupted (-1: none).</summary>
            public int Interrupted { get; set; } = -1;

            public int Versions { get; set; }

            public Run()
            {
                Log = new EventLog(Clock);
                Net = new LabNetwork(Clock, Log, ("u1", LabMail.Fax(1)), ("u2", LabMail.Fax(2)));
                Net.SmtpScript = n => n == 1 ? LinkScript.On("MAIL", LinkRule.Answer("451 4.3.0 try again later")) : LinkScript.Normal;
            }

            public MailBoard Board(MemoryStorage storage, DeviceSettings settings, SettingsStore store = null) => new MailBoard(storage, Net, Clock, Log, settings, Printed, store: store);

            public bool Done(MailBoard board) =>
                Accepted.Values.All(id => board.Context.Jobs.Find(id) is MailJob job && !job.IsPending)
                && board.Receiver.Receptions >= 1 && board.Quiet && new Inbox(board.Storage).Pending().Length == 0;
        }

        private static void FirstLife(Run run, MemoryStorage storage)
        {
            var store = new SettingsStore(storage);
            MailBoard board = null;
            try
            {
                // Factory settings saved at the first boot: version 0.
                SaveVersion(run, store, storage, null, 0);
                board = run.Board(storage, Version(Math.Max(0, run.LastSaved)), store);
                SettingsKeeper panel = board.Context.SettingsKeeper;
                foreach (string to in s_recipients)
                {
                    MailJob job = board.Submit(to);
                    if (job != null)
                    {
                        run.Accepted[to] = job.Id;
                    }
                }

                int savedAt = storage.Operations;
                board.OnRound = () =>
                {
                    if (!storage.IsCut && storage.Operations >= savedAt + 6)
                    {
                        SaveVersion(run, store, storage, panel, run.Versions);
                        savedAt = storage.Operations;
                    }
                };
                board.Receiver.RequestNow();
                board.TryRunUntil(() => storage.IsCut || run.Done(board), 2_000_000);
            }
            catch (System.IO.IOException) when (storage.IsCut)
            {
                // The write that failed was the cut: the board is dead from here.
            }

            Assert.True(storage.IsCut || (board != null && run.Done(board)), "the first life neither ended nor was cut\n" + run.Log.Dump());
        }

        private static void SaveVersion(Run run, SettingsStore store, MemoryStorage storage, SettingsKeeper panel, int k)
        {
            run.Versions = k + 1;
            DeviceSettings settings = Version(k);
            string error;
            if (panel != null)
            {
                error = panel.Commit(settings);
            }
            else
            {
                error = store.Save(settings);
            }

            if (error == null)
            {
                run.LastSaved = k;
            }
            else
            {
                Assert.True(storage.IsCut, "a save failed without a cut: " + error);
                run.Interrupted = k;
            }
        }

        /// <summary>Which version <paramref name="settings"/> is; -1 for factory settings, null for none (a mix).</summary>
        private static int? Which(DeviceSettings settings, int versions)
        {
            string text = settings.Serialize();
            if (text == new DeviceSettings().Serialize())
            {
                return -1;
            }

            for (int k = 0; k < versions; k++)
            {
                if (text == Version(k).Serialize())
                {
                    return k;
                }
            }

            return null;
        }

        [Fact]
        public void A_power_cut_at_any_write_leaves_old_or_new_settings_and_loses_no_job_or_fax()
        {
            var clean = new MemoryStorage();
            var cleanRun = new Run();
            FirstLife(cleanRun, clean);
            Assert.False(clean.IsCut);
            Assert.True(cleanRun.Versions >= 5, "the scenario saves settings often enough: " + cleanRun.Versions);
            int writes = clean.Operations;
            var failures = new List<string>();
            var found = new Dictionary<string, int>();
            for (int cut = 0; cut <= writes; cut++)
            {
                string failure = CutAt(cut, found);
                if (failure != null)
                {
                    failures.Add("cut after " + cut + " writes: " + failure);
                }
            }

            _output.WriteLine((writes + 1) + " cut points, " + cleanRun.Versions + " settings versions saved in the clean run; settings found after the boot: "
                + string.Join(", ", found.Select(p => p.Key + " " + p.Value)));
            Assert.True(failures.Count == 0, failures.Count + " of " + (writes + 1) + " cuts broke an invariant:\n" + string.Join("\n", failures.Take(10)));
        }

        private static string CutAt(int cut, Dictionary<string, int> found)
        {
            var run = new Run();
            var storage = new MemoryStorage { CutAfter = cut };
            FirstLife(run, storage);
            int deliveriesBefore = run.Net.Deliveries.Count;
            int printsBefore = run.Printed.Count;
            MemoryStorage kept = storage.Reboot();
            var problems = new List<string>();

            // Settings: the last finished save, or the one the cut interrupted; nothing else.
            SettingsLoadResult loaded = new SettingsStore(kept).Load();
            int? version = Which(loaded.Settings, run.Versions);
            string kind = version == null ? "mixed" : version == run.LastSaved ? "old" : version == run.Interrupted ? "new" : "other";
            found[kind] = found.TryGetValue(kind, out int n) ? n + 1 : 1;
            if (version == null)
            {
                problems.Add("settings after the boot match no saved version (" + loaded.Source + ")");
            }
            else if (version != run.LastSaved && version != run.Interrupted)
            {
                problems.Add("settings version " + version + " after the boot; last saved " + run.LastSaved + ", interrupted " + run.Interrupted);
            }

            var sentBefore = s_recipients.Where(to => run.Accepted.TryGetValue(to, out int id) && MailBoard.Record(kept, id)?.State == JobState.Sent).ToList();
            MailBoard second = run.Board(kept, version >= 0 ? loaded.Settings : Version(0));
            second.Receiver.RequestNow();
            if (!second.TryRunUntil(() => run.Done(second), 2_000_000))
            {
                return "the second life did not settle\n" + run.Log.Dump(30);
            }

            foreach (string to in s_recipients)
            {
                List<SmtpDelivery> after = run.Net.Deliveries.Skip(deliveriesBefore).Where(d => d.Recipients.Contains(to)).ToList();
                int before = run.Net.Deliveries.Take(deliveriesBefore).Count(d => d.Recipients.Contains(to));
                if (!run.Accepted.TryGetValue(to, out int id))
                {
                    if (before + after.Count > 0)
                    {
                        problems.Add("job for " + to + " was not accepted but was sent");
                    }

                    continue;
                }

                MailJob job = second.Context.Jobs.Find(id);
                if (job == null)
                {
                    problems.Add("accepted job " + id + " lost");
                    continue;
                }

                if (job.State != JobState.Sent)
                {
                    problems.Add("job " + id + " ended " + job.State);
                }

                if (sentBefore.Contains(to) && after.Count > 0)
                {
                    problems.Add("job " + id + " recorded sent before the cut was sent again");
                }

                if (before + after.Count == 0)
                {
                    problems.Add("job " + id + " never reached the server");
                }
            }

            for (int f = 1; f <= 2; f++)
            {
                byte[] page = LabMail.Tiff(f);
                int printed = run.Printed.Count(p => p.Content.AsSpan().SequenceEqual(page));
                bool lastBeforeCut = printsBefore > 0 && run.Printed[printsBefore - 1].Content.AsSpan().SequenceEqual(page);

                // A cut between handing a fax to the engine and recording it printed prints it again.
                if (printed == 0 || (printed > 1 && !(printed == 2 && lastBeforeCut && storage.IsCut)))
                {
                    problems.Add("fax " + f + " printed " + printed + " times");
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
