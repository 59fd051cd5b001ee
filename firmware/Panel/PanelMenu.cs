using NetBoard.Firmware.Settings;

namespace NetBoard.Firmware.Panel
{
    /// <summary>The device's menu tree: every settings key, the status screens and the panel actions.</summary>
    public static class PanelMenu
    {
        private static readonly string[] s_onOff = new string[] { "OFF", "ON" };

        /// <summary>Builds a new copy of the menu (each controller owns its tree).</summary>
        public static MenuNode Build()
        {
            MenuNode smtpServer = MenuNode.Folder("SMTP Server", new MenuNode[]
            {
                MenuNode.Setting(SettingKeys.SmtpHost, "SMTP Server", null),
                MenuNode.Setting(SettingKeys.SmtpPort, "SMTP Port", null),
            });

            MenuNode popServer = MenuNode.Folder("POP Server", new MenuNode[]
            {
                MenuNode.Setting(SettingKeys.PopHost, "POP Server", null),
                MenuNode.Setting(SettingKeys.PopPort, "POP Port", null),
                MenuNode.Setting(SettingKeys.PopUser, "POP User Name", null),
                MenuNode.Setting(SettingKeys.PopPassword, "POP Password", null),
                MenuNode.Setting(SettingKeys.PopLogin, "POP Login", new string[] { "Auto", "USER/PASS", "APOP", "CRAM-MD5" }),
            });

            MenuNode authentication = MenuNode.Folder("Authent./Encryption", new MenuNode[]
            {
                MenuNode.Setting(SettingKeys.PopBeforeSmtp, "POP Before SMTP", s_onOff),
                MenuNode.Setting(SettingKeys.PopBeforeSmtpDelayMs, "POP Wait Time ms", null),
                MenuNode.Setting(SettingKeys.SmtpAuth, "SMTP Auth.", new string[] { "Off", "Auto", "CRAM-MD5", "PLAIN", "LOGIN" }),
                MenuNode.Setting(SettingKeys.SmtpUser, "SMTP User Name", null),
                MenuNode.Setting(SettingKeys.SmtpPassword, "SMTP Password", null),
                MenuNode.Setting(SettingKeys.SmtpSecurity, "SMTP Encryption", new string[] { "Off", "STARTTLS", "SSL/TLS" }),
                MenuNode.Setting(SettingKeys.PopSecurity, "POP Encryption", new string[] { "Off", "STLS", "SSL/TLS" }),
                MenuNode.Setting(SettingKeys.SmtpAuthPlaintext, "Plain Auth w/o TLS", new string[] { "Allow", "Deny" }),
                MenuNode.Setting(SettingKeys.PopAuthPlaintext, "POP Plain w/o TLS", new string[] { "Allow", "Deny" }),
                MenuNode.Setting(SettingKeys.TlsVerify, "Certificate Check", s_onOff),
            });

            MenuNode advanced = MenuNode.Folder("Advanced", new MenuNode[]
            {
                MenuNode.Setting(SettingKeys.SmtpEhloName, "EHLO Name", null),
                MenuNode.Setting(SettingKeys.SmtpTimeoutConnect, null, null),
                MenuNode.Setting(SettingKeys.SmtpTimeoutGreeting, null, null),
                MenuNode.Setting(SettingKeys.SmtpTimeoutMail, null, null),
                MenuNode.Setting(SettingKeys.SmtpTimeoutRcpt, null, null),
                MenuNode.Setting(SettingKeys.SmtpTimeoutData, null, null),
                MenuNode.Setting(SettingKeys.SmtpTimeoutBlock, null, null),
                MenuNode.Setting(SettingKeys.SmtpTimeoutFinal, null, null),
                MenuNode.Setting(SettingKeys.PopTimeoutConnect, null, null),
                MenuNode.Setting(SettingKeys.PopTimeoutGreeting, null, null),
                MenuNode.Setting(SettingKeys.PopTimeoutCommand, null, null),
                MenuNode.Setting(SettingKeys.PopTimeoutRetr, null, null),
                MenuNode.Setting(SettingKeys.TlsCaFile, "CA Certificates", null),
                MenuNode.Setting(SettingKeys.JobRetryAttempts, null, null),
                MenuNode.Setting(SettingKeys.JobRetryIntervalS, null, null),
            });

            MenuNode email = MenuNode.Folder("E-Mail/I-Fax", new MenuNode[]
            {
                smtpServer,
                popServer,
                authentication,
                MenuNode.Setting(SettingKeys.DeviceEmail, "Device E-mail Addr", null),
                MenuNode.Setting(SettingKeys.DeviceName, "Device Name", null),
                MenuNode.Setting(SettingKeys.PopReceive, "POP Receive", s_onOff),
                MenuNode.Setting(SettingKeys.PopIntervalMin, "POP Interval min", null),
                advanced,
                MenuNode.Item(MenuNodeKind.SendTestEmail, "Send Test E-mail"),
            });

            MenuNode network = MenuNode.Folder("Network Settings", new MenuNode[]
            {
                email,
                MenuNode.Setting(SettingKeys.NetLocalAddress, "Local Address", null),
            });

            MenuNode system = MenuNode.Folder("System Settings", new MenuNode[]
            {
                network,
                MenuNode.Item(MenuNodeKind.FactoryReset, "Factory Reset"),
            });

            return MenuNode.Folder("Menu", new MenuNode[]
            {
                MenuNode.Item(MenuNodeKind.JobStatus, "Job Status"),
                MenuNode.Item(MenuNodeKind.Journal, "Journal"),
                system,
            });
        }
    }
}
