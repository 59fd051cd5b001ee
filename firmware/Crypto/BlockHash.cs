using System;

namespace NetBoard.Firmware.Crypto
{
    /// <summary>
    /// A Merkle-Damgard hash over 64-byte blocks with a 64-bit length trailer (MD5, SHA-1, SHA-256):
    /// the buffering, the padding, the digest output and the copying of an intermediate state are
    /// shared here; a subclass supplies the compression function and its initial chaining values.
    /// All working storage is allocated by the constructor, so hashing allocates nothing.
    /// </summary>
    public abstract class BlockHash
    {
        /// <summary>Size of one compression block in bytes.</summary>
        public const int BlockSizeBytes = 64;

        // Offset in the last block where the 64-bit message length goes.
        private const int LengthOffsetBytes = 56;

        private readonly uint[] _state;
        private readonly byte[] _buffer = new byte[BlockSizeBytes];
        private readonly bool _bigEndian;
        private int _bufferCount;
        private long _totalBytes;

        /// <summary>Creates the shared part of a hasher.</summary>
        /// <param name="stateWords">Number of 32-bit chaining words; the digest is these words, so its size is 4 * stateWords bytes.</param>
        /// <param name="bigEndian">True for the SHA family (big-endian words and length), false for MD5.</param>
        protected BlockHash(int stateWords, bool bigEndian)
        {
            _state = new uint[stateWords];
            _bigEndian = bigEndian;
        }

        /// <summary>Size of the digest in bytes.</summary>
        public int DigestSizeBytes
        {
            get
            {
                return _state.Length * 4;
            }
        }

        /// <summary>The chaining values, for the subclass's compression function.</summary>
        protected uint[] State
        {
            get
            {
                return _state;
            }
        }

        /// <summary>Creates a new hasher of the same algorithm, ready to take data.</summary>
        /// <returns>The new hasher.</returns>
        public abstract BlockHash NewInstance();

        /// <summary>Discards all data hashed so far and starts a new digest.</summary>
        public void Reset()
        {
            InitializeState(_state);
            _totalBytes = 0;
            _bufferCount = 0;

            // The buffer may hold key or password material from an HMAC.
            Array.Clear(_buffer, 0, BlockSizeBytes);
        }

        /// <summary>Adds <paramref name="count"/> bytes of <paramref name="data"/> starting at <paramref name="offset"/>.</summary>
        /// <param name="data">Source bytes.</param>
        /// <param name="offset">Index of the first byte to hash.</param>
        /// <param name="count">Number of bytes to hash; may be zero.</param>
        public void Update(byte[] data, int offset, int count)
        {
            RangeCheck.Check(data, offset, count, "data");
            _totalBytes += count;

            if (_bufferCount > 0)
            {
                int take = BlockSizeBytes - _bufferCount;
                if (take > count)
                {
                    take = count;
                }

                Array.Copy(data, offset, _buffer, _bufferCount, take);
                _bufferCount += take;
                offset += take;
                count -= take;
                if (_bufferCount < BlockSizeBytes)
                {
                    return;
                }

                Compress(_buffer, 0);
                _bufferCount = 0;
            }

            // Whole blocks are compressed straight from the caller's array.
            while (count >= BlockSizeBytes)
            {
                Compress(data, offset);
                offset += BlockSizeBytes;
                count -= BlockSizeBytes;
            }

            if (count > 0)
            {
                Array.Copy(data, offset, _buffer, 0, count);
                _bufferCount = count;
            }
        }

        /// <summary>Completes the digest, writes its <see cref="DigestSizeBytes"/> bytes to <paramref name="output"/> and resets the hasher.</summary>
        /// <param name="output">Destination array.</param>
        /// <param name="offset">Index where the first digest byte goes.</param>
        public void Final(byte[] output, int offset)
        {
            RangeCheck.Check(output, offset, DigestSizeBytes, "output");

            long totalBits = _totalBytes << 3;
            _buffer[_bufferCount++] = 0x80;
            if (_bufferCount > LengthOffsetBytes)
            {
                Array.Clear(_buffer, _bufferCount, BlockSizeBytes - _bufferCount);
                Compress(_buffer, 0);
                _bufferCount = 0;
            }

            Array.Clear(_buffer, _bufferCount, LengthOffsetBytes - _bufferCount);
            for (int i = 0; i < 8; i++)
            {
                int at = _bigEndian ? BlockSizeBytes - 1 - i : LengthOffsetBytes + i;
                _buffer[at] = (byte)(totalBits >> (8 * i));
            }

            Compress(_buffer, 0);

            for (int i = 0; i < _state.Length; i++)
            {
                uint word = _state[i];
                int at = offset + (4 * i);
                if (_bigEndian)
                {
                    output[at] = (byte)(word >> 24);
                    output[at + 1] = (byte)(word >> 16);
                    output[at + 2] = (byte)(word >> 8);
                    output[at + 3] = (byte)word;
                }
                else
                {
                    output[at] = (byte)word;
                    output[at + 1] = (byte)(word >> 8);
                    output[at + 2] = (byte)(word >> 16);
                    output[at + 3] = (byte)(word >> 24);
                }
            }

            Reset();
        }

        /// <summary>
        /// Makes this hasher continue exactly where <paramref name="source"/> is, as if it had been given the same
        /// data (HMAC keeps the states after its key blocks this way instead of hashing the key for every message).
        /// </summary>
        /// <param name="source">A hasher of the same algorithm.</param>
        public void CopyStateFrom(BlockHash source)
        {
            if (source == null)
            {
                throw new ArgumentNullException("source");
            }

            if (source.GetType() != GetType())
            {
                throw new ArgumentException("not the same hash algorithm", "source");
            }

            Array.Copy(source._state, _state, _state.Length);
            if (source._bufferCount > 0 || _bufferCount > 0)
            {
                Array.Copy(source._buffer, _buffer, BlockSizeBytes);
            }

            _bufferCount = source._bufferCount;
            _totalBytes = source._totalBytes;
        }

        /// <summary>
        /// Wipes everything that may hold message or key material (buffer, chaining values, the message
        /// schedule) and leaves the hasher ready for a new digest.
        /// </summary>
        public void Wipe()
        {
            Array.Clear(_state, 0, _state.Length);
            WipeScratch();
            Reset();
        }

        /// <summary>Writes the algorithm's initial chaining values.</summary>
        /// <param name="state">The chaining values to set.</param>
        protected abstract void InitializeState(uint[] state);

        /// <summary>Compresses one 64-byte block into <see cref="State"/>.</summary>
        /// <param name="block">Array holding the block.</param>
        /// <param name="offset">Index of the block's first byte.</param>
        protected abstract void Compress(byte[] block, int offset);

        /// <summary>Clears any working storage of the compression function (e.g. the message schedule); none by default.</summary>
        protected virtual void WipeScratch()
        {
        }
    }
}
