using System;
using System.IO;
using System.Linq;
using System.Text;
using MimeKit;
using NetBoard.Firmware.Mime;

using NetBoard.Firmware.Tests.Doubles;

namespace NetBoard.Firmware.Tests.Mime
{
    public class IncomingMessageReaderTests
    {
        private const string Prefix = "rx/7-";

        /// <summary>One byte per read, an odd small size, and reads far larger than the reader's chunk.</summary>
        public static readonly TheoryData<int> ReadSizes = new TheoryData<int> { 1, 7, 100000 };

        private static byte[] RandomBytes(int length, int seed)
        {
            byte[] data = new byte[length];
            new Random(seed).NextBytes(data);
            return data;
        }

        private static byte[] Tiff(int length, int seed)
        {
            byte[] data = RandomBytes(length, seed);
            data[0] = (byte)'I';
            data[1] = (byte)'I';
            data[2] = 42;
            data[3] = 0;
            return data;
        }

        /// <summary>A PDF-like text in canonical form (CRLF lines) with everything quoted-printable has to escape.</summary>
        private static byte[] QuotedPrintableFriendlyPdf(int seed)
        {
            Random random = new Random(seed);
            MemoryStream data = new MemoryStream();
            void Add(string s) => data.Write(Encoding.Latin1.GetBytes(s));
            Add("%PDF-1.4\r\n%\u00e2\u00e3\u00cf\u00d3\r\n");
            for (int line = 0; line < 120; line++)
            {
                int length = random.Next(0, 300);
                for (int i = 0; i < length; i++)
                {
                    int kind = random.Next(10);
                    byte b = kind switch
                    {
                        0 => (byte)'=',
                        1 => (byte)' ',
                        2 => (byte)'\t',
                        3 => (byte)random.Next(0x80, 0x100),
                        4 => (byte)'.',
                        _ => (byte)random.Next(0x21, 0x7F),
                    };
                    data.WriteByte(b);
                }

                // Trailing whitespace must survive: encoders protect it, the decoder drops only the unprotected kind.
                if (line % 7 == 0)
                {
                    Add("  \t");
                }

                Add("\r\n");
            }

            Add("%%EOF");
            return data.ToArray();
        }

        private static MimePart Attachment(string mediaType, byte[] data, string fileName, ContentEncoding encoding)
        {
            string[] type = mediaType.Split('/');
            MimePart part = new MimePart(type[0], type[1])
            {
                Content = new MimeContent(new MemoryStream(data)),
                ContentTransferEncoding = encoding,
                ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
            };
            if (fileName != null)
            {
                part.FileName = fileName;
            }

            return part;
        }

        private static TextPart Text(string subtype, string text)
        {
            return new TextPart(subtype) { Text = text };
        }

        private static MimeMessage NewMessage(MimeEntity body, string subject = "Fax from the branch office")
        {
            MimeMessage message = new MimeMessage();
            message.From.Add(new MailboxAddress("Branch Office", "fax@example.com"));
            message.To.Add(new MailboxAddress("Printer", "printer@example.net"));
            message.Subject = subject;
            message.Date = new DateTimeOffset(2026, 5, 4, 10, 0, 0, TimeSpan.Zero);
            message.Body = body;
            return message;
        }

        private static byte[] Serialize(MimeMessage message)
        {
            FormatOptions options = FormatOptions.Default.Clone();
            options.NewLineFormat = NewLineFormat.Dos;
            using MemoryStream stream = new MemoryStream();
            message.WriteTo(options, stream);
            return stream.ToArray();
        }

        private static byte[] Bytes(string latin1)
        {
            return Encoding.Latin1.GetBytes(latin1);
        }

