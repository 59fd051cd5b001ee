using System;
using nanoFramework.Hardware.Esp32;

namespace NetBoard.Hal.Esp32
{
    /// <summary>
    /// The one-shot timer on the ESP32's esp_timer (<see cref="HighResTimer"/>, microsecond resolution).
    /// Its expiry event only sets a flag; the scheduler sees it on its next pass.
    /// </summary>
    public sealed class HighResOneShotTimer : IOneShotTimer, IDisposable
    {
        private readonly object _sync = new object();
        private readonly HighResTimer _timer;
        // Not 'volatile': nanoFramework's mscorlib lacks IsVolatile; the interpreter reads fields from the heap on every access.
        private bool _hasFired;
        private bool _armed;
        private ulong _deadlineUs;
        private bool _disposed;

        /// <summary>Creates a disarmed timer.</summary>
        public HighResOneShotTimer()
        {
            _timer = new HighResTimer();
            _timer.OnHighResTimerExpired += OnExpired;
        }

        /// <inheritdoc />
        public bool HasFired
        {
            get { return _hasFired; }
        }

        /// <inheritdoc />
        public void Start(long delayMicroseconds)
        {
            if (delayMicroseconds < 0)
            {
                throw new ArgumentOutOfRangeException("delayMicroseconds");
            }

            lock (_sync)
            {
                if (_disposed)
                {
                    throw new ObjectDisposedException();
                }

                _timer.Stop();
                _hasFired = false;
                if (delayMicroseconds == 0)
                {
                    _armed = false;
                    _hasFired = true;
                    return;
                }

                _deadlineUs = HighResTimer.GetCurrent() + (ulong)delayMicroseconds;
                _armed = true;
                _timer.StartOneShot((ulong)delayMicroseconds);
            }
        }

        /// <inheritdoc />
        public void Cancel()
        {
            lock (_sync)
            {
                _armed = false;
                _hasFired = false;
                if (!_disposed)
                {
                    _timer.Stop();
                }
            }
        }

        /// <summary>Stops the timer and frees the esp_timer behind it.</summary>
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
                _timer.OnHighResTimerExpired -= OnExpired;
                _timer.Stop();
                _timer.Dispose();
            }
        }

        private void OnExpired(HighResTimer sender, object e)
        {
            lock (_sync)
            {
                // An expiry queued before a re-arm or Cancel arrives late: only the current deadline counts.
                if (_armed && HighResTimer.GetCurrent() >= _deadlineUs)
                {
                    _armed = false;
                    _hasFired = true;
                }
            }
        }
    }
}
