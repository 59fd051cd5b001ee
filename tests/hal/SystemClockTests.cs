using System;
using System.Threading;
using NetBoard.Hal.Host;

namespace NetBoard.Hal.Tests
{
    public class SystemClockTests
    {
        [Fact]
        public void NowMs_NeverGoesBackwards()
        {
            var clock = new SystemClock();
            long previous = clock.NowMs;
            for (int i = 0; i < 100000; i++)
            {
                long now = clock.NowMs;
                Assert.True(now >= previous, $"{now} < {previous}");
                previous = now;
            }
        }

        [Fact]
        public void NowMs_AdvancesAtLeastBySleptTime()
        {
            const int SleepMs = 50;
            var clock = new SystemClock();
            long before = clock.NowMs;

            Thread.Sleep(SleepMs);

            Assert.True(clock.NowMs - before >= SleepMs);
        }

        [Fact]
        public void NowMs_StartsNearZero()
        {
            var clock = new SystemClock();

            // Generous: only a stalled machine takes a minute between two statements.
            Assert.InRange(clock.NowMs, 0, 60000);
        }

        [Fact]
        public void UtcNow_IsUtcAndCurrent()
        {
            var clock = new SystemClock();
            DateTime before = DateTime.UtcNow;

            DateTime now = clock.UtcNow;

            Assert.Equal(DateTimeKind.Utc, now.Kind);
            Assert.InRange(now, before, DateTime.UtcNow);
        }
    }
}
