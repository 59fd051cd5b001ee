using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NetBoard.Hal;

namespace NetBoard.Firmware.Tests.Doubles
{
    /// <summary>
    /// In-memory flash for tests. It can cut the power: after <see cref="CutAfter"/> mutating
    /// operations (each create, write, commit, replace and delete counts one) the next one fails and
    /// so does everything after it; <see cref="Reboot"/> returns what a restart would find (committed
    /// data, files as far as they were written, renames done or not). It can also run full
    /// (<see cref="FailAfterBytes"/>), and it records creates, deletes and open documents.
    /// </summary>
    internal sealed class MemoryStorage : IStorage
    {
        private readonly Dictionary<string, byte[]> _files;
        private int _openWriters;

        public MemoryStorage()
            : this(new Dictionary<string, byte[]>(StringComparer.Ordinal))
        {
        }

        private MemoryStorage(Dictionary<string, byte[]> files)
        {
            _files = files;
        }

        /// <summary>Mutating operations allowed before the cut; -1 for never.</summary>
        public int CutAfter { get; set; } = -1;

        /// <summary>A write that would take a file past this many bytes throws IOException (a full flash).</summary>
        public long FailAfterBytes { get; set; } = long.MaxValue;

        /// <summary>When it returns true for a name, creating that file throws IOException (a flash write error; no cut).</summary>
        public Func<string, bool> FailCreate { get; set; }

        /// <summary>The most bytes one Read of an opened document returns.</summary>
        public int ChunkSize { get; set; } = int.MaxValue;

        /// <summary>Mutating operations done so far.</summary>
        public int Operations { get; private set; }

        public bool IsCut { get; private set; }

        public IReadOnlyDictionary<string, byte[]> Files => _files;

        public List<string> Created { get; } = new List<string>();

        public List<string> Deleted { get; } = new List<string>();

        /// <summary>Writers neither committed nor disposed.</summary>
        public int OpenWriters => _openWriters;

        /// <summary>The largest size any file reached while being written, in octets.</summary>
        public long LargestFile { get; private set; }

        /// <summary>Documents opened for reading.</summary>
        public int OpenCount { get; private set; }

        /// <summary>Documents disposed after reading.</summary>
        public int DisposeCount { get; private set; }

        /// <summary>A fresh storage holding what survived, with no cut pending.</summary>
        public MemoryStorage Reboot() => new MemoryStorage(new Dictionary<string, byte[]>(_files, StringComparer.Ordinal));

        public void Put(string name, byte[] content) => _files[name] = (byte[])content.Clone();

        public bool Exists(string name) => _files.ContainsKey(name);

        public IDocumentSource OpenRead(string name)
        {
            if (IsCut)
            {
                throw new IOException("power cut");
            }

            if (!_files.TryGetValue(name, out byte[] content))
            {
                throw new FileNotFoundException("no such file", name);
            }

            OpenCount++;
            return new MemoryDocument(content, ChunkSize) { OnDispose = () => DisposeCount++ };
        }

        public IStorageWriter Create(string name)
        {
            if (FailCreate != null && FailCreate(name))
            {
                throw new IOException("flash write error");
            }

            Mutate();
            Created.Add(name);
            _files[name] = new byte[0];
            _openWriters++;
            return new Writer(this, name);
        }

        public void Replace(string from, string to)
        {
            Mutate();
            if (!_files.TryGetValue(from, out byte[] content))
            {
                throw new FileNotFoundException("no such file", from);
            }

            _files.Remove(from);
            _files[to] = content;
        }

        public void Delete(string name)
        {
            Mutate();
            Deleted.Add(name);
            _files.Remove(name);
        }

        public string[] List(string prefix) =>
            _files.Keys.Where(k => k.StartsWith(prefix ?? string.Empty, StringComparison.Ordinal)).OrderBy(k => k, StringComparer.Ordinal).ToArray();

        private void Mutate()
        {
            if (IsCut || (CutAfter >= 0 && Operations >= CutAfter))
            {
                IsCut = true;
                throw new IOException("power cut");
            }

            Operations++;
        }

        private sealed class Writer : IStorageWriter
        {
            private readonly MemoryStorage _owner;
            private readonly string _name;
            private bool _closed;

            public Writer(MemoryStorage owner, string name)
            {
                _owner = owner;
                _name = name;
            }

            public void Write(byte[] buffer, int offset, int count)
            {
                Assert.False(_closed, "write after close");
                byte[] old = _owner._files[_name];
                if (old.Length + count > _owner.FailAfterBytes)
                {
                    throw new IOException("no space left");
                }

                try
                {
                    _owner.Mutate();
                }
                catch (IOException)
                {
                    // Half of the bytes reach flash before a cut in the middle of a write.
                    _owner._files[_name] = old.Concat(buffer.Skip(offset).Take(count / 2)).ToArray();
                    throw;
                }

                _owner._files[_name] = old.Concat(buffer.Skip(offset).Take(count)).ToArray();
                _owner.LargestFile = Math.Max(_owner.LargestFile, old.Length + count);
            }

            public void Commit()
            {
                Assert.False(_closed, "commit after close");
                _owner.Mutate();
                Close();
            }

            public void Dispose() => Close();

            private void Close()
            {
                if (!_closed)
                {
                    _closed = true;
                    _owner._openWriters--;
                }
            }
        }
    }
}