        private static IncomingMessageResult Extract(byte[] message, MemoryStorage storage, int maxReadBytes = int.MaxValue)
        {
            MemoryDocument source = new MemoryDocument(message, maxReadBytes);
            IncomingMessageResult result = IncomingMessageReader.Extract(source, storage, Prefix);
            Assert.False(source.Disposed);
            Assert.Equal(0, storage.OpenWriters);
            Assert.NotNull(result.Parts);
            Assert.NotNull(result.SkippedTypes);

            // Exactly the reported parts are in storage, each as long as reported.
            Assert.Equal(result.Parts.Select(p => p.StorageName).OrderBy(n => n, StringComparer.Ordinal), storage.Files.Keys.OrderBy(n => n, StringComparer.Ordinal));
            foreach (ReceivedPart part in result.Parts)
            {
                Assert.Equal(part.Length, storage.Files[part.StorageName].LongLength);
            }

            return result;
        }

        private static void AssertStored(MemoryStorage storage, ReceivedPart part, byte[] expected)
        {
            Assert.True(expected.AsSpan().SequenceEqual(storage.Files[part.StorageName]), part.StorageName + " differs from the attachment");
        }

        [Theory]
        [MemberData(nameof(ReadSizes))]
        public void MixedTextAndBase64TiffGivesTheTiff(int readSize)
        {
            byte[] tiff = Tiff(20000, 1);
            Multipart mixed = new Multipart("mixed")
            {
                Text("plain", "Please print the attached fax.\r\n"),
                Attachment("image/tiff", tiff, "fax0001.tif", ContentEncoding.Base64),
            };
            byte[] message = Serialize(NewMessage(mixed));

            MemoryStorage storage = new MemoryStorage();
            IncomingMessageResult result = Extract(message, storage, readSize);

            Assert.True(result.Ok, result.Error);
            Assert.Equal(IncomingMessageStatus.Ok, result.Status);
            Assert.Null(result.Error);
            Assert.Equal("Fax from the branch office", result.Subject);
            Assert.Equal("Branch Office <fax@example.com>", result.From);
            ReceivedPart part = Assert.Single(result.Parts);
            Assert.Equal(Prefix + "1.tif", part.StorageName);
            Assert.Equal("image/tiff", part.ContentType);
            Assert.Equal("fax0001.tif", part.FileName);
            Assert.Equal(tiff.Length, part.Length);
            AssertStored(storage, part, tiff);
            Assert.Equal(new[] { "text/plain" }, result.SkippedTypes);
            Assert.Empty(storage.Deleted);
        }

        [Theory]
        [MemberData(nameof(ReadSizes))]
        public void QuotedPrintablePdfIsDecodedByteForByte(int readSize)
        {
            byte[] pdf = QuotedPrintableFriendlyPdf(2);
            Multipart mixed = new Multipart("mixed")
            {
                Text("plain", "Invoice attached."),
                Attachment("application/pdf", pdf, "invoice.pdf", ContentEncoding.QuotedPrintable),
            };
            byte[] message = Serialize(NewMessage(mixed));

            // The encoded form really uses soft breaks, escapes and protected trailing whitespace.
            string encoded = Encoding.Latin1.GetString(message);
            Assert.Contains("=\r\n", encoded);
            Assert.Contains("=3D", encoded);
            Assert.Matches("=(20|09)\r\n", encoded);

            MemoryStorage storage = new MemoryStorage();
            IncomingMessageResult result = Extract(message, storage, readSize);

            Assert.True(result.Ok, result.Error);
            ReceivedPart part = Assert.Single(result.Parts);
            Assert.Equal(Prefix + "1.pdf", part.StorageName);
            Assert.Equal("application/pdf", part.ContentType);
            AssertStored(storage, part, pdf);
        }

