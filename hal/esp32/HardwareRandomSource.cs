using System;

namespace NetBoard.Hal.Esp32
{
    /// <summary>
    /// The ESP32's hardware random number generator. On the ESP32 targets nanoCLR implements
    /// <see cref="Random"/> with esp_random() and ignores any seed, so <see cref="Random.NextBytes(byte[])"/>
    /// reads the hardware generator. Espressif documents its output as truly random while Wi-Fi or
    /// Bluetooth runs; on an Ethernet-only board it is the generator's pseudo-random sequence.
    /// </summary>
    public sealed class HardwareRandomSource : IRandomSource
    {
        private readonly Random _random = new Random();

        /// <inheritdoc />
        public void NextBytes(byte[] buffer, int offset, int count)
        {
            if (buffer == null)
            {
                throw new ArgumentNullException("buffer");
            }

            if (offset < 0 || count < 0 || offset > buffer.Length - count)
            {
                throw new ArgumentOutOfRangeException("count");
            }

            // Random fills whole arrays only; the copy is wiped so no nonce bytes linger on the heap.
            byte[] bytes = new byte[count];
            _random.NextBytes(bytes);
            Array.Copy(bytes, 0, buffer, offset, count);
            Array.Clear(bytes, 0, count);
        }
    }
}
