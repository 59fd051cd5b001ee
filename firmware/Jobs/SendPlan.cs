using System;
using NetBoard.Firmware.Mime;
using NetBoard.Firmware.Net;
using NetBoard.Firmware.Pop;
using NetBoard.Firmware.Settings;
using NetBoard.Firmware.Smtp;
using NetBoard.Firmware.Text;
using NetBoard.Hal;

namespace NetBoard.Firmware.Jobs
{
    /// <summary>
    /// Everything one send attempt uses, taken from the settings in force when the attempt begins and
    /// fixed from then on: the SMTP server and its encryption, the SASL choice and credentials, the
    /// timeouts, whether the attempt needs the TLS budget, the POP-before-SMTP step and the retry
    /// policy. The send task and its sessions read only this, so a change at the panel during the
    /// attempt applies from the next one. Values are typed (enums, milliseconds), not the settings' words.
    /// A plan never changes: while the same settings stay in force the task uses it for the next attempt too.
    /// </summary>
    public sealed class SendPlan
    {
        // An empty credential needs no copy of its own: there is nothing in it to clear.
        private static readonly byte[] s_empty = new byte[0];

        private readonly string _user;
        private readonly string _password;

        private SendPlan(DeviceSettings settings, bool oauthConfigured)
        {
            OAuthConfigured = oauthConfigured;
            Security = ParseSecurity(settings.Get(SettingKeys.SmtpSecurity));
            Smtp = new ServerEndpoint(settings.Get(SettingKeys.SmtpHost), settings.GetInt(SettingKeys.SmtpPort), settings.Get(SettingKeys.NetLocalAddress), Security == SmtpSecurity.Implicit, CreateTlsPolicy(settings));
            AuthMode = ParseAuthMode(settings.Get(SettingKeys.SmtpAuth));
            AllowPlaintextAuth = settings.Get(SettingKeys.SmtpAuthPlaintext) == "allow";
            Pipelining = settings.Get(SettingKeys.SmtpPipelining) != "off";
            Chunking = settings.Get(SettingKeys.SmtpChunking) != "off";
            _user = settings.Get(SettingKeys.SmtpUser);
            _password = settings.Get(SettingKeys.SmtpPassword);
            EhloName = settings.Get(SettingKeys.SmtpEhloName);
            Sender = settings.Get(SettingKeys.DeviceEmail);
            DeviceName = settings.Get(SettingKeys.DeviceName);
            ConnectTimeoutMs = Milliseconds(settings, SettingKeys.SmtpTimeoutConnect);
            GreetingTimeoutMs = Milliseconds(settings, SettingKeys.SmtpTimeoutGreeting);
            MailTimeoutMs = Milliseconds(settings, SettingKeys.SmtpTimeoutMail);
            RcptTimeoutMs = Milliseconds(settings, SettingKeys.SmtpTimeoutRcpt);
            DataTimeoutMs = Milliseconds(settings, SettingKeys.SmtpTimeoutData);
            BlockTimeoutMs = Milliseconds(settings, SettingKeys.SmtpTimeoutBlock);
            FinalTimeoutMs = Milliseconds(settings, SettingKeys.SmtpTimeoutFinal);
            if (settings.IsOn(SettingKeys.PopBeforeSmtp))
            {
                PopBeforeSmtp = ReceivePlan.Create(settings, PopSessionMode.LoginOnly, oauthConfigured);
            }

            PopBeforeSmtpDelayMs = settings.GetInt(SettingKeys.PopBeforeSmtpDelayMs);
            MaxAttempts = settings.GetInt(SettingKeys.JobRetryAttempts);
            RetryIntervalS = settings.GetInt(SettingKeys.JobRetryIntervalS);
        }

        /// <summary>The SMTP server, its port, the local address and the TLS policy.</summary>
        public ServerEndpoint Smtp { get; private set; }

        /// <summary>How the SMTP session is encrypted.</summary>
        public SmtpSecurity Security { get; private set; }

        /// <summary>The SASL choice (smtp.auth).</summary>
        public SmtpAuthMode AuthMode { get; private set; }

        /// <summary>False keeps PLAIN and LOGIN off unencrypted connections (smtp.auth.plaintext).</summary>
        public bool AllowPlaintextAuth { get; private set; }

        /// <summary>False sends every command on its own even where the server announces PIPELINING (smtp.pipelining=off).</summary>
        public bool Pipelining { get; private set; }

        /// <summary>False keeps DATA even where the server announces CHUNKING and PIPELINING (smtp.chunking=off).</summary>
        public bool Chunking { get; private set; }

