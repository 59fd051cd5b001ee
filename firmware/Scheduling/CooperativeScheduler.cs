using System;
using System.Collections;
using NetBoard.Hal;

namespace NetBoard.Firmware.Scheduling
{
    /// <summary>
    /// Runs the tasks on one thread: each pass steps every due task once, in the order they were
    /// added, so no task waits behind another for more than one step. Idle time goes to the HAL.
    /// </summary>
    public sealed class CooperativeScheduler
    {
        /// <summary>Longest idle wait while a task waits on I/O, the lock or the timer (they are polled).</summary>
        public const int PollIntervalMs = 1;

        /// <summary>Longest idle wait at all, so a stop request is seen promptly.</summary>
        public const int MaxIdleMs = 100;

        private readonly ArrayList _tasks = new ArrayList();
        private readonly IClock _clock;
        private readonly ISystemIdle _idle;
        private long _steps;

        /// <summary>Creates a scheduler on <paramref name="clock"/> that idles through <paramref name="idle"/>.</summary>
        public CooperativeScheduler(IClock clock, ISystemIdle idle)
        {
            _clock = clock;
            _idle = idle;
        }

        /// <summary>Steps taken so far.</summary>
        public long Steps
        {
            get { return _steps; }
        }

        /// <summary>The tasks, in order.</summary>
        public int TaskCount
        {
            get { return _tasks.Count; }
        }

        /// <summary>Adds a task; it runs on the next pass.</summary>
        public void Add(SchedulerTask task)
        {
            if (task == null)
            {
                throw new ArgumentNullException("task");
            }

            _tasks.Add(task);
        }

        /// <summary>The task at <paramref name="index"/>.</summary>
        public SchedulerTask TaskAt(int index)
        {
            return (SchedulerTask)_tasks[index];
        }

        /// <summary>Steps every task that is due now, once; returns how many ran.</summary>
        public int RunPass()
        {
            int ran = 0;
            for (int i = 0; i < _tasks.Count; i++)
            {
                SchedulerTask task = (SchedulerTask)_tasks[i];
                long now = _clock.NowMs;
                if (task.IsDue(now))
                {
                    task.Step(now);
                    _steps++;
                    ran++;
                }
            }

            return ran;
        }

        /// <summary>
        /// One round of the main loop: a pass, or, when nothing was due, an idle wait until the
        /// earliest deadline (polling tasks that wait on I/O, the lock or the timer).
        /// </summary>
        public void RunOnce()
        {
            if (RunPass() > 0)
            {
                return;
            }

            long now = _clock.NowMs;
            long wait = MaxIdleMs;
            for (int i = 0; i < _tasks.Count; i++)
            {
                SchedulerTask task = (SchedulerTask)_tasks[i];
                long until = task.WakeAtMs - now;
                if (task.WaitKind != TaskWaitKind.Time && until > PollIntervalMs)
                {
                    until = PollIntervalMs;
                }

                if (until < wait)
                {
                    wait = until;
                }
            }

            if (wait > 0)
            {
                _idle.Wait((int)wait);
            }
        }
    }
}
