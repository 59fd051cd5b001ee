using NetBoard.Firmware.Settings;

namespace NetBoard.Firmware.Panel
{
    /// <summary>
    /// The device's menu tree: where every settings key, the status screens and the panel actions sit.
    /// Labels and choice words come from <see cref="SettingsSchema"/>.
    /// </summary>
    public static class PanelMenu
    {
        /// <summary>Builds a new copy of the menu (each controller owns its tree).</summary>
        public static MenuNode Build()
        {
            MenuNode smtpServer = MenuNode.Folder("SMTP Server", new MenuNode[]
            {
                MenuNode.Setting(SettingKeys.SmtpHost),
                MenuNode.Setting(SettingKeys.SmtpPort),
            });

            MenuNode popServer = MenuNode.Folder("POP Server", new MenuNode[]
            {
                MenuNode.Setting(SettingKeys.PopHost),
                MenuNode.Setting(SettingKeys.PopPort),
                MenuNode.Setting(SettingKeys.PopUser),
                MenuNode.Setting(SettingKeys.PopPassword),
                MenuNode.Setting(SettingKeys.PopLogin),
            });

            MenuNode oauth = MenuNode.Folder("OAuth 2.0", new MenuNode[]
            {
                MenuNode.Item(MenuNodeKind.OAuthSignIn, "Sign in"),
                MenuNode.Item(MenuNodeKind.OAuthStatus, "Status"),
                MenuNode.Setting(SettingKeys.OAuthProvider),
                MenuNode.Setting(SettingKeys.OAuthGrant),
                MenuNode.Setting(SettingKeys.OAuthTenant),
                MenuNode.Setting(SettingKeys.OAuthClientId),
                MenuNode.Setting(SettingKeys.OAuthDeviceEndpoint),
                MenuNode.Setting(SettingKeys.OAuthTokenEndpoint),
                MenuNode.Setting(SettingKeys.OAuthScope),
                MenuNode.Item(MenuNodeKind.OAuthSignOut, "Sign out"),
            });

            MenuNode authentication = MenuNode.Folder("Authent./Encryption", new MenuNode[]
            {
                MenuNode.Setting(SettingKeys.PopBeforeSmtp),
                MenuNode.Setting(SettingKeys.PopBeforeSmtpDelayMs),
                MenuNode.Setting(SettingKeys.SmtpAuth),
                MenuNode.Setting(SettingKeys.SmtpUser),
                MenuNode.Setting(SettingKeys.SmtpPassword),
                MenuNode.Setting(SettingKeys.SmtpSecurity),
                MenuNode.Setting(SettingKeys.PopSecurity),
                MenuNode.Setting(SettingKeys.SmtpAuthPlaintext),
                MenuNode.Setting(SettingKeys.PopAuthPlaintext),
                MenuNode.Setting(SettingKeys.TlsVerify),
                oauth,
            });

            MenuNode advanced = MenuNode.Folder("Advanced", new MenuNode[]
            {
                MenuNode.Setting(SettingKeys.SmtpEhloName),
                MenuNode.Setting(SettingKeys.SmtpPipelining),
                MenuNode.Setting(SettingKeys.SmtpChunking),
                MenuNode.Setting(SettingKeys.PopPipelining),
                MenuNode.Setting(SettingKeys.SmtpTimeoutConnect),
                MenuNode.Setting(SettingKeys.SmtpTimeoutGreeting),
                MenuNode.Setting(SettingKeys.SmtpTimeoutMail),
                MenuNode.Setting(SettingKeys.SmtpTimeoutRcpt),
                MenuNode.Setting(SettingKeys.SmtpTimeoutData),
                MenuNode.Setting(SettingKeys.SmtpTimeoutBlock),
                MenuNode.Setting(SettingKeys.SmtpTimeoutFinal),
                MenuNode.Setting(SettingKeys.PopTimeoutConnect),
                MenuNode.Setting(SettingKeys.PopTimeoutGreeting),
                MenuNode.Setting(SettingKeys.PopTimeoutCommand),
                MenuNode.Setting(SettingKeys.PopTimeoutRetr),
                MenuNode.Setting(SettingKeys.TlsCaFile),
                MenuNode.Setting(SettingKeys.JobRetryAttempts),
                MenuNode.Setting(SettingKeys.JobRetryIntervalS),
            });

            MenuNode email = MenuNode.Folder("E-Mail/I-Fax", new MenuNode[]
            {
                smtpServer,
                popServer,
                authentication,
                MenuNode.Setting(SettingKeys.DeviceEmail),
                MenuNode.Setting(SettingKeys.DeviceName),
                MenuNode.Setting(SettingKeys.PopReceive),
                MenuNode.Setting(SettingKeys.PopIntervalMin),
                advanced,
                MenuNode.Item(MenuNodeKind.SendTestEmail, "Send Test E-mail"),
            });

            MenuNode web = MenuNode.Folder("Web Page", new MenuNode[]
            {
                MenuNode.Setting(SettingKeys.WebEnable),
                MenuNode.Setting(SettingKeys.WebAddress),
                MenuNode.Setting(SettingKeys.WebPort),
                MenuNode.Setting(SettingKeys.WebSessionMin),
                MenuNode.Setting(SettingKeys.WebTlsCert),
                MenuNode.Setting(SettingKeys.WebTlsKey),
            });

            MenuNode network = MenuNode.Folder("Network Settings", new MenuNode[]
            {
                email,
                MenuNode.Setting(SettingKeys.NetLocalAddress),
                web,
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
