using MimeKit;

namespace NetBoard.Integration.Tests
{
    /// <summary>What arrives in the Maildir is what was sent: headers, text and the attachment, byte for byte.</summary>
    [Collection(LabCollection.Name)]
    public sealed class MessageTests
    {
        private const string NonAsciiSubject = "Scan – Bürobedarf 日本語";
        private const string NonAsciiDeviceName = "Büro-Scanner 3F";

        private readonly LabFixture _lab;

        public MessageTests(LabFixture lab)
        {
            _lab = lab;
        }

        /// <summary>
        /// One job to a relay and a local recipient: both copies carry the same headers and the exact document, sent as
        /// BDAT chunks (Postfix announces CHUNKING and PIPELINING) or, with smtp.chunking=off, with DATA.
        /// </summary>
        [Theory]
        [InlineData(0, "auto")]
        [InlineData(1024, "auto")]
        [InlineData(1024 * 1024, "auto")]
        [InlineData(1024 * 1024, "off")]
        public void Delivered_message_equals_what_was_sent(int size, string chunking)
        {
            using Board board = new Board();
            Dictionary<string, string> settings = Board.LabSettings(_lab, _lab.AuthPort, "cram-md5");
            settings["smtp.user"] = _lab["SCAN_USER"];
            settings["smtp.password"] = _lab["SCAN_PASSWORD"];
            settings["net.local_address"] = _lab.ForeignAddress;
            settings["device.name"] = NonAsciiDeviceName;
            settings["smtp.chunking"] = chunking;
            byte[] content = Documents.Random(size);
            string document = board.WriteDocument("scan0001.pdf", content);
            string token = Documents.Token();
            string subject = NonAsciiSubject + " " + token;
            string[] to = { _lab.RelayRecipient, _lab["SCAN_USER"] };

            BoardRun run = board.Send(settings, document, subject, to, "--verbose");

            Journal.AssertSentWithAuth(run, "email", "CRAM-MD5");
            Assert.Contains(" to=" + to[0] + "," + to[1] + " ", run.Journal);
            string[] dialogue = run.Error.Split('\n');
            int chunks = dialogue.Count(l => l.StartsWith("C: BDAT ", StringComparison.Ordinal));
            Assert.Equal(chunking == "off", dialogue.Any(l => l.TrimEnd() == "C: DATA"));
            if (chunking == "auto")
            {
                // Chunks of 64 KB through the 4 KB buffer: a 1 MB document (1.4 MB in base64) in 22, the last one LAST
                // and the only one of another size.
                Assert.InRange(chunks, size * 4 / 3 / 65536 + 1, size * 3 / 2 / 65536 + 2);
                string last = Assert.Single(dialogue, l => l.StartsWith("C: BDAT ", StringComparison.Ordinal) && l.TrimEnd().EndsWith(" LAST", StringComparison.Ordinal));
                Assert.All(dialogue.Where(l => l.StartsWith("C: BDAT ", StringComparison.Ordinal) && l != last), l => Assert.Equal("C: BDAT 65536", l.TrimEnd()));
            }
            else
            {
                Assert.Equal(0, chunks);
            }
            foreach (string maildir in new[] { _lab["MAILDIR_RELAY"], _lab["MAILDIR_SCAN"] })
            {
                MimeMessage message = Maildir.WaitFor(maildir, token);
                Assert.Equal(subject, message.Subject);

                MailboxAddress from = Assert.Single(message.From.Mailboxes);
                Assert.Equal(_lab["SCAN_USER"], from.Address);
                Assert.Equal(NonAsciiDeviceName, from.Name);
                Assert.Equal(to, message.To.Mailboxes.Select(m => m.Address).ToArray());
                Assert.False(string.IsNullOrEmpty(message.MessageId), "no Message-ID");
                Assert.NotEqual(DateTimeOffset.MinValue, message.Date);

                Multipart mixed = Assert.IsType<Multipart>(message.Body);
                Assert.Equal("mixed", mixed.ContentType.MediaSubtype);
                Assert.Equal(2, mixed.Count);
                TextPart text = Assert.IsType<TextPart>(mixed[0]);
                Assert.Contains("scan0001.pdf (" + size + " bytes)", text.Text);

                MimePart attachment = Assert.IsType<MimePart>(mixed[1]);
                Assert.Equal("application/pdf", attachment.ContentType.MimeType);
                Assert.Equal("scan0001.pdf", attachment.FileName);
                Assert.Equal(ContentEncoding.Base64, attachment.ContentTransferEncoding);
                Assert.Equal(content, Mime.Decode(attachment));
            }
        }

        /// <summary>An i-FAX job (RFC 3965 simple mode) arrives as image/tiff; application=faxbw with the TIFF unchanged.</summary>
        [Fact]
        public void Ifax_job_arrives_as_image_tiff()
        {
            using Board board = new Board();
            Dictionary<string, string> settings = Board.LabSettings(_lab, _lab.AuthPort, "auto");
            settings["smtp.user"] = _lab["SCAN_USER"];
            settings["smtp.password"] = _lab["SCAN_PASSWORD"];
            settings["net.local_address"] = _lab.ForeignAddress;
            byte[] tiff = Documents.Tiff(1728, 4);
            string document = board.WriteDocument("fax0001.tif", tiff);
            string token = Documents.Token();

            BoardRun run = board.Send(settings, document, "i-FAX " + token, new[] { _lab.RelayRecipient }, "--kind", "ifax");

            Journal.AssertSentWithAuth(run, "ifax", "CRAM-MD5");
            MimeMessage message = Maildir.WaitFor(_lab["MAILDIR_RELAY"], token);
            MimePart attachment = Assert.Single(message.Attachments.OfType<MimePart>());
            Assert.Equal("image/tiff", attachment.ContentType.MimeType);
            Assert.Equal("faxbw", attachment.ContentType.Parameters["application"]);
            Assert.Equal("fax0001.tif", attachment.FileName);
            Assert.Equal(tiff, Mime.Decode(attachment));
        }

        /// <summary>An i-FAX job needs TIFF: a PDF is refused with #820 before any session.</summary>
        [Fact]
        public void Ifax_job_with_a_non_tiff_document_fails_with_820()
        {
            using Board board = new Board();
            Dictionary<string, string> settings = Board.LabSettings(_lab, _lab.AuthPort, "auto");
            settings["smtp.user"] = _lab["SCAN_USER"];
            settings["smtp.password"] = _lab["SCAN_PASSWORD"];
            settings["net.local_address"] = _lab.ForeignAddress;
            byte[] pdfLike = System.Text.Encoding.ASCII.GetBytes("%PDF-1.4\n% not a fax\n");
            string document = board.WriteDocument("page.tif", pdfLike);
            string token = Documents.Token();

            BoardRun run = board.Send(settings, document, "not tiff " + token, new[] { _lab.RelayRecipient }, "--kind", "ifax", "--verbose");

            string line = Journal.AssertFailed(run, 820);
            Assert.Contains("not a TIFF", line);
            Assert.DoesNotContain("S: ", run.Error);
        }
    }
}
