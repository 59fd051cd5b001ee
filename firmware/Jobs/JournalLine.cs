using System;
using NetBoard.Firmware.Smtp;

namespace NetBoard.Firmware.Jobs
{
    /// <summary>Formats one line of the communication journal (the device's transmission report).</summary>
    public static class JournalLine
    {
        /// <summary>
        /// "2026-11-29 13:05:09Z job 7 email to=a@x.test OK auth=CRAM-MD5 [250 2.0.0 Ok: queued as 4F2]".
        /// When the message was taken but some recipients were deferred (4xx), the line says "PARTLY
        /// SENT #805" and names who has it (sent=) and who waits (deferred=); an attempt that addressed
        /// only the recipients left over from an earlier one names them with sent= too.
        /// Never contains credentials: results carry none.
        /// </summary>
        public static string Format(DateTime utc, MailJob job, SmtpResult result)
        {
            string line = Prefix(utc, job);
            bool partly = result.PartlySent;
            if (partly)
            {
                line += " PARTLY SENT " + UserErrorCode.Format(UserErrorCode.SmtpTemporaryFailure) + " " + UserErrorCode.Describe(UserErrorCode.SmtpTemporaryFailure);
            }
            else if (result.Success)
            {
                line += " OK";
            }
            else
            {
                line += " NG " + UserErrorCode.Format(result.ErrorCode) + " " + UserErrorCode.Describe(result.ErrorCode);
            }

            if (result.AuthMechanism != null)
            {
                line += " auth=" + result.AuthMechanism + (result.AuthNote != null ? " (" + result.AuthNote + ")" : string.Empty);
            }
            else if (result.AuthNote != null)
            {
                line += result.Success ? " unauthenticated (" + result.AuthNote + ")" : " (" + result.AuthNote + ")";
            }

            if (result.Recipients != null)
            {
                line += Recipients(job, result, partly);
            }

            if (!result.Success && result.Stage.Length > 0)
            {
                line += " at " + result.Stage;
            }

            if (result.ReplyNote != null)
            {
                line += " (" + result.ReplyNote + ")";
            }

            if (result.ReplyCode != 0)
            {
                line += " [" + result.ReplyCode.ToString() + " " + result.ReplyText + "]";
            }
            else if (!result.Success && result.Detail.Length > 0)
            {
                line += " [" + result.Detail + "]";
            }

            return line;
        }

        /// <summary>A job refused before any session (settings, document): "... NG #821 e-mail settings incomplete [smtp.host is not set]".</summary>
        public static string FormatRefused(DateTime utc, MailJob job, int errorCode, string detail)
        {
            return Prefix(utc, job) + " NG " + UserErrorCode.Format(errorCode) + " " + UserErrorCode.Describe(errorCode)
                + " [" + detail + "]";
        }

        /// <summary>"yyyy-MM-dd HH:mm:ssZ".</summary>
        public static string Timestamp(DateTime utc)
        {
            return utc.Year.ToString() + "-" + Two(utc.Month) + "-" + Two(utc.Day) + " " + Two(utc.Hour) + ":" + Two(utc.Minute) + ":" + Two(utc.Second) + "Z";
        }

        private static string Two(int value)
        {
            return value < 10 ? "0" + value.ToString() : value.ToString();
        }

        /// <summary><paramref name="items"/> joined by <paramref name="separator"/>, or <paramref name="empty"/> when there are none.</summary>
        internal static string Join(string[] items, string separator, string empty)
        {
            if (items == null || items.Length == 0)
            {
                return empty;
            }

            string joined = items[0];
            for (int i = 1; i < items.Length; i++)
            {
                joined += separator + items[i];
            }

            return joined;
        }

        private static string Recipients(MailJob job, SmtpResult result, bool partly)
        {
            string text = string.Empty;
            int jobRecipients = job.Recipients == null ? 0 : job.Recipients.Length;
            if (result.Success && result.Recipients.Length > 0 && (partly || result.Recipients.Length != jobRecipients))
            {
                string sent = string.Empty;
                for (int i = 0; i < result.Recipients.Length; i++)
                {
                    SmtpRecipientResult r = result.Recipients[i];
                    if (r != null && r.Accepted)
                    {
                        sent += (sent.Length > 0 ? "," : string.Empty) + r.Address;
                    }
                }

                text += " sent=" + sent;
            }

            for (int i = 0; i < result.Recipients.Length; i++)
            {
                SmtpRecipientResult r = result.Recipients[i];
                if (r != null && (r.Deferred || r.Rejected))
                {
                    text += (r.Deferred ? " deferred=" : " rejected=") + r.Address + "(" + r.ReplyCode.ToString() + ")";
                }
            }

            return text;
        }

        private static string Prefix(DateTime utc, MailJob job)
        {
            return Timestamp(utc) + " job " + job.Id.ToString() + " " + (job.Kind == JobKind.Ifax ? "ifax" : "email") + " to=" + Join(job.Recipients, ",", "-");
        }
    }
}
