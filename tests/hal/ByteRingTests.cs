using System;
using NetBoard.Hal;

namespace NetBoard.Hal.Tests
{
    /// <summary>The one byte ring both HALs use between their worker thread and the scheduler.</summary>
    public sealed class ByteRingTests
    {
        [Fact]
        public void Put_and_take_keep_the_order_across_the_wrap()
        {
            var ring = new ByteRing(8);
            var data = new byte[] { 1, 2, 3, 4, 5, 6 };
            Assert.Equal(6, ring.Put(data, 0, 6));
            var out1 = new byte[4];
            Assert.Equal(4, ring.Take(out1, 0, 4));
            Assert.Equal(new byte[] { 1, 2, 3, 4 }, out1);

            // 2 held at offsets 4..5; 6 more wrap around the end.
            Assert.Equal(6, ring.Put(new byte[] { 7, 8, 9, 10, 11, 12 }, 0, 6));
            Assert.Equal(8, ring.Count);
            Assert.Equal(0, ring.Free);
            Assert.Equal(0, ring.Put(data, 0, 1));
            var out2 = new byte[10];
            Assert.Equal(8, ring.Take(out2, 1, 9));
            Assert.Equal(new byte[] { 0, 5, 6, 7, 8, 9, 10, 11, 12, 0 }, out2);
            Assert.Equal(0, ring.Count);
        }

        [Fact]
        public void Put_takes_only_what_fits()
        {
            var ring = new ByteRing(4);
            Assert.Equal(4, ring.Put(new byte[] { 1, 2, 3, 4, 5, 6 }, 1, 5));
            var out1 = new byte[4];
            Assert.Equal(4, ring.Take(out1, 0, 4));
            Assert.Equal(new byte[] { 2, 3, 4, 5 }, out1);
        }

        [Fact]
        public void In_place_regions_are_contiguous_and_never_overlap()
        {
            var ring = new ByteRing(8);
            ring.Put(new byte[6], 0, 6);
            ring.Drop(5);

            // Free: 6..7 then 0..4; filled: 5.
            Assert.Equal(6, ring.FreeOffset);
            Assert.Equal(2, ring.FreeLength);
            Assert.Equal(5, ring.FilledOffset);
            Assert.Equal(1, ring.FilledLength);

            ring.Bytes[ring.FreeOffset] = 40;
            ring.Bytes[ring.FreeOffset + 1] = 41;
            ring.Commit(2);
            Assert.Equal(0, ring.FreeOffset);
            Assert.Equal(5, ring.FreeLength);
            Assert.Equal(3, ring.FilledLength);
            Assert.Equal(41, ring.Bytes[ring.FilledOffset + 2]);

            // Empty again: the head stays where it was, so a free region handed out before stays valid.
            ring.Drop(3);
            Assert.Equal(0, ring.Count);
            Assert.Equal(0, ring.FilledLength);
            Assert.Equal(0, ring.FreeOffset);
            Assert.Equal(8, ring.FreeLength);
        }

        [Fact]
        public void Bad_counts_and_sizes_are_refused()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new ByteRing(0));
            var ring = new ByteRing(4);
            Assert.Throws<ArgumentOutOfRangeException>(() => ring.Commit(5));
            Assert.Throws<ArgumentOutOfRangeException>(() => ring.Drop(1));
            Assert.Throws<ArgumentOutOfRangeException>(() => ring.Commit(-1));
        }

        [Fact]
        public void A_long_random_stream_comes_out_as_it_went_in()
        {
            var random = new Random(16);
            var ring = new ByteRing(37);
            var source = new byte[20000];
            random.NextBytes(source);
            var sink = new byte[source.Length];
            int sent = 0;
            int received = 0;
            while (received < source.Length)
            {
                int n = Math.Min(random.Next(1, 50), source.Length - sent);
                sent += ring.Put(source, sent, n);
                if (random.Next(2) == 0)
                {
                    received += ring.Take(sink, received, random.Next(1, 50));
                }
                else
                {
                    int run = Math.Min(ring.FilledLength, random.Next(1, 50));
                    Array.Copy(ring.Bytes, ring.FilledOffset, sink, received, run);
                    ring.Drop(run);
                    received += run;
                }
            }

            Assert.Equal(source, sink);
        }
    }
}
