using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Smtp;

namespace NetBoard.Firmware.Tests.Smtp
{
    /// <summary>CHUNKING (RFC 3030) pipelined behind MAIL and RCPT (RFC 2920), against scripted servers that announce both.</summary>
    public class SmtpChunkingTests
    {
        private const string Envelope1 = "MAIL FROM:<mfp@lab.test>\r\nRCPT TO:<alice@lab.test>\r\n";
        private const string Envelope3 = "MAIL FROM:<mfp@lab.test>\r\nRCPT TO:<alice@lab.test>\r\nRCPT TO:<bob@lab.test>\r\nRCPT TO:<carol@lab.test>\r\n";

        private static ScriptedSmtp Chunked(IMessageReader message = null, params string[] to)
        {
            SmtpSessionOptions options = ScriptedSmtp.Options(SmtpAuthMode.Off, to: to.Length == 0 ? new[] { "alice@lab.test", "bob@lab.test", "carol@lab.test" } : to);
            options.Pipelining = true;
            options.Chunking = true;
            return new ScriptedSmtp(options, message);
        }

        private static string Lines(params string[] lines) => string.Concat(lines.Select(l => l + "\r\n"));

        private static string[] Base64Lines(int count) => Enumerable.Range(0, count).Select(i => new string((char)('A' + (i % 26)), 76)).ToArray();

        /// <summary>
        /// The chunks wholly in <paramref name="wire"/> (after the envelope): their sizes, whether the last says LAST, their
        /// data, and what follows them (a chunk still on its way, or QUIT).
        /// </summary>
        private static (List<int> Sizes, bool Last, string Data, string After) Chunks(string wire)
        {
            var sizes = new List<int>();
            var data = new StringBuilder();
            bool last = false;
            int at = 0;
            while (!last && at < wire.Length && wire.IndexOf("BDAT ", at, StringComparison.Ordinal) == at)
            {
                int lineEnd = wire.IndexOf("\r\n", at, StringComparison.Ordinal);
                if (lineEnd < 0 || lineEnd + 2 + int.Parse(wire.Substring(at, lineEnd - at).Split(' ')[1]) > wire.Length)
                {
                    break;
                }

                string[] words = wire.Substring(at, lineEnd - at).Split(' ');
                int size = int.Parse(words[1]);
                last = words.Length == 3 && words[2] == "LAST";
                Assert.True(words.Length == 2 || last, wire.Substring(at, lineEnd - at));
                sizes.Add(size);
                data.Append(wire, lineEnd + 2, size);
                at = lineEnd + 2 + size;
            }

            return (sizes, last, data.ToString(), wire.Substring(at));
        }

        /// <summary>Greeting and EHLO with <paramref name="keywords"/>; what the session queued next is left unsent.</summary>
        private static void Greet(ScriptedSmtp smtp, params string[] keywords)
        {
            smtp.Reply("220 mail.lab.test ESMTP");
            Assert.Equal("EHLO [192.0.2.7]\r\n", smtp.Sent());
            smtp.Reply(new[] { "250-mail.lab.test" }.Concat(keywords.Select((k, i) => (i == keywords.Length - 1 ? "250 " : "250-") + k)).ToArray());
        }