        /// <summary>True when the board has OAuth 2.0 configured (oauth.*), signed in or not.</summary>
        public bool OAuthConfigured { get; private set; }

        /// <summary>
        /// True when SMTP AUTH uses the OAuth 2.0 access token: smtp.auth=xoauth2 or oauthbearer, or auto while OAuth 2.0
        /// is configured (then no password mechanism is tried).
        /// </summary>
        public bool UsesOAuth
        {
            get { return AuthMode == SmtpAuthMode.XOAuth2 || AuthMode == SmtpAuthMode.OAuthBearer || (AuthMode == SmtpAuthMode.Auto && OAuthConfigured); }
        }

        /// <summary>True when the attempt needs an access token: for SMTP AUTH, or for the POP login before it.</summary>
        public bool NeedsToken
        {
            get { return UsesOAuth || (PopBeforeSmtp != null && PopBeforeSmtp.UsesOAuth); }
        }

        /// <summary>True when an SMTP user name is set.</summary>
        public bool HasUser
        {
            get { return _user.Length > 0; }
        }

        /// <summary>The EHLO identity, or empty for the local address literal.</summary>
        public string EhloName { get; private set; }

        /// <summary>The device's address: From and MAIL FROM.</summary>
        public string Sender { get; private set; }

        /// <summary>The device's display name.</summary>
        public string DeviceName { get; private set; }

        /// <summary>Timeout for connecting, in milliseconds.</summary>
        public int ConnectTimeoutMs { get; private set; }

        /// <summary>Timeout for the greeting, in milliseconds.</summary>
        public int GreetingTimeoutMs { get; private set; }

        /// <summary>Timeout for MAIL and the other commands, in milliseconds.</summary>
        public int MailTimeoutMs { get; private set; }

        /// <summary>Timeout for each RCPT, in milliseconds.</summary>
        public int RcptTimeoutMs { get; private set; }

        /// <summary>Timeout for the reply to DATA, in milliseconds.</summary>
        public int DataTimeoutMs { get; private set; }

        /// <summary>Timeout for each block of the message, in milliseconds.</summary>
        public int BlockTimeoutMs { get; private set; }

        /// <summary>Timeout for the reply to the final dot, in milliseconds.</summary>
        public int FinalTimeoutMs { get; private set; }

        /// <summary>The POP login that comes first (POP before SMTP), or null when there is none.</summary>
        public ReceivePlan PopBeforeSmtp { get; private set; }

        /// <summary>The wait between the POP login and the SMTP session, in milliseconds.</summary>
        public int PopBeforeSmtpDelayMs { get; private set; }

        /// <summary>True when the attempt runs a TLS session (SMTP, or the POP login before it) and so needs the TLS budget.</summary>
        public bool NeedsTls
        {
            get { return Security != SmtpSecurity.None || (PopBeforeSmtp != null && PopBeforeSmtp.NeedsTls); }
        }

        /// <summary>How many attempts a job gets for transient failures (job.retry_attempts).</summary>
        public int MaxAttempts { get; private set; }

        /// <summary>The wait between two attempts of a job, in seconds (job.retry_interval_s).</summary>
        public int RetryIntervalS { get; private set; }

        /// <summary>The plan for an attempt that begins now with <paramref name="settings"/> (the settings in force, frozen).</summary>
        public static SendPlan Create(DeviceSettings settings)
        {
            return Create(settings, false);
        }

        /// <summary>The plan for an attempt that begins now, on a board whose OAuth 2.0 is configured or not.</summary>
        public static SendPlan Create(DeviceSettings settings, bool oauthConfigured)
        {
            if (settings == null)
            {
                throw new ArgumentNullException("settings");
            }

            return new SendPlan(settings, oauthConfigured);
        }

        /// <summary>Maps the smtp.security setting's words to the session's encryption.</summary>
        public static SmtpSecurity ParseSecurity(string value)
        {
            return value == "tls" ? SmtpSecurity.Implicit : (value == "starttls" ? SmtpSecurity.StartTls : SmtpSecurity.None);
        }

