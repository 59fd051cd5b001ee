using System;
using System.Collections.Generic;
using NetBoard.Hal;

namespace NetBoard.Firmware.Tests.Doubles
{
    /// <summary>
    /// A document held in memory. It can return at most <c>maxReadBytes</c> per Read (to prove chunk
    /// handling) and can claim a length other than its content's (to stand for a file that shrank).
    /// </summary>
    internal sealed class MemoryDocument : IDocumentSource
    {
        private readonly byte[] _data;
        private readonly int _maxReadBytes;
        private readonly long _claimedLength;
        private int _position;

        public MemoryDocument(byte[] data, int maxReadBytes = int.MaxValue, long claimedLength = -1)
        {
            _data = data;
            _maxReadBytes = maxReadBytes;
            _claimedLength = claimedLength < 0 ? data.Length : claimedLength;
        }

        public long Length => _claimedLength;

        /// <summary>The count asked for by each Read, in order (bounded: only the first 100000 are kept).</summary>
        public List<int> RequestedCounts { get; } = new List<int>();

        public int Reads { get; private set; }

        public bool Disposed { get; private set; }

        internal Action OnDispose { get; set; }

        public int Read(byte[] buffer, int offset, int count)
        {
            Reads++;
            if (RequestedCounts.Count < 100000)
            {
                RequestedCounts.Add(count);
            }

            int n = Math.Min(Math.Min(count, _maxReadBytes), _data.Length - _position);
            Array.Copy(_data, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public void Dispose()
        {
            if (!Disposed)
            {
                Disposed = true;
                OnDispose?.Invoke();
            }
        }
    }
}
