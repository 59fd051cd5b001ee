using System;

namespace NetBoard.Firmware.Http
{
    /// <summary>
    /// The application/x-www-form-urlencoded byte serializer (the URL Standard's, which RFC 6749 appendix B uses):
    /// ALPHA, DIGIT and "*-._" stay, a space becomes "+", every other octet becomes "%XX" with upper-case hex.
    /// Input is UTF-8 octets, so any text survives the trip.
    /// </summary>
    public static class FormEncoding
    {
        private const string HexDigits = "0123456789ABCDEF";

        /// <summary>How many octets <paramref name="count"/> octets encode to.</summary>
        /// <param name="value">The octets.</param>
        /// <param name="offset">The first octet.</param>
        /// <param name="count">How many octets.</param>
        public static int EncodedLength(byte[] value, int offset, int count)
        {
            Check(value, offset, count);
            int length = 0;
            for (int i = offset; i < offset + count; i++)
            {
                byte b = value[i];
                length += IsKept(b) || b == (byte)' ' ? 1 : 3;
            }

            return length;
        }

        /// <summary>Encodes <paramref name="count"/> octets into <paramref name="destination"/>.</summary>
        /// <param name="value">The octets.</param>
        /// <param name="offset">The first octet.</param>
        /// <param name="count">How many octets.</param>
        /// <param name="destination">Needs <see cref="EncodedLength"/> octets of room from <paramref name="at"/>.</param>
        /// <param name="at">Where the first encoded octet goes.</param>
        /// <returns>The number of octets written.</returns>
        public static int Encode(byte[] value, int offset, int count, byte[] destination, int at)
        {
            Check(value, offset, count);
            if (destination == null)
            {
                throw new ArgumentNullException("destination");
            }

            int length = EncodedLength(value, offset, count);
            if (at < 0 || at > destination.Length - length)
            {
                throw new ArgumentOutOfRangeException("at");
            }

            int p = at;
            for (int i = offset; i < offset + count; i++)
            {
                byte b = value[i];
                if (IsKept(b))
                {
                    destination[p++] = b;
                }
                else if (b == (byte)' ')
                {
                    destination[p++] = (byte)'+';
                }
                else
                {
                    destination[p++] = (byte)'%';
                    destination[p++] = (byte)HexDigits[b >> 4];
                    destination[p++] = (byte)HexDigits[b & 0x0F];
                }
            }

            return p - at;
        }

        private static bool IsKept(byte b)
        {
            return (b >= (byte)'a' && b <= (byte)'z') || (b >= (byte)'A' && b <= (byte)'Z') || (b >= (byte)'0' && b <= (byte)'9')
                || b == (byte)'*' || b == (byte)'-' || b == (byte)'.' || b == (byte)'_';
        }

        private static void Check(byte[] value, int offset, int count)
        {
            if (value == null)
            {
                throw new ArgumentNullException("value");
            }

            if (offset < 0 || count < 0 || offset > value.Length - count)
            {
                throw new ArgumentOutOfRangeException("count");
            }
        }
    }
}
