using System;

namespace NetBoard.Hal
{
    /// <summary>
    /// A fixed-size byte ring between one producer and one consumer (a HAL's worker thread and the
    /// scheduler thread). It holds no lock: the owner guards every call. Besides copying in and out,
    /// it hands out its first contiguous free and filled regions for filling and draining in place;
    /// those two regions never overlap.
    /// </summary>
    public sealed class ByteRing
    {
        private readonly byte[] _bytes;
        private int _head;
        private int _count;

        /// <summary>Creates an empty ring of <paramref name="capacityBytes"/> bytes.</summary>
        public ByteRing(int capacityBytes)
        {
            if (capacityBytes <= 0)
            {
                throw new ArgumentOutOfRangeException("capacityBytes");
            }

            _bytes = new byte[capacityBytes];
        }

        /// <summary>Bytes held.</summary>
        public int Count
        {
            get { return _count; }
        }

        /// <summary>Bytes that still fit.</summary>
        public int Free
        {
            get { return _bytes.Length - _count; }
        }

        /// <summary>The ring's storage, for the in-place regions below.</summary>
        public byte[] Bytes
        {
            get { return _bytes; }
        }

        /// <summary>Where the first contiguous free region starts in <see cref="Bytes"/>.</summary>
        public int FreeOffset
        {
            get { return (_head + _count) % _bytes.Length; }
        }

        /// <summary>The length of the first contiguous free region (0 when the ring is full).</summary>
        public int FreeLength
        {
            get
            {
                int run = _bytes.Length - FreeOffset;
                return run < Free ? run : Free;
            }
        }

        /// <summary>Where the oldest bytes start in <see cref="Bytes"/>.</summary>
        public int FilledOffset
        {
            get { return _head; }
        }

        /// <summary>The length of the first contiguous filled region (0 when the ring is empty).</summary>
        public int FilledLength
        {
            get
            {
                int run = _bytes.Length - _head;
                return run < _count ? run : _count;
            }
        }

        /// <summary>Copies as many of <paramref name="count"/> bytes as fit into the ring; returns how many.</summary>
        public int Put(byte[] source, int offset, int count)
        {
            int taken = 0;
            while (taken < count && Free > 0)
            {
                int run = FreeLength;
                if (run > count - taken)
                {
                    run = count - taken;
                }

                Array.Copy(source, offset + taken, _bytes, FreeOffset, run);
                _count += run;
                taken += run;
            }

            return taken;
        }

        /// <summary>Moves up to <paramref name="count"/> of the oldest bytes out of the ring; returns how many.</summary>
        public int Take(byte[] target, int offset, int count)
        {
            int moved = 0;
            while (moved < count && _count > 0)
            {
                int run = FilledLength;
                if (run > count - moved)
                {
                    run = count - moved;
                }

                Array.Copy(_bytes, _head, target, offset + moved, run);
                Drop(run);
                moved += run;
            }

            return moved;
        }

        /// <summary>Counts <paramref name="count"/> bytes written at <see cref="FreeOffset"/> as held.</summary>
        public void Commit(int count)
        {
            if (count < 0 || count > FreeLength)
            {
                throw new ArgumentOutOfRangeException("count");
            }

            _count += count;
        }

        /// <summary>Forgets the <paramref name="count"/> oldest bytes (drained from the filled region).</summary>
        public void Drop(int count)
        {
            if (count < 0 || count > _count)
            {
                throw new ArgumentOutOfRangeException("count");
            }

            // The head never jumps back to 0 when empty: the producer may be filling the free region right now.
            _count -= count;
            _head = (_head + count) % _bytes.Length;
        }
    }
}