        [Theory]
        [MemberData(nameof(ReadSizes))]
        public void NestedMultipartsGiveEveryPrintablePartInOrder(int readSize)
        {
            byte[] tiff = Tiff(5000, 3);
            byte[] pdf = RandomBytes(3000, 4);
            byte[] jpeg = RandomBytes(4000, 5);
            Multipart inner = new Multipart("mixed")
            {
                Text("html", "<p>see attachments</p>"),
                Attachment("image/tiff", tiff, "page1.tif", ContentEncoding.Base64),
                Attachment("application/pdf", pdf, "page2.pdf", ContentEncoding.Base64),
            };
            Multipart alternative = new Multipart("alternative")
            {
                Text("plain", "see attachments"),
                inner,
            };
            Multipart outer = new Multipart("mixed")
            {
                alternative,
                Attachment("image/jpeg", jpeg, "photo.jpg", ContentEncoding.Base64),
            };
            byte[] message = Serialize(NewMessage(outer));

            MemoryStorage storage = new MemoryStorage();
            IncomingMessageResult result = Extract(message, storage, readSize);

            Assert.True(result.Ok, result.Error);
            Assert.Equal(3, result.Parts.Length);
            Assert.Equal(new[] { Prefix + "1.tif", Prefix + "2.pdf", Prefix + "3.jpg" }, result.Parts.Select(p => p.StorageName));
            Assert.Equal(new[] { "image/tiff", "application/pdf", "image/jpeg" }, result.Parts.Select(p => p.ContentType));
            AssertStored(storage, result.Parts[0], tiff);
            AssertStored(storage, result.Parts[1], pdf);
            AssertStored(storage, result.Parts[2], jpeg);
            Assert.Equal(new[] { "text/plain", "text/html" }, result.SkippedTypes);
        }

        [Theory]
        [MemberData(nameof(ReadSizes))]
        public void SinglePartTiffMessageGivesTheTiff(int readSize)
        {
            byte[] tiff = Tiff(7777, 6);
            MimePart body = Attachment("image/tiff", tiff, null, ContentEncoding.Base64);
            body.ContentType.Parameters.Add("application", "faxbw");
            byte[] message = Serialize(NewMessage(body));

            MemoryStorage storage = new MemoryStorage();
            IncomingMessageResult result = Extract(message, storage, readSize);

            Assert.True(result.Ok, result.Error);
            ReceivedPart part = Assert.Single(result.Parts);
            Assert.Null(part.FileName);
            AssertStored(storage, part, tiff);
            Assert.Empty(result.SkippedTypes);
        }

        [Theory]
        [InlineData("scan.tif", "image/tiff", ".tif")]
        [InlineData("SCAN.TIFF", "image/tiff", ".tif")]
        [InlineData("scan.pdf", "application/pdf", ".pdf")]
        [InlineData("scan.jpg", "image/jpeg", ".jpg")]
        public void OctetStreamIsPrintedByItsFileName(string fileName, string expectedType, string extension)
        {
            byte[] data = RandomBytes(2048, 7);
            Multipart mixed = new Multipart("mixed")
            {
                Attachment("application/octet-stream", data, fileName, ContentEncoding.Base64),
                Attachment("application/octet-stream", RandomBytes(100, 8), "notes.doc", ContentEncoding.Base64),
            };

            MemoryStorage storage = new MemoryStorage();
            IncomingMessageResult result = Extract(Serialize(NewMessage(mixed)), storage);

            Assert.True(result.Ok, result.Error);
            ReceivedPart part = Assert.Single(result.Parts);
            Assert.Equal(expectedType, part.ContentType);
            Assert.Equal(Prefix + "1" + extension, part.StorageName);
            Assert.Equal(fileName, part.FileName);
            AssertStored(storage, part, data);
            Assert.Equal(new[] { "application/octet-stream" }, result.SkippedTypes);
        }

        [Fact]
        public void Rfc2047SubjectAndFromAreDecoded()
        {
            const string subject = "Faxbericht f\u00fcr B\u00fcro \u2013 \u65e5\u672c\u8a9e \u00c4nderungen der Bestellung f\u00fcr das zweite Quartal \U0001F4C4";
            MimeMessage mime = NewMessage(Attachment("application/pdf", RandomBytes(10, 9), "a.pdf", ContentEncoding.Base64), subject);
            mime.From.Clear();
            mime.From.Add(new MailboxAddress("J\u00f6rg M\u00fcller", "joerg@example.com"));
            byte[] message = Serialize(mime);
            Assert.Contains("=?utf-8?", Encoding.Latin1.GetString(message), StringComparison.OrdinalIgnoreCase);

            IncomingMessageResult result = Extract(message, new MemoryStorage(), 7);

            Assert.True(result.Ok, result.Error);
            Assert.Equal(subject, result.Subject);
            Assert.Equal("J\u00f6rg M\u00fcller <joerg@example.com>", result.From);
        }

