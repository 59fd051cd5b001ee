using System;
using System.Collections.Generic;
using System.Text;
using NetBoard.Firmware.Http;

namespace NetBoard.Firmware.Tests.Http
{
    public class HttpResponseParserTests
    {
        /// <summary>What a parse came to: outcome, status, framing and the body, as one comparable line.</summary>
        internal sealed class Outcome
        {
            public string Result { get; set; }

            public int Status { get; set; }

            public string Reason { get; set; }

            public HttpBodyFraming Framing { get; set; }

            public byte[] Body { get; set; }

            public int HeadersEvents { get; set; }

            public int Consumed { get; set; }

            public override string ToString() => Result + " " + Status + " " + Reason + " " + Framing + " [" + Encoding.ASCII.GetString(Body) + "] h" + HeadersEvents + " c" + Consumed;
        }

        /// <summary>Feeds <paramref name="data"/> in pieces ending at the given cut points; <paramref name="close"/> then signals the peer's close.</summary>
        internal static Outcome Parse(byte[] data, IEnumerable<int> cuts, bool close = false, int maxHeader = 4096, int maxBody = 4096, bool head = false)
        {
            var parser = new HttpResponseParser(maxHeader, maxBody, head);
            var body = new List<byte>();
            var outcome = new Outcome();
            int at = 0;
            var ends = new List<int>(cuts) { data.Length };
            foreach (int end in ends)
            {
                if (end < at)
                {
                    continue;
                }

                int offset = at;
                int count = end - at;
                while (true)
                {
                    HttpParseEvent ev = parser.Feed(data, offset, count, out int used);
                    Assert.InRange(used, 0, count);
                    offset += used;
                    count -= used;
                    outcome.Consumed += used;
                    if (ev == HttpParseEvent.HeadersComplete)
                    {
                        outcome.HeadersEvents++;
                        continue;
                    }

                    if (ev == HttpParseEvent.Body)
                    {
                        Assert.True(parser.BodyCount > 0);
                        Assert.InRange(parser.BodyOffset, offset - used, offset - parser.BodyCount);
                        for (int i = 0; i < parser.BodyCount; i++)
                        {
                            body.Add(data[parser.BodyOffset + i]);
                        }

                        continue;
                    }

                    if (ev == HttpParseEvent.NeedMore)
                    {
                        Assert.Equal(0, count);
                        break;
                    }

                    outcome.Result = ev == HttpParseEvent.Complete ? "complete" : "error " + parser.Error + ": " + parser.ErrorDetail;
                    return Finish(outcome, parser, body);
                }

                at = end;
            }

            if (close)
            {
                HttpParseEvent ev = parser.OnClosed();
                outcome.Result = ev == HttpParseEvent.Complete ? "complete" : "error " + parser.Error + ": " + parser.ErrorDetail;
            }
            else
            {
                outcome.Result = "needmore";
            }

            return Finish(outcome, parser, body);
        }

        private static Outcome Finish(Outcome outcome, HttpResponseParser parser, List<byte> body)
        {
            outcome.Status = parser.StatusCode;
            outcome.Reason = parser.Reason;
            outcome.Framing = parser.Framing;
            outcome.Body = body.ToArray();
            return outcome;
        }

        private static Outcome Whole(string text, bool close = false, int maxHeader = 4096, int maxBody = 4096, bool head = false)
        {
            return Parse(Encoding.ASCII.GetBytes(text), Array.Empty<int>(), close, maxHeader, maxBody, head);
        }

        /// <summary>Parses whole, byte by byte and split in two at every point: all must agree; returns the whole parse.</summary>
        private static Outcome EverySplit(string text, bool close = false, int maxHeader = 4096, int maxBody = 4096)
        {
            byte[] data = Encoding.ASCII.GetBytes(text);
            Outcome whole = Parse(data, Array.Empty<int>(), close, maxHeader, maxBody);
            var everyByte = new List<int>();
            for (int i = 1; i < data.Length; i++)
            {
                everyByte.Add(i);
            }

            Assert.Equal(whole.ToString(), Parse(data, everyByte, close, maxHeader, maxBody).ToString());
            for (int cut = 0; cut <= data.Length; cut++)
            {
                Assert.Equal(whole.ToString(), Parse(data, new[] { cut }, close, maxHeader, maxBody).ToString());
            }

            return whole;
        }

