using NetBoard.Firmware.Net;
using NetBoard.Firmware.Scheduling;

namespace NetBoard.Firmware.Jobs
{
    /// <summary>
    /// A scheduler task that runs protocol sessions: it waits on a transfer, and takes and gives back
    /// the mail-session lock and the TLS budget in one fixed order.
    /// </summary>
    public abstract class MailTask : SchedulerTask
    {
        private bool _holdsMailLock;
        private bool _holdsTlsLock;

        /// <summary>Creates the task.</summary>
        protected MailTask(string name)
            : base(name)
        {
        }

        /// <summary>
        /// Takes the mail-session lock (when <paramref name="mail"/>) and then the TLS budget (when
        /// <paramref name="tls"/>). Returns true once both are held; otherwise the task waits for the
        /// one it lacks. The fixed order keeps two tasks from holding one each and waiting for the other.
        /// </summary>
        protected bool AcquireLocks(DeviceContext context, bool mail, bool tls)
        {
            if (mail && !_holdsMailLock)
            {
                if (!context.MailLock.TryAcquire(this))
                {
                    // A POP session is running: wait for it to end, without holding up the scheduler.
                    WaitForLock(context.MailLock, Never);
                    return false;
                }

                _holdsMailLock = true;
            }

            // One TLS session at a time on the device: each takes about 33 KB of buffers (DeviceContext.TlsLock).
            if (tls && !_holdsTlsLock)
            {
                if (!context.TlsLock.TryAcquire(this))
                {
                    WaitForLock(context.TlsLock, Never);
                    return false;
                }

                _holdsTlsLock = true;
            }

            return true;
        }

        /// <summary>Gives back whatever <see cref="AcquireLocks"/> took.</summary>
        protected void ReleaseLocks(DeviceContext context)
        {
            if (_holdsTlsLock)
            {
                context.TlsLock.Release(this);
                _holdsTlsLock = false;
            }

            if (_holdsMailLock)
            {
                context.MailLock.Release(this);
                _holdsMailLock = false;
            }
        }

        /// <summary>
        /// Steps <paramref name="transfer"/> once and sets the task's wait: again at once after
        /// progress, shortly when output waits for the send buffer, else until data, the peer's close, a state change
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