        [Fact]
        public void Iso88591QWordsAndMixedCharsetsAreDecoded()
        {
            string utf8Word = "=?utf-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes(" \u2013 B\u00fcro")) + "?=";
            string text =
                "From: =?ISO-8859-1?Q?J=F6rg_M=FCller?= <joerg@example.com>\r\n" +
                "Subject: =?iso-8859-1?q?Fax_f=FCr?=\r\n " + utf8Word + " (5 Seiten)\r\n" +
                "Content-Type: image/tiff\r\n" +
                "Content-Transfer-Encoding: base64\r\n" +
                "\r\n" +
                "SUkqAA==\r\n";

            MemoryStorage storage = new MemoryStorage();
            IncomingMessageResult result = Extract(Bytes(text), storage);

            Assert.True(result.Ok, result.Error);
            Assert.Equal("Fax f\u00fcr \u2013 B\u00fcro (5 Seiten)", result.Subject);
            Assert.Equal("J\u00f6rg M\u00fcller <joerg@example.com>", result.From);
            AssertStored(storage, Assert.Single(result.Parts), new byte[] { (byte)'I', (byte)'I', 42, 0 });
        }

        [Theory]
        [InlineData(ParameterEncodingMethod.Rfc2231)]
        [InlineData(ParameterEncodingMethod.Rfc2047)]
        public void EncodedFileNamesAreDecoded(ParameterEncodingMethod method)
        {
            const string fileName = "Rechnung M\u00e4rz 2026 \u2013 sehr langer Dateiname mit Umlauten \u00e4\u00f6\u00fc\u00df und noch mehr Text, damit er umbricht.pdf";
            byte[] pdf = RandomBytes(500, 10);
            MimePart attachment = Attachment("application/pdf", pdf, fileName, ContentEncoding.Base64);
            attachment.ContentDisposition.Parameters.First(p => p.Name == "filename").EncodingMethod = method;
            attachment.ContentType.Parameters.First(p => p.Name == "name").EncodingMethod = method;
            Multipart mixed = new Multipart("mixed")
            {
                Text("plain", "x"),
                attachment,
            };
            byte[] message = Serialize(NewMessage(mixed));
            string encoded = Encoding.Latin1.GetString(message);
            Assert.Contains(method == ParameterEncodingMethod.Rfc2231 ? "filename*0*=utf-8''" : "filename=\"=?utf-8?", encoded, StringComparison.OrdinalIgnoreCase);

            MemoryStorage storage = new MemoryStorage();
            IncomingMessageResult result = Extract(message, storage, 7);

            Assert.True(result.Ok, result.Error);
            ReceivedPart part = Assert.Single(result.Parts);
            Assert.Equal(fileName, part.FileName);
            AssertStored(storage, part, pdf);
        }

        [Fact]
        public void Rfc2231SectionsInLatin1AndOutOfOrderAreJoined()
        {
            string text =
                "Content-Type: multipart/mixed; boundary=\"b 1\"\r\n" +
                "\r\n" +
                "--b 1\r\n" +
                "Content-Type: application/octet-stream\r\n" +
                "Content-Disposition: attachment;\r\n" +
                " filename*1=\" Bericht\";\r\n" +
                " filename*0*=iso-8859-1'de'M%E4rz;\r\n" +
                " filename*2*=%2Epdf\r\n" +
                "Content-Transfer-Encoding: 7bit\r\n" +
                "\r\n" +
                "%PDF-1.0\r\n" +
                "--b 1--\r\n";

            MemoryStorage storage = new MemoryStorage();
            IncomingMessageResult result = Extract(Bytes(text), storage);

            Assert.True(result.Ok, result.Error);
            ReceivedPart part = Assert.Single(result.Parts);
            Assert.Equal("M\u00e4rz Bericht.pdf", part.FileName);
            Assert.Equal("application/pdf", part.ContentType);
            AssertStored(storage, part, Bytes("%PDF-1.0"));
        }

