using System;
using NetBoard.Firmware.Crypto;
using NetBoard.Firmware.Pop;
using NetBoard.Firmware.Storage;
using NetBoard.Firmware.Text;
using NetBoard.Hal;

namespace NetBoard.Firmware.Jobs
{
    /// <summary>
    /// Where received mail is kept until it is printed. A message is "inbox/SEQ-KEY.eml" once committed
    /// (written to KEY.part, then renamed in one step; SEQ keeps arrival order), and "inbox/SEQ-KEY.done"
    /// once printed, so that <see cref="Has"/> keeps a message the server still holds from being stored
    /// or printed twice. KEY is the MD5 of the server's unique id, since UIDs may hold characters a file
    /// name cannot. The newest <see cref="MaxDoneMarkers"/> printed ids are remembered.
    /// </summary>
    public sealed class Inbox : IPopMailSink
    {
        /// <summary>Where received messages live.</summary>
        public const string Folder = "inbox/";

        /// <summary>Suffix of a received message waiting to be printed.</summary>
        public const string MessageSuffix = ".eml";

        /// <summary>Printed messages whose ids are remembered (a server keeps a message at most this long after a lost QUIT).</summary>
        public const int MaxDoneMarkers = 200;

        private const int SequenceDigits = 8;
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
            string[] names = _storage.List(Folder);
            for (int i = 0; i < names.Length; i++)
            {
                string stem = StemKey(names[i]);
                if (stem == key && (StorageName.EndsWith(names[i], MessageSuffix) || StorageName.EndsWith(names[i], DoneSuffix)))
                {
                    return true;
                }
            }

            return false;
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
                _storage.Replace(Folder + _key + PartSuffix, Folder + NextSequence() + "-" + _key + MessageSuffix);
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
                if (StorageName.EndsWith(names[i], MessageSuffix))
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
            string[] names = _storage.List(Folder);
            int done = 0;
            for (int i = 0; i < names.Length; i++)
            {
                if (StorageName.EndsWith(names[i], DoneSuffix))
                {
                    done++;
                }
            }

            for (int i = 0; i < names.Length && done > MaxDoneMarkers; i++)
            {
                if (StorageName.EndsWith(names[i], DoneSuffix))
                {
                    _storage.Delete(names[i]);
                    done--;
                }
            }
        }

        private string NextSequence()
        {
            string[] names = _storage.List(Folder);
            long highest = 0;
            for (int i = 0; i < names.Length; i++)
            {
                long seq = 0;
                string name = names[i];
                if (name.Length <= Folder.Length + SequenceDigits || name[Folder.Length + SequenceDigits] != '-')
                {
                    continue;
                }

                for (int d = 0; d < SequenceDigits; d++)
                {
                    seq = (seq * 10) + (name[Folder.Length + d] - '0');
                }

                if (seq > highest)
                {
                    highest = seq;
                }
            }

            return (highest + 1).ToString().PadLeft(SequenceDigits, '0');
        }

        private static string StemKey(string name)
        {
            int start = Folder.Length + SequenceDigits + 1;
            int dot = name.LastIndexOf('.');
            return dot > start ? name.Substring(start, dot - start) : string.Empty;
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
    }
}
