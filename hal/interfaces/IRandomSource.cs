namespace NetBoard.Hal
{
    /// <summary>
    /// Unpredictable bytes for protocol nonces (SCRAM's client nonce): the ESP32's hardware random
    /// number generator on the device, the operating system's generator on the host.
    /// </summary>
    public interface IRandomSource
    {
        /// <summary>Fills <paramref name="count"/> bytes of <paramref name="buffer"/> from <paramref name="offset"/> with random bytes.</summary>
        /// <param name="buffer">The array to fill.</param>
        /// <param name="offset">Index of the first byte to fill.</param>
        /// <param name="count">Number of bytes to fill.</param>
        void NextBytes(byte[] buffer, int offset, int count);
    }
}
