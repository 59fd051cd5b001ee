using System;
using NetBoard.Firmware.Text;

namespace NetBoard.Firmware.Mime
{
    /// <summary>
    /// Incremental RFC 2045 base64 body decoder: takes the encoded body in pieces of any size, skips line breaks and
    /// other whitespace, and decodes through the strict <see cref="Base64"/> codec in staged groups of four chars.
    /// Anything else that is not base64 (a foreign char, data after the padding, a group cut short) is an error.
    /// </summary>
    internal sealed class MimeBase64Decoder
    {
        /// <summary>The base64 chars held back between calls at most; a multiple of four.</summary>
        public const int StagingChars = 256;

        private const byte PadByte = (byte)'=';

        private readonly byte[] _staging = new byte[StagingChars];
        private int _staged;
        private bool _padSeen;
        private bool _ended;
        private bool _failed;

        /// <summary>True once the input was found not to be base64; every later call returns -1.</summary>
        public bool Failed
        {
            get { return _failed; }
        }

        /// <summary>Returns the room <see cref="Decode"/> or <see cref="Finish"/> may need for <paramref name="count"/> input bytes.</summary>
        /// <param name="count">The encoded input length in bytes.</param>
        /// <returns>The output room in bytes.</returns>
        public static int MaxOutputLength(int count)
        {
            // Staged chars from earlier calls can come out together with this call's input.
            return Base64.DecodedMaxLength(count + StagingChars);
        }

        /// <summary>Forgets everything, ready for a new body.</summary>
        public void Reset()
        {
            _staged = 0;
            _padSeen = false;
            _ended = false;
            _failed = false;
        }

        /// <summary>Decodes the next piece of the encoded body.</summary>
        /// <param name="src">The encoded bytes.</param>
        /// <param name="offset">The first input byte.</param>
        /// <param name="count">How many input bytes.</param>
        /// <param name="dst">The destination; needs <see cref="MaxOutputLength"/>(<paramref name="count"/>) bytes of room from <paramref name="dstOffset"/>.</param>
        /// <param name="dstOffset">Where the first decoded byte goes.</param>
        /// <returns>The number of bytes written, or -1 when the input is not base64.</returns>
        public int Decode(byte[] src, int offset, int count, byte[] dst, int dstOffset)
        {
            if (src == null)
            {
                throw new ArgumentNullException("src");
            }

            if (dst == null)
            {
                throw new ArgumentNullException("dst");
            }

            if (offset < 0 || count < 0 || offset > src.Length - count)
            {
                throw new ArgumentOutOfRangeException("count");
            }

            if (_failed)
            {
                return -1;
            }

            int p = dstOffset;
            int end = offset + count;
            for (int i = offset; i < end; i++)
            {
                byte b = src[i];
                if (b == ' ' || b == '\t' || b == '\r' || b == '\n')
                {
                    continue;
                }

                if (_ended)
                {
                    return Fail();
                }

                if (b == PadByte)
                {
                    // Padding may only fill the third and fourth place of a group.
                    if ((_staged & 3) < 2)
                    {
                        return Fail();
                    }

                    _padSeen = true;
                }
                else if (_padSeen)
                {
                    return Fail();
                }

                _staged++;
                _staging[_staged - 1] = b;
                if (_padSeen && (_staged & 3) == 0)
                {
                    _ended = true;
                }

                if (_staged == StagingChars || _ended)
                {
                    int n = Flush(dst, p);
                    if (n < 0)
                    {
                        return Fail();
                    }

                    p += n;
                }
            }

            return p - dstOffset;
        }

        /// <summary>Ends the body: decodes what is staged and checks that the data ended on a whole group.</summary>
        /// <param name="dst">The destination; needs <see cref="MaxOutputLength"/>(0) bytes of room from <paramref name="dstOffset"/>.</param>
        /// <param name="dstOffset">Where the first decoded byte goes.</param>
        /// <returns>The number of bytes written, or -1 when the body is not whole base64.</returns>
        public int Finish(byte[] dst, int dstOffset)
        {
            if (dst == null)
            {
                throw new ArgumentNullException("dst");
            }

            if (_failed || (_staged & 3) != 0)
            {
                return Fail();
            }

            int n = Flush(dst, dstOffset);
            return n < 0 ? Fail() : n;
        }

        private int Flush(byte[] dst, int dstOffset)
        {
            int n = Base64.Decode(_staging, 0, _staged, dst, dstOffset);
            _staged = 0;
            return n;
        }

        private int Fail()
        {
            _failed = true;
            return -1;
        }
    }
}