        public static TheoryData<string, bool, string> Complete_responses => new TheoryData<string, bool, string>
        {
            { "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"a\":\"b c\"}", false, "complete 200 OK Length [{\"a\":\"b c\"}] h1" },
            { "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", false, "complete 200 OK Length [] h1" },
            { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", false, "complete 200 OK Chunked [hello world] h1" },
            { "HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\nA;name=value;q=\"x;y\"\r\n0123456789\r\n00000;last\r\nX-Trailer: t\r\nOther: u\r\n\r\n", false, "complete 200 OK Chunked [0123456789] h1" },
            { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\na\r\n0123456789\r\nB \t; ext\r\nabcdefghijk\r\n0\r\n\r\n", false, "complete 200 OK Chunked [0123456789abcdefghijk] h1" },
            { "HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n3\nabc\n0\n\n", false, "complete 200 OK Chunked [abc] h1" },
            { "HTTP/1.1 200 OK\r\nContent-Length: 99\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n", false, "complete 200 OK Chunked [ok] h1" },
            { "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end", true, "complete 200 OK UntilClose [until the end] h1" },
            { "HTTP/1.1 200 OK\r\n\r\n", true, "complete 200 OK UntilClose [] h1" },
            { "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n", false, "complete 204 No Content None [] h1" },
            { "HTTP/1.1 304 Not Modified\r\n\r\n", false, "complete 304 Not Modified None [] h1" },
            { "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 400 Bad Request\r\nContent-Length: 2\r\n\r\n{}", false, "complete 400 Bad Request Length [{}] h1" },
            { "HTTP/1.1 200\r\nContent-Length: 1\r\n\r\nx", false, "complete 200  Length [x] h1" },
            { "HTTP/1.1 200 \r\ncontent-length:   3   \r\n\r\nabc", false, "complete 200  Length [abc] h1" },
            { "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc", false, "complete 200 OK Length [abc] h1" },
            { "HTTP/1.1 200 OK\r\nX-Folded: a\r\n b\r\nContent-Length: 1\r\n\r\nz", false, "complete 200 OK Length [z] h1" },
            { "HTTP/1.1 428 Precondition Required\r\nTransfer-Encoding: , chunked\r\n\r\n1\r\n!\r\n0\r\n\r\n", false, "complete 428 Precondition Required Chunked [!] h1" },
        };

        [Theory]
        [MemberData(nameof(Complete_responses))]
        public void Complete_responses_parse_the_same_split_at_every_byte(string response, bool close, string expected)
        {
            Outcome outcome = EverySplit(response, close);

            Assert.StartsWith(expected, outcome.ToString());
        }

        public static TheoryData<string, bool, string> Broken_responses => new TheoryData<string, bool, string>
        {
            { "HTTP/1.1 20 OK\r\n\r\n", false, "error Malformed: malformed status code" },
            { "HTTP/1.1 2000 OK\r\n\r\n", false, "error Malformed: malformed status code" },
            { "HTTP/1.1 099 Low\r\n\r\n", false, "error Malformed: status code out of range" },
            { "HTTP/1.1 600 High\r\n\r\n", false, "error Malformed: status code out of range" },
            { "HTTP/1.1 2x0 OK\r\n\r\n", false, "error Malformed: malformed status code" },
            { "HTTP/2 200\r\n\r\n", false, "error Malformed: malformed status line" },
            { "HTTP/2.0 200 OK\r\n\r\n", false, "error Unsupported: not an HTTP/1.x response" },
            { "ICY 200 OK\r\n\r\n", false, "error Malformed: malformed status line" },
            { "http/1.1 200 OK\r\n\r\n", false, "error Malformed: malformed status line" },
            { "HTTP/1.1  200 OK\r\n\r\n", false, "error Malformed: malformed status code" },
            { "\r\nHTTP/1.1 200 OK\r\n\r\n", false, "error Malformed: malformed status line" },
            { "HTTP/1.1 200 O\x01K\r\n\r\n", false, "error Malformed: control character in the reason phrase" },
            { "<html>hello</html>\r\n", false, "error Malformed: malformed status line" },
            { "HTTP/1.1 200 OK\rContent-Length: 0\r\n\r\n", false, "error Malformed: CR without LF in the header fields" },
            { "HTTP/1.1 200 OK\r\nNoColon\r\n\r\n", false, "error Malformed: header line without a field name" },
            { "HTTP/1.1 200 OK\r\nContent-Length : 1\r\n\r\nx", false, "error Malformed: malformed header field name" },
            { "HTTP/1.1 200 OK\r\n: empty\r\n\r\n", false, "error Malformed: header line without a field name" },
            { "HTTP/1.1 200 OK\r\nX-A: b\0\r\n\r\n", false, "error Malformed: NUL in the header fields" },
            { "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n 2\r\n\r\nx", false, "error Malformed: folded header field" },
            { "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", false, "error Malformed: conflicting Content-Length fields" },
            { "HTTP/1.1 200 OK\r\nContent-Length: 3, 3\r\n\r\nabc", false, "error Malformed: invalid Content-Length" },
            { "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", false, "error Malformed: invalid Content-Length" },
            { "HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n", false, "error Malformed: invalid Content-Length" },
            { "HTTP/1.1 200 OK\r\nContent-Length: 0x10\r\n\r\n", false, "error Malformed: invalid Content-Length" },
            { "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", false, "error Unsupported: unsupported transfer coding" },
            { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", false, "error Malformed: transfer coding after chunked" },
            { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", false, "error Malformed: transfer coding after chunked" },
            { "HTTP/1.1 200 OK\r\nTransfer-Encoding: identity\r\n\r\n", false, "error Unsupported: unsupported transfer coding" },
            { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\n", false, "error Malformed: chunk size expected" },
            { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\n", false, "error Malformed: chunk size expected" },
            { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3x\r\nabc\r\n0\r\n\r\n", false, "error Malformed: malformed chunk size line" },
            { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;a\x01\r\nabc\r\n0\r\n\r\n", false, "error Malformed: malformed chunk size line" },
            { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\rabc\r\n0\r\n\r\n", false, "error Malformed: CR without LF in a chunk size line" },
            { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n0\r\n\r\n", false, "error Malformed: chunk data longer than its size" },
            { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\r\n0\r\n\r\n", false, "error Malformed: chunk data longer than its size" },
            { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nBad trailer\r\n\r\n", false, "error Malformed: malformed header field name" },
            { "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n", false, "error Unsupported: unexpected protocol switch (101)" },
            { "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", true, "error ClosedEarly: connection closed after 3 of 10 body octets" },
            { "HTTP/1.1 200 OK\r\nContent-Le", true, "error ClosedEarly: connection closed in the header fields" },
            { "HTTP/1.1 200", true, "error ClosedEarly: connection closed in the status line" },
            { "", true, "error ClosedEarly: connection closed before any response" },
            { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel", true, "error ClosedEarly: connection closed inside the chunked body" },
            { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n", true, "error ClosedEarly: connection closed inside the chunked body" },
            { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n", true, "error ClosedEarly: connection closed inside the chunked body" },
        };

        [Theory]
        [MemberData(nameof(Broken_responses))]
        public void Broken_responses_get_a_clear_error_split_at_every_byte(string response, bool close, string expected)
        {
            Outcome outcome = EverySplit(response, close);

            Assert.Equal(expected, outcome.Result);
        }

        [Fact]
        public void Header_block_limit_is_enforced_exactly()
        {
            string head = "HTTP/1.1 200 OK\r\nX-Pad: ";
            string tail = "\r\nContent-Length: 0\r\n\r\n";
            int limit = 200;
            string fits = head + new string('p', limit - head.Length - tail.Length) + tail;
            string over = head + new string('p', limit - head.Length - tail.Length + 1) + tail;

            Assert.Equal(limit, fits.Length);
            Assert.Equal("complete", EverySplit(fits, false, limit).Result);
            Assert.Equal("error HeaderTooLarge: header fields larger than 200 octets", EverySplit(over, false, limit).Result);
        }

        [Fact]
        public void Many_header_fields_hit_the_limit()
        {
            var text = new StringBuilder("HTTP/1.1 200 OK\r\n");
            for (int i = 0; i < 1000; i++)
            {
                text.Append("X-H").Append(i).Append(": v\r\n");
            }

            Assert.Equal("error HeaderTooLarge: header fields larger than 4096 octets", Whole(text.ToString()).Result);
        }

        [Fact]
        public void A_long_field_the_parser_does_not_read_is_skipped()
        {
            string cookie = "Set-Cookie: fpc=" + new string('c', 3000) + "; path=/; secure; HttpOnly\r\n";
            Outcome outcome = Whole("HTTP/1.1 200 OK\r\n" + cookie + "Content-Length: 2\r\n\r\nok", false, 8192);

            Assert.Equal("complete", outcome.Result);
            Assert.Equal("ok", Encoding.ASCII.GetString(outcome.Body));
        }

        [Fact]
        public void A_long_field_the_parser_reads_is_refused()
        {
            string te = "Transfer-Encoding: " + new string(' ', 1100) + "chunked\r\n";

            Assert.Equal("error HeaderTooLarge: Transfer-Encoding field too long", Whole("HTTP/1.1 200 OK\r\n" + te + "\r\n", false, 8192).Result);
        }

        [Fact]
        public void Trailer_fields_have_their_own_limit()
        {
            string response = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\nX-T: " + new string('t', 300) + "\r\n\r\n";

            Assert.Equal("error HeaderTooLarge: trailer fields too large", Whole(response, false, 256).Result);
            Assert.Equal("complete", Whole(response, false, 400).Result);
        }

        [Fact]
        public void Body_limit_is_enforced_for_each_framing()
        {
            Assert.Equal("error BodyTooLarge: announced body of 11 octets is larger than 10", Whole("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n", false, 4096, 10).Result);
            Assert.Equal("complete", Whole("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789", false, 4096, 10).Result);
            Assert.Equal("error BodyTooLarge: announced body too large", Whole("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n").Result);

            string chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n012345\r\n5\r\n6789a\r\n0\r\n\r\n";
            Assert.Equal("error BodyTooLarge: body larger than 10 octets", EverySplit(chunked, false, 4096, 10).Result);
            Assert.Equal("complete", EverySplit(chunked, false, 4096, 11).Result);
            Assert.Equal("error BodyTooLarge: body larger than 10 octets", Whole("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFFFFFF\r\n", false, 4096, 10).Result);

            string close = "HTTP/1.1 200 OK\r\n\r\n01234567890";
            Assert.Equal("error BodyTooLarge: body larger than 10 octets", EverySplit(close, true, 4096, 10).Result);
        }

        [Fact]
        public void A_long_chunk_extension_is_refused()
        {
            string response = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;" + new string('e', 1100) + "\r\nx\r\n0\r\n\r\n";

            Assert.Equal("error Malformed: chunk extension too long", Whole(response).Result);
        }

        [Fact]
        public void Too_many_interim_responses_are_refused()
        {
            var text = new StringBuilder();
            for (int i = 0; i <= HttpResponseParser.MaxInterimResponses; i++)
            {
                text.Append("HTTP/1.1 100 Continue\r\n\r\n");
            }

            Assert.Equal("error Malformed: too many interim responses", Whole(text.Append("HTTP/1.1 200 OK\r\n\r\n").ToString()).Result);
        }

        [Fact]
        public void A_response_to_head_has_no_body()
        {
            Outcome outcome = Whole("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n", false, 4096, 10, true);

            Assert.Equal("complete", outcome.Result);
            Assert.Equal(HttpBodyFraming.None, outcome.Framing);
        }

        [Fact]
        public void Bytes_after_a_complete_response_are_not_consumed()
        {
            string first = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
            Outcome outcome = Whole(first + "HTTP/1.1 500 Next\r\n\r\n");

            Assert.Equal("complete", outcome.Result);
            Assert.Equal(first.Length, outcome.Consumed);
        }

        [Fact]
        public void Fields_are_reported()
        {
            var parser = new HttpResponseParser(4096, 4096, false);
            byte[] data = Encoding.ASCII.GetBytes("HTTP/1.0 401 Unauthorized\r\nContent-Type: application/json; charset=utf-8\r\nConnection: keep-alive, Close\r\nContent-Length: 2\r\n\r\n{}");

            Assert.Equal(HttpParseEvent.HeadersComplete, parser.Feed(data, 0, data.Length, out int used));
            Assert.Equal(401, parser.StatusCode);
            Assert.Equal("Unauthorized", parser.Reason);
            Assert.Equal(0, parser.MinorVersion);
            Assert.Equal("application/json; charset=utf-8", parser.ContentType);
            Assert.True(parser.ConnectionClose);
            Assert.Equal(2, parser.ContentLength);
            Assert.True(parser.HeadersDone);
            Assert.False(parser.IsComplete);
            Assert.Equal(HttpParseEvent.Body, parser.Feed(data, used, data.Length - used, out int bodyUsed));
            Assert.Equal(2, bodyUsed);
            Assert.Equal(HttpParseEvent.Complete, parser.Feed(data, data.Length, 0, out _));
            Assert.True(parser.IsComplete);
            Assert.Equal(HttpParseEvent.Complete, parser.Feed(data, 0, data.Length, out int after));
            Assert.Equal(0, after);
        }

        [Fact]
        public void After_an_error_every_feed_is_an_error()
        {
            var parser = new HttpResponseParser(4096, 4096, false);
            byte[] bad = Encoding.ASCII.GetBytes("XTTP/1.1 200 OK\r\n");
            byte[] good = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\n\r\n");

            Assert.Equal(HttpParseEvent.Error, parser.Feed(bad, 0, bad.Length, out _));
            Assert.Equal(HttpParseEvent.Error, parser.Feed(good, 0, good.Length, out int used));
            Assert.Equal(0, used);
            Assert.Equal(HttpParseEvent.Error, parser.OnClosed());
        }
    }
}
