using System;
using NetBoard.Firmware.Scheduling;
using NetBoard.Hal;

namespace NetBoard.Firmware.Jobs
{
    /// <summary>
    /// The fax/scan job queue task: takes finished scans from the engine and jobs submitted by the
    /// panel or the command line, makes them durable, and hands the next due job to the SMTP send task.
    /// </summary>
    public sealed class JobQueueTask : SchedulerTask
    {
        // How often the engine is asked for finished scans while nothing else wakes the task.
        private const int EnginePollMs = 500;

        private readonly DeviceContext _context;
        private readonly SmtpSendTask _sender;

        /// <summary>Creates the queue task feeding <paramref name="sender"/>.</summary>
        public JobQueueTask(DeviceContext context, SmtpSendTask sender)
            : base("job queue")
        {
            _context = context;
            _sender = sender;
        }

        /// <summary>
        /// Accepts a job whose document is already in storage. Returns the job, durable on return, or
        /// null with the reason when storage failed (the job was not accepted).
        /// </summary>
        public MailJob Submit(JobKind kind, string[] recipients, string subject, string documentName, out string error)
        {
            error = null;
            try
            {
                MailJob job = _context.Jobs.Accept(kind, recipients, subject, documentName);
                Wake();
                return job;
            }
            catch (Exception e)
            {
                error = "job not accepted: " + e.Message;
                return null;
            }
        }

        /// <inheritdoc />
        public override void Step(long nowMs)
        {
            ScanRequest scan = _context.Engine == null ? null : _context.Engine.TakeScan();
            if (scan != null)
            {
                string error;
                MailJob accepted = Submit(scan.IsIfax ? JobKind.Ifax : JobKind.Email, scan.Recipients, scan.Subject, scan.DocumentName, out error);
                if (accepted == null)
                {
                    _context.Journal.TryAppend(JournalLine.Timestamp(_context.Clock.UtcNow) + " scan " + scan.DocumentName + " NG " + error);
                }
            }

            long utcTicks = _context.Clock.UtcNow.Ticks;
            if (_sender.IsIdle)
            {
                MailJob job = _context.Jobs.NextDue(utcTicks);
                if (job != null)
                {
                    job.State = JobState.Sending;
                    try
                    {
                        // Recorded as sending before the attempt: a power cut now requeues it at boot.
                        _context.Jobs.Save(job);
                    }
                    catch (Exception)
                    {
                        job.State = JobState.Queued;
                        SleepUntil(nowMs + EnginePollMs);
                        return;
                    }

                    _sender.Begin(job, this);
                    SleepUntil(nowMs + EnginePollMs);
                    if (scan != null)
                    {
                        // More finished scans may be waiting at the engine.
                        RunAgain();
                    }

                    return;
                }
            }

            long wake = nowMs + EnginePollMs;
            long earliest = _context.Jobs.EarliestAttemptTicks();
            if (_sender.IsIdle && earliest != long.MaxValue)
            {
                long dueMs = nowMs + ((earliest - utcTicks) / TimeSpan.TicksPerMillisecond);
                if (dueMs < wake)
                {
                    wake = dueMs;
                }
            }

            SleepUntil(wake);
            if (scan != null)
            {
                RunAgain();
            }
        }
    }
}
