using System;
using System.Text;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Settings;
using NetBoard.Firmware.Smtp;

using NetBoard.Firmware.Tests.Doubles;

namespace NetBoard.Firmware.Tests.Jobs
{
    public class SendPlanTests
    {
        private readonly MemoryStorage _storage = new MemoryStorage();

        public SendPlanTests()
        {
            _storage.Put("scan.pdf", Encoding.ASCII.GetBytes("%PDF-1.4\n"));
            _storage.Put("le.tif", new byte[] { (byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0 });
            _storage.Put("be.tif", new byte[] { (byte)'M', (byte)'M', 0, 42, 0, 0, 0, 8 });
            _storage.Put("short.tif", new byte[] { (byte)'I', (byte)'I', 42 });
            _storage.Put("empty.pdf", new byte[0]);
        }

        private static DeviceSettings Settings(params string[] lines)
        {
            SettingsParseResult parsed = DeviceSettings.Parse("smtp.host=mail.lab.test\ndevice.email=mfp@lab.test\n" + string.Join("\n", lines) + "\n");
            Assert.True(parsed.Ok, string.Join("; ", parsed.Errors));
            return parsed.Settings;
        }

        private static MailJob Job(JobKind kind = JobKind.Email, string document = "scan.pdf", params string[] to) =>
            new MailJob(1, kind, to.Length == 0 ? new[] { "alice@lab.test" } : to, null, document);

        private int Check(DeviceSettings settings, MailJob job, out string detail) => SendPlan.Create(settings).Check(job, _storage, out detail);

        [Fact]
        public void Complete_settings_and_a_readable_document_pass()
        {
            Assert.Equal(UserErrorCode.None, Check(Settings(), Job(), out string detail));
            Assert.Equal(string.Empty, detail);
            Assert.Equal(1, _storage.OpenCount);
            Assert.Equal(1, _storage.DisposeCount);
        }

        [Fact]
        public void Missing_smtp_host_is_refused()
        {
            var settings = new DeviceSettings();
            Assert.Null(settings.Set(SettingKeys.DeviceEmail, "mfp@lab.test"));
            Assert.Equal(UserErrorCode.SettingsIncomplete, Check(settings, Job(), out string detail));
            Assert.Equal("smtp.host is not set", detail);
        }

        [Fact]
        public void Missing_device_email_is_refused()
        {
            var settings = new DeviceSettings();
            Assert.Null(settings.Set(SettingKeys.SmtpHost, "mail.lab.test"));
            Assert.Equal(UserErrorCode.SettingsIncomplete, Check(settings, Job(), out string detail));
            Assert.Equal("device.email is not set", detail);
        }

        [Theory]
        [InlineData("scram-sha-256")]
        [InlineData("scram-sha-1")]
        [InlineData("cram-md5")]
        [InlineData("plain")]
        [InlineData("login")]
        public void Fixed_mechanism_without_user_is_refused(string auth)
        {
            Assert.Equal(UserErrorCode.SettingsIncomplete, Check(Settings("smtp.auth=" + auth), Job(), out string detail));
            Assert.Equal("smtp.auth=" + auth + " needs smtp.user", detail);
        }

        [Theory]
        [InlineData("off")]
        [InlineData("auto")]
        public void Off_or_auto_without_user_pass(string auth)
        {
            Assert.Equal(UserErrorCode.None, Check(Settings("smtp.auth=" + auth), Job(), out _));
        }

        [Fact]
        public void Fixed_mechanism_with_user_passes()
        {
            Assert.Equal(UserErrorCode.None, Check(Settings("smtp.auth=login", "smtp.user=scan"), Job(), out _));
        }

        [Theory]
        [InlineData("none", SmtpSecurity.None)]
        [InlineData("starttls", SmtpSecurity.StartTls)]
        [InlineData("tls", SmtpSecurity.Implicit)]
        public void Encryption_settings_pass_the_check_and_reach_the_session(string security, SmtpSecurity expected)
        {
            DeviceSettings settings = Settings("smtp.security=" + security);
            Assert.Equal(UserErrorCode.None, Check(settings, Job(), out string detail));
            Assert.Equal(expected, SendPlan.Create(settings).CreateSmtpOptions(Job()).Security);
        }

        [Fact]
        public void The_tls_policy_follows_the_settings()
        {
            Assert.True(SendPlan.Create(Settings()).Smtp.TlsPolicy.VerifyCertificate);
            NetBoard.Hal.TlsPolicy off = SendPlan.Create(Settings("tls.verify=off", "tls.ca_file=/etc/ca.pem")).Smtp.TlsPolicy;
            Assert.False(off.VerifyCertificate);
            Assert.Equal("/etc/ca.pem", off.CaFile);
        }

        [Fact]
        public void Pop_before_smtp_needs_a_pop_server_and_user()
        {
            Assert.Equal(UserErrorCode.SettingsIncomplete, Check(Settings("pop.before_smtp=on"), Job(), out string detail));
            Assert.Equal("pop.before_smtp=on needs pop.host", detail);
            Assert.Equal(UserErrorCode.SettingsIncomplete, Check(Settings("pop.before_smtp=on", "pop.host=pop.lab.test"), Job(), out detail));
            Assert.Equal("pop.before_smtp=on needs pop.user", detail);
            Assert.Equal(UserErrorCode.None, Check(Settings("pop.before_smtp=on", "pop.host=pop.lab.test", "pop.user=u"), Job(), out detail));
        }

        [Fact]
        public void Job_without_recipients_is_refused()
        {
            Assert.Equal(UserErrorCode.SettingsIncomplete, Check(Settings(), new MailJob(1, JobKind.Email, null, null, "scan.pdf"), out string detail));
            Assert.Equal("no recipient", detail);
            Assert.Equal(UserErrorCode.SettingsIncomplete, Check(Settings(), new MailJob(1, JobKind.Email, new string[0], null, "scan.pdf"), out detail));
            Assert.Equal("no recipient", detail);
        }

        [Theory]
        [InlineData("bob")]
        [InlineData("bob@lab.test>\r\nRCPT TO:<eve@evil.test")]
        [InlineData("")]
        public void Malformed_recipient_is_refused_by_name(string bad)
        {
            Assert.Equal(UserErrorCode.SettingsIncomplete, Check(Settings(), Job(JobKind.Email, "scan.pdf", "alice@lab.test", bad), out string detail));
            Assert.Equal("not an e-mail address: " + bad, detail);
        }

        [Fact]
        public void Settings_are_checked_before_the_document()
        {
            var settings = new DeviceSettings();
            Assert.Equal(UserErrorCode.SettingsIncomplete, Check(settings, Job(JobKind.Ifax, "missing.tif"), out _));
            Assert.Equal(0, _storage.OpenCount);
        }

        [Fact]
        public void Unreadable_document_is_a_document_error_naming_it()
        {
            Assert.Equal(UserErrorCode.DocumentError, Check(Settings(), Job(JobKind.Email, "missing.pdf"), out string detail));
            Assert.StartsWith("cannot read missing.pdf: ", detail);
            Assert.Contains("no such file", detail);
        }

        [Fact]
        public void Empty_document_may_be_mailed()
        {
            Assert.Equal(UserErrorCode.None, Check(Settings(), Job(JobKind.Email, "empty.pdf"), out _));
        }

        [Theory]
        [InlineData("le.tif")]
        [InlineData("be.tif")]
        public void Ifax_accepts_both_tiff_byte_orders(string name)
        {
            Assert.Equal(UserErrorCode.None, Check(Settings(), Job(JobKind.Ifax, name), out _));
        }

        [Fact]
        public void Tiff_header_is_found_when_the_source_hands_out_one_byte_at_a_time()
        {
            _storage.ChunkSize = 1;
            Assert.Equal(UserErrorCode.None, Check(Settings(), Job(JobKind.Ifax, "be.tif"), out _));
        }

        [Theory]
        [InlineData("scan.pdf")]
        [InlineData("short.tif")]
        [InlineData("empty.pdf")]
        public void Ifax_refuses_what_is_not_tiff(string name)
        {
            Assert.Equal(UserErrorCode.DocumentError, Check(Settings(), Job(JobKind.Ifax, name), out string detail));
            Assert.Equal(name + " is not a TIFF image (i-FAX needs TIFF)", detail);
            Assert.Equal(_storage.OpenCount, _storage.DisposeCount);
        }

        [Fact]
        public void Mixed_byte_order_marks_are_not_tiff()
        {
            _storage.Put("mixed.tif", new byte[] { (byte)'I', (byte)'I', 0, 42 });
            _storage.Put("mixed2.tif", new byte[] { (byte)'M', (byte)'M', 42, 0 });
            Assert.Equal(UserErrorCode.DocumentError, Check(Settings(), Job(JobKind.Ifax, "mixed.tif"), out _));
            Assert.Equal(UserErrorCode.DocumentError, Check(Settings(), Job(JobKind.Ifax, "mixed2.tif"), out _));
        }

        [Fact]
        public void Options_map_every_setting()
        {
            DeviceSettings settings = Settings(
                "smtp.ehlo_name=mfp-3f.lab.test",
                "smtp.auth=cram-md5",
                "smtp.auth.plaintext=deny",
                "smtp.user=scän",
                "smtp.password=pä ss",
                "smtp.timeout.connect_s=11",
                "smtp.timeout.greeting_s=12",
                "smtp.timeout.mail_s=13",
                "smtp.timeout.rcpt_s=14",
                "smtp.timeout.data_s=15",
                "smtp.timeout.block_s=16",
                "smtp.timeout.final_s=3600");
            MailJob job = Job(JobKind.Email, "scan.pdf", "alice@lab.test", "bob@lab.test");
            SmtpSessionOptions options = SendPlan.Create(settings).CreateSmtpOptions(job);

            Assert.Equal("mfp-3f.lab.test", options.EhloName);
            Assert.Equal(SmtpAuthMode.CramMd5, options.AuthMode);
            Assert.False(options.AllowPlaintextAuth);
            Assert.Equal(SmtpSecurity.None, options.Security);
            Assert.Equal(Encoding.UTF8.GetBytes("scän"), options.User);
            Assert.Equal(Encoding.UTF8.GetBytes("pä ss"), options.Password);
            Assert.Equal("mfp@lab.test", options.Sender);
            Assert.Equal(new[] { "alice@lab.test", "bob@lab.test" }, options.Recipients);
            Assert.Equal(11000, options.ConnectTimeoutMs);
            Assert.Equal(12000, options.GreetingTimeoutMs);
            Assert.Equal(13000, options.MailTimeoutMs);
            Assert.Equal(14000, options.RcptTimeoutMs);
            Assert.Equal(15000, options.DataTimeoutMs);
            Assert.Equal(16000, options.BlockTimeoutMs);
            Assert.Equal(3600000, options.FinalTimeoutMs);
        }

        [Fact]
        public void Factory_settings_give_the_rfc_timeouts_and_allow_plaintext()
        {
            SmtpSessionOptions options = SendPlan.Create(Settings()).CreateSmtpOptions(Job());
            var defaults = new SmtpSessionOptions();
            Assert.Equal(defaults.ConnectTimeoutMs, options.ConnectTimeoutMs);
            Assert.Equal(defaults.GreetingTimeoutMs, options.GreetingTimeoutMs);
            Assert.Equal(defaults.MailTimeoutMs, options.MailTimeoutMs);
            Assert.Equal(defaults.RcptTimeoutMs, options.RcptTimeoutMs);
            Assert.Equal(defaults.DataTimeoutMs, options.DataTimeoutMs);
            Assert.Equal(defaults.BlockTimeoutMs, options.BlockTimeoutMs);
            Assert.Equal(defaults.FinalTimeoutMs, options.FinalTimeoutMs);
            Assert.True(options.AllowPlaintextAuth);
            Assert.Equal(SmtpAuthMode.Auto, options.AuthMode);
            Assert.Equal(string.Empty, options.EhloName);
            Assert.Empty(options.User);
            Assert.Empty(options.Password);
        }

        [Fact]
        public void The_plan_asks_for_pipelining_where_the_server_announces_it()
        {
            Assert.False(new SmtpSessionOptions().Pipelining);
            Assert.True(SendPlan.Create(Settings()).CreateSmtpOptions(Job()).Pipelining);
            Assert.True(SendPlan.Create(Settings("smtp.pipelining=auto")).CreateSmtpOptions(Job()).Pipelining);
            Assert.False(SendPlan.Create(Settings("smtp.pipelining=off")).CreateSmtpOptions(Job()).Pipelining);
            Assert.False(DeviceSettings.Parse("smtp.pipelining=on\n").Ok);
            Assert.False(new SmtpSessionOptions().Chunking);
            Assert.True(SendPlan.Create(Settings()).CreateSmtpOptions(Job()).Chunking);
            Assert.False(SendPlan.Create(Settings("smtp.chunking=off")).CreateSmtpOptions(Job()).Chunking);
            Assert.False(DeviceSettings.Parse("smtp.chunking=on\n").Ok);
        }

        [Fact]
        public void Pop_pipelining_follows_its_setting_for_pop_before_smtp()
        {
            const string pop = "pop.before_smtp=on\npop.host=pop.lab.test\npop.user=scan\npop.password=pw";
            Assert.True(SendPlan.Create(Settings(pop)).PopBeforeSmtp.CreateOptions().Pipelining);
            Assert.False(SendPlan.Create(Settings(pop, "pop.pipelining=off")).PopBeforeSmtp.CreateOptions().Pipelining);
        }

        [Fact]
        public void Credentials_are_fresh_copies_each_time()
        {
            DeviceSettings settings = Settings("smtp.user=scan", "smtp.password=pw");
            SmtpSessionOptions first = SendPlan.Create(settings).CreateSmtpOptions(Job());
            Array.Clear(first.User);
            Array.Clear(first.Password);
            SmtpSessionOptions second = SendPlan.Create(settings).CreateSmtpOptions(Job());
            Assert.Equal(Encoding.UTF8.GetBytes("scan"), second.User);
            Assert.Equal(Encoding.UTF8.GetBytes("pw"), second.Password);
            Assert.Equal("pw", settings.Get(SettingKeys.SmtpPassword));
        }

        [Theory]
        [InlineData("off", SmtpAuthMode.Off)]
        [InlineData("auto", SmtpAuthMode.Auto)]
        [InlineData("scram-sha-256", SmtpAuthMode.ScramSha256)]
        [InlineData("scram-sha-1", SmtpAuthMode.ScramSha1)]
        [InlineData("cram-md5", SmtpAuthMode.CramMd5)]
        [InlineData("plain", SmtpAuthMode.Plain)]
        [InlineData("login", SmtpAuthMode.Login)]
        public void Every_auth_word_maps_to_its_mode(string word, SmtpAuthMode mode)
        {
            Assert.Equal(mode, SendPlan.ParseAuthMode(word));
            Assert.Equal(mode, SendPlan.Create(Settings("smtp.auth=" + word, "smtp.user=u")).CreateSmtpOptions(Job()).AuthMode);
        }

        [Fact]
        public void Unknown_auth_word_falls_back_to_auto()
        {
            Assert.Equal(SmtpAuthMode.Auto, SendPlan.ParseAuthMode("ntlm"));
            Assert.Equal(SmtpAuthMode.Auto, SendPlan.ParseAuthMode(string.Empty));
        }

        [Fact]
        public void The_plan_holds_typed_values_from_the_settings()
        {
            SendPlan plan = SendPlan.Create(Settings(
                "smtp.port=465",
                "smtp.security=tls",
                "smtp.auth=login",
                "smtp.user=scan",
                "net.local_address=192.0.2.20",
                "pop.before_smtp=on",
                "pop.host=pop.lab.test",
                "pop.user=ifax",
                "pop.security=stls",
                "pop.login=apop",
                "pop.before_smtp.delay_ms=450",
                "job.retry_attempts=5",
                "job.retry_interval_s=90"));

            Assert.Equal("mail.lab.test", plan.Smtp.Host);
            Assert.Equal(465, plan.Smtp.Port);
            Assert.Equal("192.0.2.20", plan.Smtp.LocalAddress);
            Assert.True(plan.Smtp.ImplicitTls);
            Assert.Equal(SmtpSecurity.Implicit, plan.Security);
            Assert.Equal(SmtpAuthMode.Login, plan.AuthMode);
            Assert.True(plan.HasUser);
            Assert.True(plan.NeedsTls);
            Assert.Equal(450, plan.PopBeforeSmtpDelayMs);
            Assert.Equal(5, plan.MaxAttempts);
            Assert.Equal(90, plan.RetryIntervalS);
            Assert.NotNull(plan.PopBeforeSmtp);
            Assert.Equal(NetBoard.Firmware.Pop.PopSessionMode.LoginOnly, plan.PopBeforeSmtp.Mode);
            Assert.Equal(NetBoard.Firmware.Pop.PopSecurity.Stls, plan.PopBeforeSmtp.Security);
            Assert.Equal(NetBoard.Firmware.Pop.PopLoginMode.Apop, plan.PopBeforeSmtp.LoginMode);
            Assert.Equal("pop.lab.test", plan.PopBeforeSmtp.Pop.Host);
            Assert.False(plan.PopBeforeSmtp.Pop.ImplicitTls);
        }

        [Theory]
        [InlineData("none", "none", false, false)]
        [InlineData("starttls", "none", false, true)]
        [InlineData("none", "tls", false, false)]
        [InlineData("none", "tls", true, true)]
        [InlineData("none", "stls", true, true)]
        public void The_tls_need_covers_smtp_and_the_pop_login_before_it(string smtp, string pop, bool popBeforeSmtp, bool needsTls)
        {
            SendPlan plan = SendPlan.Create(Settings("smtp.security=" + smtp, "pop.security=" + pop, "pop.before_smtp=" + (popBeforeSmtp ? "on" : "off")));
            Assert.Equal(needsTls, plan.NeedsTls);
            Assert.Equal(popBeforeSmtp, plan.PopBeforeSmtp != null);
        }

        [Fact]
        public void A_plan_is_fixed_once_made_and_hands_each_session_fresh_credentials()
        {
            var keeper = new SettingsKeeper(Settings("smtp.user=scan", "smtp.password=pw", "smtp.security=starttls"), null);
            SendPlan plan = SendPlan.Create(keeper.Current);
            DeviceSettings edited = keeper.Edit();
            Assert.Null(edited.Set(SettingKeys.SmtpSecurity, "none"));
            Assert.Null(edited.Set(SettingKeys.SmtpPassword, "changed"));
            Assert.Null(edited.Set(SettingKeys.SmtpHost, "other.lab.test"));
            Assert.Null(keeper.Commit(edited));

            SmtpSessionOptions first = plan.CreateSmtpOptions(Job());
            Array.Clear(first.Password);
            SmtpSessionOptions second = plan.CreateSmtpOptions(Job());
            Assert.Equal(SmtpSecurity.StartTls, second.Security);
            Assert.Equal("mail.lab.test", plan.Smtp.Host);
            Assert.Equal(Encoding.UTF8.GetBytes("pw"), second.Password);
            Assert.Equal(SmtpSecurity.None, SendPlan.Create(keeper.Current).Security);
        }

        [Fact]
        public void The_message_comes_from_the_plan()
        {
            SendPlan plan = SendPlan.Create(Settings("device.name=Front Desk"));
            var info = plan.CreateMessage(Job(JobKind.Ifax, "docs/x/fax.tif"), 1234, new DateTime(2026, 11, 29, 9, 0, 0, DateTimeKind.Utc), new Random(1));
            Assert.Equal("mfp@lab.test", info.FromAddress);
            Assert.Equal("Front Desk", info.FromName);
            Assert.Equal("Internet fax from Front Desk", info.Subject);
            Assert.Equal("fax.tif", info.AttachmentName);
            Assert.Equal("image/tiff", info.AttachmentType);
            Assert.Contains("(1234 bytes)", info.BodyText);
        }
    }
}