        [Fact]
        public void MessageWithoutPrintablePartIsReportedWithItsTypes()
        {
            Multipart alternative = new Multipart("alternative")
            {
                Text("plain", "Hello"),
                Text("html", "<p>Hello</p>"),
            };
            Multipart mixed = new Multipart("mixed")
            {
                alternative,
                Attachment("application/zip", RandomBytes(300, 11), "files.zip", ContentEncoding.Base64),
                Attachment("application/octet-stream", RandomBytes(300, 12), "data.bin", ContentEncoding.Base64),
                Text("plain", "Signature"),
            };

            MemoryStorage storage = new MemoryStorage();
            IncomingMessageResult result = Extract(Serialize(NewMessage(mixed)), storage);

            Assert.False(result.Ok);
            Assert.Equal(IncomingMessageStatus.NoPrintablePart, result.Status);
            Assert.Empty(result.Parts);
            Assert.Equal(new[] { "text/plain", "text/html", "application/zip", "application/octet-stream" }, result.SkippedTypes);
            Assert.Equal("no printable part (saw text/plain, text/html, application/zip, application/octet-stream)", result.Error);
            Assert.Empty(storage.Created);
        }

        [Theory]
        [MemberData(nameof(ReadSizes))]
        public void TruncatedMessageKeepsFinishedPartsAndDeletesThePartialOne(int readSize)
        {
            byte[] pdf = QuotedPrintableFriendlyPdf(13);
            byte[] tiff = Tiff(30000, 14);
            Multipart mixed = new Multipart("mixed")
            {
                Attachment("application/pdf", pdf, "first.pdf", ContentEncoding.QuotedPrintable),
                Attachment("image/tiff", tiff, "second.tif", ContentEncoding.Base64),
            };
            byte[] message = Serialize(NewMessage(mixed));
            int tiffHeader = Encoding.Latin1.GetString(message).IndexOf("Content-Type: image/tiff", StringComparison.Ordinal);
            Assert.True(tiffHeader > 0);
            byte[] truncated = message.AsSpan(0, tiffHeader + 10000).ToArray();

            MemoryStorage storage = new MemoryStorage();
            IncomingMessageResult result = Extract(truncated, storage, readSize);

            Assert.Equal(IncomingMessageStatus.Malformed, result.Status);
            Assert.False(result.Ok);
            Assert.Contains("second.tif", result.Error);
            Assert.Contains("missing closing boundary", result.Error);
            ReceivedPart part = Assert.Single(result.Parts);
            AssertStored(storage, part, pdf);
            Assert.Equal(new[] { Prefix + "1.pdf", Prefix + "2.tif" }, storage.Created);
            Assert.Equal(new[] { Prefix + "2.tif" }, storage.Deleted);
        }

        [Fact]
        public void MissingCloseDelimiterAfterACompletePartStillLosesThatPart()
        {
            // Without the close delimiter nothing shows that the last part's data is all there.
            string text =
                "Content-Type: multipart/mixed; boundary=XYZ\r\n" +
                "\r\n" +
                "--XYZ\r\n" +
                "Content-Type: image/tiff\r\n" +
                "Content-Transfer-Encoding: base64\r\n" +
                "\r\n" +
                "SUkqAA==\r\n";

            MemoryStorage storage = new MemoryStorage();
            IncomingMessageResult result = Extract(Bytes(text), storage);

            Assert.Equal(IncomingMessageStatus.Malformed, result.Status);
            Assert.Empty(result.Parts);
            Assert.Equal(new[] { Prefix + "1.tif" }, storage.Deleted);
        }

