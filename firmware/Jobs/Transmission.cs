using System;
using NetBoard.Firmware.Mime;
using NetBoard.Firmware.Settings;
using NetBoard.Firmware.Smtp;
using NetBoard.Firmware.Text;
using NetBoard.Hal;

namespace NetBoard.Firmware.Jobs
{
    /// <summary>Turns a job and the settings into what one SMTP session needs, refusing what cannot work.</summary>
    public static class Transmission
    {
        /// <summary>
        /// Checks that the settings and the job allow a transmission; returns <see cref="UserErrorCode.None"/>
        /// or the code, with the reason in <paramref name="detail"/>.
        /// </summary>
        public static int Check(DeviceSettings settings, MailJob job, IStorage storage, out string detail)
        {
            detail = string.Empty;
            if (settings.Get(SettingKeys.SmtpHost).Length == 0)
            {
                detail = "smtp.host is not set";
                return UserErrorCode.SettingsIncomplete;
            }

            if (settings.Get(SettingKeys.DeviceEmail).Length == 0)
            {
                detail = "device.email is not set";
                return UserErrorCode.SettingsIncomplete;
            }

            string auth = settings.Get(SettingKeys.SmtpAuth);
            if (auth != "off" && auth != "auto" && settings.Get(SettingKeys.SmtpUser).Length == 0)
            {
                detail = "smtp.auth=" + auth + " needs smtp.user";
                return UserErrorCode.SettingsIncomplete;
            }

            if (settings.IsOn(SettingKeys.PopBeforeSmtp) && settings.Get(SettingKeys.PopHost).Length == 0)
            {
                detail = "pop.before_smtp=on needs pop.host";
                return UserErrorCode.SettingsIncomplete;
            }

            if (settings.IsOn(SettingKeys.PopBeforeSmtp) && settings.Get(SettingKeys.PopUser).Length == 0)
            {
                detail = "pop.before_smtp=on needs pop.user";
                return UserErrorCode.SettingsIncomplete;
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
        /// The session options for <paramref name="job"/>: the envelope holds only the recipients still
        /// pending (<see cref="MailJob.PendingIndexes"/>, in that order); credentials are fresh UTF-8 copies
        /// the session clears.
        /// </summary>
        public static SmtpSessionOptions CreateOptions(DeviceSettings settings, MailJob job)
        {
            SmtpSessionOptions options = new SmtpSessionOptions();
            options.EhloName = settings.Get(SettingKeys.SmtpEhloName);
            options.AuthMode = ParseAuthMode(settings.Get(SettingKeys.SmtpAuth));
            options.AllowPlaintextAuth = settings.Get(SettingKeys.SmtpAuthPlaintext) == "allow";
            options.Security = ParseSmtpSecurity(settings.Get(SettingKeys.SmtpSecurity));
            options.CertificateVerified = settings.IsOn(SettingKeys.TlsVerify);
            options.User = Utf8.GetBytes(settings.Get(SettingKeys.SmtpUser));
            options.Password = Utf8.GetBytes(settings.Get(SettingKeys.SmtpPassword));
            options.Sender = settings.Get(SettingKeys.DeviceEmail);
            int[] pending = job.PendingIndexes();
            string[] envelope = new string[pending.Length];
            for (int i = 0; i < pending.Length; i++)
            {
                envelope[i] = job.Recipients[pending[i]];
            }

            options.Recipients = envelope;
            options.ConnectTimeoutMs = Seconds(settings, SettingKeys.SmtpTimeoutConnect);
            options.GreetingTimeoutMs = Seconds(settings, SettingKeys.SmtpTimeoutGreeting);
            options.MailTimeoutMs = Seconds(settings, SettingKeys.SmtpTimeoutMail);
            options.RcptTimeoutMs = Seconds(settings, SettingKeys.SmtpTimeoutRcpt);
            options.DataTimeoutMs = Seconds(settings, SettingKeys.SmtpTimeoutData);
            options.BlockTimeoutMs = Seconds(settings, SettingKeys.SmtpTimeoutBlock);
            options.FinalTimeoutMs = Seconds(settings, SettingKeys.SmtpTimeoutFinal);
            return options;
        }

        /// <summary>The message headers and text for <paramref name="job"/>.</summary>
        public static MessageInfo CreateMessage(DeviceSettings settings, MailJob job, long documentLength, DateTime utcNow, Random random)
        {
            string deviceName = settings.Get(SettingKeys.DeviceName);
            string from = settings.Get(SettingKeys.DeviceEmail);
            string fileName = BaseName(job.DocumentName);
            bool ifax = job.Kind == JobKind.Ifax;

            MessageInfo info = new MessageInfo();
            info.FromAddress = from;
            info.FromName = deviceName;
            info.To = job.Recipients;
            info.Subject = job.Subject.Length > 0 ? job.Subject : (ifax ? "Internet fax from " : "Scanned document from ") + deviceName;
            info.Date = utcNow;
            info.MessageId = MessageInfo.NewMessageId(random, utcNow, from.Substring(from.IndexOf('@') + 1));
            info.Boundary = MessageInfo.NewBoundary(random);
            info.BodyText = (ifax ? "Internet fax" : "Scanned document") + " from " + deviceName + " <" + from + ">.\r\n"
                + "Attached: " + fileName + " (" + documentLength.ToString() + " bytes).\r\n";
            info.AttachmentName = fileName;
            info.AttachmentType = ifax ? "image/tiff" : MessageInfo.ContentTypeForFileName(fileName);
            return info;
        }

        /// <summary>Maps the smtp.security setting's words to the session's encryption.</summary>
        public static SmtpSecurity ParseSmtpSecurity(string value)
        {
            return value == "tls" ? SmtpSecurity.Implicit : (value == "starttls" ? SmtpSecurity.StartTls : SmtpSecurity.None);
        }

        /// <summary>The certificate policy of tls.verify and tls.ca_file.</summary>
        public static TlsPolicy CreateTlsPolicy(DeviceSettings settings)
        {
            return new TlsPolicy(settings.IsOn(SettingKeys.TlsVerify), settings.Get(SettingKeys.TlsCaFile));
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
                default:
                    return SmtpAuthMode.Auto;
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

        private static int Seconds(DeviceSettings settings, string key)
        {
            return settings.GetInt(key) * 1000;
        }

        private static string BaseName(string name)
        {
            int slash = name.LastIndexOf('/');
            return slash < 0 ? name : name.Substring(slash + 1);
        }
    }
}
