using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using NetBoard.Firmware.Smtp;

namespace NetBoard.Firmware.Tests.Smtp
{
    public class SmtpReplyReaderTests
    {
        /// <summary>Feeds all of <paramref name="text"/>, collecting every event up to the first Error.</summary>
        private static List<SmtpReplyEvent> FeedAll(SmtpReplyReader reader, string text, List<string> texts = null)
        {
            byte[] bytes = Encoding.ASCII.GetBytes(text);
            var events = new List<SmtpReplyEvent>();
            int offset = 0;
            while (offset < bytes.Length)
            {
                SmtpReplyEvent ev = reader.Feed(bytes, offset, bytes.Length - offset, out int consumed);
                Assert.InRange(consumed, ev == SmtpReplyEvent.Error ? 0 : 1, bytes.Length - offset);
                offset += consumed;
                events.Add(ev);
                if (ev == SmtpReplyEvent.Line || ev == SmtpReplyEvent.Reply)
                {
                    texts?.Add(reader.Text);
                }

                if (ev == SmtpReplyEvent.Error)
                {
                    break;
                }
            }

            return events;
        }

        [Fact]
        public void Single_line_reply()
        {
            var reader = new SmtpReplyReader();
            var texts = new List<string>();
            Assert.Equal(new[] { SmtpReplyEvent.Reply }, FeedAll(reader, "250 2.0.0 Ok\r\n", texts));
            Assert.Equal(250, reader.Code);
            Assert.True(reader.IsLast);
            Assert.Equal(1, reader.LineCount);
            Assert.Equal(new[] { "2.0.0 Ok" }, texts);
            Assert.Null(reader.Error);
        }

        [Fact]
        public void Multi_line_reply_gives_lines_then_the_reply()
        {
            var reader = new SmtpReplyReader();
            var texts = new List<string>();
            var events = FeedAll(reader, "250-mail.lab.test\r\n250-PIPELINING\r\n250 AUTH PLAIN\r\n", texts);
            Assert.Equal(new[] { SmtpReplyEvent.Line, SmtpReplyEvent.Line, SmtpReplyEvent.Reply }, events);
            Assert.Equal(new[] { "mail.lab.test", "PIPELINING", "AUTH PLAIN" }, texts);
            Assert.Equal(3, reader.LineCount);
            Assert.Equal(250, reader.Code);
        }

        [Fact]
        public void Line_events_are_not_last_and_report_the_running_line_count()
        {
            var reader = new SmtpReplyReader();
            byte[] bytes = Encoding.ASCII.GetBytes("220-first\r\n220 second\r\n");
            Assert.Equal(SmtpReplyEvent.Line, reader.Feed(bytes, 0, bytes.Length, out int used));
            Assert.Equal(11, used);
            Assert.False(reader.IsLast);
            Assert.Equal(1, reader.LineCount);
            Assert.Equal(220, reader.Code);
            Assert.Equal(SmtpReplyEvent.Reply, reader.Feed(bytes, used, bytes.Length - used, out int used2));
            Assert.Equal(bytes.Length - used, used2);
            Assert.True(reader.IsLast);
            Assert.Equal(2, reader.LineCount);
        }

        [Fact]
        public void Bare_code_line_has_empty_text_at_offset_three()
        {
            var reader = new SmtpReplyReader();
            Assert.Equal(new[] { SmtpReplyEvent.Reply }, FeedAll(reader, "250\r\n"));
            Assert.Equal(250, reader.Code);
            Assert.Equal(3, reader.TextOffset);
            Assert.Equal(0, reader.TextLength);
            Assert.Equal(string.Empty, reader.Text);
        }

        [Fact]
        public void Code_space_text_line_has_text_at_offset_four()
        {
            var reader = new SmtpReplyReader();
            FeedAll(reader, "250 x\r\n");
            Assert.Equal(4, reader.TextOffset);
            Assert.Equal(1, reader.TextLength);
            Assert.Equal("x", reader.Text);
            Assert.Equal((byte)'x', reader.LineBuffer[reader.TextOffset]);

            FeedAll(reader, "354 \r\n");
            Assert.Equal(354, reader.Code);
            Assert.Equal(4, reader.TextOffset);
            Assert.Equal(string.Empty, reader.Text);
        }

        [Fact]
        public void Lf_only_line_ends_are_accepted()
        {
            var reader = new SmtpReplyReader();
            var texts = new List<string>();
            var events = FeedAll(reader, "250-a\n250 b\n", texts);
            Assert.Equal(new[] { SmtpReplyEvent.Line, SmtpReplyEvent.Reply }, events);
            Assert.Equal(new[] { "a", "b" }, texts);
        }

