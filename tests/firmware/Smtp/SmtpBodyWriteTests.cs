using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using NetBoard.Firmware.Smtp;

namespace NetBoard.Firmware.Tests.Smtp
{
    /// <summary>The DATA phase fills the output buffer as full as whole lines allow, dot-stuffed, with no second buffer.</summary>
    public class SmtpBodyWriteTests
    {
        /// <summary>Runs a session to the 354 and returns the body's writes, the server taking <paramref name="take"/> of what waits each time.</summary>
        private static List<string> BodyWrites(LinesMessage message, Func<int, int> take)
        {
            var smtp = new ScriptedSmtp(ScriptedSmtp.Options(), message);
            Assert.StartsWith("MAIL FROM:", smtp.Hello("SIZE 10240000"));
            smtp.Reply("250 2.1.0 Ok");
            Assert.StartsWith("RCPT TO:", smtp.Sent());
            smtp.Reply("250 2.1.5 Ok");
            Assert.Equal("DATA\r\n", smtp.Sent());
            smtp.Reply("354 go ahead");
            var writes = new List<string>();
            while (smtp.Session.OutputCount > 0)
            {
                int count = Math.Max(1, Math.Min(smtp.Session.OutputCount, take(smtp.Session.OutputCount)));
                writes.Add(Encoding.Latin1.GetString(smtp.Session.Output, smtp.Session.OutputOffset, count));
                smtp.Session.OnSent(count, smtp.Now);
                Assert.Same(smtp.Session.Output, smtp.Session.Output);
            }

            Assert.Equal(SmtpState.DataEnd, smtp.Session.State);
            smtp.Reply("250 2.0.0 Ok: queued");
            Assert.Equal("QUIT\r\n", smtp.Sent());
            return writes;
        }

        private static string Unstuffed(IEnumerable<string> writes)
        {
            string wire = string.Concat(writes);
            Assert.EndsWith("\r\n.\r\n", wire);
            string body = wire.Substring(0, wire.Length - 3);
            var text = new StringBuilder();
            foreach (string line in body.Split("\r\n"))
            {
                text.Append(line.StartsWith('.') ? line.Substring(1) : line).Append("\r\n");
            }

            // Split leaves one empty piece after the last CRLF.
            return text.ToString(0, text.Length - 2);
        }

        private static string Original(string[] lines) => string.Concat(lines.Select(l => l + "\r\n"));

        [Fact]
        public void A_base64_body_goes_out_in_writes_of_nearly_the_whole_buffer()
        {
            string[] lines = Enumerable.Range(0, 4000).Select(i => new string((char)('A' + (i % 26)), 76)).ToArray();
            List<string> writes = BodyWrites(new LinesMessage(lines), n => n);

            // Every write but the last two (the rest of the message, then the final dot once the reader says it ended)
            // is the whole buffer less at most one line and the octet kept free.
            Assert.Equal(".\r\n", writes[^1]);
            Assert.All(writes.Take(writes.Count - 2), w => Assert.InRange(w.Length, SmtpSession.OutputBufferSize - 78 - 1, SmtpSession.OutputBufferSize));
            Assert.Equal(Original(lines), Unstuffed(writes));
            int before = (int)Math.Ceiling(4000 * 78 / 3072.0);
            Assert.True(writes.Count < before * 0.8, writes.Count + " writes; with 3 KB blocks it took " + before);
        }

        [Theory]
        [InlineData(1)]
        [InlineData(7)]
        [InlineData(20261204)]
        public void Lines_full_of_dots_are_stuffed_exactly_whatever_the_server_takes_per_write(int seed)
        {
            var random = new Random(seed);
            string[] lines = Enumerable.Range(0, 3000).Select(_ =>
            {
                switch (random.Next(6))
                {
                    case 0: return ".";
                    case 1: return "..";
                    case 2: return "." + new string('x', random.Next(0, 997));
                    case 3: return string.Empty;
                    case 4: return new string('.', random.Next(1, 998));
                    default: return "x." + new string('y', random.Next(0, 60));
                }
            }).ToArray();
            foreach (Func<int, int> take in new Func<int, int>[] { n => n, n => n / 2, n => random.Next(1, n + 1), n => 1000 })
            {
                List<string> writes = BodyWrites(new LinesMessage(lines), take);
                Assert.Equal(Original(lines), Unstuffed(writes));
                Assert.All(writes, w => Assert.True(w.Length <= SmtpSession.OutputBufferSize));
            }
        }

        [Fact]
        public void A_buffer_read_full_of_lone_dots_never_stalls()
        {
            // 4095 octets of ".\r\n" lines fill a read exactly: their dots fit only a little at a time.
            string[] lines = Enumerable.Repeat(".", 1365 * 3).ToArray();
            List<string> writes = BodyWrites(new LinesMessage(lines), n => n);
            Assert.Equal(Original(lines), Unstuffed(writes));

            // The first read leaves room for one dot only: the lines behind it wait at the buffer's end and go out in
            // a few growing writes; the reads after it leave room for a dot per line, so writes are large again.
            Assert.True(writes.Count(w => w.Length < 1000) <= 6, string.Join(", ", writes.Select(w => w.Length)));
            Assert.True(writes.Count <= 12, string.Join(", ", writes.Select(w => w.Length)));
        }
    }
}
