using System;
using NetBoard.Firmware.Crypto;
using NetBoard.Firmware.Storage;
using NetBoard.Firmware.Text;

namespace NetBoard.Firmware.Sasl
{
    /// <summary>
    /// SCRAM salted passwords in the <see cref="CredentialStore"/>, one entry per (mechanism, user, salt, iteration
    /// count), named "scram-" and 32 hex digits of a SHA-256 over those four. Besides the salted password an entry
    /// holds HMAC(salted password, password), so a cached key is only used while the configured password is the
    /// one it was made from: a changed password is a cache miss, not a login with the old one. An entry is
    /// therefore as sensitive as the password itself (which the settings file holds beside it). Storage failures
    /// are cache misses; nothing is logged.
    /// </summary>
    public sealed class SaltedPasswordCache : ISaltedPasswordCache
    {
        /// <summary>The prefix of the entry names.</summary>
        public const string NamePrefix = "scram-";

        private const int NameHashHexDigits = 32;

        private const string MechanismField = "mechanism";
        private const string UserField = "user";
        private const string SaltField = "salt";
        private const string IterationsField = "iterations";
        private const string SaltedField = "salted-password";
        private const string CheckField = "password-check";

        private readonly CredentialStore _store;

        /// <summary>Keeps the salted passwords in <paramref name="store"/>.</summary>
        /// <param name="store">The credential store.</param>
        public SaltedPasswordCache(CredentialStore store)
        {
            if (store == null)
            {
                throw new ArgumentNullException("store");
            }

            _store = store;
        }

        /// <summary>The credential-store name of the entry for a login.</summary>
        /// <param name="mechanism">The mechanism name.</param>
        /// <param name="user">The prepared user name.</param>
        /// <param name="salt">The salt.</param>
        /// <param name="iterations">The iteration count.</param>
        public static string EntryName(string mechanism, byte[] user, byte[] salt, int iterations)
        {
            if (mechanism == null || user == null || salt == null)
            {
                throw new ArgumentNullException(mechanism == null ? "mechanism" : (user == null ? "user" : "salt"));
            }

            Sha256 sha = new Sha256();
            byte[] text = Utf8.GetBytes(mechanism);
            sha.Update(text, 0, text.Length);
            byte[] separator = new byte[1];
            sha.Update(separator, 0, 1);
            sha.Update(user, 0, user.Length);
            sha.Update(separator, 0, 1);
            sha.Update(salt, 0, salt.Length);
            sha.Update(separator, 0, 1);
            byte[] count = Utf8.GetBytes(iterations.ToString());
            sha.Update(count, 0, count.Length);
            byte[] digest = new byte[Sha256.HashSizeBytes];
            sha.Final(digest, 0);

            byte[] hex = new byte[NameHashHexDigits];
            Hex.ToLower(digest, 0, NameHashHexDigits / 2, hex, 0);
            return NamePrefix + Ascii.GetString(hex, 0, hex.Length);
        }

        /// <inheritdoc/>
        public bool TryGet(string mechanism, byte[] user, byte[] password, byte[] salt, int iterations, byte[] saltedPassword)
        {
            CredentialEntry entry = null;
            byte[] salted = null;
            byte[] check = null;
            try
            {
                entry = _store.Read(EntryName(mechanism, user, salt, iterations));
                if (entry == null
                    || entry.GetText(MechanismField) != mechanism
                    || !entry.ValueEquals(UserField, user)
                    || !entry.ValueEquals(SaltField, salt)
                    || entry.GetText(IterationsField) != iterations.ToString())
                {
                    return false;
                }

                salted = entry.Get(SaltedField);
                if (salted == null || salted.Length != saltedPassword.Length)
                {
                    return false;
                }

                check = Check(salted, password);
                if (!entry.ValueEquals(CheckField, check))
                {
                    return false;
                }

                Array.Copy(salted, saltedPassword, salted.Length);
                return true;
            }
            catch (Exception)
            {
                return false;
            }
            finally
            {
                Wipe(salted);
                Wipe(check);
                if (entry != null)
                {
                    entry.Clear();
                }
            }
        }

        /// <inheritdoc/>
        public void Put(string mechanism, byte[] user, byte[] password, byte[] salt, int iterations, byte[] saltedPassword)
        {
            CredentialEntry entry = new CredentialEntry();
            byte[] check = null;
            try
            {
                check = Check(saltedPassword, password);
                entry.SetText(MechanismField, mechanism);
                entry.Set(UserField, user, 0, user.Length);
                entry.Set(SaltField, salt, 0, salt.Length);
                entry.SetText(IterationsField, iterations.ToString());
                entry.Set(SaltedField, saltedPassword, 0, saltedPassword.Length);
                entry.Set(CheckField, check, 0, check.Length);
                _store.Write(EntryName(mechanism, user, salt, iterations), entry);
            }
            catch (Exception)
            {
                // Not cached: the next login derives the key again.
            }
            finally
            {
                Wipe(check);
                entry.Clear();
            }
        }

        /// <inheritdoc/>
        public void Remove(string mechanism, byte[] user, byte[] salt, int iterations)
        {
            try
            {
                _store.Delete(EntryName(mechanism, user, salt, iterations));
            }
            catch (Exception)
            {
                // A stale entry whose check no longer matches is harmless.
            }
        }

        /// <summary>Removes every cached salted password, e.g. after a factory reset or a change of credentials.</summary>
        public void RemoveAll()
        {
            try
            {
                string[] names = _store.Names();
                for (int i = 0; i < names.Length; i++)
                {
                    if (names[i].Length > NamePrefix.Length && names[i].Substring(0, NamePrefix.Length) == NamePrefix)
                    {
                        _store.Delete(names[i]);
                    }
                }
            }
            catch (Exception)
            {
                // Entries left behind are only used with the password they were made from.
            }
        }

        private static byte[] Check(byte[] saltedPassword, byte[] password)
        {
            byte[] check = new byte[Sha256.HashSizeBytes];
            Hmac.Compute(new Sha256(), saltedPassword, 0, saltedPassword.Length, password, 0, password.Length, check, 0);
            return check;
        }

        private static void Wipe(byte[] secret)
        {
            if (secret != null)
            {
                Array.Clear(secret, 0, secret.Length);
            }
        }
    }
}
