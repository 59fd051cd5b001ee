using System;
using nanoFramework.TestFramework;
using NetBoard.Firmware.Scheduling;
using NetBoard.Hal;

namespace NetBoard.Device.Tests
{
    /// <summary>The cooperative scheduler on the device, driven by a clock the test moves.</summary>
    [TestClass]
    public class SchedulerTests
    {
        [TestMethod]
        public void RunPass_RunsOnlyDueTasks()
        {
            var clock = new StepClock();
            var scheduler = new CooperativeScheduler(clock, new NoIdle());
            var ticker = new Ticker(100);
            scheduler.Add(ticker);

            scheduler.RunPass();
            scheduler.RunPass();
            clock.Now = 99;
            scheduler.RunPass();
            clock.Now = 100;
            scheduler.RunPass();

            Assert.AreEqual(2, ticker.Steps);
        }

        [TestMethod]
        public void Add_RefusesNull()
        {
            var scheduler = new CooperativeScheduler(new StepClock(), new NoIdle());

            Assert.ThrowsException(typeof(ArgumentNullException), () => scheduler.Add(null));
        }

        private sealed class Ticker : SchedulerTask
        {
            private readonly long _periodMs;

            internal Ticker(long periodMs)
                : base("ticker")
            {
                _periodMs = periodMs;
            }

            internal int Steps { get; private set; }

            public override void Step(long nowMs)
            {
                Steps++;
                SleepUntil(nowMs + _periodMs);
            }
        }

        private sealed class StepClock : IClock
        {
            internal long Now { get; set; }

            public long NowMs
            {
                get { return Now; }
            }

            public DateTime UtcNow
            {
                get { return new DateTime(2026, 11, 29); }
            }
        }

        private sealed class NoIdle : ISystemIdle
        {
            public void Wait(int maxMs)
            {
            }
        }
    }
}
