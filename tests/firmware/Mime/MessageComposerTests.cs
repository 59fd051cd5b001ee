using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using MimeKit;
using NetBoard.Firmware.Mime;

using NetBoard.Firmware.Tests.Doubles;

namespace NetBoard.Firmware.Tests.Mime
{
    public class MessageComposerTests
    {
        private const string LongUnicodeSubject = "Scan \u2013 B\u00fcrobedarf \u65e5\u672c\u8a9e Bestellung f\u00fcr das zweite Quartal \u2013 \u00c4nderungen \u65e5\u672c\u8a9e\u306e\u30c6\u30b9\u30c8 \U0001F4C4 Ende";

        private static MessageInfo NewInfo()
        {
            return new MessageInfo
            {
                FromAddress = "scanner@example.com",
                FromName = "Office Scanner",
                To = new[] { "alice@example.com", "bob@example.org" },
                Subject = "Scanned document",
                Date = new DateTime(2026, 11, 29, 13, 5, 9, DateTimeKind.Utc),
                MessageId = "20261129130509.ABCDEF@example.com",
                Boundary = MessageInfo.NewBoundary(new Random(1)),
                BodyText = "Please find the scan attached.\r\nSecond line.",
                AttachmentName = "scan0001.pdf",
                AttachmentType = "application/pdf",
            };
        }

        private static byte[] RandomBytes(int length, int seed)
        {
            byte[] data = new byte[length];
            new Random(seed).NextBytes(data);
            return data;
        }

        /// <summary>Drains the composer and checks that every Read returns whole CRLF lines within the room.</summary>
        private static byte[] Drain(MessageComposer composer, int room)
        {
            MemoryStream output = new MemoryStream();
            byte[] buffer = new byte[room + 7];
            Assert.False(composer.IsComplete);
            while (true)
            {
                bool wasComplete = composer.IsComplete;
                int n = composer.Read(buffer, 3, room);
                Assert.InRange(n, 0, room);
                if (n == 0)
                {
                    break;
                }

                Assert.False(wasComplete);

                Assert.Equal((byte)'\r', buffer[3 + n - 2]);
                Assert.Equal((byte)'\n', buffer[3 + n - 1]);
                output.Write(buffer, 3, n);
            }

            Assert.True(composer.IsComplete);
            Assert.Equal(0, composer.Read(buffer, 0, room));
            return output.ToArray();
        }

        private static byte[] Compose(MessageInfo info, byte[] document, bool ifax = false, int room = 4096)
        {
            MessageComposer composer = new MessageComposer(info, new MemoryDocument(document), ifax);
            byte[] bytes = Drain(composer, room);
            Assert.Equal(composer.Length, bytes.LongLength);
            return bytes;
        }

        private static MimeMessage Parse(byte[] bytes)
        {
            return MimeMessage.Load(new MemoryStream(bytes));
        }

        private static string DecodedText(MimeMessage message)
        {
            TextPart text = message.BodyParts.OfType<TextPart>().Single(p => !p.IsAttachment);
            MemoryStream decoded = new MemoryStream();
            text.Content.DecodeTo(decoded);
            return Encoding.UTF8.GetString(decoded.ToArray());
        }

        private static string[] Lines(byte[] bytes)
        {
            string text = Encoding.Latin1.GetString(bytes);
            Assert.EndsWith("\r\n", text);
            string[] lines = text.Substring(0, text.Length - 2).Split("\r\n");
            foreach (string line in lines)
            {
                Assert.DoesNotContain('\r', line);
                Assert.DoesNotContain('\n', line);
            }

            return lines;
        }

        private static string HeaderBlock(byte[] bytes, string name)
        {
            string[] lines = Lines(bytes);
            int index = Array.FindIndex(lines, l => l.StartsWith(name + ":", StringComparison.Ordinal));
            Assert.True(index >= 0, name + " header missing");
            StringBuilder block = new StringBuilder(lines[index]);
            for (int i = index + 1; i < lines.Length && (lines[i].StartsWith(' ') || lines[i].StartsWith('\t')); i++)
            {
                block.Append("\r\n").Append(lines[i]);
            }

            return block.ToString();
        }

