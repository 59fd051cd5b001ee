using System;
using NetBoard.Firmware.Settings;

namespace NetBoard.Firmware.Tests.Settings
{
    public class DeviceSettingsTests
    {
        private static DeviceSettings ParseOk(string text)
        {
            SettingsParseResult result = DeviceSettings.Parse(text);
            Assert.True(result.Ok, string.Join("; ", result.Errors));
            Assert.NotNull(result.Settings);
            return result.Settings;
        }

        private static string[] ParseErrors(string text)
        {
            SettingsParseResult result = DeviceSettings.Parse(text);
            Assert.False(result.Ok);
            Assert.Null(result.Settings);
            return result.Errors;
        }

        [Fact]
        public void New_settings_hold_the_factory_values()
        {
            var settings = new DeviceSettings();
            foreach (SettingDefinition definition in SettingsSchema.All)
            {
                Assert.Equal(definition.DefaultValue, settings.Get(definition.Key));
            }

            Assert.Equal(25, settings.GetInt(SettingKeys.SmtpPort));
            Assert.Equal("auto", settings.Get(SettingKeys.SmtpAuth));
            Assert.False(settings.IsOn(SettingKeys.PopBeforeSmtp));
        }

        [Fact]
        public void Every_factory_value_passes_its_own_validation()
        {
            foreach (SettingDefinition definition in SettingsSchema.All)
            {
                Assert.Null(SettingValidator.Check(definition, definition.DefaultValue));
            }
        }

        [Fact]
        public void Schema_keys_are_unique_and_found_by_index()
        {
            SettingDefinition[] all = SettingsSchema.All;
            for (int i = 0; i < all.Length; i++)
            {
                Assert.Equal(i, SettingsSchema.IndexOf(all[i].Key));
            }

            Assert.Equal(-1, SettingsSchema.IndexOf("smtp.hots"));
            Assert.Equal(-1, SettingsSchema.IndexOf("SMTP.HOST"));
        }

        [Fact]
        public void Empty_text_gives_the_factory_settings()
        {
            DeviceSettings settings = ParseOk(string.Empty);
            Assert.Equal(new DeviceSettings().Serialize(), settings.Serialize());
        }

        [Fact]
        public void Comments_and_blank_lines_are_skipped()
        {
            DeviceSettings settings = ParseOk("# scan to e-mail\n\n   \n  # indented comment\nsmtp.host=mail.lab.test\n\t\nsmtp.port=2525\n#smtp.port=1\n");
            Assert.Equal("mail.lab.test", settings.Get(SettingKeys.SmtpHost));
            Assert.Equal(2525, settings.GetInt(SettingKeys.SmtpPort));
        }

        [Fact]
        public void Crlf_files_parse_like_lf_files()
        {
            DeviceSettings settings = ParseOk("smtp.host=mail.lab.test\r\nsmtp.auth=login\r\n\r\ndevice.email=mfp@lab.test\r\n");
            Assert.Equal("mail.lab.test", settings.Get(SettingKeys.SmtpHost));
            Assert.Equal("login", settings.Get(SettingKeys.SmtpAuth));
            Assert.Equal("mfp@lab.test", settings.Get(SettingKeys.DeviceEmail));
        }

        [Fact]
        public void Last_line_without_a_line_end_is_read()
        {
            Assert.Equal("587", ParseOk("smtp.port=587").Get(SettingKeys.SmtpPort));
        }

        [Fact]
        public void Spaces_around_key_and_value_are_trimmed_and_value_may_hold_equals_signs()
        {
            DeviceSettings settings = ParseOk("  smtp.port =  587  \nsmtp.password=a=b=c\n");
            Assert.Equal(587, settings.GetInt(SettingKeys.SmtpPort));
            Assert.Equal("a=b=c", settings.Get(SettingKeys.SmtpPassword));
        }

        [Fact]
        public void Keys_not_in_the_file_keep_their_factory_value()
        {
            DeviceSettings settings = ParseOk("smtp.port=587\n");
            Assert.Equal("30", settings.Get(SettingKeys.SmtpTimeoutConnect));
            Assert.Equal("MFP", settings.Get(SettingKeys.DeviceName));
        }

        [Fact]
        public void Unknown_key_is_an_error_naming_line_and_key()
        {
            Assert.Equal(new[] { "line 2: unknown key 'smtp.hots'" }, ParseErrors("# x\nsmtp.hots=mail.lab.test\n"));
        }

        [Fact]
        public void Keys_are_case_sensitive()
        {
            Assert.Equal(new[] { "line 1: unknown key 'SMTP.PORT'" }, ParseErrors("SMTP.PORT=25\n"));
        }

        [Fact]
        public void Duplicate_key_is_an_error_on_the_second_line()
        {
            Assert.Equal(new[] { "line 3: smtp.port is set twice" }, ParseErrors("smtp.port=25\n\nsmtp.port=587\n"));
        }

        [Theory]
        [InlineData("smtp.port")]
        [InlineData("=25")]
        [InlineData(" = 25")]
        public void Line_without_key_and_equals_is_an_error(string line)
        {
            Assert.Equal(new[] { "line 2: expected key=value" }, ParseErrors("smtp.port=25\n" + line + "\n"));
        }

        [Fact]
        public void Bad_value_error_names_the_line_number_key_and_reason()
        {
            string[] errors = ParseErrors("# comment\r\n\r\nsmtp.host=mail.lab.test\r\nsmtp.port=http\r\n");
            Assert.Equal(new[] { "line 4: smtp.port: must be a number from 1 to 65535" }, errors);
        }

