using NetBoard.Firmware.Settings;

namespace NetBoard.Firmware.Tests.Settings
{
    public class SettingValidatorTests
    {
        private static SettingDefinition Def(string key) => SettingsSchema.All[SettingsSchema.IndexOf(key)];

        [Theory]
        [InlineData("0.0.0.0")]
        [InlineData("127.0.0.1")]
        [InlineData("192.168.1.20")]
        [InlineData("255.255.255.255")]
        [InlineData("010.001.1.1")]
        public void Valid_ipv4_addresses(string value)
        {
            Assert.True(SettingValidator.IsIPv4(value));
        }

        [Theory]
        [InlineData("")]
        [InlineData("1.2.3")]
        [InlineData("1.2.3.4.5")]
        [InlineData("256.1.1.1")]
        [InlineData("1.2.3.256")]
        [InlineData("1.2.3.0255")]
        [InlineData("1..2.3")]
        [InlineData(".1.2.3")]
        [InlineData("1.2.3.4.")]
        [InlineData("1.2.3.a")]
        [InlineData(" 1.2.3.4")]
        [InlineData("1.2.3.-4")]
        [InlineData("::1")]
        public void Invalid_ipv4_addresses(string value)
        {
            Assert.False(SettingValidator.IsIPv4(value));
        }

        [Theory]
        [InlineData("localhost")]
        [InlineData("mail.lab.test")]
        [InlineData("MAIL.Lab.Test")]
        [InlineData("a")]
        [InlineData("a-b--c.example")]
        [InlineData("3com.example")]
        [InlineData("mx1.example")]
        [InlineData("192.0.2.1")]
        public void Valid_host_names(string value)
        {
            Assert.True(SettingValidator.IsHost(value));
        }

        [Theory]
        [InlineData("")]
        [InlineData("-mail.lab.test")]
        [InlineData("mail-.lab.test")]
        [InlineData("mail.-lab.test")]
        [InlineData("mail..lab.test")]
        [InlineData(".mail.lab.test")]
        [InlineData("mail.lab.test.")]
        [InlineData("mail_server.lab.test")]
        [InlineData("mail lab")]
        [InlineData("mäil.lab.test")]
        [InlineData("1.2.3")]
        [InlineData("999.1.1.1")]
        [InlineData("[192.0.2.1]")]
        [InlineData("mail.lab.test:25")]
        public void Invalid_host_names(string value)
        {
            Assert.False(SettingValidator.IsHost(value));
        }

        [Fact]
        public void Host_label_may_be_63_characters_but_not_64()
        {
            Assert.True(SettingValidator.IsHost(new string('a', 63) + ".test"));
            Assert.False(SettingValidator.IsHost(new string('a', 64) + ".test"));
        }

        [Fact]
        public void Host_name_may_be_253_characters_but_not_254()
        {
            // Labels of 49 + dot = 50 characters each.
            string five = string.Concat(System.Linq.Enumerable.Repeat(new string('b', 49) + ".", 5));
            string name253 = five + "abc";
            Assert.Equal(253, name253.Length);
            Assert.True(SettingValidator.IsHost(name253));
            Assert.False(SettingValidator.IsHost(name253 + "d"));
        }

        [Theory]
        [InlineData("mfp@lab.test")]
        [InlineData("scan.to.mail@lab.test")]
        [InlineData("a@b")]
        [InlineData("first+tag@lab.test")]
        [InlineData("o'brien@lab.test")]
        [InlineData("x!#$%&'*+/=?^_`{|}~-y@lab.test")]
        [InlineData("mfp@192.0.2.1")]
        public void Valid_email_addresses(string value)
        {
            Assert.True(SettingValidator.IsEmail(value));
        }