        [Theory]
        [InlineData(0, MessageComposer.MaxLineLength)]
        [InlineData(0, 1500)]
        [InlineData(1, MessageComposer.MaxLineLength)]
        [InlineData(56, 1500)]
        [InlineData(57, MessageComposer.MaxLineLength)]
        [InlineData(58, 4096)]
        [InlineData(102400, MessageComposer.MaxLineLength)]
        [InlineData(102400, 1500)]
        [InlineData(102400, 4096)]
        [InlineData(1048576, MessageComposer.MaxLineLength)]
        [InlineData(1048576, 1500)]
        [InlineData(1048576, 4096)]
        public void LengthMatchesOutputAndAttachmentRoundTrips(int size, int room)
        {
            byte[] document = RandomBytes(size, size + room);
            byte[] bytes = Compose(NewInfo(), document, room: room);

            MimeMessage message = Parse(bytes);
            MimePart attachment = message.Attachments.OfType<MimePart>().Single();
            MemoryStream decoded = new MemoryStream();
            attachment.Content.DecodeTo(decoded);
            Assert.Equal(document, decoded.ToArray());
            Assert.Equal(ContentEncoding.Base64, attachment.ContentTransferEncoding);
        }

        [Fact]
        public void LengthIsKnownBeforeTheDocumentIsRead()
        {
            MemoryDocument source = new MemoryDocument(RandomBytes(5000, 3));
            MessageComposer composer = new MessageComposer(NewInfo(), source, false);
            Assert.Empty(source.RequestedCounts);
            long length = composer.Length;
            Assert.Equal(length, Drain(composer, 2000).LongLength);
            Assert.False(source.Disposed);
        }

        [Fact]
        public void ReadsTheDocumentInBoundedChunksOfWholeBase64Lines()
        {
            byte[] document = RandomBytes(200000, 4);
            MemoryDocument source = new MemoryDocument(document, maxReadBytes: 1000);
            MessageComposer composer = new MessageComposer(NewInfo(), source, false);
            byte[] bytes = Drain(composer, 4096);
            Assert.Equal(composer.Length, bytes.LongLength);
            Assert.All(source.RequestedCounts, c => Assert.InRange(c, 1, 3072));

            MemoryStream decoded = new MemoryStream();
            Parse(bytes).Attachments.OfType<MimePart>().Single().Content.DecodeTo(decoded);
            Assert.Equal(document, decoded.ToArray());
        }

        [Fact]
        public void AttachmentBodyUsesFullLinesOf76Chars()
        {
            byte[] bytes = Compose(NewInfo(), RandomBytes(57 * 10 + 5, 5));
            string[] lines = Lines(bytes);
            int blank = Array.FindLastIndex(lines, l => l.Length == 0);
            string[] body = lines.Skip(blank + 1).Take(11).ToArray();
            Assert.All(body.Take(10), l => Assert.Equal(76, l.Length));
            Assert.Equal(8, body[10].Length);
            Assert.StartsWith("--", lines[lines.Length - 1]);
            Assert.EndsWith("--", lines[lines.Length - 1]);
        }

        [Fact]
        public void LinesStayWithin78CharsEvenWithLongHeaders()
        {
            MessageInfo info = NewInfo();
            info.To = Enumerable.Range(0, 25).Select(i => "recipient" + i + "@department" + i + ".example.com").ToArray();
            info.Subject = string.Join(" ", Enumerable.Repeat("Quarterly report scan", 20));
            info.FromName = "Multifunction printer on the third floor next to the kitchen and the stairs";
            info.BodyText = new string('x', 300) + "\r\nshort";
            info.AttachmentName = "A very long scan file name that will not fit on one header line at all 2026-11-29.pdf";
            byte[] bytes = Compose(info, RandomBytes(10000, 6));

            Assert.All(Lines(bytes), l => Assert.True(l.Length <= 78, "too long: " + l));

            MimeMessage message = Parse(bytes);
            Assert.Equal(info.To, message.To.Mailboxes.Select(m => m.Address).ToArray());
            Assert.Equal(info.Subject, message.Subject);
            Assert.Equal(info.FromName, message.From.Mailboxes.Single().Name);
            Assert.Equal(info.AttachmentName, message.Attachments.Single().ContentDisposition.FileName);
            Assert.Equal(info.BodyText, DecodedText(message));
        }

