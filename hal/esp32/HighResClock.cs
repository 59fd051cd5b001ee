using System;
using nanoFramework.Hardware.Esp32;

namespace NetBoard.Hal.Esp32
{
    /// <summary>
    /// The device clock: esp_timer's microseconds since boot (<see cref="HighResTimer.GetCurrent"/>)
    /// for the monotonic counter, and the RTC (set by SNTP once the network is up) for the wall clock.
    /// </summary>
    public sealed class HighResClock : IClock
    {
        private const ulong MicrosecondsPerMillisecond = 1000;

        /// <inheritdoc />
        public long NowMs
        {
            get { return (long)(HighResTimer.GetCurrent() / MicrosecondsPerMillisecond); }
        }

        /// <inheritdoc />
        public DateTime UtcNow
        {
            get { return DateTime.UtcNow; }
        }
    }
}
