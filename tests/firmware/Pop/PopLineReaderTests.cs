using System.Text;
using NetBoard.Firmware.Pop;

namespace NetBoard.Firmware.Tests.Pop
{
    public class PopLineReaderTests
    {
        private static PopLineReader Read(string text)
        {
            var reader = new PopLineReader();
            byte[] bytes = Encoding.ASCII.GetBytes(text);
            Assert.Equal(PopLineEvent.Line, reader.Feed(bytes, 0, bytes.Length, out int used));
            Assert.Equal(bytes.Length, used);
            return reader;
        }

        [Theory]
        [InlineData("+OK ready\r\n", true, false, "ready")]
        [InlineData("+OK\r\n", true, false, "")]
        [InlineData("-ERR [AUTH] no\r\n", false, true, "[AUTH] no")]
        [InlineData("-ERR\n", false, true, "")]
        [InlineData("+Ok\r\n", false, false, "+Ok")]
        [InlineData("-ER\r\n", false, false, "-ER")]
        [InlineData("+OKAY\r\n", false, false, "+OKAY")]
        [InlineData("+OKAY fine\r\n", false, false, "+OKAY fine")]
        [InlineData("+OK-ish\r\n", false, false, "+OK-ish")]
        [InlineData("-ERROR no\r\n", false, false, "-ERROR no")]
        [InlineData("-ERR: no\r\n", false, false, "-ERR: no")]
        [InlineData("+OK  two spaces\r\n", true, false, " two spaces")]
        public void Status_indicator_and_text(string line, bool ok, bool err, string text)
        {
            PopLineReader reader = Read(line);
            Assert.Equal(ok, reader.IsOk);
            Assert.Equal(err, reader.IsErr);
            Assert.Equal(text, reader.StatusText);
        }

        [Theory]
        [InlineData("+ PDEyMzQ+\r\n", true)]
        [InlineData("+\r\n", true)]
        [InlineData("+OK\r\n", false)]
        [InlineData("++\r\n", false)]
        public void Sasl_continuation(string line, bool continuation)
        {
            Assert.Equal(continuation, Read(line).IsContinuation);
        }

        [Fact]
        public void Reset_drops_a_partial_line()
        {
            var reader = new PopLineReader();
            byte[] clear = Encoding.ASCII.GetBytes("-ERR injected-in-clear ");
            Assert.Equal(PopLineEvent.NeedMore, reader.Feed(clear, 0, clear.Length, out _));
            reader.Reset();
            byte[] line = Encoding.ASCII.GetBytes("+OK protected\r\n");
            Assert.Equal(PopLineEvent.Line, reader.Feed(line, 0, line.Length, out _));
            Assert.True(reader.IsOk);
            Assert.Equal("+OK protected", reader.Text);
        }

        [Theory]
        [InlineData(".\r\n", true, 1)]
        [InlineData("..\r\n", false, 1)]
        [InlineData(".x\r\n", false, 1)]
        [InlineData("x\r\n", false, 0)]
        public void Multi_line_terminator_and_stuffing(string line, bool terminator, int dataOffset)
        {
            PopLineReader reader = Read(line);
            Assert.Equal(terminator, reader.IsTerminator);
            Assert.Equal(dataOffset, reader.DataOffset);
        }

        [Fact]
        public void Stops_at_each_line_and_keeps_the_rest()
        {
            var reader = new PopLineReader();
            byte[] bytes = Encoding.ASCII.GetBytes("+OK a\r\n+OK b\r\n+OK");
            Assert.Equal(PopLineEvent.Line, reader.Feed(bytes, 0, bytes.Length, out int used));
            Assert.Equal(7, used);
            Assert.Equal("+OK a", reader.Text);
            Assert.Equal(PopLineEvent.Line, reader.Feed(bytes, 7, bytes.Length - 7, out used));
            Assert.Equal("+OK b", reader.Text);
            Assert.Equal(PopLineEvent.NeedMore, reader.Feed(bytes, 14, bytes.Length - 14, out used));
            Assert.Equal(3, used);
        }

        [Fact]
        public void A_line_over_512_octets_is_an_error_for_good()
        {
            var reader = new PopLineReader();
            byte[] ok = Encoding.ASCII.GetBytes(new string('a', 510) + "\r\n");
            Assert.Equal(PopLineEvent.Line, reader.Feed(ok, 0, ok.Length, out _));
            byte[] tooLong = Encoding.ASCII.GetBytes(new string('a', 512) + "\r\n");
            Assert.Equal(PopLineEvent.Error, reader.Feed(tooLong, 0, tooLong.Length, out _));
            Assert.Contains("512", reader.Error);
            Assert.Equal(PopLineEvent.Error, reader.Feed(ok, 0, ok.Length, out _));
        }
    }
}