        [Fact]
        public void UnbreakableHeaderTokenMayPass78ButNot998()
        {
            MessageInfo info = NewInfo();
            string address = new string('a', 120) + "@example.com";
            info.To = new[] { address };
            byte[] bytes = Compose(info, new byte[10]);
            string[] lines = Lines(bytes);
            Assert.Contains(lines, l => l.Length > 78);
            Assert.All(lines, l => Assert.True(l.Length <= 998));
            Assert.Equal(address, Parse(bytes).To.Mailboxes.Single().Address);

            info.To = new[] { new string('a', 1000) + "@example.com" };
            Assert.Throws<ArgumentException>(() => new MessageComposer(info, new MemoryDocument(new byte[1]), false));
        }

        [Fact]
        public void RoundTripsHeadersAndNonAsciiTextThroughMimeKit()
        {
            MessageInfo info = NewInfo();
            info.FromName = "Scanner B\u00fcro \u65e5\u672c";
            info.Subject = LongUnicodeSubject;
            info.BodyText = "Gr\u00fc\u00dfe aus dem B\u00fcro \u2013 \u65e5\u672c\u8a9e\r\n\r\nZeile drei \U0001F600";
            info.AttachmentName = "Scan B\u00fcro \u65e5\u672c\u8a9e.pdf";
            byte[] document = RandomBytes(3000, 7);
            byte[] bytes = Compose(info, document);

            MimeMessage message = Parse(bytes);
            MailboxAddress from = message.From.Mailboxes.Single();
            Assert.Equal("scanner@example.com", from.Address);
            Assert.Equal(info.FromName, from.Name);
            Assert.Equal(info.To, message.To.Mailboxes.Select(m => m.Address).ToArray());
            Assert.Equal(info.Subject, message.Subject);
            Assert.Equal("20261129130509.ABCDEF@example.com", message.MessageId);
            Assert.Equal(new DateTimeOffset(2026, 11, 29, 13, 5, 9, TimeSpan.Zero), message.Date);

            TextPart text = message.BodyParts.OfType<TextPart>().Single(p => !p.IsAttachment);
            Assert.Equal(ContentEncoding.Base64, text.ContentTransferEncoding);
            Assert.Equal("utf-8", text.ContentType.Charset);
            Assert.Equal(info.BodyText, DecodedText(message));

            MimePart attachment = message.Attachments.OfType<MimePart>().Single();
            Assert.Equal(info.AttachmentName, attachment.FileName);
            Assert.Equal(info.AttachmentName, attachment.ContentType.Name);
            Assert.Equal("application/pdf", attachment.ContentType.MimeType);
            MemoryStream decoded = new MemoryStream();
            attachment.Content.DecodeTo(decoded);
            Assert.Equal(document, decoded.ToArray());

            string raw = Encoding.ASCII.GetString(bytes);
            Assert.Contains("filename*=utf-8''", raw);
            Assert.All(Lines(bytes), l => Assert.True(l.Length <= 78, "too long: " + l));
            Assert.DoesNotContain(bytes, b => b >= 0x80);
        }

        [Fact]
        public void SubjectEncodedWordsAreShortAndHoldWholeCharacters()
        {
            MessageInfo info = NewInfo();
            info.Subject = LongUnicodeSubject + " " + LongUnicodeSubject;
            byte[] bytes = Compose(info, new byte[0]);
            string block = HeaderBlock(bytes, "Subject");

            string[] physical = block.Split("\r\n");
            Assert.True(physical.Length >= 3, "expected several folded lines");
            Assert.All(physical.Skip(1), l => Assert.StartsWith(" =?UTF-8?B?", l));

            MatchCollection words = Regex.Matches(block, @"=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=");
            Assert.True(words.Count >= 4);
            Assert.Equal(block.Length - "Subject:".Length, words.Sum(w => w.Length) + words.Count + 2 * (physical.Length - 1));

            UTF8Encoding strict = new UTF8Encoding(false, true);
            StringBuilder joined = new StringBuilder();
            foreach (Match word in words)
            {
                Assert.True(word.Length <= 75, "encoded-word of " + word.Length);
                joined.Append(strict.GetString(Convert.FromBase64String(word.Groups[1].Value)));
            }

            Assert.Equal(info.Subject, joined.ToString());
            Assert.Equal(info.Subject, Parse(bytes).Subject);
        }

