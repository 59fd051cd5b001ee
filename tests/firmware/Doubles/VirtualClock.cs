using System;
using NetBoard.Hal;

namespace NetBoard.Firmware.Tests.Doubles
{
    /// <summary>A clock that moves only when told; its idle wait advances it, so scheduler runs are deterministic.</summary>
    internal sealed class VirtualClock : IClock, ISystemIdle
    {
        private static readonly DateTime s_epoch = new DateTime(2026, 11, 29, 9, 0, 0, DateTimeKind.Utc);

        public long NowMs { get; set; }

        public DateTime UtcNow => s_epoch.AddMilliseconds(NowMs);

        /// <summary>Total idle time the scheduler asked for.</summary>
        public long IdleMs { get; private set; }

        public void Wait(int maxMs)
        {
            NowMs += maxMs;
            IdleMs += maxMs;
        }

        public void Advance(long ms) => NowMs += ms;
    }

    /// <summary>A one-shot timer on the virtual clock.</summary>
    internal sealed class VirtualTimer : IOneShotTimer
    {
        private readonly VirtualClock _clock;
        private long _firesAtMs = long.MaxValue;

        public VirtualTimer(VirtualClock clock) => _clock = clock;

        public long StartedAtMs { get; private set; } = -1;

        public long RequestedMicroseconds { get; private set; }

        public bool HasFired => _clock.NowMs >= _firesAtMs;

        public void Start(long delayMicroseconds)
        {
            StartedAtMs = _clock.NowMs;
            RequestedMicroseconds = delayMicroseconds;
            _firesAtMs = _clock.NowMs + (delayMicroseconds / 1000);
        }

        public void Cancel() => _firesAtMs = long.MaxValue;
    }
}
