using System;
using System.Diagnostics;

namespace NetBoard.Hal.Host
{
    /// <summary>The host's clock: <see cref="Stopwatch"/> for the monotonic counter and the system wall clock.</summary>
    public sealed class SystemClock : IClock
    {
        private readonly long _startTicks;

        /// <summary>Creates a clock whose <see cref="NowMs"/> starts at zero now.</summary>
        public SystemClock()
        {
            _startTicks = Stopwatch.GetTimestamp();
        }

        /// <inheritdoc />
        public long NowMs
        {
            get
            {
                long elapsedTicks = Stopwatch.GetTimestamp() - _startTicks;
                long frequencyHz = Stopwatch.Frequency;

                // Split the division so that elapsedTicks * 1000 cannot overflow after months of uptime.
                return ((elapsedTicks / frequencyHz) * 1000) + (((elapsedTicks % frequencyHz) * 1000) / frequencyHz);
            }
        }

        /// <inheritdoc />
        public DateTime UtcNow
        {
            get
            {
                return DateTime.UtcNow;
            }
        }
    }
}
