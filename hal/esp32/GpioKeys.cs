using System;
using System.Device.Gpio;

namespace NetBoard.Hal.Esp32
{
    /// <summary>
    /// Panel keys on GPIOs (active low, to ground), sampled when the panel task asks and debounced
    /// in software: a level must hold <see cref="DebounceMs"/> before it counts. Arrow keys repeat
    /// while held. No interrupt handler is involved: the panel task polls every 20 ms anyway.
    /// </summary>
    public sealed class GpioKeys : IPanelKeys
    {
        /// <summary>How long a level must be stable to count (contact bounce lasts a few ms).</summary>
        public const int DebounceMs = 30;

        /// <summary>Hold time before an arrow key repeats.</summary>
        public const int RepeatDelayMs = 500;

        /// <summary>Repeat period of a held arrow key.</summary>
        public const int RepeatIntervalMs = 150;

        private const int QueueSize = 8;

        private readonly KeyPin[] _keys;
        private readonly GpioPin[] _pins;
        private readonly IClock _clock;
        private readonly bool[] _raw;
        private readonly bool[] _stable;
        private readonly long[] _changedAtMs;
        private readonly long[] _repeatAtMs;
        private readonly PanelKey[] _queue = new PanelKey[QueueSize];
        private int _queueStart;
        private int _queueCount;
        private long _lastSampleMs = -1;

        /// <summary>Opens every key's pin as an input on <paramref name="controller"/>.</summary>
        public GpioKeys(GpioController controller, KeyPin[] keys, IClock clock)
        {
            if (controller == null || keys == null || clock == null)
            {
                throw new ArgumentNullException(controller == null ? "controller" : (keys == null ? "keys" : "clock"));
            }

            _keys = keys;
            _clock = clock;
            _pins = new GpioPin[keys.Length];
            _raw = new bool[keys.Length];
            _stable = new bool[keys.Length];
            _changedAtMs = new long[keys.Length];
            _repeatAtMs = new long[keys.Length];
            for (int i = 0; i < keys.Length; i++)
            {
                _pins[i] = controller.OpenPin(keys[i].Gpio, keys[i].ExternalPullUp ? PinMode.Input : PinMode.InputPullUp);
            }
        }

        /// <inheritdoc />
        public bool TryReadKey(out PanelKey key, out char character)
        {
            character = '\0';
            long now = _clock.NowMs;
            if (now != _lastSampleMs)
            {
                _lastSampleMs = now;
                Sample(now);
            }

            if (_queueCount == 0)
            {
                key = PanelKey.None;
                return false;
            }

            key = _queue[_queueStart];
            _queueStart = (_queueStart + 1) % QueueSize;
            _queueCount--;
            return true;
        }

        private static bool Repeats(PanelKey key)
        {
            return key == PanelKey.Up || key == PanelKey.Down || key == PanelKey.Left || key == PanelKey.Right;
        }

        private void Sample(long now)
        {
            for (int i = 0; i < _pins.Length; i++)
            {
                bool pressed = _pins[i].Read() == PinValue.Low;
                if (pressed != _raw[i])
                {
                    _raw[i] = pressed;
                    _changedAtMs[i] = now;
                    continue;
                }

                if (pressed != _stable[i])
                {
                    if (now - _changedAtMs[i] >= DebounceMs)
                    {
                        _stable[i] = pressed;
                        if (pressed)
                        {
                            Enqueue(_keys[i].Key);
                            _repeatAtMs[i] = now + RepeatDelayMs;
                        }
                    }
                }
                else if (pressed && Repeats(_keys[i].Key) && now >= _repeatAtMs[i])
                {
                    Enqueue(_keys[i].Key);
                    _repeatAtMs[i] = now + RepeatIntervalMs;
                }
            }
        }

        private void Enqueue(PanelKey key)
        {
            if (_queueCount == QueueSize)
            {
                // A full queue means nobody reads: drop the newest press rather than block.
                return;
            }

            _queue[(_queueStart + _queueCount) % QueueSize] = key;
            _queueCount++;
        }
    }
}