        /// <summary>One write of the connection: up to <paramref name="most"/> of what waits.</summary>
        private static string Write(ScriptedSmtp smtp, int most = int.MaxValue)
        {
            int count = Math.Min(most, smtp.Session.OutputCount);
            string text = Encoding.ASCII.GetString(smtp.Session.Output, smtp.Session.OutputOffset, count);
            smtp.Session.OnSent(count, smtp.Now);
            return text;
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void Envelope_and_a_one_chunk_message_leave_in_one_write_and_the_reply_to_the_last_chunk_decides(bool byteByByte)
        {
            var smtp = Chunked();
            smtp.Reply("220 mail.lab.test ESMTP");
            Assert.Equal("EHLO [192.0.2.7]\r\n", smtp.Sent());
            smtp.Reply("250-mail.lab.test", "250-PIPELINING", "250 CHUNKING");

            // MAIL, the RCPTs, the whole message as its only chunk and QUIT: one write, no wait for 354.
            string body = Lines("Subject: test", "", "hello");
            string expected = Envelope3 + "BDAT " + body.Length + " LAST\r\n" + body + "QUIT\r\n";
            Assert.Equal(expected.Length, smtp.Session.OutputCount);
            Assert.Equal(expected, smtp.Sent());

            smtp.Feed("250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n250 2.1.5 Ok\r\n250 2.1.5 Ok\r\n", byteByByte);
            Assert.Equal(SmtpState.DataEnd, smtp.Session.State);
            smtp.Feed("250 2.0.0 Ok: " + body.Length + " bytes, queued as 4F2\r\n", byteByByte);
            Assert.True(smtp.Session.Result.Success);
            Assert.Equal(SmtpState.Quit, smtp.Session.State);
            Assert.Equal(string.Empty, smtp.Sent());
            smtp.Feed("221 2.0.0 Bye\r\n", byteByByte);

            SmtpResult result = smtp.Session.Result;
            Assert.True(smtp.Session.IsDone);
            Assert.True(result.Success);
            Assert.Equal(250, result.ReplyCode);
            Assert.All(result.Recipients, r => Assert.True(r.Accepted));
            Assert.Contains("C: BDAT " + body.Length + " LAST", smtp.Log.Lines);
        }

        [Fact]
        public void Lines_starting_with_a_dot_go_as_they_are()
        {
            var smtp = Chunked(new LinesMessage("Subject: dots", "", ".", "..x", ".hidden"), "alice@lab.test");
            string wire = smtp.Hello("PIPELINING", "CHUNKING");
            Assert.StartsWith(Envelope1, wire);
            var chunks = Chunks(wire.Substring(Envelope1.Length));
            Assert.True(chunks.Last);
            Assert.Equal(Lines("Subject: dots", "", ".", "..x", ".hidden"), chunks.Data);
            Assert.Equal("QUIT\r\n", chunks.After);
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void A_large_message_goes_in_64_KB_chunks_through_the_4_KB_buffer_and_their_replies_come_while_it_streams(bool partialWrites)
        {
            // 312,000 octets: four chunks of 65,536 and a last one of 49,856, whatever the writes take; lines cross chunk ends.
            string[] lines = Base64Lines(4000);
            var smtp = Chunked(new LinesMessage(lines), "alice@lab.test");
            Greet(smtp, "PIPELINING", "CHUNKING");
            var random = new Random(7);
            var wire = new StringBuilder(Write(smtp));
            Assert.StartsWith(Envelope1 + "BDAT 65536\r\n", wire.ToString());
            smtp.Reply("250 2.1.0 Ok", "250 2.1.5 Ok");
            int answered = 0;
            while (smtp.Session.OutputCount > 0)
            {
                Assert.True(smtp.Session.OutputCount <= SmtpSession.OutputBufferSize);
                wire.Append(Write(smtp, partialWrites ? random.Next(1, smtp.Session.OutputCount + 1) : int.MaxValue));

                // The server answers every chunk but the last as soon as it has it all; the session reads while it writes.
                var received = Chunks(wire.ToString().Substring(Envelope1.Length));
                int before = received.Sizes.Count - (received.Last ? 1 : 0);
                for (; answered < before; answered++)
                {
                    smtp.Reply("250 2.0.0 Ok: " + received.Sizes[answered] + " bytes");
                }
            }

            var chunks = Chunks(wire.ToString().Substring(Envelope1.Length));
            Assert.True(chunks.Last);
            Assert.Equal("QUIT\r\n", chunks.After);
            Assert.Equal(Lines(lines), chunks.Data);
            Assert.Equal(new[] { 65536, 65536, 65536, 65536, 49856 }, chunks.Sizes);
            Assert.Equal(4, answered);
            Assert.Equal(SmtpState.DataEnd, smtp.Session.State);
            smtp.Reply("250 2.0.0 Ok: queued as 4F2");
            smtp.Reply("221 Bye");
            Assert.True(smtp.Session.IsDone);
            Assert.True(smtp.Session.Result.Success);
        }

        [Fact]
        public void A_message_that_ends_exactly_at_a_chunk_end_makes_that_chunk_the_last()
        {
            // 2 x (840 lines of 78 octets and one of 16) = 131,072 octets: two full chunks, the second LAST, no empty chunk.
            string[] half = Base64Lines(840).Concat(new[] { new string('z', 14) }).ToArray();
            string[] lines = half.Concat(half).ToArray();
            var smtp = Chunked(new LinesMessage(lines), "alice@lab.test");
            string wire = smtp.Hello("PIPELINING", "CHUNKING");
            var chunks = Chunks(wire.Substring(Envelope1.Length));
            Assert.Equal(new[] { 65536, 65536 }, chunks.Sizes);
            Assert.True(chunks.Last);
            Assert.Equal(Lines(lines), chunks.Data);
            Assert.Equal("QUIT\r\n", chunks.After);
            smtp.Reply("250 Ok", "250 Ok", "250 2.0.0 Ok: 65536 bytes");
            Assert.Equal(SmtpState.DataEnd, smtp.Session.State);
            smtp.Reply("250 2.0.0 Ok: queued");
            Assert.True(smtp.Session.Result.Success);
        }

        [Theory]
        [InlineData(10, "ended before")]
        [InlineData(-10, "longer than")]
        [InlineData(-70000, "longer than")]
        public void A_message_whose_length_was_wrong_is_never_completed(int lengthError, string detail)
        {
            // Chunk sizes come from the length: a message that turns out shorter or longer cannot be sent as announced.
            var smtp = Chunked(new LinesMessage(Base64Lines(1000)) { LengthError = lengthError }, "alice@lab.test");
            Greet(smtp, "PIPELINING", "CHUNKING");
            var wire = new StringBuilder();
            while (smtp.Session.OutputCount > 0)
            {
                wire.Append(Write(smtp));
            }

            Assert.True(smtp.Session.IsDone);
            Assert.Equal(UserErrorCode.DocumentError, smtp.Session.Result.ErrorCode);
            Assert.Contains(detail, smtp.Session.Result.Detail);
            Assert.False(Chunks(wire.ToString().Substring(Envelope1.Length)).Last, "a last chunk was completed");
            Assert.DoesNotContain("QUIT", wire.ToString());
        }

        [Theory]
        [InlineData("550 5.1.1 <bob@lab.test>: Recipient address rejected", false)]
        [InlineData("450 4.2.0 <bob@lab.test>: Recipient address rejected: greylisted", true)]
        public void A_refused_recipient_in_the_middle_is_recorded_and_the_others_get_the_message(string refusal, bool deferred)
        {
            var smtp = Chunked();
            Assert.StartsWith(Envelope3 + "BDAT ", smtp.Hello("PIPELINING", "CHUNKING"));
            smtp.Feed("250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n" + refusal + "\r\n250 2.1.5 Ok\r\n250 2.0.0 Ok: queued\r\n221 Bye\r\n", false);
            Assert.True(smtp.Session.IsDone);

            SmtpResult result = smtp.Session.Result;
            Assert.True(result.Success);
            Assert.True(result.Recipients[0].Accepted);
            Assert.Equal(deferred, result.Recipients[1].Deferred);
            Assert.Equal(!deferred, result.Recipients[1].Rejected);
            Assert.True(result.Recipients[2].Accepted);
            Assert.Equal(deferred, result.PartlySent);
        }

        [Theory]
        [InlineData("554 5.5.1 Error: no valid recipients", UserErrorCode.SmtpRecipientsRejected, "550 5.1.1 no")]
        [InlineData("503 5.5.1 Error: need RCPT command", UserErrorCode.SmtpRecipientsRejected, "550 5.1.1 no")]
        [InlineData("554 5.5.1 Error: no valid recipients", UserErrorCode.SmtpTemporaryFailure, "451 4.3.0 try later")]
        public void All_recipients_refused_stops_the_chunks_reads_the_refusals_and_quits(string chunkReply, int error, string rcptReply)
        {
            string[] lines = Base64Lines(4000);
            var smtp = Chunked(new LinesMessage(lines));
            Greet(smtp, "PIPELINING", "CHUNKING");
            var wire = new StringBuilder();
            for (int i = 0; i < 3; i++)
            {
                wire.Append(Write(smtp));
            }

            // The refusals come while the first chunk is on its way: it is finished (a chunk cannot be cut short), no
            // other is started, and its reply is read before QUIT.
            smtp.Feed("250 2.1.0 Ok\r\n" + rcptReply + "\r\n" + rcptReply + "\r\n" + rcptReply + "\r\n", false);
            Assert.Equal(SmtpState.Drain, smtp.Session.State);
            wire.Append(smtp.Sent());
            var chunks = Chunks(wire.ToString().Substring(Envelope3.Length));
            Assert.Equal(new[] { 65536 }, chunks.Sizes);
            Assert.False(chunks.Last);
            Assert.Equal(string.Empty, chunks.After);
            Assert.Equal(Lines(lines).Substring(0, 65536), chunks.Data);
            Assert.Single(smtp.Log.Lines, l => l.StartsWith("C: BDAT "));

            smtp.Reply(chunkReply);
            Assert.Equal("QUIT\r\n", smtp.Sent());
            smtp.Reply("221 Bye");

            SmtpResult result = smtp.Session.Result;
            Assert.True(smtp.Session.IsDone);
            Assert.Equal(error, result.ErrorCode);
            Assert.Equal(int.Parse(rcptReply.Substring(0, 3)), result.ReplyCode);
            Assert.DoesNotContain(smtp.Log.Lines, l => l.Contains("LAST"));
        }

        [Fact]
        public void A_refused_sender_drains_every_reply_owed_before_quit()
        {
            var smtp = Chunked(null, "alice@lab.test");
            smtp.Hello("PIPELINING", "CHUNKING");
            smtp.Feed("553 5.7.1 <mfp@lab.test>: Sender address rejected\r\n503 5.5.1 need MAIL\r\n", false);
            Assert.Equal(string.Empty, smtp.Sent());
            Assert.Equal(SmtpState.Drain, smtp.Session.State);

            // The QUIT behind the last chunk has already left: its reply is what comes after the chunk's.
            smtp.Feed("503 5.5.1 need RCPT\r\n221 Bye\r\n", true);
            SmtpResult result = smtp.Session.Result;
            Assert.True(smtp.Session.IsDone);
            Assert.Equal(UserErrorCode.SmtpSenderRejected, result.ErrorCode);
            Assert.Equal(553, result.ReplyCode);
            Assert.Single(smtp.Log.Lines, l => l == "C: QUIT");
        }

        [Theory]
        [InlineData("552 5.3.4 Error: message file too big", UserErrorCode.SmtpMessageTooLarge)]
        [InlineData("451 4.3.0 Error: queue file write error", UserErrorCode.SmtpTemporaryFailure)]
        public void A_refused_chunk_ends_the_transaction_with_its_code(string refusal, int error)
        {
            var smtp = Chunked(new LinesMessage(Base64Lines(4000)), "alice@lab.test");
            Greet(smtp, "PIPELINING", "CHUNKING");
            var wire = new StringBuilder(Write(smtp));
            smtp.Reply("250 Ok", "250 Ok");

            // Until the second chunk has wholly left (the first answered as it did), the third one open behind it.
            int answered = 0;
            while (Chunks(wire.ToString().Substring(Envelope1.Length)).Sizes.Count < 2)
            {
                wire.Append(Write(smtp));
                if (answered == 0 && Chunks(wire.ToString().Substring(Envelope1.Length)).Sizes.Count == 1)
                {
                    smtp.Reply("250 2.0.0 Ok: 65536 bytes");
                    answered++;
                }
            }

            smtp.Reply(refusal);

            // The third chunk, open when the refusal came, still goes whole; it is owed a reply; none more is started.
            Assert.Equal(SmtpState.Drain, smtp.Session.State);
            wire.Append(smtp.Sent());
            var chunks = Chunks(wire.ToString().Substring(Envelope1.Length));
            Assert.Equal(new[] { 65536, 65536, 65536 }, chunks.Sizes);
            Assert.Equal(string.Empty, chunks.After);
            Assert.Equal(3, smtp.Log.Lines.Count(l => l.StartsWith("C: BDAT ")));
            smtp.Reply("503 5.5.1 Error: no transaction");
            Assert.Equal("QUIT\r\n", smtp.Sent());
            smtp.Reply("221 Bye");

            SmtpResult result = smtp.Session.Result;
            Assert.True(smtp.Session.IsDone);
            Assert.Equal(error, result.ErrorCode);
            Assert.Equal(int.Parse(refusal.Substring(0, 3)), result.ReplyCode);
        }

        [Theory]
        [InlineData("554 5.7.1 message refused", UserErrorCode.SmtpMessageRejected)]
        [InlineData("452 4.3.1 insufficient system storage", UserErrorCode.SmtpTemporaryFailure)]
        public void A_refused_last_chunk_decides_the_job_and_quit_is_not_sent_again(string reply, int error)
        {
            var smtp = Chunked(null, "alice@lab.test");
            smtp.Hello("PIPELINING", "CHUNKING");
            smtp.Reply("250 Ok", "250 Ok", reply);
            Assert.Equal(string.Empty, smtp.Sent());
            smtp.Reply("221 Bye");

            Assert.True(smtp.Session.IsDone);
            Assert.Equal(error, smtp.Session.Result.ErrorCode);
            Assert.Single(smtp.Log.Lines, l => l == "C: QUIT");
        }

        [Fact]
        public void A_reply_to_a_chunk_not_yet_wholly_sent_is_a_protocol_error()
        {
            var smtp = Chunked(new LinesMessage(Base64Lines(100)), "alice@lab.test");
            smtp.Reply("220 mail.lab.test ESMTP");
            smtp.Sent();
            smtp.Reply("250-mail.lab.test", "250-PIPELINING", "250 CHUNKING");

            // The envelope and part of the chunk have left when the server answers the chunk.
            smtp.Session.OnSent(Envelope1.Length + 100, smtp.Now);
            smtp.Reply("250 Ok", "250 Ok");
            Assert.False(smtp.Session.IsDone);
            smtp.Reply("250 2.0.0 Ok: queued");

            Assert.True(smtp.Session.IsDone);
            Assert.False(smtp.Session.Result.Success);
            Assert.Equal(UserErrorCode.SmtpProtocolError, smtp.Session.Result.ErrorCode);
            Assert.Contains("out of turn", smtp.Session.Result.Detail);
        }

        [Fact]
        public void A_lost_connection_after_the_last_chunk_left_may_have_delivered_but_not_before()
        {
            var unknown = Chunked(null, "alice@lab.test");
            unknown.Hello("PIPELINING", "CHUNKING");
            unknown.Reply("250 Ok", "250 Ok");
            unknown.Session.OnConnectionEnded(NetBoard.Hal.NetError.Reset, "reset");
            Assert.False(unknown.Session.Result.Success);
            Assert.Contains("may deliver it twice", unknown.Session.Result.Detail);

            var notYet = Chunked(new LinesMessage(Base64Lines(4000)), "alice@lab.test");
            Greet(notYet, "PIPELINING", "CHUNKING");
            Write(notYet);
            notYet.Reply("250 Ok", "250 Ok");
            notYet.Session.OnConnectionEnded(NetBoard.Hal.NetError.Reset, "reset");
            Assert.Equal(UserErrorCode.SmtpConnectionLost, notYet.Session.Result.ErrorCode);
            Assert.DoesNotContain("twice", notYet.Session.Result.Detail);
        }

        [Fact]
        public void A_document_read_failure_ends_the_session_before_any_last_chunk()
        {
            var smtp = Chunked(new FailingMessage(), "alice@lab.test");
            smtp.Reply("220 mail.lab.test ESMTP");
            smtp.Sent();
            smtp.Reply("250-mail.lab.test", "250-PIPELINING", "250 CHUNKING");
            Assert.True(smtp.Session.IsDone);
            Assert.Equal(UserErrorCode.DocumentError, smtp.Session.Result.ErrorCode);

            // The header of the only chunk was queued, but the session ended with nothing sent: no chunk is completed.
            Assert.Equal(0, smtp.Session.OutputCount);
        }

        [Fact]
        public void Data_stays_without_pipelining_or_with_chunking_off()
        {
            // CHUNKING alone: each chunk would wait for its reply, so DATA it is, one command at a time.
            var unpipelined = Chunked(null, "alice@lab.test");
            Assert.Equal("MAIL FROM:<mfp@lab.test>\r\n", unpipelined.Hello("CHUNKING"));
            unpipelined.AcceptTransaction();
            Assert.True(unpipelined.Session.Result.Success);

            SmtpSessionOptions options = ScriptedSmtp.Options(SmtpAuthMode.Off);
            options.Pipelining = true;
            Assert.False(options.Chunking);
            var off = new ScriptedSmtp(options);
            Assert.Equal(Envelope1 + "DATA\r\n", off.Hello("PIPELINING", "CHUNKING"));
        }

        [Fact]
        public void A_chunked_send_allocates_no_more_for_a_larger_message()
        {
            // One BDAT header every 64 KB: a string for each would make the cost grow with the scan.
            ChunkedSendAllocation(50_000);
            long small = ChunkedSendAllocation(100_000);
            long large = ChunkedSendAllocation(2_000_000);
            Assert.True(large - small < 256, "a 2 MB message allocated " + large + " bytes, a 100 KB one " + small);
        }

        /// <summary>Bytes one whole chunked send allocates (log off), with the message and the replies made beforehand.</summary>
        private static long ChunkedSendAllocation(int size)
        {
            byte[] line = Encoding.ASCII.GetBytes(new string('Q', 74) + "\r\n");
            byte[] message = new byte[size / line.Length * line.Length];
            for (int at = 0; at < message.Length; at += line.Length)
            {
                line.CopyTo(message, at);
            }

            var reader = new Reliability.BytesMessage(message);
            byte[] greeting = Encoding.ASCII.GetBytes("220 mail.lab.test ESMTP\r\n");
            byte[] ehlo = Encoding.ASCII.GetBytes("250-mail.lab.test\r\n250-PIPELINING\r\n250 CHUNKING\r\n");
            byte[] ok = Encoding.ASCII.GetBytes("250 2.0.0 Ok\r\n");
            byte[] bye = Encoding.ASCII.GetBytes("221 2.0.0 Bye\r\n");
            SmtpSessionOptions options = ScriptedSmtp.Options(SmtpAuthMode.Off);
            options.Pipelining = true;
            options.Chunking = true;

            long before = GC.GetAllocatedBytesForCurrentThread();
            var session = new SmtpSession(options, reader, null);
            session.Start(0);
            session.OnConnected("192.0.2.7", 0);
            session.Receive(greeting, 0, greeting.Length, 0);
            SendAll(session);
            session.Receive(ehlo, 0, ehlo.Length, 0);
            int replies = 0;
            while (!session.IsDone && replies < 10_000)
            {
                SendAll(session);
                byte[] reply = session.State == SmtpState.Quit ? bye : ok;
                session.Receive(reply, 0, reply.Length, 0);
                replies++;
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(session.Result.Success, session.Result.Detail);
            Assert.Equal(3 + (message.Length + 65535) / 65536, replies);
            return allocated;
        }

        private static void SendAll(SmtpSession session)
        {
            while (session.OutputCount > 0)
            {
                session.OnSent(session.OutputCount, 0);
            }
        }
    }
}