        [Fact]
        public void AsciiSubjectStaysReadableAndFolds()
        {
            MessageInfo info = NewInfo();
            info.Subject = "Scan from the printer in room 4.12 with a rather long subject line that must fold somewhere";
            byte[] bytes = Compose(info, new byte[1]);
            string block = HeaderBlock(bytes, "Subject");
            Assert.DoesNotContain("=?", block);
            Assert.Contains("\r\n ", block);
            Assert.Equal(info.Subject, block.Substring("Subject: ".Length).Replace("\r\n", string.Empty));
            Assert.Equal(info.Subject, Parse(bytes).Subject);
        }

        [Theory]
        [InlineData("")]
        [InlineData("a  b   c")]
        [InlineData("looks =?like?= an encoded word")]
        [InlineData("tab\tinside")]
        public void UnusualSubjectsRoundTrip(string subject)
        {
            MessageInfo info = NewInfo();
            info.Subject = subject;
            Assert.Equal(subject, Parse(Compose(info, new byte[1])).Subject ?? string.Empty);
        }

        [Fact]
        public void AsciiBodyIsSevenBitWithCrlfLines()
        {
            MessageInfo info = NewInfo();
            info.BodyText = "line one\nline two\rline three\r\n";
            byte[] bytes = Compose(info, new byte[100]);
            MimeMessage message = Parse(bytes);
            TextPart text = message.BodyParts.OfType<TextPart>().Single();
            Assert.Equal(ContentEncoding.SevenBit, text.ContentTransferEncoding);
            Assert.Equal("line one\r\nline two\r\nline three\r\n", DecodedText(message));
            Assert.Contains("\r\nline one\r\nline two\r\nline three\r\n\r\n--", Encoding.ASCII.GetString(bytes));
        }

        [Fact]
        public void EmptyBodyAndEmptyDocumentParse()
        {
            MessageInfo info = NewInfo();
            info.BodyText = null;
            info.FromName = null;
            byte[] bytes = Compose(info, new byte[0]);
            MimeMessage message = Parse(bytes);
            Assert.Equal(string.Empty, message.From.Mailboxes.Single().Name ?? string.Empty);
            Assert.Equal(string.Empty, DecodedText(message));
            MemoryStream decoded = new MemoryStream();
            message.Attachments.OfType<MimePart>().Single().Content.DecodeTo(decoded);
            Assert.Equal(0, decoded.Length);
        }

        [Fact]
        public void IfaxUsesRfc3965SimpleModeContentType()
        {
            MessageInfo info = NewInfo();
            info.AttachmentName = "fax.tif";
            info.AttachmentType = "application/pdf";
            byte[] bytes = Compose(info, RandomBytes(4000, 8), ifax: true);
            MimePart attachment = Parse(bytes).Attachments.OfType<MimePart>().Single();
            Assert.Equal("image/tiff", attachment.ContentType.MimeType);
            Assert.Equal("faxbw", attachment.ContentType.Parameters["application"]);
            Assert.Equal("fax.tif", attachment.ContentType.Name);
            Assert.Contains("Content-Type: image/tiff; application=faxbw;", Encoding.ASCII.GetString(bytes));
        }

        [Fact]
        public void MissingAttachmentTypeComesFromTheFileName()
        {
            MessageInfo info = NewInfo();
            info.AttachmentName = "photo.JPEG";
            info.AttachmentType = null;
            MimePart attachment = Parse(Compose(info, new byte[3])).Attachments.OfType<MimePart>().Single();
            Assert.Equal("image/jpeg", attachment.ContentType.MimeType);
        }

        [Fact]
        public void DateHeaderMatchesRfc1123OnRandomDates()
        {
            Random random = new Random(9);
            for (int i = 0; i < 50; i++)
            {
                DateTime date = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(random.Next(int.MaxValue));
                MessageInfo info = NewInfo();
                info.Date = date;
                string expected = "Date: " + date.ToString("r").Replace(" GMT", " +0000");
                Assert.Contains(expected, Lines(Compose(info, new byte[0])));
            }

            MessageInfo fixedInfo = NewInfo();
            Assert.Contains("Date: Sun, 29 Nov 2026 13:05:09 +0000", Lines(Compose(fixedInfo, new byte[0])));
        }