        [Theory]
        [InlineData('!')]
        [InlineData('=')]
        [InlineData('-')]
        public void BadBase64DeletesThatPartAndGoesOnWithTheNext(char bad)
        {
            byte[] tiff = Tiff(6000, 15);
            byte[] pdf = RandomBytes(2000, 16);
            Multipart mixed = new Multipart("mixed")
            {
                Attachment("image/tiff", tiff, "broken.tif", ContentEncoding.Base64),
                Attachment("application/pdf", pdf, "good.pdf", ContentEncoding.Base64),
            };
            byte[] message = Serialize(NewMessage(mixed));
            string text = Encoding.Latin1.GetString(message);
            int body = text.IndexOf("\r\n\r\n", text.IndexOf("broken.tif", StringComparison.Ordinal), StringComparison.Ordinal) + 4;
            message[body + 1000] = (byte)bad;

            MemoryStorage storage = new MemoryStorage();
            IncomingMessageResult result = Extract(message, storage, 7);

            Assert.Equal(IncomingMessageStatus.Malformed, result.Status);
            Assert.Equal("bad base64 in \"broken.tif\"", result.Error);
            ReceivedPart part = Assert.Single(result.Parts);
            Assert.Equal("good.pdf", part.FileName);
            AssertStored(storage, part, pdf);
            Assert.Equal(new[] { Prefix + "1.tif" }, storage.Deleted);
        }

        [Fact]
        public void Base64EndingInsideAGroupIsBad()
        {
            string text =
                "Content-Type: multipart/mixed; boundary=XYZ\r\n" +
                "\r\n" +
                "--XYZ\r\n" +
                "Content-Type: image/tiff\r\n" +
                "Content-Transfer-Encoding: base64\r\n" +
                "\r\n" +
                "SUkqAAAA\r\n" +
                "SUk\r\n" +
                "--XYZ--\r\n";

            MemoryStorage storage = new MemoryStorage();
            IncomingMessageResult result = Extract(Bytes(text), storage);

            Assert.Equal(IncomingMessageStatus.Malformed, result.Status);
            Assert.StartsWith("bad base64", result.Error);
            Assert.Empty(result.Parts);
            Assert.Equal(new[] { Prefix + "1.tif" }, storage.Deleted);
        }

        [Theory]
        [MemberData(nameof(ReadSizes))]
        public void BoundariesNeedALineStartAndAllowTransportPadding(int readSize)
        {
            // The CRLF before a delimiter belongs to it; "--XYZ" inside a line or followed by text is content.
            string text =
                "From: a@example.com\r\n" +
                "Content-Type: multipart/mixed;\r\n" +
                "\tboundary=\"XYZ\"\r\n" +
                "\r\n" +
                "Preamble --XYZ\r\n" +
                "--XYZ is not here\r\n" +
                "--XYZ \t\r\n" +
                "content-type: APPLICATION/PDF\r\n" +
                "CONTENT-TRANSFER-ENCODING: Binary\r\n" +
                "\r\n" +
                "line one\r\n" +
                "--XYZ-not-a-delimiter\r\n" +
                "bare lf\n" +
                "\r\n" +
                "--XYZ\r\n" +
                "Content-Type: image/jpeg\r\n" +
                "\r\n" +
                "jpeg\n" +
                "--XYZ--  \r\n" +
                "Epilogue\r\n" +
                "--XYZ\r\n";

            MemoryStorage storage = new MemoryStorage();
            IncomingMessageResult result = Extract(Bytes(text), storage, readSize);

            Assert.True(result.Ok, result.Error);
            Assert.Equal(2, result.Parts.Length);
            AssertStored(storage, result.Parts[0], Bytes("line one\r\n--XYZ-not-a-delimiter\r\nbare lf\n"));
            AssertStored(storage, result.Parts[1], Bytes("jpeg"));
        }

