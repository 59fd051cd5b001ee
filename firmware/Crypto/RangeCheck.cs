using System;

namespace NetBoard.Firmware.Crypto
{
    /// <summary>Argument guards shared by the byte-range APIs of the crypto and SASL code.</summary>
    internal static class RangeCheck
    {
        /// <summary>Throws when <paramref name="buffer"/> is null or [offset, offset + count) is not inside it.</summary>
        internal static void Check(byte[] buffer, int offset, int count, string name)
        {
            if (buffer == null)
            {
                throw new ArgumentNullException(name);
            }

            // Written so that offset + count cannot overflow.
            if (offset < 0 || count < 0 || offset > buffer.Length || count > buffer.Length - offset)
            {
                throw new ArgumentOutOfRangeException(name);
            }
        }
    }
}
