using System.Collections.Generic;
using NetBoard.Firmware.Scheduling;
using NetBoard.Firmware.Tests.Doubles;

namespace NetBoard.Firmware.Tests.Scheduling
{
    public class CooperativeSchedulerTests
    {
        private sealed class ScriptTask : SchedulerTask
        {
            private readonly List<string> _trace;
            private readonly System.Action<ScriptTask, long> _step;

            public ScriptTask(string name, List<string> trace, System.Action<ScriptTask, long> step)
                : base(name)
            {
                _trace = trace;
                _step = step;
            }

            public int Runs { get; private set; }

            public override void Step(long nowMs)
            {
                Runs++;
                _trace.Add(Name + "@" + nowMs);
                _step(this, nowMs);
            }

            public void Again() => RunAgain();

            public void Sleep(long until) => SleepUntil(until);

            public void Lock(MailSessionLock l, long deadline) => WaitForLock(l, deadline);

            public void Timer(NetBoard.Hal.IOneShotTimer t, long deadline) => WaitForTimer(t, deadline);
        }

        [Fact]
        public void Every_due_task_runs_once_per_pass_in_order()
        {
            var clock = new VirtualClock();
            var trace = new List<string>();
            var scheduler = new CooperativeScheduler(clock, clock);
            scheduler.Add(new ScriptTask("a", trace, (t, now) => t.Again()));
            scheduler.Add(new ScriptTask("b", trace, (t, now) => t.Again()));
            Assert.Equal(2, scheduler.RunPass());
            Assert.Equal(2, scheduler.RunPass());
            Assert.Equal(new[] { "a@0", "b@0", "a@0", "b@0" }, trace);
        }

        [Fact]
        public void A_sleeping_task_runs_at_its_time_and_idle_jumps_there()
        {
            var clock = new VirtualClock();
            var trace = new List<string>();
            var scheduler = new CooperativeScheduler(clock, clock);
            scheduler.Add(new ScriptTask("s", trace, (t, now) => t.Sleep(now + 250)));
            for (int i = 0; i < 10; i++)
            {
                scheduler.RunOnce();
            }

            Assert.Equal("s@0", trace[0]);
            Assert.Equal("s@250", trace[1]);
            Assert.True(clock.IdleMs >= 250, "the scheduler idled instead of spinning");
            Assert.True(scheduler.Steps <= 6, "a sleeping task is not stepped while it sleeps");
        }

        [Fact]
        public void Idle_never_waits_past_the_cap_so_a_stop_is_seen()
        {
            var clock = new VirtualClock();
            var scheduler = new CooperativeScheduler(clock, clock);
            scheduler.Add(new ScriptTask("forever", new List<string>(), (t, now) => t.Sleep(SchedulerTask.Never)));
            scheduler.RunOnce();
            long before = clock.NowMs;
            scheduler.RunOnce();
            Assert.Equal(CooperativeScheduler.MaxIdleMs, clock.NowMs - before);
        }

        [Fact]
        public void A_task_waiting_for_the_lock_runs_when_it_is_released()
        {
            var clock = new VirtualClock();
            var trace = new List<string>();
            var mailLock = new MailSessionLock();
            var holder = new object();
            Assert.True(mailLock.TryAcquire(holder));
            var scheduler = new CooperativeScheduler(clock, clock);
            var waiter = new ScriptTask("w", trace, (t, now) =>
            {
                if (!mailLock.TryAcquire(t))
                {
                    t.Lock(mailLock, SchedulerTask.Never);
                }
                else
                {
                    t.Sleep(SchedulerTask.Never);
                }
            });
            scheduler.Add(waiter);
            scheduler.RunOnce();
            for (int i = 0; i < 20; i++)
            {
                scheduler.RunOnce();
            }

            Assert.Equal(1, waiter.Runs);
            mailLock.Release(holder);
            scheduler.RunOnce();
            Assert.Equal(2, waiter.Runs);
            Assert.Same(waiter, mailLock.Holder);
        }

        [Fact]
        public void A_task_waiting_for_the_timer_runs_when_it_fires()
        {
            var clock = new VirtualClock();
            var timer = new VirtualTimer(clock);
            var trace = new List<string>();
            var scheduler = new CooperativeScheduler(clock, clock);
            var task = new ScriptTask("t", trace, (t, now) =>
            {
                if (t.Runs == 1)
                {
                    timer.Start(300000);
                    t.Timer(timer, now + 10000);
                }
                else
                {
                    t.Sleep(SchedulerTask.Never);
                }
            });
            scheduler.Add(task);
            while (task.Runs < 2)
            {
                scheduler.RunOnce();
            }

            Assert.Equal("t@300", trace[1]);
        }

        [Fact]
        public void Releasing_a_lock_one_does_not_hold_is_refused()
        {
            var mailLock = new MailSessionLock();
            var a = new object();
            Assert.True(mailLock.TryAcquire(a));
            Assert.False(mailLock.TryAcquire(new object()));
            Assert.Throws<System.InvalidOperationException>(() => mailLock.Release(new object()));
            mailLock.Release(a);
            Assert.True(mailLock.IsFree);
        }
    }
}
