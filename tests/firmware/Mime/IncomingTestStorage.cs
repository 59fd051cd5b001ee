using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NetBoard.Hal;

namespace NetBoard.Firmware.Tests.Mime
{
    /// <summary>
    /// In-memory storage that keeps committed files, remembers every create and delete, and can fail a write
    /// after a number of bytes to stand in for a full flash.
    /// </summary>
    internal sealed class IncomingTestStorage : IStorage
    {
        private readonly Dictionary<string, byte[]> _files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        private readonly List<Writer> _writers = new List<Writer>();

        /// <summary>A write that would take a file past this many bytes throws IOException.</summary>
        public long FailAfterBytes { get; set; } = long.MaxValue;

        public List<string> Created { get; } = new List<string>();

        public List<string> Deleted { get; } = new List<string>();

        public IReadOnlyDictionary<string, byte[]> Files => _files;

        /// <summary>Writers that were neither committed nor disposed.</summary>
        public int OpenWriters => _writers.Count(w => !w.Closed);

        public bool Exists(string name) => _files.ContainsKey(name);

        public IDocumentSource OpenRead(string name) => new IncomingTestSource(_files[name]);

        public IStorageWriter Create(string name)
        {
            Created.Add(name);
            _files.Remove(name);
            Writer writer = new Writer(this, name);
            _writers.Add(writer);
            return writer;
        }

        public void Replace(string from, string to)
        {
            _files[to] = _files[from];
            _files.Remove(from);
        }

        public void Delete(string name)
        {
            Deleted.Add(name);
            _files.Remove(name);
        }

        public string[] List(string prefix)
        {
            return _files.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(k => k, StringComparer.Ordinal).ToArray();
        }

        private sealed class Writer : IStorageWriter
        {
            private readonly IncomingTestStorage _owner;
            private readonly string _name;
            private readonly MemoryStream _data = new MemoryStream();

            public Writer(IncomingTestStorage owner, string name)
            {
                _owner = owner;
                _name = name;
            }

            public bool Closed { get; private set; }

            public void Write(byte[] buffer, int offset, int count)
            {
                Assert.False(Closed, "write after close");
                if (_data.Length + count > _owner.FailAfterBytes)
                {
                    throw new IOException("no space left");
                }

                _data.Write(buffer, offset, count);
            }

            public void Commit()
            {
                Assert.False(Closed, "commit after close");
                Closed = true;
                _owner._files[_name] = _data.ToArray();
            }

            public void Dispose()
            {
                Closed = true;
            }
        }
    }
}
