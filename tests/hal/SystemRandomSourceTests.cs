using System;
using NetBoard.Hal.Host;

namespace NetBoard.Hal.Tests
{
    public class SystemRandomSourceTests
    {
        [Fact]
        public void NextBytes_FillsOnlyTheRangeAndDiffersBetweenCalls()
        {
            var source = new SystemRandomSource();
            byte[] first = new byte[40];
            byte[] second = new byte[40];

            source.NextBytes(first, 4, 32);
            source.NextBytes(second, 4, 32);

            Assert.All(first[..4], b => Assert.Equal(0, b));
            Assert.All(first[36..], b => Assert.Equal(0, b));

            // 256 bits from the OS generator: equal or all-zero outputs would mean it is not being used.
            Assert.False(first.AsSpan(4, 32).SequenceEqual(second.AsSpan(4, 32)));
            Assert.Contains(first[4..36], b => b != 0);
        }

        [Fact]
        public void NextBytes_RejectsBadRanges()
        {
            var source = new SystemRandomSource();

            Assert.Throws<ArgumentNullException>(() => source.NextBytes(null, 0, 1));
            Assert.Throws<ArgumentOutOfRangeException>(() => source.NextBytes(new byte[4], 2, 3));
        }
    }
}
