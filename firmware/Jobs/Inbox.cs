using System;
using NetBoard.Firmware.Crypto;
using NetBoard.Firmware.Pop;
using NetBoard.Firmware.Storage;
using NetBoard.Firmware.Text;
using NetBoard.Hal;

namespace NetBoard.Firmware.Jobs
{
    /// <summary>
    /// Where received mail is kept until it is printed. A message is "inbox/KEY.eml" once committed
    /// (written to KEY.part, then renamed in one step), and "inbox/KEY.done" once printed, so that
    /// <see cref="Has"/> keeps a message the server still holds from being stored or printed twice.
    /// KEY is the MD5 of the server's unique id, since UIDs may hold characters a file name cannot.
    /// </summary>
    public sealed class Inbox : IPopMailSink
    {
        /// <summary>Where received messages live.</summary>
        public const string Folder = "inbox/";

        /// <summary>Suffix of a received message waiting to be printed.</summary>
        public const string MessageSuffix = ".eml";

        private const string PartSuffix = ".part";
        private const string DoneSuffix = ".done";

        private readonly IStorage _storage;
        private IStorageWriter _writer;
        private string _key;
        private bool _failed;

        /// <summary>Creates the inbox on <paramref name="storage"/>.</summary>
        public Inbox(IStorage storage)
        {
            _storage = storage;
        }

        /// <summary>Received messages committed during this inbox's life.</summary>
        public int Committed { get; private set; }

        /// <inheritdoc />
        public bool Has(string uid)
        {
            if (uid.Length == 0)
            {
                // Without UIDL nothing tells a printed fax from a new one: leave the mailbox alone.
                return true;
            }

            string key = KeyOf(uid);
            return _storage.Exists(Folder + key + MessageSuffix) || _storage.Exists(Folder + key + DoneSuffix);
        }

        /// <inheritdoc />
        public void Begin(string uid, long size)
        {
            _key = KeyOf(uid);
            _failed = false;
            try
            {
                _writer = _storage.Create(Folder + _key + PartSuffix);
            }
            catch (Exception)
            {
                _failed = true;
            }
        }

        /// <inheritdoc />
        public void Write(byte[] buffer, int offset, int count)
        {
            if (_failed)
            {
                return;
            }

            try
            {
                _writer.Write(buffer, offset, count);
            }
            catch (Exception)
            {
                // Full or failing flash: the message is not committed, so the server keeps it.
                _failed = true;
            }
        }

        /// <inheritdoc />
        public bool Commit()
        {
            if (_failed)
            {
                Abort();
                return false;
            }

            try
            {
                _writer.Commit();
                _writer.Dispose();
                _writer = null;
                _storage.Replace(Folder + _key + PartSuffix, Folder + _key + MessageSuffix);
                Committed++;
                return true;
            }
            catch (Exception)
            {
                Abort();
                return false;
            }
        }

        /// <inheritdoc />
        public void Abort()
        {
            try
            {
                if (_writer != null)
                {
                    _writer.Dispose();
                    _writer = null;
                }

                _storage.Delete(Folder + _key + PartSuffix);
            }
            catch (Exception)
            {
                // A leftover .part is removed by the next Abort or ignored: it is never read as a message.
            }
        }

        /// <summary>The names of received messages waiting to be printed, oldest name first.</summary>
        public string[] Pending()
        {
            string[] names = _storage.List(Folder);
            int count = 0;
            for (int i = 0; i < names.Length; i++)
            {
                if (EndsWith(names[i], MessageSuffix))
                {
                    names[count++] = names[i];
                }
            }

            string[] pending = new string[count];
            Array.Copy(names, pending, count);
            return pending;
        }

        /// <summary>Marks a message printed (or reported): its UID stays known, its content goes.</summary>
        public void MarkDone(string messageName)
        {
            string stem = messageName.Substring(0, messageName.Length - MessageSuffix.Length);
            RecordFile.Write(_storage, stem + DoneSuffix, "done\n");
            _storage.Delete(messageName);
        }

        /// <summary>The storage key of a UID.</summary>
        public static string KeyOf(string uid)
        {
            byte[] bytes = Utf8.GetBytes(uid);
            byte[] digest = Md5.Hash(bytes, 0, bytes.Length);
            byte[] hex = new byte[32];
            Hex.ToLower(digest, 0, 16, hex, 0);
            return Ascii.GetString(hex, 0, 32);
        }

        private static bool EndsWith(string text, string suffix)
        {
            return text.Length >= suffix.Length && text.Substring(text.Length - suffix.Length) == suffix;
        }
    }
}