        [Theory]
        [InlineData("")]
        [InlineData("nobody")]
        [InlineData("@lab.test")]
        [InlineData("mfp@")]
        [InlineData(".mfp@lab.test")]
        [InlineData("mfp.@lab.test")]
        [InlineData("m..fp@lab.test")]
        [InlineData("m fp@lab.test")]
        [InlineData("\"m fp\"@lab.test")]
        [InlineData("mfp@@lab.test")]
        [InlineData("a@b@lab.test")]
        [InlineData("mfp@lab_test")]
        [InlineData("mfp@[192.0.2.1]")]
        [InlineData("mfp@lab.test.")]
        [InlineData("mäil@lab.test")]
        [InlineData("mfp@lab.test\r\nRCPT TO:<x@y>")]
        [InlineData("<mfp@lab.test>")]
        public void Invalid_email_addresses(string value)
        {
            Assert.False(SettingValidator.IsEmail(value));
        }

        [Fact]
        public void Email_local_part_may_be_64_characters_but_not_65()
        {
            Assert.True(SettingValidator.IsEmail(new string('l', 64) + "@lab.test"));
            Assert.False(SettingValidator.IsEmail(new string('l', 65) + "@lab.test"));
        }

        [Fact]
        public void Email_may_be_254_characters_but_not_255()
        {
            string domain = string.Concat(System.Linq.Enumerable.Repeat(new string('d', 49) + ".", 4)) + new string('e', 40);
            string address = new string('l', 13) + "@" + domain;
            Assert.Equal(254, address.Length);
            Assert.True(SettingValidator.IsEmail(address));
            Assert.False(SettingValidator.IsEmail("l" + address));
        }

        [Theory]
        [InlineData(SettingKeys.SmtpPort, "1")]
        [InlineData(SettingKeys.SmtpPort, "65535")]
        [InlineData(SettingKeys.PopBeforeSmtpDelayMs, "0")]
        [InlineData(SettingKeys.PopBeforeSmtpDelayMs, "10000")]
        [InlineData(SettingKeys.PopIntervalMin, "1440")]
        [InlineData(SettingKeys.SmtpTimeoutFinal, "000000001")]
        public void Numbers_within_range(string key, string value)
        {
            Assert.Null(SettingValidator.Check(Def(key), value));
        }

        [Theory]
        [InlineData(SettingKeys.SmtpPort, "0", "must be a number from 1 to 65535")]
        [InlineData(SettingKeys.SmtpPort, "65536", "must be a number from 1 to 65535")]
        [InlineData(SettingKeys.SmtpPort, "", "must be a number from 1 to 65535")]
        [InlineData(SettingKeys.SmtpPort, "-1", "must be a number from 1 to 65535")]
        [InlineData(SettingKeys.SmtpPort, "+25", "must be a number from 1 to 65535")]
        [InlineData(SettingKeys.SmtpPort, "2 5", "must be a number from 1 to 65535")]
        [InlineData(SettingKeys.SmtpPort, "25.0", "must be a number from 1 to 65535")]
        [InlineData(SettingKeys.SmtpPort, "0x19", "must be a number from 1 to 65535")]
        [InlineData(SettingKeys.SmtpPort, "9999999999", "must be a number from 1 to 65535")]
        [InlineData(SettingKeys.SmtpPort, "0000000025", "must be a number from 1 to 65535")]
        [InlineData(SettingKeys.PopBeforeSmtpDelayMs, "10001", "must be a number from 0 to 10000")]
        [InlineData(SettingKeys.SmtpTimeoutConnect, "3601", "must be a number from 1 to 3600")]
        public void Numbers_out_of_range_or_malformed(string key, string value, string message)
        {
            Assert.Equal(message, SettingValidator.Check(Def(key), value));
        }

        [Theory]
        [InlineData(SettingKeys.SmtpAuth, "off")]
        [InlineData(SettingKeys.SmtpAuth, "cram-md5")]
        [InlineData(SettingKeys.SmtpSecurity, "starttls")]
        [InlineData(SettingKeys.PopSecurity, "stls")]
        [InlineData(SettingKeys.PopReceive, "on")]
        public void Listed_choices_are_accepted(string key, string value)
        {
            Assert.Null(SettingValidator.Check(Def(key), value));
        }

