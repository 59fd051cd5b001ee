using System;
using NetBoard.Firmware.Crypto;
using NetBoard.Firmware.Text;

namespace NetBoard.Firmware.Web
{
    /// <summary>
    /// One PBKDF2-HMAC-SHA-256 derivation of an administrator password, run a few rounds at a time
    /// (<see cref="Run"/>) so a sign-in never holds the scheduler: a check against a stored hash, or a
    /// new hash to store. Every copy of the password and every intermediate value is wiped by <see cref="Clear"/>.
    /// </summary>
    public sealed class PasswordDerivation
    {
        /// <summary>PBKDF2 rounds per scheduler step: 16 SHA-256 compressions, a few tens of milliseconds on the ESP32.</summary>
        public const int RoundsPerStep = 8;

        private readonly Pbkdf2 _kdf;
        private readonly byte[] _salt;
        private readonly byte[] _expected;
        private readonly byte[] _result = new byte[AdminPassword.HashBytes];
        private bool _complete;

        internal PasswordDerivation(string password, byte[] salt, int iterations, byte[] expected)
        {
            if (password == null)
            {
                throw new ArgumentNullException("password");
            }

            byte[] secret = Utf8.GetBytes(password);
            try
            {
                _kdf = new Pbkdf2(new Hmac(new Sha256(), secret, 0, secret.Length), salt, 0, salt.Length, iterations, AdminPassword.HashBytes);
            }
            finally
            {
                Array.Clear(secret, 0, secret.Length);
            }

            _salt = new byte[salt.Length];
            Array.Copy(salt, _salt, salt.Length);
            _expected = expected;
            Iterations = iterations;
        }

        /// <summary>The iteration count.</summary>
        public int Iterations { get; private set; }

        /// <summary>True once the key is derived.</summary>
        public bool IsComplete
        {
            get { return _complete; }
        }

        internal byte[] Salt
        {
            get { return _salt; }
        }

        /// <summary>Runs at most <paramref name="maxRounds"/> PBKDF2 rounds; true once the derivation is complete.</summary>
        public bool Run(int maxRounds)
        {
            if (_complete)
            {
                return true;
            }

            if (_kdf.Run(maxRounds))
            {
                _kdf.CopyKey(_result, 0);
                _kdf.Clear();
                _complete = true;
            }

            return _complete;
        }

        /// <summary>Wipes the password's HMAC key, the salt, the expected hash and the result.</summary>
        public void Clear()
        {
            if (!_complete)
            {
                _kdf.Clear();
            }

            _complete = false;
            Array.Clear(_result, 0, _result.Length);
            Array.Clear(_salt, 0, _salt.Length);
            if (_expected != null)
            {
                Array.Clear(_expected, 0, _expected.Length);
            }
        }

        internal bool MatchesExpected()
        {
            if (!_complete || _expected == null)
            {
                throw new InvalidOperationException("not a complete check");
            }

            return FixedTime.AreEqual(_result, 0, _expected, 0, _result.Length);
        }

        internal void CopyResult(byte[] output)
        {
            if (!_complete)
            {
                throw new InvalidOperationException("derivation not complete");
            }

            Array.Copy(_result, output, _result.Length);
        }
    }
}
