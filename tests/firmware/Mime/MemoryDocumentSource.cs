using System;
using System.Collections.Generic;
using NetBoard.Hal;

namespace NetBoard.Firmware.Tests.Mime
{
    /// <summary>An in-memory document that can hand out short reads and can claim a different length than it has.</summary>
    internal sealed class MemoryDocumentSource : IDocumentSource
    {
        private readonly byte[] _data;
        private readonly long _claimedLength;
        private readonly int _maxReadBytes;
        private int _position;

        public MemoryDocumentSource(byte[] data, int maxReadBytes = int.MaxValue, long claimedLength = -1)
        {
            _data = data;
            _maxReadBytes = maxReadBytes;
            _claimedLength = claimedLength < 0 ? data.Length : claimedLength;
        }

        public long Length => _claimedLength;

        public List<int> RequestedCounts { get; } = new List<int>();

        public bool Disposed { get; private set; }

        public int Read(byte[] buffer, int offset, int count)
        {
            RequestedCounts.Add(count);
            int n = Math.Min(Math.Min(count, _maxReadBytes), _data.Length - _position);
            Array.Copy(_data, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public void Dispose()
        {
            Disposed = true;
        }
    }
}
