namespace NetBoard.Firmware.Jobs
{
    /// <summary>One transmission job: a document in storage to send to one or more recipients.</summary>
    public sealed class MailJob
    {
        /// <summary>Creates a job.</summary>
        public MailJob(int id, JobKind kind, string[] recipients, string subject, string documentName)
        {
            Id = id;
            Kind = kind;
            Recipients = recipients;
            Subject = subject == null ? string.Empty : subject;
            DocumentName = documentName;
        }

        /// <summary>The job number shown on the panel and in the journal.</summary>
        public int Id { get; private set; }

        /// <summary>E-mail or i-FAX.</summary>
        public JobKind Kind { get; private set; }

        /// <summary>The recipient addresses.</summary>
        public string[] Recipients { get; private set; }

        /// <summary>The subject line (may be empty: a default is used).</summary>
        public string Subject { get; private set; }

        /// <summary>The document's name in storage.</summary>
        public string DocumentName { get; private set; }
    }
}
