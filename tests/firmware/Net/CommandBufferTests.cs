using System;
using System.Text;
using NetBoard.Firmware.Net;

namespace NetBoard.Firmware.Tests.Net
{
    /// <summary>The session output buffer's decimal writer (BDAT sizes): digits in place, no string.</summary>
    public sealed class CommandBufferTests
    {
        [Theory]
        [InlineData(0)]
        [InlineData(7)]
        [InlineData(10)]
        [InlineData(4080)]
        [InlineData(99999)]
        [InlineData(int.MaxValue)]
        public void Put_decimal_writes_the_number_as_ToString_does(int value)
        {
            var buffer = new CommandBuffer(32);
            buffer.Put("BDAT ");
            buffer.PutDecimal(value);
            buffer.EndLine();
            Assert.Equal("BDAT " + value + "\r\n", Encoding.ASCII.GetString(buffer.Buffer, buffer.Offset, buffer.Count));
            Assert.Equal(value.ToString().Length, CommandBuffer.DecimalLength(value));
        }

        [Fact]
        public void Put_decimal_refuses_a_negative_number_and_a_number_without_room()
        {
            var buffer = new CommandBuffer(4);
            Assert.Throws<ArgumentOutOfRangeException>(() => buffer.PutDecimal(-1));
            Assert.Throws<InvalidOperationException>(() => buffer.PutDecimal(12345));
            Assert.Equal(0, buffer.Count);
            buffer.PutDecimal(1234);
            Assert.Equal("1234", Encoding.ASCII.GetString(buffer.Buffer, 0, buffer.Count));
        }
    }
}
