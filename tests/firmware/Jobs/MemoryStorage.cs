using System;
using System.Collections.Generic;
using System.IO;
using NetBoard.Hal;

namespace NetBoard.Firmware.Tests.Jobs
{
    /// <summary>An <see cref="IStorage"/> held in a dictionary; reads hand out at most <see cref="ChunkSize"/> bytes at a time.</summary>
    internal sealed class MemoryStorage : IStorage
    {
        private readonly Dictionary<string, byte[]> _files = new Dictionary<string, byte[]>(StringComparer.Ordinal);

        public int ChunkSize { get; set; } = int.MaxValue;

        public int OpenCount { get; private set; }

        public int DisposeCount { get; private set; }

        public void Put(string name, byte[] content)
        {
            _files[name] = content;
        }

        public bool Exists(string name) => _files.ContainsKey(name);

        public IDocumentSource OpenRead(string name)
        {
            if (!_files.TryGetValue(name, out byte[] content))
            {
                throw new FileNotFoundException("no such file: " + name);
            }

            OpenCount++;
            return new Source(this, content);
        }

        public IStorageWriter Create(string name) => new Writer(this, name);

        public void Replace(string from, string to)
        {
            if (!_files.TryGetValue(from, out byte[] content))
            {
                throw new FileNotFoundException("no such file: " + from);
            }

            _files.Remove(from);
            _files[to] = content;
        }

        public void Delete(string name)
        {
            _files.Remove(name);
        }

        public string[] List(string prefix)
        {
            var names = new List<string>();
            foreach (string name in _files.Keys)
            {
                if (name.StartsWith(prefix, StringComparison.Ordinal))
                {
                    names.Add(name);
                }
            }

            names.Sort(StringComparer.Ordinal);
            return names.ToArray();
        }

        private sealed class Source : IDocumentSource
        {
            private readonly MemoryStorage _owner;
            private readonly byte[] _content;
            private int _position;

            public Source(MemoryStorage owner, byte[] content)
            {
                _owner = owner;
                _content = content;
            }

            public long Length => _content.Length;

            public int Read(byte[] buffer, int offset, int count)
            {
                int n = Math.Min(Math.Min(count, _owner.ChunkSize), _content.Length - _position);
                Array.Copy(_content, _position, buffer, offset, n);
                _position += n;
                return n;
            }

            public void Dispose()
            {
                _owner.DisposeCount++;
            }
        }

        private sealed class Writer : IStorageWriter
        {
            private readonly MemoryStorage _owner;
            private readonly string _name;
            private readonly MemoryStream _data = new MemoryStream();

            public Writer(MemoryStorage owner, string name)
            {
                _owner = owner;
                _name = name;
            }

            public void Write(byte[] buffer, int offset, int count) => _data.Write(buffer, offset, count);

            public void Commit() => _owner.Put(_name, _data.ToArray());

            public void Dispose() => _data.Dispose();
        }
    }
}
