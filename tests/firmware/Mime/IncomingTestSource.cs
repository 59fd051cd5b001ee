using System;
using NetBoard.Hal;

namespace NetBoard.Firmware.Tests.Mime
{
    /// <summary>A stored message served in reads of at most a fixed size; reading allocates nothing.</summary>
    internal sealed class IncomingTestSource : IDocumentSource
    {
        private readonly byte[] _data;
        private readonly int _maxReadBytes;
        private int _position;

        public IncomingTestSource(byte[] data, int maxReadBytes = int.MaxValue)
        {
            _data = data;
            _maxReadBytes = maxReadBytes;
        }

        public long Length => _data.Length;

        public int Reads { get; private set; }

        public bool Disposed { get; private set; }

        public int Read(byte[] buffer, int offset, int count)
        {
            Reads++;
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
