using System.Diagnostics;
using System.Threading;
using NetBoard.Firmware.Scheduling;
using NetBoard.Firmware.Tests.Doubles;
using NetBoard.Hal;

namespace NetBoard.Firmware.Tests.Reliability
{
    /// <summary>
    /// Idling for a board on real sockets: while any task waits on I/O (the scheduler then idles for
    /// <see cref="CooperativeScheduler.PollIntervalMs"/>) it really sleeps, so the virtual clock follows real time;
    /// when every task only waits for a time (retry intervals, the next reception) the clock jumps ahead instead.
    /// Session deadlines therefore run in real time, and retries do not make a test wait.
    /// </summary>
    internal sealed class RealTimeIdle : ISystemIdle
    {
        private readonly VirtualClock _clock;
        private readonly Stopwatch _watch = Stopwatch.StartNew();
        private readonly long _start;
        private long _jumped;

        public RealTimeIdle(VirtualClock clock)
        {
            _clock = clock;
            _start = clock.NowMs;
        }

        /// <summary>Virtual time skipped so far, in ms.</summary>
        public long JumpedMs => _jumped;

        public void Wait(int maxMs)
        {
            if (maxMs <= CooperativeScheduler.PollIntervalMs)
            {
                Thread.Sleep(maxMs <= 0 ? 0 : maxMs);
            }
            else
            {
                _jumped += maxMs;
            }

            Sync();
        }

        /// <summary>Brings the virtual clock to real time plus the jumps.</summary>
        public void Sync()
        {
            _clock.NowMs = _start + _watch.ElapsedMilliseconds + _jumped;
        }
    }
}