        [Fact]
        public void Only_the_cr_right_before_lf_is_dropped()
        {
            var reader = new SmtpReplyReader();
            var texts = new List<string>();
            FeedAll(reader, "250 a\rb\r\n", texts);
            Assert.Equal(new[] { "a\rb" }, texts);
        }

        [Fact]
        public void Byte_at_a_time_needs_more_until_the_line_feed()
        {
            var reader = new SmtpReplyReader();
            byte[] bytes = Encoding.ASCII.GetBytes("221 2.0.0 Bye\r\n");
            for (int i = 0; i < bytes.Length - 1; i++)
            {
                Assert.Equal(SmtpReplyEvent.NeedMore, reader.Feed(bytes, i, 1, out int used));
                Assert.Equal(1, used);
            }

            Assert.Equal(SmtpReplyEvent.Reply, reader.Feed(bytes, bytes.Length - 1, 1, out int last));
            Assert.Equal(1, last);
            Assert.Equal(221, reader.Code);
            Assert.Equal("2.0.0 Bye", reader.Text);
        }

        [Fact]
        public void Feed_reads_from_the_given_offset_and_stops_after_one_line()
        {
            var reader = new SmtpReplyReader();
            byte[] bytes = Encoding.ASCII.GetBytes("xx250 one\r\n354 two\r\n");
            Assert.Equal(SmtpReplyEvent.Reply, reader.Feed(bytes, 2, bytes.Length - 2, out int used));
            Assert.Equal(9, used);
            Assert.Equal("one", reader.Text);
            Assert.Equal(SmtpReplyEvent.Reply, reader.Feed(bytes, 11, bytes.Length - 11, out used));
            Assert.Equal(354, reader.Code);
            Assert.Equal(1, reader.LineCount);
            Assert.Equal("two", reader.Text);
        }

        [Fact]
        public void Empty_feed_needs_more()
        {
            var reader = new SmtpReplyReader();
            Assert.Equal(SmtpReplyEvent.NeedMore, reader.Feed(new byte[4], 0, 0, out int used));
            Assert.Equal(0, used);
        }

        [Fact]
        public void Line_of_exactly_512_octets_with_crlf_is_accepted()
        {
            // "250 " + 506 + CRLF = 512 octets.
            string text = new string('a', SmtpReplyReader.MaxLineLength - 6);
            var reader = new SmtpReplyReader();
            var texts = new List<string>();
            Assert.Equal(new[] { SmtpReplyEvent.Reply }, FeedAll(reader, "250 " + text + "\r\n", texts));
            Assert.Equal(text, texts[0]);
        }

        [Fact]
        public void Line_of_513_octets_with_crlf_is_an_error()
        {
            string text = new string('a', SmtpReplyReader.MaxLineLength - 5);
            var reader = new SmtpReplyReader();
            var events = FeedAll(reader, "250 " + text + "\r\n");
            Assert.Equal(SmtpReplyEvent.Error, events[events.Count - 1]);
            Assert.Contains("512", reader.Error);
        }

        [Fact]
        public void Line_of_512_octets_with_lf_only_is_accepted_and_513_is_not()
        {
            var ok = new SmtpReplyReader();
            Assert.Equal(new[] { SmtpReplyEvent.Reply }, FeedAll(ok, "250 " + new string('b', 507) + "\n"));
            Assert.Equal(507, ok.TextLength);

            var tooLong = new SmtpReplyReader();
            Assert.Equal(SmtpReplyEvent.Error, FeedAll(tooLong, "250 " + new string('b', 508) + "\n")[^1]);
        }

        [Fact]
        public void Over_long_line_fails_before_its_end_arrives()
        {
            var reader = new SmtpReplyReader();
            byte[] bytes = Encoding.ASCII.GetBytes("250 " + new string('c', 600));
            Assert.Equal(SmtpReplyEvent.Error, reader.Feed(bytes, 0, bytes.Length, out int used));
            Assert.Equal(SmtpReplyReader.MaxLineLength, used);
        }