        [Theory]
        [InlineData(SettingKeys.SmtpAuth, "PLAIN", "must be one of off|auto|scram-sha-256|scram-sha-1|cram-md5|plain|login|xoauth2|oauthbearer")]
        [InlineData(SettingKeys.SmtpAuth, "", "must be one of off|auto|scram-sha-256|scram-sha-1|cram-md5|plain|login|xoauth2|oauthbearer")]
        [InlineData(SettingKeys.SmtpAuth, "ntlm", "must be one of off|auto|scram-sha-256|scram-sha-1|cram-md5|plain|login|xoauth2|oauthbearer")]
        [InlineData(SettingKeys.SmtpSecurity, "stls", "must be one of none|starttls|tls")]
        [InlineData(SettingKeys.PopBeforeSmtp, "yes", "must be one of off|on")]
        [InlineData(SettingKeys.SmtpAuthPlaintext, "Allow", "must be one of allow|deny")]
        public void Other_words_are_refused_with_the_list(string key, string value, string message)
        {
            Assert.Equal(message, SettingValidator.Check(Def(key), value));
        }

        [Theory]
        [InlineData(SettingKeys.SmtpUser, "scan\u0000ner")]
        [InlineData(SettingKeys.SmtpUser, "scan\tner")]
        [InlineData(SettingKeys.SmtpPassword, "pw\r\nRSET")]
        [InlineData(SettingKeys.SmtpPassword, "pw\u007F")]
        [InlineData(SettingKeys.DeviceName, "\u001B[2J")]
        public void Control_characters_are_refused_in_text_and_secrets(string key, string value)
        {
            Assert.Equal("contains control characters", SettingValidator.Check(Def(key), value));
        }

        [Theory]
        [InlineData(SettingKeys.DeviceName, "MFP\u0085Lab")]
        [InlineData(SettingKeys.SmtpPassword, "pw\u009B2J")]
        public void C1_control_characters_are_refused_in_text_and_secrets(string key, string value)
        {
            Assert.Equal("contains control characters", SettingValidator.Check(Def(key), value));
        }

        [Theory]
        [InlineData(SettingKeys.SmtpUser, "scanner@lab.test")]
        [InlineData(SettingKeys.SmtpPassword, "p ä ß € ~")]
        [InlineData(SettingKeys.DeviceName, "")]
        [InlineData(SettingKeys.DeviceName, "MFP 3F #2 (east)")]
        public void Printable_text_is_accepted(string key, string value)
        {
            Assert.Null(SettingValidator.Check(Def(key), value));
        }

        [Theory]
        [InlineData(SettingKeys.SmtpHost, "")]
        [InlineData(SettingKeys.SmtpHost, "192.0.2.1")]
        [InlineData(SettingKeys.DeviceEmail, "")]
        [InlineData(SettingKeys.NetLocalAddress, "")]
        [InlineData(SettingKeys.NetLocalAddress, "192.0.2.20")]
        public void Empty_or_well_formed_hosts_addresses_and_emails_pass(string key, string value)
        {
            Assert.Null(SettingValidator.Check(Def(key), value));
        }

        [Theory]
        [InlineData(SettingKeys.SmtpHost, "mail lab", "not a host name or IPv4 address")]
        [InlineData(SettingKeys.SmtpEhloName, "[192.0.2.1]", "not a host name or IPv4 address")]
        [InlineData(SettingKeys.NetLocalAddress, "mfp.lab.test", "not an IPv4 address")]
        [InlineData(SettingKeys.DeviceEmail, "mfp", "not an e-mail address")]
        public void Malformed_hosts_addresses_and_emails_are_refused(string key, string value, string message)
        {
            Assert.Equal(message, SettingValidator.Check(Def(key), value));
        }

        [Fact]
        public void Null_is_no_value()
        {
            Assert.Equal("no value", SettingValidator.Check(Def(SettingKeys.DeviceName), null));
        }

        [Fact]
        public void Values_may_be_255_characters_but_not_256_for_any_kind()
        {
            Assert.Null(SettingValidator.Check(Def(SettingKeys.SmtpPassword), new string('p', SettingsSchema.MaxValueLength)));
            foreach (SettingDefinition definition in SettingsSchema.All)
            {
                Assert.Equal("longer than 255 characters", SettingValidator.Check(definition, new string('9', SettingsSchema.MaxValueLength + 1)));
            }
        }
    }
}
