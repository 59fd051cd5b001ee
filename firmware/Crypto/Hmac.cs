using System;

namespace NetBoard.Firmware.Crypto
{
    /// <summary>
    /// HMAC (RFC 2104) over any <see cref="BlockHash"/>, incremental. The states after the inner and
    /// outer key blocks are computed once by the constructor and copied for every message, so one
    /// short message costs two compressions (what PBKDF2's thousands of rounds need). After
    /// <see cref="Final"/> the instance is ready for the next message under the same key;
    /// <see cref="Clear"/> wipes the key material.
    /// </summary>
    public sealed class Hmac
    {
        private const byte InnerPadByte = 0x36;
        private const byte OuterPadByte = 0x5C;

        private readonly BlockHash _inner;
        private readonly BlockHash _outer;
        private readonly BlockHash _innerStart;
        private readonly BlockHash _outerStart;
        private readonly byte[] _innerDigest;
        private bool _cleared;

        /// <summary>Creates an HMAC with the key taken from a byte range; the key bytes are not kept.</summary>
        /// <param name="hash">A new hasher of the algorithm to use (e.g. <c>new Sha256()</c>); the HMAC owns it from now on.</param>
        /// <param name="key">Array holding the key; a key longer than one block is hashed first (RFC 2104 section 2).</param>
        /// <param name="offset">Index of the first key byte.</param>
        /// <param name="count">Key length in bytes; may be zero.</param>
        public Hmac(BlockHash hash, byte[] key, int offset, int count)
        {
            if (hash == null)
            {
                throw new ArgumentNullException("hash");
            }

            RangeCheck.Check(key, offset, count, "key");

            _inner = hash;
            _inner.Reset();
            _outer = hash.NewInstance();
            _innerStart = hash.NewInstance();
            _outerStart = hash.NewInstance();
            _innerDigest = new byte[hash.DigestSizeBytes];

            byte[] pad = new byte[BlockHash.BlockSizeBytes];
            if (count > BlockHash.BlockSizeBytes)
            {
                _inner.Update(key, offset, count);
                _inner.Final(pad, 0);
            }
            else
            {
                Array.Copy(key, offset, pad, 0, count);
            }

            for (int i = 0; i < BlockHash.BlockSizeBytes; i++)
            {
                pad[i] ^= InnerPadByte;
            }

            _innerStart.Update(pad, 0, BlockHash.BlockSizeBytes);
            for (int i = 0; i < BlockHash.BlockSizeBytes; i++)
            {
                pad[i] ^= InnerPadByte ^ OuterPadByte;
            }

            _outerStart.Update(pad, 0, BlockHash.BlockSizeBytes);
            Array.Clear(pad, 0, BlockHash.BlockSizeBytes);
            _inner.CopyStateFrom(_innerStart);
        }

        /// <summary>Size of the authentication code in bytes (the digest size of the hash).</summary>
        public int HashSizeBytes
        {
            get
            {
                return _innerDigest.Length;
            }
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

        /// <summary>Writes the code of the message so far and starts a new message under the same key.</summary>
        /// <param name="output">Destination array; receives <see cref="HashSizeBytes"/> bytes.</param>
        /// <param name="offset">Index where the first byte goes.</param>
        public void Final(byte[] output, int offset)
        {
            ThrowIfCleared();
            RangeCheck.Check(output, offset, _innerDigest.Length, "output");

            _inner.Final(_innerDigest, 0);
            _outer.CopyStateFrom(_outerStart);
            _outer.Update(_innerDigest, 0, _innerDigest.Length);
            _outer.Final(output, offset);

            Array.Clear(_innerDigest, 0, _innerDigest.Length);
            _inner.CopyStateFrom(_innerStart);
        }

        /// <summary>Wipes the key states and all intermediate values; the instance cannot be used afterwards.</summary>
        public void Clear()
        {
            _inner.Wipe();
            _outer.Wipe();
            _innerStart.Wipe();
            _outerStart.Wipe();
            Array.Clear(_innerDigest, 0, _innerDigest.Length);
            _cleared = true;
        }

        /// <summary>Computes the HMAC of a byte range in one call and wipes the key material afterwards.</summary>
        /// <param name="hash">A new hasher of the algorithm to use.</param>
        /// <param name="key">Array holding the key.</param>
        /// <param name="keyOffset">Index of the first key byte.</param>
        /// <param name="keyCount">Key length in bytes.</param>
        /// <param name="data">Array holding the message.</param>
        /// <param name="offset">Index of the first message byte.</param>
        /// <param name="count">Message length in bytes.</param>
        /// <param name="output">Destination for the code (the digest size of the hash).</param>
        /// <param name="outputOffset">Index where the first byte of the code goes.</param>
        public static void Compute(BlockHash hash, byte[] key, int keyOffset, int keyCount, byte[] data, int offset, int count, byte[] output, int outputOffset)
        {
            if (hash == null)
            {
                throw new ArgumentNullException("hash");
            }

            RangeCheck.Check(data, offset, count, "data");
            RangeCheck.Check(output, outputOffset, hash.DigestSizeBytes, "output");

            Hmac hmac = new Hmac(hash, key, keyOffset, keyCount);
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
