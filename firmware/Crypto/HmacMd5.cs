using System;

namespace NetBoard.Firmware.Crypto
{
    /// <summary>
    /// HMAC-MD5 keyed hash (RFC 2104), incremental. After <see cref="Final"/> the instance is ready
    /// for the next message under the same key; <see cref="Clear"/> wipes the key material.
    /// </summary>
    public sealed class HmacMd5
    {
        /// <summary>Size of the authentication code in bytes.</summary>
        public const int HashSizeBytes = Md5.HashSizeBytes;

        private const byte InnerPadByte = 0x36;
        private const byte OuterPadByte = 0x5C;

        private readonly Md5 _inner = new Md5();
        private readonly Md5 _outer = new Md5();
        private readonly byte[] _innerPad = new byte[Md5.BlockSizeBytes];
        private readonly byte[] _outerPad = new byte[Md5.BlockSizeBytes];
        private readonly byte[] _innerDigest = new byte[Md5.HashSizeBytes];
        private bool _cleared;

        /// <summary>Creates an HMAC-MD5 with the key taken from a byte range; the key bytes are not kept.</summary>
        /// <param name="key">Array holding the key; a key longer than 64 bytes is hashed first (RFC 2104 section 2).</param>
        /// <param name="offset">Index of the first key byte.</param>
        /// <param name="count">Key length in bytes; may be zero.</param>
        public HmacMd5(byte[] key, int offset, int count)
        {
            RangeCheck.Check(key, offset, count, "key");

            byte[] keySource = key;
            int keyOffset = offset;
            int keyCount = count;
            if (count > Md5.BlockSizeBytes)
            {
                _inner.Update(key, offset, count);
                _inner.Final(_innerDigest, 0);
                keySource = _innerDigest;
                keyOffset = 0;
                keyCount = Md5.HashSizeBytes;
            }

            for (int i = 0; i < Md5.BlockSizeBytes; i++)
            {
                byte k = i < keyCount ? keySource[keyOffset + i] : (byte)0;
                _innerPad[i] = (byte)(k ^ InnerPadByte);
                _outerPad[i] = (byte)(k ^ OuterPadByte);
            }

            Array.Clear(_innerDigest, 0, Md5.HashSizeBytes);
            _inner.Update(_innerPad, 0, Md5.BlockSizeBytes);
        }

        /// <summary>Adds message bytes.</summary>
        /// <param name="data">Source bytes.</param>
        /// <param name="offset">Index of the first byte.</param>
        /// <param name="count">Number of bytes; may be zero.</param>
        public void Update(byte[] data, int offset, int count)
        {
            ThrowIfCleared();
            _inner.Update(data, offset, count);
        }

        /// <summary>Writes the 16-byte code of the message so far and starts a new message under the same key.</summary>
        /// <param name="output">Destination array.</param>
        /// <param name="offset">Index where the first byte goes.</param>
        public void Final(byte[] output, int offset)
        {
            ThrowIfCleared();
            RangeCheck.Check(output, offset, HashSizeBytes, "output");

            _inner.Final(_innerDigest, 0);
            _outer.Update(_outerPad, 0, Md5.BlockSizeBytes);
            _outer.Update(_innerDigest, 0, Md5.HashSizeBytes);
            _outer.Final(output, offset);

            Array.Clear(_innerDigest, 0, Md5.HashSizeBytes);
            _inner.Update(_innerPad, 0, Md5.BlockSizeBytes);
        }

        /// <summary>Wipes the key pads and all intermediate state; the instance cannot be used afterwards.</summary>
        public void Clear()
        {
            Array.Clear(_innerPad, 0, Md5.BlockSizeBytes);
            Array.Clear(_outerPad, 0, Md5.BlockSizeBytes);
            Array.Clear(_innerDigest, 0, Md5.HashSizeBytes);
            _inner.Reset();
            _outer.Reset();
            _cleared = true;
        }

        /// <summary>Computes HMAC-MD5 of a byte range in one call and wipes the key material afterwards.</summary>
        /// <param name="key">Array holding the key.</param>
        /// <param name="keyOffset">Index of the first key byte.</param>
        /// <param name="keyCount">Key length in bytes.</param>
        /// <param name="data">Array holding the message.</param>
        /// <param name="offset">Index of the first message byte.</param>
        /// <param name="count">Message length in bytes.</param>
        /// <param name="output">Destination for the 16-byte code.</param>
        /// <param name="outputOffset">Index where the first byte of the code goes.</param>
        public static void Compute(byte[] key, int keyOffset, int keyCount, byte[] data, int offset, int count, byte[] output, int outputOffset)
        {
            RangeCheck.Check(data, offset, count, "data");
            RangeCheck.Check(output, outputOffset, HashSizeBytes, "output");

            HmacMd5 hmac = new HmacMd5(key, keyOffset, keyCount);
            hmac.Update(data, offset, count);
            hmac.Final(output, outputOffset);
            hmac.Clear();
        }

        private void ThrowIfCleared()
        {
            if (_cleared)
            {
                throw new InvalidOperationException("HMAC key was cleared");
            }
        }
    }
}
