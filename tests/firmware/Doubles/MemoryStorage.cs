using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NetBoard.Hal;

namespace NetBoard.Firmware.Tests.Doubles
{
    /// <summary>
    /// In-memory flash for tests, with power cuts: after <see cref="CutAfter"/> mutating operations
    /// (each create, write, commit, replace and delete counts one) the next one fails and so does
    /// everything after it, like a board that lost power. <see cref="Reboot"/> returns what a restart
    /// would find: committed data, files as far as they were written, renames done or not done.
    /// </summary>
    internal sealed class MemoryStorage : IStorage
    {
        private readonly Dictionary<string, byte[]> _files;

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

        /// <summary>Mutating operations done so far.</summary>
        public int Operations { get; private set; }

        public bool IsCut { get; private set; }

        public IReadOnlyDictionary<string, byte[]> Files => _files;

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

            return new MemoryDocument(content);
        }

        public IStorageWriter Create(string name)
        {
            Mutate();
            _files[name] = new byte[0];
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
            _files.Remove(name);
        }

        public string[] List(string prefix) =>
            _files.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(k => k, StringComparer.Ordinal).ToArray();

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

            public Writer(MemoryStorage owner, string name)
            {
                _owner = owner;
                _name = name;
            }

            public void Write(byte[] buffer, int offset, int count)
            {
                // Half of the bytes reach flash before a cut in the middle of a write.
                byte[] old = _owner._files[_name];
                try
                {
                    _owner.Mutate();
                }
                catch (IOException)
                {
                    _owner._files[_name] = old.Concat(buffer.Skip(offset).Take(count / 2)).ToArray();
                    throw;
                }

                _owner._files[_name] = old.Concat(buffer.Skip(offset).Take(count)).ToArray();
            }

            public void Commit() => _owner.Mutate();

            public void Dispose()
            {
            }
        }
    }

    /// <summary>A document held in memory.</summary>
    internal sealed class MemoryDocument : IDocumentSource
    {
        private readonly byte[] _content;
        private int _position;

        public MemoryDocument(byte[] content) => _content = content;

        public long Length => _content.Length;

        public int Read(byte[] buffer, int offset, int count)
        {
            int n = Math.Min(count, _content.Length - _position);
            Array.Copy(_content, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public void Dispose()
        {
        }
    }
}
