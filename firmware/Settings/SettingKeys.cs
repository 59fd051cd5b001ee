namespace NetBoard.Firmware.Settings
{
    /// <summary>The settings keys, as written in the settings file.</summary>
    public static class SettingKeys
    {
#pragma warning disable CS1591 // The names say it; SettingsSchema documents each key.
        public const string SmtpHost = "smtp.host";
        public const string SmtpPort = "smtp.port";
        public const string SmtpSecurity = "smtp.security";
        public const string SmtpAuth = "smtp.auth";
        public const string SmtpAuthPlaintext = "smtp.auth.plaintext";
        public const string SmtpPipelining = "smtp.pipelining";
        public const string SmtpChunking = "smtp.chunking";
        public const string SmtpUser = "smtp.user";
        public const string SmtpPassword = "smtp.password";
        public const string SmtpEhloName = "smtp.ehlo_name";
        public const string SmtpTimeoutConnect = "smtp.timeout.connect_s";
        public const string SmtpTimeoutGreeting = "smtp.timeout.greeting_s";
        public const string SmtpTimeoutMail = "smtp.timeout.mail_s";
        public const string SmtpTimeoutRcpt = "smtp.timeout.rcpt_s";
        public const string SmtpTimeoutData = "smtp.timeout.data_s";
        public const string SmtpTimeoutBlock = "smtp.timeout.block_s";
        public const string SmtpTimeoutFinal = "smtp.timeout.final_s";
        public const string DeviceEmail = "device.email";
        public const string DeviceName = "device.name";
        public const string PopHost = "pop.host";
        public const string PopPort = "pop.port";
        public const string PopSecurity = "pop.security";
        public const string PopUser = "pop.user";
        public const string PopPassword = "pop.password";
        public const string PopLogin = "pop.login";
        public const string PopAuthPlaintext = "pop.auth.plaintext";
        public const string PopPipelining = "pop.pipelining";
        public const string PopTimeoutConnect = "pop.timeout.connect_s";
        public const string PopTimeoutGreeting = "pop.timeout.greeting_s";
        public const string PopTimeoutCommand = "pop.timeout.command_s";
        public const string PopTimeoutRetr = "pop.timeout.retr_s";
        public const string PopBeforeSmtp = "pop.before_smtp";
        public const string PopBeforeSmtpDelayMs = "pop.before_smtp.delay_ms";
        public const string PopReceive = "pop.receive";
        public const string PopIntervalMin = "pop.interval_min";
        public const string NetLocalAddress = "net.local_address";
        public const string TlsVerify = "tls.verify";
        public const string TlsCaFile = "tls.ca_file";
        public const string JobRetryAttempts = "job.retry_attempts";
        public const string JobRetryIntervalS = "job.retry_interval_s";
        public const string OAuthProvider = "oauth.provider";
        public const string OAuthGrant = "oauth.grant";
        public const string OAuthTenant = "oauth.tenant";
        public const string OAuthClientId = "oauth.client_id";
        public const string OAuthDeviceEndpoint = "oauth.device_endpoint";
        public const string OAuthTokenEndpoint = "oauth.token_endpoint";
        public const string OAuthScope = "oauth.scope";
        public const string WebEnable = "web.enable";
        public const string WebAddress = "web.address";
        public const string WebPort = "web.port";
        public const string WebSessionMin = "web.session_min";
        public const string WebTlsCert = "web.tls.cert";
        public const string WebTlsKey = "web.tls.key";
#pragma warning restore CS1591
    }
}