        [Fact]
        public void Reply_of_max_lines_is_accepted()
        {
            var text = new StringBuilder();
            for (int i = 0; i < SmtpReplyReader.MaxLinesPerReply - 1; i++)
            {
                text.Append("250-line ").Append(i).Append("\r\n");
            }

            text.Append("250 end\r\n");
            var reader = new SmtpReplyReader();
            var events = FeedAll(reader, text.ToString());
            Assert.Equal(SmtpReplyReader.MaxLinesPerReply, events.Count);
            Assert.Equal(SmtpReplyEvent.Reply, events[^1]);
            Assert.Equal(SmtpReplyReader.MaxLinesPerReply, reader.LineCount);
        }

        [Fact]
        public void Reply_that_does_not_end_within_max_lines_is_an_error()
        {
            var text = new StringBuilder();
            for (int i = 0; i < SmtpReplyReader.MaxLinesPerReply; i++)
            {
                text.Append("250-line ").Append(i).Append("\r\n");
            }

            text.Append("250 end\r\n");
            var reader = new SmtpReplyReader();
            var events = FeedAll(reader, text.ToString());
            Assert.Equal(SmtpReplyReader.MaxLinesPerReply, events.Count);
            Assert.Equal(SmtpReplyEvent.Error, events[^1]);
            Assert.Equal("reply has too many lines", reader.Error);
        }

        [Theory]
        [InlineData("199 too low\r\n")]
        [InlineData("100 x\r\n")]
        [InlineData("600 too high\r\n")]
        [InlineData("099 x\r\n")]
        [InlineData("2a0 x\r\n")]
        [InlineData("25\r\n")]
        [InlineData("\r\n")]
        [InlineData("hello\r\n")]
        public void Line_without_a_2xx_to_5xx_code_is_an_error(string line)
        {
            var reader = new SmtpReplyReader();
            Assert.Equal(new[] { SmtpReplyEvent.Error }, FeedAll(reader, line));
            Assert.Equal("reply line does not start with a reply code", reader.Error);
        }

        [Theory]
        [InlineData("200 x\r\n", 200)]
        [InlineData("599 x\r\n", 599)]
        [InlineData("334 \r\n", 334)]
        public void Codes_at_the_edges_of_the_range_are_accepted(string line, int code)
        {
            var reader = new SmtpReplyReader();
            Assert.Equal(new[] { SmtpReplyEvent.Reply }, FeedAll(reader, line));
            Assert.Equal(code, reader.Code);
        }

        [Theory]
        [InlineData("250x\r\n")]
        [InlineData("250_y\r\n")]
        [InlineData("2500 z\r\n")]
        public void Code_followed_by_other_than_space_or_hyphen_is_an_error(string line)
        {
            var reader = new SmtpReplyReader();
            Assert.Equal(new[] { SmtpReplyEvent.Error }, FeedAll(reader, line));
            Assert.Equal("reply code not followed by space or hyphen", reader.Error);
        }

        [Fact]
        public void Lines_of_one_reply_with_different_codes_are_an_error()
        {
            var reader = new SmtpReplyReader();
            var events = FeedAll(reader, "250-a\r\n251 b\r\n");
            Assert.Equal(new[] { SmtpReplyEvent.Line, SmtpReplyEvent.Error }, events);
            Assert.Equal("lines of one reply carry different codes", reader.Error);
        }

        [Fact]
        public void Next_reply_may_carry_another_code()
        {
            var reader = new SmtpReplyReader();
            var events = FeedAll(reader, "250-a\r\n250 b\r\n354 go ahead\r\n");
            Assert.Equal(new[] { SmtpReplyEvent.Line, SmtpReplyEvent.Reply, SmtpReplyEvent.Reply }, events);
            Assert.Equal(354, reader.Code);
            Assert.Equal(1, reader.LineCount);
        }

        [Fact]
        public void Error_is_sticky_until_reset()
        {
            var reader = new SmtpReplyReader();
            FeedAll(reader, "999 bad\r\n");
            string error = reader.Error;
            Assert.NotNull(error);

            byte[] good = Encoding.ASCII.GetBytes("250 fine\r\n");
            Assert.Equal(SmtpReplyEvent.Error, reader.Feed(good, 0, good.Length, out int used));
            Assert.Equal(0, used);
            Assert.Equal(error, reader.Error);

            reader.Reset();
            Assert.Null(reader.Error);
            Assert.Equal(SmtpReplyEvent.Reply, reader.Feed(good, 0, good.Length, out used));
            Assert.Equal(good.Length, used);
            Assert.Equal("fine", reader.Text);
        }

