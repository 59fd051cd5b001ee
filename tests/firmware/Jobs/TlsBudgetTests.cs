using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Settings;
using NetBoard.Firmware.Tests.Doubles;

namespace NetBoard.Firmware.Tests.Jobs
{
    /// <summary>One TLS session at a time on the device: the send task waits while a TLS reception runs.</summary>
    public class TlsBudgetTests
    {
        [Fact]
        public void A_tls_send_waits_for_a_tls_reception_to_end_even_without_pop_before_smtp()
        {
            var clock = new VirtualClock();
            var log = new EventLog(clock);
            var net = new LabNetwork(clock, log, new[] { ("u1", LabMail.Fax(1)), ("u2", LabMail.Fax(2)) });
            DeviceSettings settings = MailBoard.LabSettings(popBeforeSmtp: false);
            MailBoard.Set(settings, SettingKeys.SmtpSecurity, "tls");
            MailBoard.Set(settings, SettingKeys.PopSecurity, "tls");
            var board = new MailBoard(new MemoryStorage(), net, clock, log, settings);

            net.PopScript = n => LinkScript.On("RETR", LinkRule.Delay(4000));
            board.Receiver.RequestNow();
            board.RunUntil(() => log.Has("pop#1", "C: RETR 1"), what: "reception at RETR 1");
            MailJob job = board.Submit("alice@lab.test");
            board.RunUntil(() => job.State == JobState.Sent && board.Quiet, what: "job sent");

            LabEvent popTls = log.Find("pop#1", "TLS with " + LabNetwork.PopHost);
            LabEvent popClosed = log.Find("pop#1", "closed by the client");
            LabEvent smtpConnect = log.Find("smtp#1", "connect");
            LabEvent smtpTls = log.Find("smtp#1", "TLS with " + LabNetwork.SmtpHost);
            Assert.True(popTls.Index < popClosed.Index);
            Assert.True(popClosed.Index < smtpConnect.Index, "the SMTP session opened while the POP TLS session was still up");
            Assert.True(smtpConnect.Index < smtpTls.Index);
            Assert.True(board.Context.TlsLock.IsFree);
            Assert.Contains(board.Journal, l => l.Contains(" tls=scripted TLS"));
        }

        [Fact]
        public void Plain_sessions_do_not_wait_for_the_tls_budget()
        {
            var clock = new VirtualClock();
            var log = new EventLog(clock);
            var net = new LabNetwork(clock, log, new[] { ("u1", LabMail.Fax(1)) });
            DeviceSettings settings = MailBoard.LabSettings(popBeforeSmtp: false);
            MailBoard.Set(settings, SettingKeys.PopSecurity, "tls");
            var board = new MailBoard(new MemoryStorage(), net, clock, log, settings);

            net.PopScript = n => LinkScript.On("RETR", LinkRule.Delay(4000));
            board.Receiver.RequestNow();
            board.RunUntil(() => log.Has("pop#1", "C: RETR 1"), what: "reception at RETR 1");
            MailJob job = board.Submit("alice@lab.test");
            board.RunUntil(() => job.State == JobState.Sent, what: "job sent");
            Assert.False(log.Has("pop#1", "closed by the client"), "the plain send waited for the TLS reception");
        }
    }
}
