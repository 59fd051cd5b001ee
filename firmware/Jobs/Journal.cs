using NetBoard.Firmware.Storage;
using NetBoard.Hal;

namespace NetBoard.Firmware.Jobs
{
    /// <summary>
    /// The communication journal: one durable record per entry ("journal/00000042.txt"), the newest
    /// <see cref="MaxEntries"/> kept. Lines are read back from storage on demand, not held in RAM.
    /// </summary>
    public sealed class Journal
    {
        /// <summary>Entries kept.</summary>
        public const int MaxEntries = 100;

        /// <summary>Where entries live.</summary>
        public const string Folder = "journal/";

        private const string Suffix = ".txt";

        private readonly IStorage _storage;
        private long _first = 1;
        private long _next = 1;

        /// <summary>Creates the journal on <paramref name="storage"/>; call <see cref="Load"/> at boot.</summary>
        public Journal(IStorage storage)
        {
            _storage = storage;
        }

        /// <summary>Changes with every append, so a screen can tell when to read the lines again.</summary>
        public long Version
        {
            get { return _next; }
        }

        /// <summary>Entries stored.</summary>
        public int Count
        {
            get { return (int)(_next - _first); }
        }

        /// <summary>Finds the stored entries.</summary>
        public void Load()
        {
            string[] names = _storage.List(Folder);
            long first = 0;
            long last = 0;
            for (int i = 0; i < names.Length; i++)
            {
                long seq = SequenceOf(names[i]);
                if (seq <= 0)
                {
                    if (StorageName.EndsWith(names[i], RecordFile.PendingSuffix))
                    {
                        _storage.Delete(names[i]);
                    }

                    continue;
                }

                if (first == 0 || seq < first)
                {
                    first = seq;
                }

                if (seq > last)
                {
                    last = seq;
                }
            }

            _first = first == 0 ? 1 : first;
            _next = last + 1;
        }

        /// <summary>Adds an entry durably and drops the oldest beyond <see cref="MaxEntries"/>.</summary>
        public void Append(string line)
        {
            RecordFile.Write(_storage, NameOf(_next), JobRecordFormat.OneLine(line));
            _next++;
            while (_next - _first > MaxEntries)
            {
                _storage.Delete(NameOf(_first));
                _first++;
            }
        }

        /// <summary>
        /// Appends like <see cref="Append"/> but reports a storage failure instead of throwing: a
        /// journal that cannot be written must not stop a task.
        /// </summary>
        public bool TryAppend(string line)
        {
            try
            {
                Append(line);
                return true;
            }
            catch (System.Exception)
            {
                return false;
            }
        }

        /// <summary>The newest <paramref name="max"/> entries, oldest first (unreadable ones are skipped).</summary>
        public string[] Lines(int max)
        {
            long from = _next - max;
            if (from < _first)
            {
                from = _first;
            }

            string[] lines = new string[(int)(_next - from)];
            int count = 0;
            for (long seq = from; seq < _next; seq++)
            {
                string text = RecordFile.Read(_storage, NameOf(seq));
                if (text != null)
                {
                    lines[count++] = text;
                }
            }

            if (count == lines.Length)
            {
                return lines;
            }

            string[] trimmed = new string[count];
            System.Array.Copy(lines, trimmed, count);
            return trimmed;
        }

        /// <summary>
        /// Up to <paramref name="max"/> entries, newest first, after skipping the <paramref name="skip"/>
        /// newest (a page of the journal); unreadable entries are skipped. Reads only those entries.
        /// </summary>
        public string[] NewestFirst(int skip, int max)
        {
            if (skip < 0 || max < 0)
            {
                throw new System.ArgumentOutOfRangeException(skip < 0 ? "skip" : "max");
            }

            long from = _next - 1 - skip;
            long to = from - max + 1;
            if (to < _first)
            {
                to = _first;
            }

            int size = from < to ? 0 : (int)(from - to + 1);
            string[] lines = new string[size];
            int count = 0;
            for (long seq = from; seq >= to; seq--)
            {
                string text = RecordFile.Read(_storage, NameOf(seq));
                if (text != null)
                {
                    lines[count++] = text;
                }
            }

            if (count == lines.Length)
            {
                return lines;
            }

            string[] trimmed = new string[count];
            System.Array.Copy(lines, trimmed, count);
            return trimmed;
        }

        private static string NameOf(long seq)
        {
            return Folder + seq.ToString().PadLeft(8, '0') + Suffix;
        }

        private static long SequenceOf(string name)
        {
            if (name.Length != Folder.Length + 8 + Suffix.Length || !StorageName.EndsWith(name, Suffix))
            {
                return 0;
            }

            long seq = 0;
            for (int i = Folder.Length; i < Folder.Length + 8; i++)
            {
                char c = name[i];
                if (c < '0' || c > '9')
                {
                    return 0;
                }

                seq = (seq * 10) + (c - '0');
            }

            return seq;
        }
    }
}