        [Fact]
        public void HeaderOrderAndMultipartStructure()
        {
            string[] lines = Lines(Compose(NewInfo(), new byte[0]));
            string[] names = lines.TakeWhile(l => l.Length > 0).Where(l => !l.StartsWith(' ')).Select(l => l.Substring(0, l.IndexOf(':'))).ToArray();
            Assert.Equal(new[] { "From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type" }, names);
            Assert.Contains("From: \"Office Scanner\" <scanner@example.com>", lines);
            Assert.Contains("To: alice@example.com, bob@example.org", lines);
            Assert.Contains("MIME-Version: 1.0", lines);
            Assert.Contains("Message-ID: <20261129130509.ABCDEF@example.com>", lines);
            Assert.Contains("Content-Disposition: attachment; filename=\"scan0001.pdf\"", lines);
            Assert.DoesNotContain(lines, l => l.StartsWith('.'));
        }

        [Fact]
        public void QuotesSpecialsInAsciiDisplayName()
        {
            MessageInfo info = NewInfo();
            info.FromName = "Scan \"Team\" \\ Floor 3, West";
            byte[] bytes = Compose(info, new byte[0]);
            Assert.Contains("From: \"Scan \\\"Team\\\" \\\\ Floor 3, West\" <scanner@example.com>", Lines(bytes));
            Assert.Equal(info.FromName, Parse(bytes).From.Mailboxes.Single().Name);
        }

        [Fact]
        public void ReadRejectsRoomBelowMaxLineLength()
        {
            MessageComposer composer = new MessageComposer(NewInfo(), new MemoryDocument(new byte[10]), false);
            Assert.Throws<ArgumentOutOfRangeException>(() => composer.Read(new byte[2000], 0, MessageComposer.MaxLineLength - 1));
            Assert.Throws<ArgumentOutOfRangeException>(() => composer.Read(new byte[1500], 600, 1000));
        }

        [Fact]
        public void ShortDocumentIsReportedInsteadOfCorruptingTheMessage()
        {
            MemoryDocument source = new MemoryDocument(new byte[1000], claimedLength: 5000);
            MessageComposer composer = new MessageComposer(NewInfo(), source, false);
            Assert.Throws<InvalidOperationException>(() => Drain(composer, 4096));
        }

        [Fact]
        public void ReadsNoMoreThanTheStatedLength()
        {
            byte[] data = RandomBytes(3000, 10);
            MemoryDocument source = new MemoryDocument(data, claimedLength: 2000);
            MessageComposer composer = new MessageComposer(NewInfo(), source, false);
            byte[] bytes = Drain(composer, 4096);
            Assert.Equal(composer.Length, bytes.LongLength);
            MemoryStream decoded = new MemoryStream();
            Parse(bytes).Attachments.OfType<MimePart>().Single().Content.DecodeTo(decoded);
            Assert.Equal(data.Take(2000).ToArray(), decoded.ToArray());
        }

        [Theory]
        [InlineData("FromAddress", "bad address@example.com")]
        [InlineData("FromAddress", "x@example.com\r\nBcc: y@example.com")]
        [InlineData("To", "a@example.com\r\n")]
        [InlineData("To", null)]
        [InlineData("MessageId", "<id@example.com>")]
        [InlineData("Boundary", "has space")]
        [InlineData("Boundary", "")]
        [InlineData("AttachmentName", "")]
        [InlineData("AttachmentType", "pdf")]
        [InlineData("AttachmentType", "application/pdf\r\nX: y")]
        public void RejectsInvalidInfo(string field, string value)
        {
            MessageInfo info = NewInfo();
            switch (field)
            {
                case "FromAddress":
                    info.FromAddress = value;
                    break;
                case "To":
                    info.To = value == null ? new string[0] : new[] { value };
                    break;
                case "MessageId":
                    info.MessageId = value;
                    break;
                case "Boundary":
                    info.Boundary = value;
                    break;
                case "AttachmentName":
                    info.AttachmentName = value;
                    break;
                default:
                    info.AttachmentType = value;
                    break;
            }

            Assert.Throws<ArgumentException>(() => new MessageComposer(info, new MemoryDocument(new byte[1]), false));
        }
    }
}
