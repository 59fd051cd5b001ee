using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Settings;
using NetBoard.Firmware.Tests.Doubles;
using NetBoard.Firmware.Tests.Panel;
using NetBoard.Hal;

namespace NetBoard.Firmware.Tests.Jobs
{
    /// <summary>
    /// A running attempt never sees a settings change: smtp.security, the SMTP server, the SMTP password and the
    /// POP wait time are changed at the front panel during the POP-before-SMTP wait, during AUTH and during DATA.
    /// The attempt in hand goes on exactly as planned, the next one uses the new values, and at no moment does a
    /// TLS session run without the TLS budget (or two at once).
    /// </summary>
    public sealed class SettingsChangeDuringAttemptTests
    {
        private const string OldPassword = "old-Secret-1";
        private const string NewPassword = "new-Secret-2";
        private const int OldDelayMs = 300;
        private const int NewDelayMs = 1200;

        public static TheoryData<string> Moments() => new TheoryData<string> { "POP wait", "AUTH", "DATA" };

        private static bool IsMoment(string moment, LabEvent e)
        {
            switch (moment)
            {
                case "POP wait":
                    return e.Source == "timer" && e.Text.StartsWith("start", StringComparison.Ordinal);
                case "AUTH":
                    return e.Source == "smtp#1" && e.Text.StartsWith("C: AUTH", StringComparison.Ordinal);
                default:
                    return e.Source == "smtp#1" && e.Text == "C: DATA";
            }
        }

        /// <summary>The four changes, keyed in at the panel as a user would, each stored with Set.</summary>
        private static void ChangeAtThePanel(PanelDriver panel)
        {
            panel.Open(SettingKeys.SmtpSecurity);
            panel.Press(PanelKey.Up, PanelKey.Up, PanelKey.Set, PanelKey.Menu);
            panel.Open(SettingKeys.SmtpHost);
            panel.Replace(LabNetwork.OtherSmtpHost);
            panel.Press(PanelKey.Set, PanelKey.Menu);
            panel.Open(SettingKeys.SmtpPassword);
            panel.Type(NewPassword);
            panel.Press(PanelKey.Set, PanelKey.Menu);
            panel.Open(SettingKeys.PopBeforeSmtpDelayMs);
            panel.Replace(NewDelayMs.ToString());
            panel.Press(PanelKey.Set, PanelKey.Menu);
        }

        /// <summary>The password an AUTH PLAIN line on <paramref name="connection"/> carried.</summary>
        private static string PlainPassword(EventLog log, string connection)
        {
            LabEvent auth = log.Find(connection, "C: AUTH PLAIN ");
            Assert.NotNull(auth);
            string[] parts = Encoding.UTF8.GetString(Convert.FromBase64String(auth.Text.Substring("C: AUTH PLAIN ".Length))).Split('\0');
            Assert.Equal("scan", parts[1]);
            return parts[2];
        }

        [Theory]
        [MemberData(nameof(Moments))]
        public void A_change_during_an_attempt_leaves_it_as_planned_and_applies_to_the_next(string moment)
        {
            var clock = new VirtualClock();
            var log = new EventLog(clock);
            var net = new LabNetwork(clock, log);
            DeviceSettings settings = MailBoard.LabSettings(popBeforeSmtp: true, delayMs: OldDelayMs);
            MailBoard.Set(settings, SettingKeys.SmtpUser, "scan");
            MailBoard.Set(settings, SettingKeys.SmtpPassword, OldPassword);
            var board = new MailBoard(new MemoryStorage(), net, clock, log, settings);
            var panel = new PanelDriver(20, 4, keeper: board.Context.SettingsKeeper);

            // The budget: a TLS session is up only while the TLS lock is held, and never two at once.
            var violations = new List<string>();
            MailJob first = null;
            SendPlan firstPlan = null;
            board.OnRound = () =>
            {
                List<ScriptedLink> tls = net.Links.Where(l => l.Tls == TlsState.Established && !l.Ended).ToList();
                if (tls.Count > 1 || (tls.Count == 1 && board.Context.TlsLock.IsFree))
                {
                    violations.Add(clock.NowMs + " ms: TLS on " + string.Join(", ", tls.Select(l => l.Name)) + ", TLS lock " + (board.Context.TlsLock.IsFree ? "free" : "held"));
                }

                if (first != null && board.Sender.CurrentJob == first)
                {
                    firstPlan ??= board.Sender.Plan;
                    if (!ReferenceEquals(firstPlan, board.Sender.Plan))
                    {
                        violations.Add(clock.NowMs + " ms: the running attempt's plan changed");
                    }
                }
            };

            bool changed = false;
            log.OnEvent = e =>
            {
                if (!changed && IsMoment(moment, e))
                {
                    changed = true;
                    ChangeAtThePanel(panel);
                }
            };

            first = board.Submit("alice@lab.test");
            board.RunUntil(() => board.AttemptEnded(first, 1), what: "the first attempt");
            log.OnEvent = null;

            Assert.True(changed, "the change was made " + moment);
            Assert.Equal(4, panel.ChangedCount);
            Assert.Equal(NewPassword, board.Settings.Get(SettingKeys.SmtpPassword));

            // The running attempt: the old server, in clear, the old password, the old wait.
            Assert.Equal(JobState.Sent, first.State);
            Assert.Equal(new[] { "smtp#1" }, log.Connections("smtp"));
            Assert.Empty(log.Connections("smtp2"));
            Assert.False(log.Has("smtp#1", "TLS with"), "the running attempt started TLS");
            Assert.Equal(OldPassword, PlainPassword(log, "smtp#1"));
            LabEvent firstWait = log.Find("timer", "start");
            Assert.Equal("start " + (OldDelayMs * 1000) + "us", firstWait.Text);
            long waited = log.Find("smtp#1", "connect").Ms - firstWait.Ms;
            Assert.InRange(waited, OldDelayMs, NewDelayMs - 1);
            Assert.Contains(net.Deliveries, d => d.Connection == "smtp#1");
            Assert.DoesNotContain(" tls=", board.Journal.Last(), StringComparison.Ordinal);

            // The next attempt: the new server, over TLS (holding the budget), the new password, the new wait.
            int timerEvents = log.Of("timer").Count;
            MailJob second = board.Submit("bob@lab.test");
            board.RunUntil(() => board.AttemptEnded(second, 1), what: "the second attempt");

            Assert.Equal(JobState.Sent, second.State);
            Assert.Equal(new[] { "smtp2#1" }, log.Connections("smtp2"));
            Assert.Single(log.Connections("smtp"));
            Assert.True(log.Has("smtp2#1", "TLS with " + LabNetwork.OtherSmtpHost));
            Assert.Equal(NewPassword, PlainPassword(log, "smtp2#1"));
            LabEvent secondWait = log.Events.Where(e => e.Source == "timer" && e.Text.StartsWith("start", StringComparison.Ordinal)).Skip(1).First();
            Assert.Equal("start " + (NewDelayMs * 1000) + "us", secondWait.Text);
            Assert.True(log.Find("smtp2#1", "connect").Ms - secondWait.Ms >= NewDelayMs);
            Assert.True(log.Of("timer").Count > timerEvents);
            Assert.Contains(net.Deliveries, d => d.Connection == "smtp2#1");
            Assert.EndsWith(" tls=scripted TLS pop-before-smtp", board.Journal.Last(), StringComparison.Ordinal);

            Assert.True(violations.Count == 0, string.Join("\n", violations));
            Assert.True(board.Context.TlsLock.IsFree);
            Assert.True(board.Context.MailLock.IsFree);
        }
    }
}
