using System;
using NetBoard.Hal;

namespace NetBoard.Firmware.Storage
{
    /// <summary>
    /// Secrets the device derives or is given, kept apart from the settings file: one sealed record per named
    /// entry ("credentials/NAME.cred", the "#crc32=" record format of jobs and settings), written atomically
    /// (a power cut leaves the old entry or the new one). SCRAM's salted passwords live here; tokens can too.
    /// The host storage writes these files owner-only. Entries are never logged.
    /// </summary>
    public sealed class CredentialStore
    {
        /// <summary>The storage folder of the entries.</summary>
        public const string Folder = "credentials/";

        /// <summary>The longest entry name.</summary>
        public const int MaxNameLength = 64;

        private const string Suffix = ".cred";

        private readonly IStorage _storage;

        /// <summary>Keeps the entries in <paramref name="storage"/>, under <see cref="Folder"/>.</summary>
        /// <param name="storage">The device storage.</param>
        public CredentialStore(IStorage storage)
        {
            if (storage == null)
            {
                throw new ArgumentNullException("storage");
            }

            _storage = storage;
        }

        /// <summary>True for a usable entry name: 1 to 64 characters of a-z, 0-9, '.', '_' and '-', not starting with '.'.</summary>
        /// <param name="name">The name to check.</param>
        public static bool IsValidName(string name)
        {
            if (name == null || name.Length == 0 || name.Length > MaxNameLength || name[0] == '.')
            {
                return false;
            }

            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>The entry of that name, or null when it is missing, damaged or unreadable (never throws for those).</summary>
        /// <param name="name">A valid entry name.</param>
        /// <returns>A new entry the caller owns and wipes with <see cref="CredentialEntry.Clear"/>.</returns>
        public CredentialEntry Read(string name)
        {
            string file = FileName(name);
            byte[] body;
            try
            {
                body = RecordFile.ReadBytes(_storage, file);
            }
            catch (Exception)
            {
                return null;
            }

            if (body == null)
            {
                return null;
            }

            CredentialEntry entry = CredentialEntry.Parse(body);
            Array.Clear(body, 0, body.Length);
            return entry;
        }

        /// <summary>Stores an entry under a name, replacing any entry of that name atomically.</summary>
        /// <param name="name">A valid entry name.</param>
        /// <param name="entry">The fields to store; the caller keeps (and wipes) it.</param>
        /// <exception cref="System.IO.IOException">The storage failed; the previous entry, if any, is intact.</exception>
        public void Write(string name, CredentialEntry entry)
        {
            if (entry == null)
            {
                throw new ArgumentNullException("entry");
            }

            string file = FileName(name);
            byte[] body = entry.Serialize();
            if (body.Length > RecordFile.MaxRecordBytes - 64)
            {
                Array.Clear(body, 0, body.Length);
                throw new ArgumentException("entry too large", "entry");
            }

            try
            {
                RecordFile.WriteBytes(_storage, file, body, 0, body.Length);
            }
            catch (Exception)
            {
                // A half-written pending copy must not stay behind with secrets in it.
                DeleteQuietly(file + RecordFile.PendingSuffix);
                throw;
            }
            finally
            {
                Array.Clear(body, 0, body.Length);
            }
        }

        /// <summary>Removes an entry; a missing entry is not an error.</summary>
        /// <param name="name">A valid entry name.</param>
        public void Delete(string name)
        {
            string file = FileName(name);
            _storage.Delete(file);
            _storage.Delete(file + RecordFile.PendingSuffix);
        }

        /// <summary>The names of the stored entries, in ordinal order.</summary>
        public string[] Names()
        {
            string[] files = _storage.List(Folder);
            int count = 0;
            for (int i = 0; i < files.Length; i++)
            {
                if (IsEntryFile(files[i]))
                {
                    count++;
                }
            }

            string[] names = new string[count];
            int n = 0;
            for (int i = 0; i < files.Length; i++)
            {
                if (IsEntryFile(files[i]))
                {
                    names[n++] = files[i].Substring(Folder.Length, files[i].Length - Folder.Length - Suffix.Length);
                }
            }

            return names;
        }

        private static bool IsEntryFile(string file)
        {
            if (file.Length <= Folder.Length + Suffix.Length || !StorageName.EndsWith(file, Suffix))
            {
                return false;
            }

            return IsValidName(file.Substring(Folder.Length, file.Length - Folder.Length - Suffix.Length));
        }

        private static string FileName(string name)
        {
            if (!IsValidName(name))
            {
                throw new ArgumentException("invalid credential name", "name");
            }

            return Folder + name + Suffix;
        }

        private void DeleteQuietly(string file)
        {
            try
            {
                _storage.Delete(file);
            }
            catch (Exception)
            {
                // Best effort: the caller is already reporting the original failure.
            }
        }
    }
}
