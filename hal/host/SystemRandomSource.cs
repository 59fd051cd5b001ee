using System;
using System.Security.Cryptography;

namespace NetBoard.Hal.Host
{
    /// <summary>The host's random source: the operating system's cryptographic generator (<see cref="RandomNumberGenerator"/>).</summary>
    public sealed class SystemRandomSource : IRandomSource
    {
        /// <inheritdoc />
        public void NextBytes(byte[] buffer, int offset, int count)
        {
            ArgumentNullException.ThrowIfNull(buffer);
            RandomNumberGenerator.Fill(buffer.AsSpan(offset, count));
        }
    }
}
