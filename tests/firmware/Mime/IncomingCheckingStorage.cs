using System;
using System.IO;
using NetBoard.Hal;

namespace NetBoard.Firmware.Tests.Mime
{
    /// <summary>
    /// Storage for one large file that compares every written byte with the expected content instead of keeping
    /// it, so writing allocates nothing and the test can measure what the reader allocates.
    /// </summary>
    internal sealed class IncomingCheckingStorage : IStorage, IStorageWriter
    {
        private readonly byte[] _expected;

        public IncomingCheckingStorage(byte[] expected)
        {
            _expected = expected;
        }

        public long Written { get; private set; }

        /// <summary>The first offset whose byte differed, or -1.</summary>
        public long FirstMismatch { get; private set; } = -1;

        public int Creates { get; private set; }

        public bool Committed { get; private set; }

        public bool Exists(string name) => false;

        public IDocumentSource OpenRead(string name) => throw new IOException("not stored");

        public IStorageWriter Create(string name)
        {
            Creates++;
            return this;
        }

        public void Replace(string from, string to)
        {
        }

        public void Delete(string name)
        {
        }

        public string[] List(string prefix) => Array.Empty<string>();

        public void Write(byte[] buffer, int offset, int count)
        {
            for (int i = 0; i < count; i++)
            {
                if (FirstMismatch < 0 && (Written + i >= _expected.Length || buffer[offset + i] != _expected[Written + i]))
                {
                    FirstMismatch = Written + i;
                }
            }

            Written += count;
        }

        public void Commit()
        {
            Committed = true;
        }

        public void Dispose()
        {
        }
    }
}
