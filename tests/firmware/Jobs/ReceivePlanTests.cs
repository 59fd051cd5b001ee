using System.Text;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Pop;
using NetBoard.Firmware.Settings;
using NetBoard.Firmware.Tests.Doubles;

namespace NetBoard.Firmware.Tests.Jobs
{
    public sealed class ReceivePlanTests
    {
        private static DeviceSettings Settings(params string[] lines)
        {
            SettingsParseResult parsed = DeviceSettings.Parse(string.Join("\n", lines) + "\n");
            Assert.True(parsed.Ok, string.Join("; ", parsed.Errors));
            return parsed.Settings;
        }

        [Theory]
        [InlineData("none", PopSecurity.None, false)]
        [InlineData("stls", PopSecurity.Stls, true)]
        [InlineData("tls", PopSecurity.Implicit, true)]
        public void Security_is_typed_and_decides_the_tls_need(string word, PopSecurity security, bool needsTls)
        {
            ReceivePlan plan = ReceivePlan.Create(Settings("pop.host=pop.lab.test", "pop.security=" + word), PopSessionMode.Receive);
            Assert.Equal(security, plan.Security);
            Assert.Equal(needsTls, plan.NeedsTls);
            Assert.Equal(security == PopSecurity.Implicit, plan.Pop.ImplicitTls);
            Assert.Equal(security, plan.CreateOptions().Security);
        }

        [Theory]
        [InlineData("auto", PopLoginMode.Auto)]
        [InlineData("user", PopLoginMode.UserPass)]
        [InlineData("apop", PopLoginMode.Apop)]
        [InlineData("cram-md5", PopLoginMode.CramMd5)]
        [InlineData("scram-sha-256", PopLoginMode.ScramSha256)]
        [InlineData("scram-sha-1", PopLoginMode.ScramSha1)]
        public void Every_login_word_maps_to_its_mode(string word, PopLoginMode mode)
        {
            Assert.Equal(mode, ReceivePlan.ParseLoginMode(word));
            Assert.Equal(mode, ReceivePlan.Create(Settings("pop.login=" + word), PopSessionMode.LoginOnly).CreateOptions().LoginMode);
        }

        [Fact]
        public void The_options_carry_the_plan_and_fresh_credentials()
        {
            ReceivePlan plan = ReceivePlan.Create(Settings("pop.host=pop.lab.test", "pop.port=1110", "pop.user=ifax", "pop.password=pä ss", "net.local_address=192.0.2.20"), PopSessionMode.Receive);
            PopSessionOptions first = plan.CreateOptions();
            System.Array.Clear(first.Password);
            PopSessionOptions options = plan.CreateOptions();

            Assert.Equal("pop.lab.test", plan.Pop.Host);
            Assert.Equal(1110, plan.Pop.Port);
            Assert.Equal("192.0.2.20", plan.Pop.LocalAddress);
            Assert.Equal(PopSessionMode.Receive, options.Mode);
            Assert.Equal(Encoding.UTF8.GetBytes("ifax"), options.User);
            Assert.Equal(Encoding.UTF8.GetBytes("pä ss"), options.Password);
            Assert.Equal(plan.ConnectTimeoutMs, options.ConnectTimeoutMs);
            Assert.Equal(plan.CommandTimeoutMs, options.CommandTimeoutMs);
            Assert.Equal(plan.RetrieveBlockTimeoutMs, options.RetrieveBlockTimeoutMs);
        }

        [Fact]
        public void A_reception_needs_a_server_and_a_user()
        {
            Assert.Equal("pop.host", ReceivePlan.Create(Settings("pop.user=ifax"), PopSessionMode.Receive).MissingSetting());
            Assert.Equal("pop.user", ReceivePlan.Create(Settings("pop.host=pop.lab.test"), PopSessionMode.Receive).MissingSetting());
            Assert.Null(ReceivePlan.Create(Settings("pop.host=pop.lab.test", "pop.user=ifax"), PopSessionMode.Receive).MissingSetting());
        }

        [Fact]
        public void The_receive_task_plans_each_reception_from_the_settings_in_force_when_it_begins()
        {
            var clock = new VirtualClock();
            var log = new EventLog(clock);
            var net = new LabNetwork(clock, log, ("u1", LabMail.Fax(1)));
            var board = new MailBoard(new MemoryStorage(), net, clock, log, MailBoard.LabSettings());
            net.PopScript = n => LinkScript.On("RETR", LinkRule.Delay(2000));

            board.Receiver.RequestNow();
            board.RunUntil(() => log.Has("pop#1", "C: RETR 1"), what: "the first reception at RETR");
            ReceivePlan running = board.Receiver.Plan;
            board.Change(SettingKeys.PopSecurity, "tls");
            board.RunUntil(() => board.Receiver.Plan != running || !board.Receiver.IsBusy, what: "the first reception's end");

            Assert.Null(board.Receiver.Plan);
            Assert.False(log.Has("pop#1", "TLS with"));
            Assert.Equal(PopSecurity.None, running.Security);
            Assert.True(board.Context.TlsLock.IsFree);

            board.Receiver.RequestNow();
            board.RunUntil(() => log.Has("pop#2", "C: QUIT"), what: "the second reception");
            Assert.True(log.Has("pop#2", "TLS with " + LabNetwork.PopHost));
        }
    }
}