        /// <summary>Maps the smtp.auth setting's words to the session's mode.</summary>
        public static SmtpAuthMode ParseAuthMode(string value)
        {
            switch (value)
            {
                case "off":
                    return SmtpAuthMode.Off;
                case "cram-md5":
                    return SmtpAuthMode.CramMd5;
                case "plain":
                    return SmtpAuthMode.Plain;
                case "login":
                    return SmtpAuthMode.Login;
                case "scram-sha-256":
                    return SmtpAuthMode.ScramSha256;
                case "scram-sha-1":
                    return SmtpAuthMode.ScramSha1;
                case "xoauth2":
                    return SmtpAuthMode.XOAuth2;
                case "oauthbearer":
                    return SmtpAuthMode.OAuthBearer;
                default:
                    return SmtpAuthMode.Auto;
            }
        }

        /// <summary>The certificate policy of tls.verify and tls.ca_file.</summary>
        public static TlsPolicy CreateTlsPolicy(DeviceSettings settings)
        {
            return new TlsPolicy(settings.IsOn(SettingKeys.TlsVerify), settings.Get(SettingKeys.TlsCaFile));
        }

        /// <summary>
        /// Checks that this plan and <paramref name="job"/> allow a transmission; returns <see cref="UserErrorCode.None"/>
        /// or the code, with the reason in <paramref name="detail"/>. The settings come first, then the document.
        /// </summary>
        public int Check(MailJob job, IStorage storage, out string detail)
        {
            detail = string.Empty;
            if (Smtp.Host.Length == 0)
            {
                detail = "smtp.host is not set";
                return UserErrorCode.SettingsIncomplete;
            }

            if (Sender.Length == 0)
            {
                detail = "device.email is not set";
                return UserErrorCode.SettingsIncomplete;
            }

            if (AuthMode != SmtpAuthMode.Off && AuthMode != SmtpAuthMode.Auto && !HasUser)
            {
                detail = "smtp.auth=" + AuthWord(AuthMode) + " needs smtp.user";
                return UserErrorCode.SettingsIncomplete;
            }

            if (UsesOAuth && !OAuthConfigured)
            {
                detail = "smtp.auth=" + AuthWord(AuthMode) + " needs OAuth 2.0 (oauth.*)";
                return UserErrorCode.SettingsIncomplete;
            }

            if (UsesOAuth && !HasUser)
            {
                detail = "OAuth 2.0 needs smtp.user (the mailbox the token is for)";
                return UserErrorCode.SettingsIncomplete;
            }

            if (PopBeforeSmtp != null)
            {
                string missing = PopBeforeSmtp.MissingSetting();
                if (missing != null)
                {
                    detail = "pop.before_smtp=on needs " + missing;
                    return UserErrorCode.SettingsIncomplete;
                }
            }

            if (job.Recipients == null || job.Recipients.Length == 0 || job.CountIn(RecipientState.Pending) == 0)
            {
                detail = "no recipient";
                return UserErrorCode.SettingsIncomplete;
            }

            for (int i = 0; i < job.Recipients.Length; i++)
            {
                if (!SettingValidator.IsEmail(job.Recipients[i]))
                {
                    detail = "not an e-mail address: " + job.Recipients[i];
                    return UserErrorCode.SettingsIncomplete;
                }
            }

            return CheckDocument(job, storage, out detail);
        }

        /// <summary>
        /// The SMTP session's options for <paramref name="job"/>: the envelope holds only the recipients still
        /// pending (<see cref="MailJob.PendingIndexes"/>, in that order); the credentials are fresh UTF-8 copies
        /// the session clears.
        /// </summary>
        public SmtpSessionOptions CreateSmtpOptions(MailJob job)
        {
            return CreateSmtpOptions(job, null);
        }

        /// <summary>
        /// As <see cref="CreateSmtpOptions(MailJob)"/>, with the attempt's access token (copied; used only when
        /// <see cref="UsesOAuth"/>).
        /// </summary>
        public SmtpSessionOptions CreateSmtpOptions(MailJob job, byte[] accessToken)
        {
            SmtpSessionOptions options = new SmtpSessionOptions();
            options.EhloName = EhloName;
            options.AuthMode = AuthMode;
            options.AllowPlaintextAuth = AllowPlaintextAuth;
            options.Security = Security;
            options.CertificateVerified = Smtp.TlsPolicy.VerifyCertificate;
            options.Pipelining = Pipelining;
            options.Chunking = Chunking;
            options.User = Credential(_user);
            options.Password = Credential(_password);
            if (UsesOAuth && accessToken != null)
            {
                options.AccessToken = new byte[accessToken.Length];
                Array.Copy(accessToken, options.AccessToken, accessToken.Length);
            }

            options.Sender = Sender;
            options.Recipients = Envelope(job);
            options.ConnectTimeoutMs = ConnectTimeoutMs;
            options.GreetingTimeoutMs = GreetingTimeoutMs;
            options.MailTimeoutMs = MailTimeoutMs;
            options.RcptTimeoutMs = RcptTimeoutMs;
            options.DataTimeoutMs = DataTimeoutMs;
            options.BlockTimeoutMs = BlockTimeoutMs;
            options.FinalTimeoutMs = FinalTimeoutMs;
            return options;
        }

