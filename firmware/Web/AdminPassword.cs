using System;
using NetBoard.Firmware.Crypto;
using NetBoard.Firmware.Storage;
using NetBoard.Firmware.Text;
using NetBoard.Hal;

namespace NetBoard.Firmware.Web
{
    /// <summary>
    /// The web page's administrator password, kept in the <see cref="CredentialStore"/> (entry
    /// <see cref="EntryName"/>) as a salted PBKDF2-HMAC-SHA-256 hash: 16 random salt bytes, the iteration
    /// count and the 32-byte derived key. The password itself is never stored. Checking or setting it is a
    /// <see cref="PasswordDerivation"/> the caller runs in slices between scheduler steps.
    /// </summary>
    public sealed class AdminPassword
    {
        /// <summary>The credential store entry.</summary>
        public const string EntryName = "web-admin";

        /// <summary>PBKDF2 iterations for a new hash: about 2,050 SHA-256 compressions, a few seconds on the ESP32 in slices.</summary>
        public const int Iterations = 1024;

        /// <summary>The fewest iterations a stored hash may claim; a damaged or forged entry with fewer is refused.</summary>
        public const int MinIterations = 1000;

        /// <summary>The most iterations a stored hash may claim.</summary>
        public const int MaxIterations = 1000000;

        /// <summary>Salt length, in bytes.</summary>
        public const int SaltBytes = 16;

        /// <summary>Derived key length, in bytes.</summary>
        public const int HashBytes = 32;

        /// <summary>The shortest password accepted, in characters.</summary>
        public const int MinLength = 8;

        /// <summary>The longest password accepted, in characters.</summary>
        public const int MaxLength = 64;

        private const string SaltField = "salt";
        private const string IterationsField = "iterations";
        private const string HashField = "hash";

        private readonly CredentialStore _store;
        private readonly IRandomSource _random;

        /// <summary>Keeps the hash in <paramref name="store"/>; new salts come from <paramref name="random"/>.</summary>
        public AdminPassword(CredentialStore store, IRandomSource random)
        {
            if (store == null)
            {
                throw new ArgumentNullException("store");
            }

            if (random == null)
            {
                throw new ArgumentNullException("random");
            }

            _store = store;
            _random = random;
        }

        /// <summary>True when a usable password hash is stored (a board fresh from the box has none).</summary>
        public bool IsSet
        {
            get
            {
                CredentialEntry entry = _store.Read(EntryName);
                if (entry == null)
                {
                    return false;
                }

                bool usable = ReadIterations(entry) > 0 && Length(entry, SaltField) == SaltBytes && Length(entry, HashField) == HashBytes;
                entry.Clear();
                return usable;
            }
        }

        /// <summary>Null when <paramref name="password"/> may become the administrator password, else why not (for the page).</summary>
        public static string CheckNew(string password)
        {
            if (password == null || password.Length < MinLength)
            {
                return "The password needs at least " + MinLength.ToString() + " characters.";
            }

            if (password.Length > MaxLength)
            {
                return "The password has at most " + MaxLength.ToString() + " characters.";
            }

            for (int i = 0; i < password.Length; i++)
            {
                if (password[i] < ' ' || password[i] == '\u007F')
                {
                    return "The password cannot hold control characters.";
                }
            }

            return null;
        }

        /// <summary>
        /// Starts checking <paramref name="password"/> against the stored hash; null when none is stored
        /// (or it is damaged). Run the derivation, then ask <see cref="Matches"/>.
        /// </summary>
        public PasswordDerivation StartCheck(string password)
        {
            CredentialEntry entry = _store.Read(EntryName);
            if (entry == null)
            {
                return null;
            }

            int iterations = ReadIterations(entry);
            byte[] salt = entry.Get(SaltField);
            byte[] hash = entry.Get(HashField);
            entry.Clear();
            if (iterations <= 0 || salt == null || salt.Length != SaltBytes || hash == null || hash.Length != HashBytes)
            {
                Wipe(salt);
                Wipe(hash);
                return null;
            }

            PasswordDerivation derivation = new PasswordDerivation(password, salt, iterations, hash);
            Wipe(salt);
            return derivation;
        }

        /// <summary>Starts deriving a new hash of <paramref name="password"/> with a fresh salt; store it with <see cref="Store"/> when complete.</summary>
        public PasswordDerivation StartNew(string password)
        {
            byte[] salt = new byte[SaltBytes];
            _random.NextBytes(salt, 0, SaltBytes);
            PasswordDerivation derivation = new PasswordDerivation(password, salt, Iterations, null);
            Wipe(salt);
            return derivation;
        }

        /// <summary>True when a complete check derivation matches the stored hash (compared in fixed time). Clears the derivation.</summary>
        public bool Matches(PasswordDerivation derivation)
        {
            if (derivation == null)
            {
                throw new ArgumentNullException("derivation");
            }

            bool matches = derivation.MatchesExpected();
            derivation.Clear();
            return matches;
        }

        /// <summary>Stores the hash of a complete new derivation, replacing any earlier password, and clears the derivation.</summary>
        /// <exception cref="System.IO.IOException">The storage failed; the earlier password, if any, stays.</exception>
        public void Store(PasswordDerivation derivation)
        {
            if (derivation == null)
            {
                throw new ArgumentNullException("derivation");
            }

            CredentialEntry entry = new CredentialEntry();
            byte[] hash = new byte[HashBytes];
            try
            {
                derivation.CopyResult(hash);
                entry.Set(SaltField, derivation.Salt, 0, SaltBytes);
                entry.SetText(IterationsField, derivation.Iterations.ToString());
                entry.Set(HashField, hash, 0, HashBytes);
                _store.Write(EntryName, entry);
            }
            finally
            {
                Wipe(hash);
                entry.Clear();
                derivation.Clear();
            }
        }

        /// <summary>Forgets the password (factory reset): the board asks for a new one with a setup code.</summary>
        public void Forget()
        {
            _store.Delete(EntryName);
        }

        private static int ReadIterations(CredentialEntry entry)
        {
            string text = entry.GetText(IterationsField);
            if (text == null || text.Length == 0 || text.Length > 7)
            {
                return 0;
            }

            int value = 0;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c < '0' || c > '9')
                {
                    return 0;
                }

                value = (value * 10) + (c - '0');
            }

            return value >= MinIterations && value <= MaxIterations ? value : 0;
        }

        private static int Length(CredentialEntry entry, string field)
        {
            byte[] value = entry.Get(field);
            if (value == null)
            {
                return -1;
            }

            int length = value.Length;
            Wipe(value);
            return length;
        }

        private static void Wipe(byte[] bytes)
        {
            if (bytes != null)
            {
                Array.Clear(bytes, 0, bytes.Length);
            }
        }
    }
}
