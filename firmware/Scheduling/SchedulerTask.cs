using NetBoard.Hal;

namespace NetBoard.Firmware.Scheduling
{
    /// <summary>
    /// A task of the cooperative scheduler. <see cref="Step"/> does a bounded amount of work, never
    /// blocks, and ends by saying what the task waits for next (one of the Wait methods; the
    /// default is to run again on the next pass).
    /// </summary>
    public abstract class SchedulerTask
    {
        /// <summary>No deadline.</summary>
        public const long Never = long.MaxValue;

        private MailSessionLock _lock;
        private INetConnection _connection;
        private NetState _connectionState;
        private TlsState _connectionTls;
        private IOneShotTimer _timer;

        /// <summary>Creates a task that runs on the first pass.</summary>
        protected SchedulerTask(string name)
        {
            Name = name;
            WaitKind = TaskWaitKind.Ready;
        }

        /// <summary>The task's name (for status screens and traces).</summary>
        public string Name { get; private set; }

        /// <summary>What the task waits for.</summary>
        public TaskWaitKind WaitKind { get; private set; }

        /// <summary>When the task runs at the latest, on the scheduler's millisecond clock.</summary>
        public long WakeAtMs { get; private set; }

        /// <summary>Does the task's next piece of work.</summary>
        public abstract void Step(long nowMs);

        /// <summary>True when the task should run at <paramref name="nowMs"/>.</summary>
        public bool IsDue(long nowMs)
        {
            switch (WaitKind)
            {
                case TaskWaitKind.Ready:
                    return true;
                case TaskWaitKind.Lock:
                    return _lock.IsFree || nowMs >= WakeAtMs;
                case TaskWaitKind.Readable:
                    return _connection.IsReadable || _connection.State != _connectionState || _connection.Tls != _connectionTls || nowMs >= WakeAtMs;
                case TaskWaitKind.Timer:
                    return _timer.HasFired || nowMs >= WakeAtMs;
                default:
                    return nowMs >= WakeAtMs;
            }
        }

        /// <summary>Runs again on the next pass.</summary>
        protected void RunAgain()
        {
            Set(TaskWaitKind.Ready, 0);
        }

        /// <summary>Runs at <paramref name="wakeAtMs"/> (<see cref="Never"/>: only when <see cref="Wake"/> is called).</summary>
        protected void SleepUntil(long wakeAtMs)
        {
            Set(TaskWaitKind.Time, wakeAtMs);
        }

        /// <summary>Runs when <paramref name="mailLock"/> is free, or at <paramref name="deadlineMs"/>.</summary>
        protected void WaitForLock(MailSessionLock mailLock, long deadlineMs)
        {
            _lock = mailLock;
            Set(TaskWaitKind.Lock, deadlineMs);
        }

        /// <summary>
        /// Runs when <paramref name="connection"/> is readable (data, or the peer's close or reset) or is no
        /// longer in the state the task last acted on (it opened, closed, or finished its TLS handshake), or at
        /// <paramref name="deadlineMs"/>.
        /// </summary>
        /// <param name="connection">The connection to watch.</param>
        /// <param name="seenState">The state the task's step acted on (not read again here: a change in between must wake it).</param>
        /// <param name="seenTls">The TLS state the task's step acted on.</param>
        /// <param name="deadlineMs">When to run at the latest.</param>
        protected void WaitReadable(INetConnection connection, NetState seenState, TlsState seenTls, long deadlineMs)
        {
            _connection = connection;
            _connectionState = seenState;
            _connectionTls = seenTls;
            Set(TaskWaitKind.Readable, deadlineMs);
        }

        /// <summary>Runs when <paramref name="timer"/> has fired, or at <paramref name="deadlineMs"/>.</summary>
        protected void WaitForTimer(IOneShotTimer timer, long deadlineMs)
        {
            _timer = timer;
            Set(TaskWaitKind.Timer, deadlineMs);
        }

        /// <summary>Makes a sleeping task run on the next pass (new work arrived).</summary>
        public void Wake()
        {
            RunAgain();
        }

        private void Set(TaskWaitKind kind, long wakeAtMs)
        {
            WaitKind = kind;
            WakeAtMs = wakeAtMs;
            if (kind != TaskWaitKind.Lock)
            {
                _lock = null;
            }

            if (kind != TaskWaitKind.Readable)
            {
                _connection = null;
            }

            if (kind != TaskWaitKind.Timer)
            {
                _timer = null;
            }
        }
    }
}