        /// <summary>The message headers and text for <paramref name="job"/>.</summary>
        public MessageInfo CreateMessage(MailJob job, long documentLength, DateTime utcNow, Random random)
        {
            string fileName = BaseName(job.DocumentName);
            bool ifax = job.Kind == JobKind.Ifax;

            MessageInfo info = new MessageInfo();
            info.FromAddress = Sender;
            info.FromName = DeviceName;
            info.To = job.Recipients;
            info.Subject = job.Subject.Length > 0 ? job.Subject : (ifax ? "Internet fax from " : "Scanned document from ") + DeviceName;
            info.Date = utcNow;
            info.MessageId = MessageInfo.NewMessageId(random, utcNow, Sender.Substring(Sender.IndexOf('@') + 1));
            info.Boundary = MessageInfo.NewBoundary(random);
            info.BodyText = (ifax ? "Internet fax" : "Scanned document") + " from " + DeviceName + " <" + Sender + ">.\r\n"
                + "Attached: " + fileName + " (" + documentLength.ToString() + " bytes).\r\n";
            info.AttachmentName = fileName;
            info.AttachmentType = ifax ? "image/tiff" : MessageInfo.ContentTypeForFileName(fileName);
            return info;
        }

        private static string[] Envelope(MailJob job)
        {
            int count = job.CountIn(RecipientState.Pending);
            if (count == job.Recipients.Length)
            {
                // Nobody sent to yet: the job's own list is the envelope (the session only reads it).
                return job.Recipients;
            }

            string[] envelope = new string[count];
            int at = 0;
            for (int i = 0; i < job.Recipients.Length; i++)
            {
                if (job.RecipientStates[i] == RecipientState.Pending)
                {
                    envelope[at++] = job.Recipients[i];
                }
            }

            return envelope;
        }

        private static string AuthWord(SmtpAuthMode mode)
        {
            switch (mode)
            {
                case SmtpAuthMode.ScramSha256:
                    return "scram-sha-256";
                case SmtpAuthMode.ScramSha1:
                    return "scram-sha-1";
                case SmtpAuthMode.CramMd5:
                    return "cram-md5";
                case SmtpAuthMode.Plain:
                    return "plain";
                case SmtpAuthMode.XOAuth2:
                    return "xoauth2";
                case SmtpAuthMode.OAuthBearer:
                    return "oauthbearer";
                case SmtpAuthMode.Auto:
                    return "auto";
                default:
                    return "login";
            }
        }

        private static int CheckDocument(MailJob job, IStorage storage, out string detail)
        {
            detail = string.Empty;
            byte[] head = new byte[4];
            int read = 0;
            try
            {
                using (IDocumentSource document = storage.OpenRead(job.DocumentName))
                {
                    while (read < head.Length)
                    {
                        int n = document.Read(head, read, head.Length - read);
                        if (n == 0)
                        {
                            break;
                        }

                        read += n;
                    }
                }
            }
            catch (Exception e)
            {
                detail = "cannot read " + job.DocumentName + ": " + e.Message;
                return UserErrorCode.DocumentError;
            }

            // RFC 3965 simple mode carries TIFF: "II*\0" (little-endian) or "MM\0*" (big-endian).
            bool tiff = read == 4 && ((head[0] == 'I' && head[1] == 'I' && head[2] == 42 && head[3] == 0) || (head[0] == 'M' && head[1] == 'M' && head[2] == 0 && head[3] == 42));
            if (job.Kind == JobKind.Ifax && !tiff)
            {
                detail = job.DocumentName + " is not a TIFF image (i-FAX needs TIFF)";
                return UserErrorCode.DocumentError;
            }

            return UserErrorCode.None;
        }

        private static int Milliseconds(DeviceSettings settings, string key)
        {
            return settings.GetInt(key) * 1000;
        }

        private static string BaseName(string name)
        {
            int slash = name.LastIndexOf('/');
            return slash < 0 ? name : name.Substring(slash + 1);
        }

        private static byte[] Credential(string value)
        {
            return value.Length == 0 ? s_empty : Utf8.GetBytes(value);
        }
    }
}
