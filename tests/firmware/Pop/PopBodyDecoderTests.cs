using System.Text;
using NetBoard.Firmware.Pop;

namespace NetBoard.Firmware.Tests.Pop
{
    public class PopBodyDecoderTests
    {
        private static string Decode(string wire, out int consumed, out bool complete)
        {
            var decoder = new PopBodyDecoder();
            byte[] src = Encoding.ASCII.GetBytes(wire);
            byte[] dst = new byte[src.Length + 2];
            consumed = decoder.Decode(src, 0, src.Length, dst, 0, dst.Length, out int written);
            complete = decoder.IsComplete;
            return Encoding.ASCII.GetString(dst, 0, written);
        }

        [Theory]
        [InlineData("a\r\n..b\r\n.\r\n", "a\r\n.b\r\n")]
        [InlineData(".\r\n", "")]
        [InlineData("..\r\n.\r\n", ".\r\n")]
        [InlineData(".x\r\n.\r\n", "x\r\n")]
        [InlineData("a.\r\n. .\r\n.\r\n", "a.\r\n .\r\n")]
        [InlineData(".\rx\r\n.\r\n", "\rx\r\n")]
        [InlineData("a\n.\r\nb\r\n.\r\n", "a\n.\r\nb\r\n")]
        [InlineData("a\r\r\n..\r\n.\r\n", "a\r\r\n.\r\n")]
        public void Unstuffs_and_stops_after_the_terminating_line(string wire, string message)
        {
            Assert.Equal(message, Decode(wire + "+OK next", out int consumed, out bool complete));
            Assert.True(complete);
            Assert.Equal(wire.Length, consumed);
        }

        [Fact]
        public void An_unfinished_response_is_not_complete()
        {
            Assert.Equal("a\r\n", Decode("a\r\n.\r", out int consumed, out bool complete));
            Assert.False(complete);
            Assert.Equal(5, consumed);
        }

        [Fact]
        public void Output_room_is_respected_and_decoding_resumes()
        {
            var decoder = new PopBodyDecoder();
            byte[] src = Encoding.ASCII.GetBytes("abcdefgh\r\n.\r\n");
            byte[] dst = new byte[4];
            var all = new StringBuilder();
            int offset = 0;
            while (!decoder.IsComplete)
            {
                int used = decoder.Decode(src, offset, src.Length - offset, dst, 0, dst.Length, out int written);
                Assert.True(written <= dst.Length);
                Assert.True(used > 0);
                offset += used;
                all.Append(Encoding.ASCII.GetString(dst, 0, written));
            }

            Assert.Equal("abcdefgh\r\n", all.ToString());
            Assert.Equal(src.Length, offset);
        }

        [Fact]
        public void Reset_starts_a_new_response_at_a_line_start()
        {
            var decoder = new PopBodyDecoder();
            byte[] first = Encoding.ASCII.GetBytes("x\r\n.\r\n");
            byte[] dst = new byte[16];
            decoder.Decode(first, 0, first.Length, dst, 0, dst.Length, out _);
            Assert.True(decoder.IsComplete);
            Assert.Equal(0, decoder.Decode(first, 0, first.Length, dst, 0, dst.Length, out _));
            decoder.Reset();
            byte[] second = Encoding.ASCII.GetBytes("..y\r\n.\r\n");
            decoder.Decode(second, 0, second.Length, dst, 0, dst.Length, out int written);
            Assert.Equal(".y\r\n", Encoding.ASCII.GetString(dst, 0, written));
        }
    }
}
