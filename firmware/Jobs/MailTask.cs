using NetBoard.Firmware.Net;
using NetBoard.Firmware.Scheduling;

namespace NetBoard.Firmware.Jobs
{
    /// <summary>A scheduler task that runs protocol sessions: one helper decides how to wait on a transfer.</summary>
    public abstract class MailTask : SchedulerTask
    {
        /// <summary>Creates the task.</summary>
        protected MailTask(string name)
            : base(name)
        {
        }

        /// <summary>
        /// Steps <paramref name="transfer"/> once and sets the task's wait: again at once after
        /// progress, shortly when output waits for the send buffer, else until data, a state change
        /// or the session's deadline. Returns true when the session has ended.
        /// </summary>
        protected bool StepTransfer(SessionTransfer transfer, long nowMs)
        {
            bool progress = transfer.Step();
            if (transfer.IsDone)
            {
                return true;
            }

            if (progress)
            {
                RunAgain();
            }
            else if (transfer.WaitingToSend || transfer.Connection == null)
            {
                SleepUntil(nowMs + CooperativeScheduler.PollIntervalMs);
            }
            else
            {
                WaitReadable(transfer.Connection, transfer.SeenState, transfer.SeenTls, transfer.Session.Deadline);
            }

            return false;
        }
    }
}