        [Theory]
        [InlineData(1)]
        [InlineData(7)]
        [InlineData(IncomingMessageReader.LineBytes - 1)]
        [InlineData(IncomingMessageReader.LineBytes)]
        [InlineData(IncomingMessageReader.LineBytes + 1)]
        [InlineData((3 * IncomingMessageReader.LineBytes) + 5)]
        public void LinesLongerThanTheLineBufferArePassedInPieces(int lineLength)
        {
            // Binary data with lines of every length around the buffer size, CRLFs split at the buffer edge included.
            byte[] line = RandomBytes(lineLength, lineLength);
            for (int i = 0; i < line.Length; i++)
            {
                if (line[i] == '\r' || line[i] == '\n')
                {
                    line[i] = (byte)'x';
                }
            }

            line[^1] = (byte)'\r';
            MemoryStream data = new MemoryStream();
            for (int i = 0; i < 3; i++)
            {
                data.Write(line);
                data.WriteByte((byte)'\n');
            }

            data.Write(line.AsSpan(0, line.Length - 1));
            byte[] content = data.ToArray();
            MemoryStream message = new MemoryStream();
            message.Write(Bytes("Content-Type: multipart/mixed; boundary=XYZ\r\n\r\n--XYZ\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: binary\r\n\r\n"));
            message.Write(content);
            message.Write(Bytes("\r\n--XYZ--\r\n"));

            MemoryStorage storage = new MemoryStorage();
            IncomingMessageResult result = Extract(message.ToArray(), storage, 7);

            Assert.True(result.Ok, result.Error);
            AssertStored(storage, Assert.Single(result.Parts), content);
        }

        [Fact]
        public void ForwardedMessageInsideAMessageIsFollowed()
        {
            byte[] tiff = Tiff(3000, 17);
            MimeMessage forwarded = NewMessage(new Multipart("mixed")
            {
                Text("plain", "original"),
                Attachment("image/tiff", tiff, "orig.tif", ContentEncoding.Base64),
            }, "Original fax");
            Multipart mixed = new Multipart("mixed")
            {
                Text("plain", "FYI"),
                new MessagePart { Message = forwarded },
            };

            MemoryStorage storage = new MemoryStorage();
            IncomingMessageResult result = Extract(Serialize(NewMessage(mixed, "Fwd: Original fax")), storage);

            Assert.True(result.Ok, result.Error);
            Assert.Equal("Fwd: Original fax", result.Subject);
            AssertStored(storage, Assert.Single(result.Parts), tiff);
        }

        [Fact]
        public void NestingDeeperThanTheLimitIsReportedNotFollowed()
        {
            MimeEntity entity = Attachment("image/tiff", Tiff(100, 18), "deep.tif", ContentEncoding.Base64);
            for (int i = 0; i <= IncomingMessageReader.MaxNestingDepth; i++)
            {
                entity = new Multipart("mixed") { entity };
            }

            MemoryStorage storage = new MemoryStorage();
            IncomingMessageResult result = Extract(Serialize(NewMessage(entity)), storage);

            Assert.Equal(IncomingMessageStatus.Malformed, result.Status);
            Assert.Contains("nested deeper than 8", result.Error);
            Assert.Empty(result.Parts);
            Assert.Equal(new[] { "multipart/mixed" }, result.SkippedTypes);
        }

        [Fact]
        public void NestingUpToTheLimitIsFollowed()
        {
            byte[] tiff = Tiff(100, 19);
            MimeEntity entity = Attachment("image/tiff", tiff, "deep.tif", ContentEncoding.Base64);
            for (int i = 0; i < IncomingMessageReader.MaxNestingDepth; i++)
            {
                entity = i == 0 ? new Multipart("mixed") { entity } : new Multipart("mixed") { Text("plain", "level " + i), entity };
            }

            // The outermost multipart is level 8 when it is the message body itself.
            MemoryStorage storage = new MemoryStorage();
            IncomingMessageResult result = Extract(Serialize(NewMessage(entity)), storage, 7);

            Assert.True(result.Ok, result.Error);
            AssertStored(storage, Assert.Single(result.Parts), tiff);
        }

        [Fact]
        public void MultipartWithoutBoundaryIsMalformed()
        {
            string text = "Content-Type: multipart/mixed\r\n\r\nbody\r\n";

            IncomingMessageResult result = Extract(Bytes(text), new MemoryStorage());

            Assert.Equal(IncomingMessageStatus.Malformed, result.Status);
            Assert.Equal("multipart/mixed part without a boundary", result.Error);
        }