        [Fact]
        public void Reset_forgets_a_partial_line()
        {
            var reader = new SmtpReplyReader();
            Assert.Equal(new[] { SmtpReplyEvent.NeedMore }, FeedAll(reader, "250-part"));
            reader.Reset();
            Assert.Equal(new[] { SmtpReplyEvent.Reply }, FeedAll(reader, "220 fresh\r\n"));
            Assert.Equal("fresh", reader.Text);
            Assert.Equal(220, reader.Code);
        }

        [Fact]
        public void Reset_forgets_a_partial_multi_line_reply()
        {
            var reader = new SmtpReplyReader();
            FeedAll(reader, "250-a\r\n250-b\r\n");
            Assert.Equal(2, reader.LineCount);
            reader.Reset();
            Assert.Equal(0, reader.LineCount);
            Assert.Equal(0, reader.Code);
            Assert.False(reader.IsLast);

            // Without the reset a 220 here would be a code mismatch.
            Assert.Equal(new[] { SmtpReplyEvent.Reply }, FeedAll(reader, "220 ready\r\n"));
            Assert.Equal(1, reader.LineCount);
        }

        [Theory]
        [InlineData("250 ok then far too long ", 250)]
        [InlineData("250-first line far too long ", 250)]
        [InlineData("hello there, no code at all ", 0)]
        [InlineData("2x0 not a code ", 0)]
        public void An_over_long_line_keeps_the_code_it_started_with(string start, int code)
        {
            var reader = new SmtpReplyReader();
            var events = FeedAll(reader, start + new string('x', 600) + "\r\n");
            Assert.Equal(SmtpReplyEvent.Error, events.Last());
            Assert.Equal("reply line longer than 512 octets", reader.Error);
            Assert.Equal(code, reader.BrokenReplyCode);
            Assert.StartsWith(start.Substring(4), reader.Text);
        }

        [Theory]
        [InlineData("250Ok\r\n", 250, "reply code not followed by space or hyphen")]
        [InlineData("250-a\r\n250=b\r\n", 250, "reply code not followed by space or hyphen")]
        [InlineData("250-a\r\nnot a reply line\r\n", 250, "reply line does not start with a reply code")]
        [InlineData("250-a\r\n550 b\r\n", 0, "lines of one reply carry different codes")]
        [InlineData("250-a\r\n550=b\r\n", 0, "reply code not followed by space or hyphen")]
        [InlineData("nonsense\r\n", 0, "reply line does not start with a reply code")]
        public void A_malformed_reply_names_its_code_only_when_it_has_one(string text, int code, string error)
        {
            var reader = new SmtpReplyReader();
            Assert.Equal(SmtpReplyEvent.Error, FeedAll(reader, text).Last());
            Assert.Equal(error, reader.Error);
            Assert.Equal(code, reader.BrokenReplyCode);
        }

        [Fact]
        public void Resume_skips_the_rest_of_a_broken_line_and_reads_the_next_reply()
        {
            var reader = new SmtpReplyReader();
            byte[] bytes = Encoding.ASCII.GetBytes("250 " + new string('x', 1000) + "\r\n221 bye\r\n");
            Assert.Equal(SmtpReplyEvent.Error, reader.Feed(bytes, 0, bytes.Length, out int used));
            Assert.Equal(SmtpReplyEvent.Error, reader.Feed(bytes, used, bytes.Length - used, out int none));
            Assert.Equal(0, none);
            reader.Resume();
            Assert.Null(reader.Error);
            int at = used;

            // The rest of the long line comes a few bytes at a time: all of it is skipped.
            while (at < bytes.Length)
            {
                SmtpReplyEvent ev = reader.Feed(bytes, at, Math.Min(7, bytes.Length - at), out int consumed);
                at += consumed;
                if (ev == SmtpReplyEvent.Reply)
                {
                    break;
                }

                Assert.Equal(SmtpReplyEvent.NeedMore, ev);
            }

            Assert.Equal(bytes.Length, at);
            Assert.Equal(221, reader.Code);
            Assert.Equal("bye", reader.Text);
        }

        [Fact]
        public void Resume_after_a_line_that_ended_reads_on_at_once()
        {
            var reader = new SmtpReplyReader();
            Assert.Equal(SmtpReplyEvent.Error, FeedAll(reader, "garbage\r\n").Last());
            reader.Resume();
            Assert.Equal(new[] { SmtpReplyEvent.Reply }, FeedAll(reader, "250 ok\r\n"));
            Assert.Equal(250, reader.Code);
            Assert.Equal(1, reader.LineCount);
        }
    }
}
