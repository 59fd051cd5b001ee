using System.Collections;

namespace NetBoard.Firmware.Jobs
{
    /// <summary>A job as "key=value" lines (the record the job store seals and writes).</summary>
    public static class JobRecordFormat
    {
        /// <summary>The job's record text.</summary>
        public static string Format(MailJob job)
        {
            string text = "id=" + job.Id.ToString() + "\n"
                + "kind=" + (job.Kind == JobKind.Ifax ? "ifax" : "email") + "\n"
                + "subject=" + OneLine(job.Subject) + "\n"
                + "document=" + job.DocumentName + "\n"
                + "state=" + StateName(job.State) + "\n"
                + "attempts=" + job.Attempts.ToString() + "\n"
                + "next=" + job.NextAttemptTicks.ToString() + "\n"
                + "error=" + job.LastErrorCode.ToString() + "\n"
                + "detail=" + OneLine(job.LastDetail) + "\n";
            for (int i = 0; i < job.Recipients.Length; i++)
            {
                text += "to=" + job.Recipients[i] + "\n";
            }

            if (job.CountIn(RecipientState.Pending) != job.Recipients.Length)
            {
                // One letter per recipient, in order: p pending, s sent, r rejected.
                char[] marks = new char[job.Recipients.Length];
                for (int i = 0; i < marks.Length; i++)
                {
                    marks[i] = MarkOf(job.RecipientStates[i]);
                }

                text += "rcpt=" + new string(marks) + "\n";
            }

            return text;
        }

        /// <summary>The job a record describes, or null when the record is not a whole job.</summary>
        public static MailJob Parse(string text)
        {
            int id = -1;
            string kind = null;
            string subject = null;
            string document = null;
            string state = null;
            int attempts = 0;
            long next = 0;
            int error = 0;
            string detail = string.Empty;
            string marks = null;
            ArrayList to = new ArrayList();
            string[] lines = text.Split('\n');
            for (int i = 0; i < lines.Length; i++)
            {
                string line = lines[i];
                int equals = line.IndexOf('=');
                if (equals <= 0)
                {
                    continue;
                }

                string key = line.Substring(0, equals);
                string value = line.Substring(equals + 1);
                switch (key)
                {
                    case "id":
                        id = ParseInt(value);
                        break;
                    case "kind":
                        kind = value;
                        break;
                    case "subject":
                        subject = value;
                        break;
                    case "document":
                        document = value;
                        break;
                    case "state":
                        state = value;
                        break;
                    case "attempts":
                        attempts = ParseInt(value);
                        break;
                    case "next":
                        next = ParseLong(value);
                        break;
                    case "error":
                        error = ParseInt(value);
                        break;
                    case "detail":
                        detail = value;
                        break;
                    case "to":
                        to.Add(value);
                        break;
                    case "rcpt":
                        marks = value;
                        break;
                }
            }

            if (id < 0 || kind == null || subject == null || document == null || state == null || to.Count == 0 || attempts < 0 || error < 0)
            {
                return null;
            }

            if (marks != null && marks.Length != to.Count)
            {
                return null;
            }

            string[] recipients = new string[to.Count];
            to.CopyTo(recipients, 0);
            MailJob job = new MailJob(id, kind == "ifax" ? JobKind.Ifax : JobKind.Email, recipients, subject, document);
            job.State = ParseState(state);
            job.Attempts = attempts;
            job.NextAttemptTicks = next;
            job.LastErrorCode = error;
            job.LastDetail = detail;
            for (int i = 0; marks != null && i < marks.Length; i++)
            {
                int mark = "psr".IndexOf(marks[i]);
                if (mark < 0)
                {
                    return null;
                }

                job.RecipientStates[i] = mark == 1 ? RecipientState.Sent : (mark == 2 ? RecipientState.Rejected : RecipientState.Pending);
            }

            return job;
        }

        /// <summary>
        /// The job's state for the status screen and the journal command: "partly sent" while some
        /// recipients have it and others wait for a retry, "failed, partly sent" when they gave up.
        /// </summary>
        public static string StatusName(MailJob job)
        {
            if (job.IsPartlySent && job.State == JobState.Queued)
            {
                return "partly sent";
            }

            if (job.IsPartlySent && job.State == JobState.Failed)
            {
                return "failed, partly sent";
            }

            return StateName(job.State);
        }

        /// <summary>The lower-case name of a state, as the record and the status screen show it.</summary>
        public static string StateName(JobState state)
        {
            switch (state)
            {
                case JobState.Sending:
                    return "sending";
                case JobState.Sent:
                    return "sent";
                case JobState.Failed:
                    return "failed";
                default:
                    return "queued";
            }
        }

        /// <summary><paramref name="text"/> with line breaks replaced by spaces.</summary>
        public static string OneLine(string text)
        {
            if (text == null)
            {
                return string.Empty;
            }

            if (text.IndexOf('\n') < 0 && text.IndexOf('\r') < 0)
            {
                return text;
            }

            char[] chars = text.ToCharArray();
            for (int i = 0; i < chars.Length; i++)
            {
                if (chars[i] == '\n' || chars[i] == '\r')
                {
                    chars[i] = ' ';
                }
            }

            return new string(chars);
        }

        private static char MarkOf(RecipientState state)
        {
            return state == RecipientState.Sent ? 's' : (state == RecipientState.Rejected ? 'r' : 'p');
        }

        private static JobState ParseState(string value)
        {
            switch (value)
            {
                case "sending":
                    return JobState.Sending;
                case "sent":
                    return JobState.Sent;
                case "failed":
                    return JobState.Failed;
                default:
                    return JobState.Queued;
            }
        }

        /// <summary>A whole number of at most 18 decimal digits and nothing else, or -1.</summary>
        internal static int ParseInt(string value)
        {
            long parsed = ParseLong(value);
            return parsed < 0 || parsed > int.MaxValue ? -1 : (int)parsed;
        }

        private static long ParseLong(string value)
        {
            if (value.Length == 0 || value.Length > 18)
            {
                return -1;
            }

            long number = 0;
            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                if (c < '0' || c > '9')
                {
                    return -1;
                }

                number = (number * 10) + (c - '0');
            }

            return number;
        }
    }
}
