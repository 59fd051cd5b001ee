using System;
using System.Collections;
using NetBoard.Firmware.Storage;
using NetBoard.Hal;

namespace NetBoard.Firmware.Jobs
{
    /// <summary>
    /// The transmission queue, persisted one record per job ("jobs/000042.job") so that a power cut
    /// at any point loses no accepted job and resends no job recorded as sent. A job is accepted
    /// only once its record is committed.
    /// </summary>
    public sealed class JobStore
    {
        /// <summary>Where job records live.</summary>
        public const string Folder = "jobs/";

        /// <summary>Finished jobs kept for the status screen before the oldest are removed.</summary>
        public const int MaxFinishedJobs = 50;

        private const string Suffix = ".job";
        private const string CounterName = "jobs/next-id";

        private readonly IStorage _storage;
        private readonly ArrayList _jobs = new ArrayList();
        private int _nextId = 1;

        /// <summary>Creates a store on <paramref name="storage"/>; call <see cref="Load"/> at boot.</summary>
        public JobStore(IStorage storage)
        {
            _storage = storage;
        }

        /// <summary>Jobs in the store, oldest first.</summary>
        public int Count
        {
            get { return _jobs.Count; }
        }

        /// <summary>
        /// Reads every job record. A job that was sending when the power went is queued again: the
        /// server may or may not have taken it, and sending twice beats losing it (RFC 5321 6.1).
        /// Returns a line for the panel when anything had to be repaired, else null.
        /// </summary>
        public string Load()
        {
            _jobs.Clear();
            string note = null;
            string[] names = _storage.List(Folder);
            int highest = 0;
            for (int i = 0; i < names.Length; i++)
            {
                string name = names[i];
                if (StorageName.EndsWith(name, RecordFile.PendingSuffix))
                {
                    // A write cut before its rename: the record it replaces is still whole.
                    _storage.Delete(name);
                    continue;
                }

                if (!StorageName.EndsWith(name, Suffix))
                {
                    continue;
                }

                string text = RecordFile.Read(_storage, name);
                MailJob job = text == null ? null : JobRecordFormat.Parse(text);
                if (job == null)
                {
                    note = "Job record " + name + " unreadable";
                    continue;
                }

                if (job.State == JobState.Sending)
                {
                    job.State = JobState.Queued;
                    Save(job);
                    note = note == null ? "Job " + job.Id.ToString() + " requeued after restart" : note;
                }

                Insert(job);
                if (job.Id > highest)
                {
                    highest = job.Id;
                }
            }

            string counter = RecordFile.Read(_storage, CounterName);
            int stored = counter == null ? 0 : JobRecordFormat.ParseInt(counter);
            _nextId = (stored > highest ? stored : highest) + 1;
            return note;
        }

        /// <summary>
        /// Accepts a job: its record is durable when this returns. Storage failures throw
        /// System.IO.IOException; the job is then not accepted and the caller must say so.
        /// </summary>
        public MailJob Accept(JobKind kind, string[] recipients, string subject, string documentName)
        {
            int id = _nextId;

            // The counter goes first so that an id is never handed out twice, even across a cut.
            RecordFile.Write(_storage, CounterName, id.ToString());
            _nextId = id + 1;
            MailJob job = new MailJob(id, kind, recipients, JobRecordFormat.OneLine(subject), documentName);
            Save(job);
            Insert(job);
            Prune();
            return job;
        }

        /// <summary>Persists the job's current state.</summary>
        public void Save(MailJob job)
        {
            RecordFile.Write(_storage, NameOf(job.Id), JobRecordFormat.Format(job));
        }

        /// <summary>The job with <paramref name="id"/>, or null.</summary>
        public MailJob Find(int id)
        {
            for (int i = 0; i < _jobs.Count; i++)
            {
                MailJob job = (MailJob)_jobs[i];
                if (job.Id == id)
                {
                    return job;
                }
            }

            return null;
        }

        /// <summary>The job at <paramref name="index"/>, oldest first.</summary>
        public MailJob At(int index)
        {
            return (MailJob)_jobs[index];
        }

        /// <summary>The oldest queued job whose next attempt is due at <paramref name="utcTicks"/>, or null.</summary>
        public MailJob NextDue(long utcTicks)
        {
            for (int i = 0; i < _jobs.Count; i++)
            {
                MailJob job = (MailJob)_jobs[i];
                if (job.State == JobState.Queued && job.NextAttemptTicks <= utcTicks)
                {
                    return job;
                }
            }

            return null;
        }

        /// <summary>The earliest next-attempt time of a queued job (UTC ticks), or long.MaxValue.</summary>
        public long EarliestAttemptTicks()
        {
            long earliest = long.MaxValue;
            for (int i = 0; i < _jobs.Count; i++)
            {
                MailJob job = (MailJob)_jobs[i];
                if (job.State == JobState.Queued && job.NextAttemptTicks < earliest)
                {
                    earliest = job.NextAttemptTicks;
                }
            }

            return earliest;
        }

        /// <summary>The record name of job <paramref name="id"/>.</summary>
        public static string NameOf(int id)
        {
            return Folder + id.ToString().PadLeft(6, '0') + Suffix;
        }

        private void Insert(MailJob job)
        {
            int at = _jobs.Count;
            while (at > 0 && ((MailJob)_jobs[at - 1]).Id > job.Id)
            {
                at--;
            }

            _jobs.Insert(at, job);
        }

        private void Prune()
        {
            int finished = 0;
            for (int i = 0; i < _jobs.Count; i++)
            {
                if (!((MailJob)_jobs[i]).IsPending)
                {
                    finished++;
                }
            }

            for (int i = 0; i < _jobs.Count && finished > MaxFinishedJobs; i++)
            {
                MailJob job = (MailJob)_jobs[i];
                if (!job.IsPending)
                {
                    _storage.Delete(NameOf(job.Id));
                    _storage.Delete(job.DocumentName);
                    _jobs.RemoveAt(i);
                    i--;
                    finished--;
                }
            }
        }
    }
}
