using System;

namespace NetBoard.Firmware.Crypto
{
    /// <summary>
    /// PBKDF2 (RFC 8018 section 5.2) with an HMAC as the pseudo-random function, computed in slices so
    /// that a cooperative task can spread thousands of rounds over several scheduler steps. The rounds
    /// allocate nothing; <see cref="Clear"/> wipes every intermediate value and the HMAC key.
    /// </summary>
    public sealed class Pbkdf2
    {
        private const int BlockIndexBytes = 4;

        private readonly Hmac _prf;
        private readonly byte[] _salt;
        private readonly int _iterations;
        private readonly byte[] _key;
        private readonly byte[] _u;
        private readonly byte[] _t;
        private readonly byte[] _blockIndex = new byte[BlockIndexBytes];
        private int _block;
        private int _round;
        private int _keyDone;
        private bool _cleared;

        /// <summary>Prepares a derivation; nothing is computed until <see cref="Run"/>.</summary>
        /// <param name="prf">The HMAC keyed with the password; the derivation owns it and clears it in <see cref="Clear"/>.</param>
        /// <param name="salt">Array holding the salt (copied).</param>
        /// <param name="saltOffset">Index of the first salt byte.</param>
        /// <param name="saltCount">Salt length in bytes; may be zero.</param>
        /// <param name="iterations">The iteration count c, at least 1.</param>
        /// <param name="keyLengthBytes">Length of the derived key dkLen, at least 1.</param>
        public Pbkdf2(Hmac prf, byte[] salt, int saltOffset, int saltCount, int iterations, int keyLengthBytes)
        {
            if (prf == null)
            {
                throw new ArgumentNullException("prf");
            }

            RangeCheck.Check(salt, saltOffset, saltCount, "salt");
            if (iterations < 1)
            {
                throw new ArgumentOutOfRangeException("iterations");
            }

            if (keyLengthBytes < 1)
            {
                throw new ArgumentOutOfRangeException("keyLengthBytes");
            }

            _prf = prf;
            _salt = new byte[saltCount];
            Array.Copy(salt, saltOffset, _salt, 0, saltCount);
            _iterations = iterations;
            _key = new byte[keyLengthBytes];
            _u = new byte[prf.HashSizeBytes];
            _t = new byte[prf.HashSizeBytes];
            _block = 1;
        }

        /// <summary>True once the whole key has been derived.</summary>
        public bool IsComplete
        {
            get
            {
                return _keyDone == _key.Length;
            }
        }

        /// <summary>Runs at most <paramref name="maxRounds"/> HMAC rounds.</summary>
        /// <param name="maxRounds">The most rounds to run in this call (one round is one HMAC of a short message).</param>
        /// <returns>True when the key is complete.</returns>
        public bool Run(int maxRounds)
        {
            if (_cleared)
            {
                throw new InvalidOperationException("PBKDF2 state was cleared");
            }

            int h = _u.Length;
            while (maxRounds > 0 && _keyDone < _key.Length)
            {
                if (_round == 0)
                {
                    // U1 = PRF(P, S || INT(i)).
                    _blockIndex[0] = (byte)(_block >> 24);
                    _blockIndex[1] = (byte)(_block >> 16);
                    _blockIndex[2] = (byte)(_block >> 8);
                    _blockIndex[3] = (byte)_block;
                    _prf.Update(_salt, 0, _salt.Length);
                    _prf.Update(_blockIndex, 0, BlockIndexBytes);
                    _prf.Final(_u, 0);
                    Array.Copy(_u, _t, h);
                }
                else
                {
                    _prf.Update(_u, 0, h);
                    _prf.Final(_u, 0);
                    for (int i = 0; i < h; i++)
                    {
                        _t[i] ^= _u[i];
                    }
                }

                _round++;
                maxRounds--;
                if (_round == _iterations)
                {
                    int take = _key.Length - _keyDone;
                    if (take > h)
                    {
                        take = h;
                    }

                    Array.Copy(_t, 0, _key, _keyDone, take);
                    _keyDone += take;
                    _block++;
                    _round = 0;
                }
            }

            return _keyDone == _key.Length;
        }

        /// <summary>Copies the derived key; only once <see cref="IsComplete"/>.</summary>
        /// <param name="output">Destination array.</param>
        /// <param name="offset">Index where the first key byte goes.</param>
        public void CopyKey(byte[] output, int offset)
        {
            if (!IsComplete || _cleared)
            {
                throw new InvalidOperationException("PBKDF2 key not derived");
            }

            RangeCheck.Check(output, offset, _key.Length, "output");
            Array.Copy(_key, 0, output, offset, _key.Length);
        }

        /// <summary>Wipes the key, every intermediate value and the HMAC; the instance cannot be used afterwards.</summary>
        public void Clear()
        {
            Array.Clear(_key, 0, _key.Length);
            Array.Clear(_u, 0, _u.Length);
            Array.Clear(_t, 0, _t.Length);
            Array.Clear(_salt, 0, _salt.Length);
            _prf.Clear();
            _cleared = true;
        }

        /// <summary>Derives a key in one call: PBKDF2 with HMAC over <paramref name="hash"/>, wiping everything but the output.</summary>
        /// <param name="hash">A new hasher of the PRF's algorithm, e.g. <c>new Sha256()</c>.</param>
        /// <param name="password">Array holding the password.</param>
        /// <param name="passwordOffset">Index of the first password byte.</param>
        /// <param name="passwordCount">Password length in bytes.</param>
        /// <param name="salt">Array holding the salt.</param>
        /// <param name="saltOffset">Index of the first salt byte.</param>
        /// <param name="saltCount">Salt length in bytes.</param>
        /// <param name="iterations">The iteration count, at least 1.</param>
        /// <param name="output">Destination for the key.</param>
        /// <param name="outputOffset">Index where the first key byte goes.</param>
        /// <param name="keyLengthBytes">Length of the key to derive, at least 1.</param>
        public static void DeriveKey(BlockHash hash, byte[] password, int passwordOffset, int passwordCount, byte[] salt, int saltOffset, int saltCount, int iterations, byte[] output, int outputOffset, int keyLengthBytes)
        {
            RangeCheck.Check(output, outputOffset, keyLengthBytes, "output");
            Pbkdf2 kdf = new Pbkdf2(new Hmac(hash, password, passwordOffset, passwordCount), salt, saltOffset, saltCount, iterations, keyLengthBytes);
            kdf.Run(int.MaxValue);
            while (!kdf.IsComplete)
            {
                kdf.Run(int.MaxValue);
            }

            kdf.CopyKey(output, outputOffset);
            kdf.Clear();
        }
    }
}
