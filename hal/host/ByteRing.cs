using System;

namespace NetBoard.Hal.Host
{
    /// <summary>
    /// A fixed-size byte ring for one producer and one consumer. It holds no lock: the owner
    /// guards every call, and the free and filled regions it hands out never overlap.
    /// </summary>
    internal sealed class ByteRing
    {
        private readonly byte[] _bytes;
        private int _head;
        private int _count;

        /// <summary>Creates an empty ring.</summary>
        /// <param name="capacityBytes">Size of the ring in bytes.</param>
        public ByteRing(int capacityBytes)
        {
            if (capacityBytes <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(capacityBytes));
            }

            _bytes = new byte[capacityBytes];
        }

        /// <summary>Bytes held.</summary>
        public int Count
        {
            get
            {
                return _count;
            }
        }

        /// <summary>Bytes that still fit.</summary>
        public int Free
        {
            get
            {
                return _bytes.Length - _count;
            }
        }

        /// <summary>Copies as many bytes as fit into the ring.</summary>
        /// <returns>How many bytes were taken.</returns>
        public int Put(byte[] buffer, int offset, int count)
        {
            int taken = Math.Min(count, Free);
            int tail = (_head + _count) % _bytes.Length;
            int first = Math.Min(taken, _bytes.Length - tail);
            Buffer.BlockCopy(buffer, offset, _bytes, tail, first);
            Buffer.BlockCopy(buffer, offset + first, _bytes, 0, taken - first);
            _count += taken;
            return taken;
        }

        /// <summary>Moves up to <paramref name="count"/> bytes out of the ring.</summary>
        /// <returns>How many bytes were copied.</returns>
        public int Take(byte[] buffer, int offset, int count)
        {
            int taken = Math.Min(count, _count);
            int first = Math.Min(taken, _bytes.Length - _head);
            Buffer.BlockCopy(_bytes, _head, buffer, offset, first);
            Buffer.BlockCopy(_bytes, 0, buffer, offset + first, taken - first);
            Drop(taken);
            return taken;
        }

        /// <summary>The first contiguous free region, for filling in place; empty when the ring is full.</summary>
        public Memory<byte> FreeSegment()
        {
            int tail = (_head + _count) % _bytes.Length;
            return new Memory<byte>(_bytes, tail, Math.Min(Free, _bytes.Length - tail));
        }

        /// <summary>Counts <paramref name="count"/> bytes written into <see cref="FreeSegment"/> as held.</summary>
        public void Commit(int count)
        {
            if (count < 0 || count > Free)
            {
                throw new ArgumentOutOfRangeException(nameof(count));
            }

            _count += count;
        }

        /// <summary>The first contiguous filled region, for draining in place; empty when the ring is empty.</summary>
        public ReadOnlyMemory<byte> FilledSegment()
        {
            return new ReadOnlyMemory<byte>(_bytes, _head, Math.Min(_count, _bytes.Length - _head));
        }

        /// <summary>Forgets the <paramref name="count"/> oldest bytes (drained from <see cref="FilledSegment"/>).</summary>
        public void Drop(int count)
        {
            if (count < 0 || count > _count)
            {
                throw new ArgumentOutOfRangeException(nameof(count));
            }

            // The head never jumps back to 0 when empty: the producer may hold a free segment right now.
            _count -= count;
            _head = (_head + count) % _bytes.Length;
        }
    }
}
