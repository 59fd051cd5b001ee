using System;

namespace NetBoard.Hal.Esp32
{
    /// <summary>
    /// A fixed-size circular byte buffer between a worker thread and the scheduler thread.
    /// Not thread-safe by itself: the owner holds its lock around every call.
    /// </summary>
    internal sealed class ByteRing
    {
        private readonly byte[] _buffer;
        private int _start;
        private int _count;

        internal ByteRing(int capacity)
        {
            if (capacity <= 0)
            {
                throw new ArgumentOutOfRangeException("capacity");
            }

            _buffer = new byte[capacity];
        }

        /// <summary>Bytes waiting to be taken.</summary>
        internal int Count
        {
            get { return _count; }
        }

        /// <summary>Room left for <see cref="Put"/>.</summary>
        internal int Free
        {
            get { return _buffer.Length - _count; }
        }

        /// <summary>Appends up to <paramref name="count"/> bytes; returns how many fitted.</summary>
        internal int Put(byte[] source, int offset, int count)
        {
            int taken = 0;
            while (taken < count && _count < _buffer.Length)
            {
                int end = (_start + _count) % _buffer.Length;
                int run = _buffer.Length - end;
                if (run > _buffer.Length - _count)
                {
                    run = _buffer.Length - _count;
                }

                if (run > count - taken)
                {
                    run = count - taken;
                }

                Array.Copy(source, offset + taken, _buffer, end, run);
                _count += run;
                taken += run;
            }

            return taken;
        }

        /// <summary>Moves up to <paramref name="count"/> bytes out; returns how many.</summary>
        internal int Take(byte[] target, int offset, int count)
        {
            int moved = 0;
            while (moved < count && _count > 0)
            {
                int run = _buffer.Length - _start;
                if (run > _count)
                {
                    run = _count;
                }

                if (run > count - moved)
                {
                    run = count - moved;
                }

                Array.Copy(_buffer, _start, target, offset + moved, run);
                _start = (_start + run) % _buffer.Length;
                _count -= run;
                moved += run;
            }

            if (_count == 0)
            {
                _start = 0;
            }

            return moved;
        }
    }
}
