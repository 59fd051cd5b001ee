using System.Threading;
using nanoFramework.Hardware.Esp32;
using nanoFramework.Runtime.Native;
using nanoFramework.TestFramework;
using NetBoard.Hal.Esp32;

namespace NetBoard.Device.Tests
{
    /// <summary>The POP-before-SMTP delay on the real esp_timer: 300 ms must mean 300 ms. Skipped off ESP32 hardware.</summary>
    [TestClass]
    public class HighResTimerTests
    {
        private const long DelayUs = 300000;

        // The expiry reaches managed code through the CLR's event queue: allow a few ms late, never early.
        private const long LateToleranceUs = 5000;

        [Setup]
        public void RequireEsp32()
        {
            if (!OnEsp32())
            {
                Assert.SkipTest("needs an ESP32 board (runs with nano.hardware.runsettings)");
            }
        }

        [TestMethod]
        public void OneShot_FiresAfter300Milliseconds()
        {
            if (!OnEsp32())
            {
                Assert.SkipTest("needs an ESP32 board");
            }

            var timer = new HighResOneShotTimer();
            try
            {
                ulong start = HighResTimer.GetCurrent();
                timer.Start(DelayUs);
                while (!timer.HasFired && HighResTimer.GetCurrent() - start < 2 * DelayUs)
                {
                    Thread.Sleep(1);
                }

                long elapsedUs = (long)(HighResTimer.GetCurrent() - start);
                Assert.IsTrue(timer.HasFired, "timer did not fire");
                Assert.IsTrue(elapsedUs >= DelayUs, "fired early: " + elapsedUs.ToString() + " us");
                Assert.IsTrue(elapsedUs <= DelayUs + LateToleranceUs, "fired late: " + elapsedUs.ToString() + " us");
            }
            finally
            {
                timer.Dispose();
            }
        }

        [TestMethod]
        public void Cancel_KeepsTheTimerFromFiring()
        {
            if (!OnEsp32())
            {
                Assert.SkipTest("needs an ESP32 board");
            }

            var timer = new HighResOneShotTimer();
            try
            {
                timer.Start(50000);
                timer.Cancel();
                Thread.Sleep(100);

                Assert.IsFalse(timer.HasFired);
            }
            finally
            {
                timer.Dispose();
            }
        }

        internal static bool OnEsp32()
        {
            string platform = SystemInfo.Platform;
            return platform != null && platform.IndexOf("ESP32") >= 0;
        }
    }
}