        [Fact]
        public void Every_bad_line_is_reported_in_order()
        {
            string[] errors = ParseErrors("smtp.auth=ntlm\nsmtp.port=0\nbogus\nsmtp.host=mail_server\nsmtp.auth=plain\ndevice.email=nobody\n");
            Assert.Equal(
                new[]
                {
                    "line 1: smtp.auth: must be one of off|auto|scram-sha-256|scram-sha-1|cram-md5|plain|login|xoauth2|oauthbearer",
                    "line 2: smtp.port: must be a number from 1 to 65535",
                    "line 3: expected key=value",
                    "line 4: smtp.host: not a host name or IPv4 address",
                    "line 5: smtp.auth is set twice",
                    "line 6: device.email: not an e-mail address",
                },
                errors);
        }

        [Fact]
        public void Serialize_lists_every_key_in_schema_order_with_lf()
        {
            string text = new DeviceSettings().Serialize();
            string[] lines = text.Split('\n');
            Assert.Equal(SettingsSchema.All.Length + 1, lines.Length);
            Assert.Equal(string.Empty, lines[^1]);
            Assert.DoesNotContain("\r", text);
            for (int i = 0; i < SettingsSchema.All.Length; i++)
            {
                Assert.Equal(SettingsSchema.All[i].Key + "=" + SettingsSchema.All[i].DefaultValue, lines[i]);
            }
        }

        [Fact]
        public void Serialize_then_parse_gives_the_same_settings()
        {
            var settings = new DeviceSettings();
            Assert.Null(settings.Set(SettingKeys.SmtpHost, "mail.lab.test"));
            Assert.Null(settings.Set(SettingKeys.SmtpPort, "587"));
            Assert.Null(settings.Set(SettingKeys.SmtpAuth, "cram-md5"));
            Assert.Null(settings.Set(SettingKeys.SmtpAuthPlaintext, "deny"));
            Assert.Null(settings.Set(SettingKeys.SmtpUser, "scanner"));
            Assert.Null(settings.Set(SettingKeys.SmtpPassword, "p#ss=w0rd ü"));
            Assert.Null(settings.Set(SettingKeys.SmtpEhloName, "mfp-3f.lab.test"));
            Assert.Null(settings.Set(SettingKeys.SmtpTimeoutFinal, "3600"));
            Assert.Null(settings.Set(SettingKeys.DeviceEmail, "mfp@lab.test"));
            Assert.Null(settings.Set(SettingKeys.DeviceName, "# 3rd floor"));
            Assert.Null(settings.Set(SettingKeys.PopBeforeSmtp, "on"));
            Assert.Null(settings.Set(SettingKeys.PopBeforeSmtpDelayMs, "0"));
            Assert.Null(settings.Set(SettingKeys.NetLocalAddress, "192.0.2.20"));

            DeviceSettings again = ParseOk(settings.Serialize());
            foreach (SettingDefinition definition in SettingsSchema.All)
            {
                Assert.Equal(settings.Get(definition.Key), again.Get(definition.Key));
            }

            Assert.Equal(settings.Serialize(), again.Serialize());
            Assert.True(again.IsOn(SettingKeys.PopBeforeSmtp));
            Assert.Equal(0, again.GetInt(SettingKeys.PopBeforeSmtpDelayMs));
        }

        [Fact]
        public void Values_with_outer_spaces_are_refused_so_none_is_silently_changed_by_a_restart()
        {
            var settings = new DeviceSettings();
            Assert.Equal("starts or ends with a space", settings.Set(SettingKeys.SmtpPassword, " secret "));
            Assert.Equal("starts or ends with a space", settings.Set(SettingKeys.DeviceName, "MFP "));
            Assert.Null(settings.Set(SettingKeys.SmtpPassword, "se cret"));
            DeviceSettings again = ParseOk(settings.Serialize());
            Assert.Equal("se cret", again.Get(SettingKeys.SmtpPassword));
            Assert.Equal("MFP", again.Get(SettingKeys.DeviceName));
        }

        [Fact]
        public void Set_accepts_a_valid_value()
        {
            var settings = new DeviceSettings();
            Assert.Null(settings.Set(SettingKeys.SmtpPort, "465"));
            Assert.Equal(465, settings.GetInt(SettingKeys.SmtpPort));
        }

        [Fact]
        public void Set_keeps_the_old_value_on_error()
        {
            var settings = new DeviceSettings();
            Assert.Null(settings.Set(SettingKeys.SmtpHost, "mail.lab.test"));
            Assert.Equal("not a host name or IPv4 address", settings.Set(SettingKeys.SmtpHost, "bad host"));
            Assert.Equal("mail.lab.test", settings.Get(SettingKeys.SmtpHost));

            Assert.Equal("must be a number from 1 to 65535", settings.Set(SettingKeys.SmtpPort, "65536"));
            Assert.Equal(25, settings.GetInt(SettingKeys.SmtpPort));

            Assert.Equal("no value", settings.Set(SettingKeys.SmtpUser, null));
            Assert.Equal(string.Empty, settings.Get(SettingKeys.SmtpUser));
        }

        [Fact]
        public void Set_of_an_unknown_key_says_so()
        {
            Assert.Equal("unknown key 'smtp.hots'", new DeviceSettings().Set("smtp.hots", "x"));
        }

        [Fact]
        public void Reading_an_unknown_key_throws()
        {
            var settings = new DeviceSettings();
            Assert.Throws<ArgumentException>(() => settings.Get("smtp.hots"));
            Assert.Throws<ArgumentException>(() => settings.GetInt("nope"));
            Assert.Throws<ArgumentException>(() => settings.IsOn("nope"));
        }

        [Fact]
        public void Leading_zeros_in_numbers_are_read_as_decimal()
        {
            Assert.Equal(8, ParseOk("smtp.port=0008\n").GetInt(SettingKeys.SmtpPort));
        }
    }
}
