using System;
using System.Diagnostics;
using System.Threading;
using NetBoard.Hal.Host;

namespace NetBoard.Hal.Tests
{
    public class HostOneShotTimerTests
    {
        // Upper bounds only catch a timer that never fires or uses the wrong unit; a busy machine must not fail them.
        private const int LatenessBoundMs = 500;
        private const int WaitTimeoutMs = 10000;
        private const long LongDelayMicroseconds = 60_000_000;

        [Theory]
        [InlineData(1)]
        [InlineData(20)]
        [InlineData(75)]
        public void Start_FiresAfterDelayAndSoonAfter(int delayMs)
        {
            using var timer = new HostOneShotTimer();
            var watch = Stopwatch.StartNew();

            timer.Start(delayMs * 1000L);
            double firedAtMs = WaitForFire(timer, watch);

            Assert.True(timer.HasFired);
            Assert.True(firedAtMs >= delayMs, $"fired after {firedAtMs} ms, delay {delayMs} ms");
            Assert.True(firedAtMs < delayMs + LatenessBoundMs, $"fired after {firedAtMs} ms, delay {delayMs} ms");
        }

        [Fact]
        public void Start_SubMillisecondDelay_Fires()
        {
            using var timer = new HostOneShotTimer();
            var watch = Stopwatch.StartNew();

            timer.Start(300);
            double firedAtMs = WaitForFire(timer, watch);

            Assert.True(firedAtMs >= 0.3, $"fired after {firedAtMs} ms");
            Assert.True(firedAtMs < LatenessBoundMs, $"fired after {firedAtMs} ms");
        }

        [Fact]
        public void Start_ZeroDelay_HasFiredAtOnce()
        {
            using var timer = new HostOneShotTimer();

            timer.Start(0);

            Assert.True(timer.HasFired);
        }

        [Fact]
        public void Start_NegativeDelay_Throws()
        {
            using var timer = new HostOneShotTimer();

            Assert.Throws<ArgumentOutOfRangeException>(() => timer.Start(-1));
        }

        [Fact]
        public void New_HasNotFired()
        {
            using var timer = new HostOneShotTimer();

            Assert.False(timer.HasFired);
        }

        [Fact]
        public void Start_LongDelay_HasNotFiredYet()
        {
            using var timer = new HostOneShotTimer();

            timer.Start(LongDelayMicroseconds);
            Thread.Sleep(50);

            Assert.False(timer.HasFired);
        }

        [Fact]
        public void Cancel_BeforeExpiry_PreventsFiring()
        {
            const long DelayMicroseconds = 100_000;
            using var timer = new HostOneShotTimer();

            timer.Start(DelayMicroseconds);
            timer.Cancel();
            Thread.Sleep(300);

            Assert.False(timer.HasFired);
        }

        [Fact]
        public void Cancel_AfterExpiry_ClearsHasFired()
        {
            using var timer = new HostOneShotTimer();
            timer.Start(1000);
            WaitForFire(timer, Stopwatch.StartNew());

            timer.Cancel();

            Assert.False(timer.HasFired);
        }

        [Fact]
        public void Start_WhileArmed_RestartsWithNewDelay()
        {
            const int ShortDelayMs = 20;
            using var timer = new HostOneShotTimer();
            timer.Start(LongDelayMicroseconds);
            var watch = Stopwatch.StartNew();

            timer.Start(ShortDelayMs * 1000L);
            double firedAtMs = WaitForFire(timer, watch);

            Assert.True(firedAtMs >= ShortDelayMs, $"fired after {firedAtMs} ms");
            Assert.True(firedAtMs < ShortDelayMs + LatenessBoundMs, $"fired after {firedAtMs} ms");
        }

        [Fact]
        public void Start_AfterExpiry_ClearsAndFiresAgain()
        {
            using var timer = new HostOneShotTimer();
            timer.Start(1000);
            WaitForFire(timer, Stopwatch.StartNew());

            timer.Start(LongDelayMicroseconds);
            Assert.False(timer.HasFired);
            var watch = Stopwatch.StartNew();
            timer.Start(10_000);
            double firedAtMs = WaitForFire(timer, watch);

            Assert.True(firedAtMs >= 10, $"fired after {firedAtMs} ms");
        }

        [Fact]
        public void Start_AfterDispose_Throws()
        {
            var timer = new HostOneShotTimer();
            timer.Dispose();
            timer.Dispose();

            Assert.Throws<ObjectDisposedException>(() => timer.Start(1000));
        }

        private static double WaitForFire(HostOneShotTimer timer, Stopwatch watch)
        {
            while (!timer.HasFired && watch.ElapsedMilliseconds < WaitTimeoutMs)
            {
                Thread.Yield();
            }

            Assert.True(timer.HasFired, "timer did not fire");
            return watch.Elapsed.TotalMilliseconds;
        }
    }
}
