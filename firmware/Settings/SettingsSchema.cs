namespace NetBoard.Firmware.Settings
{
    /// <summary>
    /// Every settings key with its kind, default, limits, panel label and the panel's words for its choices:
    /// the one table the file parser, the panel menu and the attempt plans use.
    /// </summary>
    public static class SettingsSchema
    {
        /// <summary>Longest value accepted for any key, in characters.</summary>
        public const int MaxValueLength = 255;

        private static readonly string[] s_onOff = new string[] { "off", "on" };
        private static readonly string[] s_onOffLabels = new string[] { "OFF", "ON" };
        private static readonly string[] s_autoOff = new string[] { "auto", "off" };
        private static readonly string[] s_autoOffLabels = new string[] { "Auto", "Off" };

        private static readonly SettingDefinition[] s_all = new SettingDefinition[]
        {
            Def(SettingKeys.SmtpHost, SettingKind.Host, string.Empty, "SMTP Server", true),
            Number(SettingKeys.SmtpPort, "25", "SMTP Port", 1, 65535),
            Choice(SettingKeys.SmtpSecurity, "none", "SMTP Encryption", new string[] { "none", "starttls", "tls" }, new string[] { "Off", "STARTTLS", "SSL/TLS" }),
            Choice(SettingKeys.SmtpAuth, "auto", "SMTP Auth.", new string[] { "off", "auto", "scram-sha-256", "scram-sha-1", "cram-md5", "plain", "login", "xoauth2", "oauthbearer" }, new string[] { "Off", "Auto", "SCRAM-SHA-256", "SCRAM-SHA-1", "CRAM-MD5", "PLAIN", "LOGIN", "XOAUTH2", "OAUTHBEARER" }),
            Choice(SettingKeys.SmtpAuthPlaintext, "allow", "Plain Auth w/o TLS", new string[] { "allow", "deny" }, new string[] { "Allow", "Deny" }),
            Choice(SettingKeys.SmtpPipelining, "auto", "SMTP Pipelining", s_autoOff, s_autoOffLabels),
            Choice(SettingKeys.SmtpChunking, "auto", "SMTP Chunking", s_autoOff, s_autoOffLabels),
            Def(SettingKeys.SmtpUser, SettingKind.Text, string.Empty, "SMTP User Name", false),
            Def(SettingKeys.SmtpPassword, SettingKind.Secret, string.Empty, "SMTP Password", false),
            Def(SettingKeys.SmtpEhloName, SettingKind.Host, string.Empty, "EHLO Name", false),
            Number(SettingKeys.SmtpTimeoutConnect, "30", "Connect Timeout s", 1, 3600),
            Number(SettingKeys.SmtpTimeoutGreeting, "300", "Greeting Timeout s", 1, 3600),
            Number(SettingKeys.SmtpTimeoutMail, "300", "MAIL Timeout s", 1, 3600),
            Number(SettingKeys.SmtpTimeoutRcpt, "300", "RCPT Timeout s", 1, 3600),
            Number(SettingKeys.SmtpTimeoutData, "120", "DATA Timeout s", 1, 3600),
            Number(SettingKeys.SmtpTimeoutBlock, "180", "Block Timeout s", 1, 3600),
            Number(SettingKeys.SmtpTimeoutFinal, "600", "Final Dot Timeout s", 1, 3600),
            Def(SettingKeys.DeviceEmail, SettingKind.Email, string.Empty, "Device E-mail Addr", true),
            Def(SettingKeys.DeviceName, SettingKind.Text, "MFP", "Device Name", false),
            Def(SettingKeys.PopHost, SettingKind.Host, string.Empty, "POP Server", false),
            Number(SettingKeys.PopPort, "110", "POP Port", 1, 65535),
            Choice(SettingKeys.PopSecurity, "none", "POP Encryption", new string[] { "none", "stls", "tls" }, new string[] { "Off", "STLS", "SSL/TLS" }),
            Def(SettingKeys.PopUser, SettingKind.Text, string.Empty, "POP User Name", false),
            Def(SettingKeys.PopPassword, SettingKind.Secret, string.Empty, "POP Password", false),
            Choice(SettingKeys.PopLogin, "auto", "POP Login", new string[] { "auto", "user", "apop", "cram-md5", "scram-sha-256", "scram-sha-1", "xoauth2", "oauthbearer" }, new string[] { "Auto", "USER/PASS", "APOP", "CRAM-MD5", "SCRAM-SHA-256", "SCRAM-SHA-1", "XOAUTH2", "OAUTHBEARER" }),
            Choice(SettingKeys.PopAuthPlaintext, "allow", "POP Plain w/o TLS", new string[] { "allow", "deny" }, new string[] { "Allow", "Deny" }),
            Choice(SettingKeys.PopPipelining, "auto", "POP Pipelining", s_autoOff, s_autoOffLabels),
            Number(SettingKeys.PopTimeoutConnect, "30", "POP Connect Tmout s", 1, 3600),
            Number(SettingKeys.PopTimeoutGreeting, "60", "POP Greet Tmout s", 1, 3600),
            Number(SettingKeys.PopTimeoutCommand, "60", "POP Reply Tmout s", 1, 3600),
            Number(SettingKeys.PopTimeoutRetr, "600", "POP Message Tmout s", 1, 3600),
            Choice(SettingKeys.PopBeforeSmtp, "off", "POP Before SMTP", s_onOff, s_onOffLabels),
            Number(SettingKeys.PopBeforeSmtpDelayMs, "300", "POP Wait Time ms", 0, 10000),
            Choice(SettingKeys.PopReceive, "off", "POP Receive", s_onOff, s_onOffLabels),
            Number(SettingKeys.PopIntervalMin, "5", "POP Interval min", 1, 1440),
            Def(SettingKeys.NetLocalAddress, SettingKind.Address, string.Empty, "Local Address", false),
            Choice(SettingKeys.TlsVerify, "on", "Certificate Check", s_onOff, s_onOffLabels),
            Def(SettingKeys.TlsCaFile, SettingKind.Text, string.Empty, "CA Certificates", false),
            Number(SettingKeys.JobRetryAttempts, "3", "Send Attempts", 1, 10),
            Number(SettingKeys.JobRetryIntervalS, "60", "Retry Interval s", 10, 3600),
            Choice(SettingKeys.OAuthProvider, "off", "OAuth Provider", new string[] { "off", "m365", "custom" }, new string[] { "Off", "Microsoft 365", "Custom" }),
            Choice(SettingKeys.OAuthGrant, "device", "OAuth Grant", new string[] { "device", "client_credentials" }, new string[] { "Device Sign-in", "App Only" }),
            Def(SettingKeys.OAuthTenant, SettingKind.Text, "organizations", "M365 Tenant", false),
            Def(SettingKeys.OAuthClientId, SettingKind.Text, string.Empty, "OAuth Client ID", false),
            Def(SettingKeys.OAuthDeviceEndpoint, SettingKind.Url, string.Empty, "Device Auth. URL", false),
            Def(SettingKeys.OAuthTokenEndpoint, SettingKind.Url, string.Empty, "Token URL", false),
            Def(SettingKeys.OAuthScope, SettingKind.Text, string.Empty, "OAuth Scope", false),
            Choice(SettingKeys.WebEnable, "on", "Web Page", s_onOff, s_onOffLabels),
            Def(SettingKeys.WebAddress, SettingKind.Address, string.Empty, "Web Address", false),
            Number(SettingKeys.WebPort, "8080", "Web Port", 1, 65535),
            Number(SettingKeys.WebSessionMin, "15", "Web Session min", 1, 1440),
            Def(SettingKeys.WebTlsCert, SettingKind.Text, string.Empty, "Web Certificate", false),
            Def(SettingKeys.WebTlsKey, SettingKind.Text, string.Empty, "Web Cert. Key", false),
        };

        /// <summary>All definitions, in file and menu order.</summary>
        public static SettingDefinition[] All
        {
            get { return s_all; }
        }

        /// <summary>The index of <paramref name="key"/> in <see cref="All"/>, or -1.</summary>
        public static int IndexOf(string key)
        {
            for (int i = 0; i < s_all.Length; i++)
            {
                if (s_all[i].Key == key)
                {
                    return i;
                }
            }

            return -1;
        }

        private static SettingDefinition Def(string key, SettingKind kind, string value, string label, bool required)
        {
            return new SettingDefinition(key, kind, value, label, 0, 0, null, null, required);
        }

        private static SettingDefinition Number(string key, string value, string label, int min, int max)
        {
            return new SettingDefinition(key, SettingKind.Number, value, label, min, max, null, null, true);
        }

        private static SettingDefinition Choice(string key, string value, string label, string[] choices, string[] choiceLabels)
        {
            return new SettingDefinition(key, SettingKind.Choice, value, label, 0, 0, choices, choiceLabels, true);
        }
    }
}