        [Fact]
        public void PrintableTypeInAnUnknownEncodingIsListedAsSkipped()
        {
            string text =
                "Content-Type: multipart/mixed; boundary=XYZ\r\n\r\n" +
                "--XYZ\r\nContent-Type: image/tiff\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\nbegin 644 a.tif\r\n" +
                "--XYZ--\r\n";

            MemoryStorage storage = new MemoryStorage();
            IncomingMessageResult result = Extract(Bytes(text), storage);

            Assert.Equal(IncomingMessageStatus.NoPrintablePart, result.Status);
            Assert.Equal(new[] { "image/tiff (x-uuencode)" }, result.SkippedTypes);
            Assert.Empty(storage.Created);
        }

        [Fact]
        public void StorageFailureIsAResultAndLeavesNoPartialFile()
        {
            byte[] pdf = RandomBytes(1000, 20);
            byte[] tiff = Tiff(50000, 21);
            Multipart mixed = new Multipart("mixed")
            {
                Attachment("application/pdf", pdf, "a.pdf", ContentEncoding.Base64),
                Attachment("image/tiff", tiff, "b.tif", ContentEncoding.Base64),
            };
            MemoryStorage storage = new MemoryStorage { FailAfterBytes = 20000 };

            IncomingMessageResult result = Extract(Serialize(NewMessage(mixed)), storage);

            Assert.Equal(IncomingMessageStatus.StorageError, result.Status);
            Assert.Equal("storage error: no space left", result.Error);
            AssertStored(storage, Assert.Single(result.Parts), pdf);
            Assert.Equal(new[] { Prefix + "2.tif" }, storage.Deleted);
        }

        [Fact]
        public void EmptyMessageHasNoPrintablePart()
        {
            IncomingMessageResult result = Extract(Array.Empty<byte>(), new MemoryStorage());

            Assert.Equal(IncomingMessageStatus.NoPrintablePart, result.Status);
            Assert.Equal(new[] { "text/plain" }, result.SkippedTypes);
            Assert.Equal(string.Empty, result.Subject);
            Assert.Equal(string.Empty, result.From);
        }

        [Fact]
        public void FiveMegabyteAttachmentDoesNotGrowMemory()
        {
            const int attachmentBytes = 5 * 1024 * 1024;
            const long allocationBoundBytes = 256 * 1024;
            byte[] tiff = Tiff(attachmentBytes, 22);
            Multipart mixed = new Multipart("mixed")
            {
                Text("plain", "Large fax."),
                Attachment("image/tiff", tiff, "large.tif", ContentEncoding.Base64),
            };
            byte[] message = Serialize(NewMessage(mixed));
            Assert.True(message.Length > attachmentBytes * 4L / 3);

            // A small run first, so one-time type initialisation is not counted.
            IncomingMessageReader.Extract(new MemoryDocument(Serialize(NewMessage(Attachment("image/tiff", tiff.AsSpan(0, 10).ToArray(), "s.tif", ContentEncoding.Base64)))), new IncomingCheckingStorage(tiff), "warm-");

            IncomingCheckingStorage storage = new IncomingCheckingStorage(tiff);
            MemoryDocument source = new MemoryDocument(message, 4096);
            long before = GC.GetAllocatedBytesForCurrentThread();
            IncomingMessageResult result = IncomingMessageReader.Extract(source, storage, Prefix);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.True(result.Ok, result.Error);
            Assert.Equal(1, storage.Creates);
            Assert.True(storage.Committed);
            Assert.Equal(tiff.LongLength, storage.Written);
            Assert.Equal(-1, storage.FirstMismatch);
            Assert.Equal(tiff.LongLength, Assert.Single(result.Parts).Length);
            Assert.True(allocated < allocationBoundBytes, "Extract allocated " + allocated + " bytes");
        }
    }
}
