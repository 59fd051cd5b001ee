using System;
using System.Diagnostics;
using System.Threading;

namespace NetBoard.Hal.Host
{
    /// <summary>
    /// A one-shot timer with sub-millisecond aim: a dedicated background thread sleeps on a monitor
    /// until shortly before the deadline and yields the rest of the way on <see cref="Stopwatch"/>.
    /// Expiry only sets <see cref="HasFired"/>.
    /// </summary>
    public sealed class HostOneShotTimer : IOneShotTimer, IDisposable
    {
        // The monitor wait is trusted only to within this margin; the rest is spent yielding.
        private const long SpinMarginMicroseconds = 2000;

        private readonly object _sync = new object();
        private readonly Thread _thread;
        private readonly long _spinMarginTicks;
        private long _deadlineTicks;
        private int _generation;
        private bool _armed;
        private bool _disposed;
        private volatile bool _hasFired;

        /// <summary>Creates a disarmed timer and its background thread.</summary>
        public HostOneShotTimer()
        {
            _spinMarginTicks = MicrosecondsToTicks(SpinMarginMicroseconds);
            _thread = new Thread(Run);
            _thread.IsBackground = true;
            _thread.Name = "HostOneShotTimer";
            _thread.Start();
        }

        /// <inheritdoc />
        public bool HasFired
        {
            get
            {
                return _hasFired;
            }
        }

        /// <inheritdoc />
        public void Start(long delayMicroseconds)
        {
            if (delayMicroseconds < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(delayMicroseconds));
            }

            lock (_sync)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                _generation++;
                _hasFired = false;
                if (delayMicroseconds == 0)
                {
                    // Nothing to wait for, so the scheduler sees the expiry on its very next pass.
                    _armed = false;
                    _hasFired = true;
                    return;
                }

                _deadlineTicks = Stopwatch.GetTimestamp() + MicrosecondsToTicks(delayMicroseconds);
                _armed = true;
                Monitor.Pulse(_sync);
            }
        }

        /// <inheritdoc />
        public void Cancel()
        {
            lock (_sync)
            {
                _generation++;
                _armed = false;
                _hasFired = false;
                Monitor.Pulse(_sync);
            }
        }

        /// <summary>Disarms the timer and ends its background thread.</summary>
        public void Dispose()
        {
            lock (_sync)
            {
                if (_disposed)
                {
                    return;
                }

                _disposed = true;
                _armed = false;
                _generation++;
                Monitor.Pulse(_sync);
            }
        }

        private static long MicrosecondsToTicks(long microseconds)
        {
            long frequencyHz = Stopwatch.Frequency;

            // Split the multiplication so that long delays cannot overflow.
            return ((microseconds / 1_000_000) * frequencyHz) + (((microseconds % 1_000_000) * frequencyHz) / 1_000_000);
        }

        private void Run()
        {
            lock (_sync)
            {
                while (!_disposed)
                {
                    if (!_armed)
                    {
                        Monitor.Wait(_sync);
                        continue;
                    }

                    long remainingTicks = _deadlineTicks - Stopwatch.GetTimestamp();
                    if (remainingTicks <= 0)
                    {
                        _armed = false;
                        _hasFired = true;
                        continue;
                    }

                    if (remainingTicks > _spinMarginTicks)
                    {
                        long sleepMs = (remainingTicks - _spinMarginTicks) * 1000 / Stopwatch.Frequency;
                        Monitor.Wait(_sync, (int)Math.Min(Math.Max(sleepMs, 1), int.MaxValue));
                        continue;
                    }

                    int generation = _generation;
                    long deadlineTicks = _deadlineTicks;
                    Monitor.Exit(_sync);
                    try
                    {
                        // Volatile read: Start or Cancel on another thread abandons this spin.
                        while (Stopwatch.GetTimestamp() < deadlineTicks && Volatile.Read(ref _generation) == generation)
                        {
                            Thread.Yield();
                        }
                    }
                    finally
                    {
                        Monitor.Enter(_sync);
                    }
                }
            }
        }
    }
}
