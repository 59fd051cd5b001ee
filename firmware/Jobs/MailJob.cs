using System;

namespace NetBoard.Firmware.Jobs
{
    /// <summary>One transmission job: a document in storage to send to one or more recipients, and its progress.</summary>
    public sealed class MailJob
    {
        /// <summary>Creates a queued job.</summary>
        public MailJob(int id, JobKind kind, string[] recipients, string subject, string documentName)
        {
            Id = id;
            Kind = kind;
            Recipients = recipients;
            Subject = subject == null ? string.Empty : subject;
            DocumentName = documentName;
            State = JobState.Queued;
            LastDetail = string.Empty;
            RecipientStates = new RecipientState[recipients == null ? 0 : recipients.Length];
        }

        /// <summary>The job number shown on the panel and in the journal.</summary>
        public int Id { get; private set; }

        /// <summary>E-mail or i-FAX.</summary>
        public JobKind Kind { get; private set; }

        /// <summary>The recipient addresses.</summary>
        public string[] Recipients { get; private set; }

        /// <summary>One entry per recipient: pending, sent or rejected. Saved with the job, so a recipient sent to is never sent to again.</summary>
        public RecipientState[] RecipientStates { get; private set; }

        /// <summary>The subject line (may be empty: a default is used).</summary>
        public string Subject { get; private set; }

        /// <summary>The document's name in storage.</summary>
        public string DocumentName { get; private set; }

        /// <summary>Where the job is.</summary>
        public JobState State { get; set; }

        /// <summary>Attempts made so far.</summary>
        public int Attempts { get; set; }

        /// <summary>When the next attempt may start (UTC ticks; 0 = at once).</summary>
        public long NextAttemptTicks { get; set; }

        /// <summary>The last attempt's user error code (0 = none).</summary>
        public int LastErrorCode { get; set; }

        /// <summary>The last attempt's server reply or reason, for the status screen.</summary>
        public string LastDetail { get; set; }

        /// <summary>True while the job still has to be sent.</summary>
        public bool IsPending
        {
            get { return State == JobState.Queued || State == JobState.Sending; }
        }

        /// <summary>True when some recipients were sent to and others are still pending (or failed after all).</summary>
        public bool IsPartlySent
        {
            get { return CountIn(RecipientState.Sent) > 0 && CountIn(RecipientState.Pending) > 0; }
        }

        /// <summary>The indexes (into <see cref="Recipients"/>) of the recipients still to be sent to, in order.</summary>
        public int[] PendingIndexes()
        {
            int[] indexes = new int[CountIn(RecipientState.Pending)];
            int at = 0;
            for (int i = 0; i < RecipientStates.Length; i++)
            {
                if (RecipientStates[i] == RecipientState.Pending)
                {
                    indexes[at++] = i;
                }
            }

            return indexes;
        }

        /// <summary>How many recipients are in <paramref name="state"/>.</summary>
        public int CountIn(RecipientState state)
        {
            int count = 0;
            for (int i = 0; i < RecipientStates.Length; i++)
            {
                if (RecipientStates[i] == state)
                {
                    count++;
                }
            }

            return count;
        }
    }
}
