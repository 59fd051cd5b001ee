using System;
using System.IO;

namespace NetBoard.Hal.Esp32
{
    /// <summary>
    /// Storage on the ESP32's internal flash file system (drive "I:"). Names use '/' and map to
    /// '\' paths under the root.
    /// <para>
    /// The file system cannot rename over an existing file (File.Move fails when the target exists),
    /// so <see cref="Replace"/> deletes the target and then moves. A power cut between the two would
    /// leave only the source; to finish such a replace, the names are first written to an intent
    /// file (<see cref="IntentFileName"/>), committed, and removed once the move is done. At start,
    /// <see cref="FlashStorage(string)"/> completes a replace whose intent file is whole: if the
    /// source still exists, the target is deleted and the source moved. An intent file cut short
    /// (no end line) was written before anything was deleted, and is simply removed.
    /// </para>
    /// </summary>
    public sealed class FlashStorage : IStorage
    {
        /// <summary>The internal flash drive of nanoFramework's ESP32 targets.</summary>
        public const string InternalFlashRoot = "I:\\";

        /// <summary>The pending-replace record, kept at the root.</summary>
        public const string IntentFileName = "replace.intent";

        private const char NameSeparator = '/';
        private const char PathSeparator = '\\';
        private const string IntentEnd = "end";

        private readonly object _sync = new object();
        private readonly string _root;

        /// <summary>Uses the folder <paramref name="root"/> (e.g. "I:\\") and finishes a replace a power cut interrupted.</summary>
        public FlashStorage(string root)
        {
            if (root == null || root.Length == 0)
            {
                throw new ArgumentNullException("root");
            }

            _root = root[root.Length - 1] == PathSeparator ? root : root + PathSeparator;
            RecoverReplace();
        }

        /// <summary>What the start-up recovery did, or null when there was nothing to do.</summary>
        public string RecoveryNote { get; private set; }

        /// <inheritdoc />
        public bool Exists(string name)
        {
            return File.Exists(ToPath(name));
        }

        /// <inheritdoc />
        public IDocumentSource OpenRead(string name)
        {
            string path = ToPath(name);
            if (!File.Exists(path))
            {
                throw new IOException("File not found: " + name);
            }

            return new FlashDocumentSource(path);
        }

        /// <inheritdoc />
        public IStorageWriter Create(string name)
        {
            string path = ToPath(name);
            CreateParent(path);
            return new FlashStorageWriter(path);
        }

        /// <inheritdoc />
        public void Replace(string from, string to)
        {
            string fromPath = ToPath(from);
            string toPath = ToPath(to);
            lock (_sync)
            {
                if (!File.Exists(fromPath))
                {
                    throw new IOException("File not found: " + from);
                }

                CreateParent(toPath);
                if (!File.Exists(toPath))
                {
                    File.Move(fromPath, toPath);
                    return;
                }

                WriteIntent(fromPath, toPath);
                File.Delete(toPath);
                File.Move(fromPath, toPath);
                File.Delete(_root + IntentFileName);
            }
        }

        /// <inheritdoc />
        public void Delete(string name)
        {
            string path = ToPath(name);
            if (File.Exists(path))
            {
                File.Delete(path);
            }
        }

        /// <inheritdoc />
        public string[] List(string prefix)
        {
            if (prefix == null)
            {
                prefix = string.Empty;
            }

            // Only the folder named by the prefix's last '/' can hold matches.
            int lastSeparator = prefix.LastIndexOf(NameSeparator);
            string folder = lastSeparator > 0 ? ToPath(prefix.Substring(0, lastSeparator)) : _root.Substring(0, _root.Length - 1);
            string[] found = new string[16];
            int count = 0;
            if (Directory.Exists(folder))
            {
                Collect(folder, prefix, ref found, ref count);
            }

            string[] names = new string[count];
            Array.Copy(found, names, count);
            SortOrdinal(names);
            return names;
        }

        private static void SortOrdinal(string[] names)
        {
            for (int i = 1; i < names.Length; i++)
            {
                string item = names[i];
                int j = i - 1;
                while (j >= 0 && CompareOrdinal(names[j], item) > 0)
                {
                    names[j + 1] = names[j];
                    j--;
                }

                names[j + 1] = item;
            }
        }

        private static int CompareOrdinal(string a, string b)
        {
            int length = a.Length < b.Length ? a.Length : b.Length;
            for (int i = 0; i < length; i++)
            {
                if (a[i] != b[i])
                {
                    return a[i] - b[i];
                }
            }

            return a.Length - b.Length;
        }

        private static string ReplaceChar(string text, char from, char to)
        {
            char[] chars = text.ToCharArray();
            for (int i = 0; i < chars.Length; i++)
            {
                if (chars[i] == from)
                {
                    chars[i] = to;
                }
            }

            return new string(chars);
        }

        private static void CreateParent(string path)
        {
            int last = path.LastIndexOf(PathSeparator);
            if (last > 2)
            {
                string parent = path.Substring(0, last);
                if (!Directory.Exists(parent))
                {
                    Directory.CreateDirectory(parent);
                }
            }
        }

        private void Collect(string folder, string prefix, ref string[] found, ref int count)
        {
            string[] files = Directory.GetFiles(folder);
            for (int i = 0; i < files.Length; i++)
            {
                string name = ToName(files[i]);
                if (name != null && name != IntentFileName && name.StartsWith(prefix))
                {
                    if (count == found.Length)
                    {
                        string[] larger = new string[found.Length * 2];
                        Array.Copy(found, larger, count);
                        found = larger;
                    }

                    found[count++] = name;
                }
            }

            string[] folders = Directory.GetDirectories(folder);
            for (int i = 0; i < folders.Length; i++)
            {
                Collect(folders[i], prefix, ref found, ref count);
            }
        }

        /// <summary>The storage name of a full path under the root, or null for a path elsewhere.</summary>
        private string ToName(string path)
        {
            if (path.Length <= _root.Length || string.Compare(path.Substring(0, _root.Length).ToUpper(), _root.ToUpper()) != 0)
            {
                return null;
            }

            return ReplaceChar(path.Substring(_root.Length), PathSeparator, NameSeparator);
        }

        private string ToPath(string name)
        {
            if (name == null)
            {
                throw new ArgumentNullException("name");
            }

            if (name.Length == 0 || name.IndexOf(PathSeparator) >= 0 || name.IndexOf(':') >= 0 || name[0] == NameSeparator)
            {
                throw new ArgumentException("Names are relative and use '/' only: " + name);
            }

            string[] parts = name.Split(NameSeparator);
            for (int i = 0; i < parts.Length; i++)
            {
                if (parts[i].Length == 0 || parts[i] == "." || parts[i] == "..")
                {
                    throw new ArgumentException("Names may not hold empty, '.' or '..' parts: " + name);
                }
            }

            return _root + ReplaceChar(name, NameSeparator, PathSeparator);
        }

        private void WriteIntent(string fromPath, string toPath)
        {
            byte[] record = AsciiBytes(fromPath + "\n" + toPath + "\n" + IntentEnd + "\n");
            using (var writer = new FlashStorageWriter(_root + IntentFileName))
            {
                writer.Write(record, 0, record.Length);
                writer.Commit();
            }
        }

        private void RecoverReplace()
        {
            string intentPath = _root + IntentFileName;
            if (!File.Exists(intentPath))
            {
                return;
            }

            string[] lines = ReadIntent(intentPath);
            if (lines != null && File.Exists(lines[0]))
            {
                if (File.Exists(lines[1]))
                {
                    File.Delete(lines[1]);
                }

                File.Move(lines[0], lines[1]);
                RecoveryNote = "Storage: an interrupted save was completed";
            }

            File.Delete(intentPath);
        }

        /// <summary>The source and target of a whole intent file, or null when it was cut short.</summary>
        private static string[] ReadIntent(string path)
        {
            byte[] bytes;
            using (var source = new FlashDocumentSource(path))
            {
                if (source.Length > 1024)
                {
                    return null;
                }

                bytes = new byte[(int)source.Length];
                int filled = 0;
                while (filled < bytes.Length)
                {
                    int n = source.Read(bytes, filled, bytes.Length - filled);
                    if (n <= 0)
                    {
                        return null;
                    }

                    filled += n;
                }
            }

            char[] chars = new char[bytes.Length];
            for (int i = 0; i < bytes.Length; i++)
            {
                chars[i] = (char)bytes[i];
            }

            string[] lines = new string(chars).Split('\n');
            if (lines.Length < 3 || lines[2] != IntentEnd || lines[0].Length == 0 || lines[1].Length == 0)
            {
                return null;
            }

            return new string[] { lines[0], lines[1] };
        }

        /// <summary>Paths are ASCII here (names come from the firmware), so one byte per character.</summary>
        private static byte[] AsciiBytes(string text)
        {
            byte[] bytes = new byte[text.Length];
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                bytes[i] = c < 128 ? (byte)c : (byte)'?';
            }

            return bytes;
        }
    }
}
