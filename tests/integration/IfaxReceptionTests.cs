using System.Text;
using System.Text.RegularExpressions;
using MimeKit;

namespace NetBoard.Integration.Tests
{
    /// <summary>
    /// POP reception from ifax@lab.test: the lab's three seed messages (TIFF, PDF, text only) and an i-FAX the board
    /// sent itself. Every test starts with `lab.sh reset`, hence the collection of its own.
    /// </summary>
    [Collection(IfaxMailboxCollection.Name)]
    public sealed class IfaxReceptionTests
    {
        private const string Stamp = @"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ ";

        private readonly LabFixture _lab;

        public IfaxReceptionTests(LabFixture lab)
        {
            _lab = lab;
        }

        /// <summary>
        /// One reception takes all three messages and deletes them on the server; the TIFF and the PDF come out of the
        /// printer exactly as attached, the text-only message is reported. With the same data folder, a reception of
        /// the emptied mailbox finds nothing, and one of the refilled mailbox (the same ids again) stores nothing twice.
        /// </summary>
        [Fact]
        public void Prefilled_mailbox_is_received_printed_and_removed_from_the_server()
        {
            _lab.Reset();
            string[] uids = _lab["IFAX_UIDLS"].Split(',');
            Assert.Equal(3, uids.Length);
            Assert.Equal(3, ServerMessages().Count);
            byte[] tiff = SeedAttachment(uids[0], "fax1.tif");
            byte[] pdf = SeedAttachment(uids[1], "doc2.pdf");
            Assert.Equal(175, tiff.Length);
            Assert.Equal(new byte[] { (byte)'I', (byte)'I', 42, 0 }, tiff.Take(4).ToArray());
            Assert.StartsWith("%PDF-", Encoding.ASCII.GetString(pdf, 0, 5));

            using Board board = new Board();
            string settings = board.WriteSettings(ReceiveSettings());
            string data = board.NewFolder("data");
            string printed = board.NewFolder("printed");

            BoardRun run = Board.Receive(settings, printed, data, verbose: true);

            Assert.True(run.ExitCode == 0, run.ToString());
            string[] lines = run.Lines;
            Assert.True(lines.Length == 4, "expected the reception line and one line per message:\n" + run);
            Assert.Matches(Stamp + "receive OK 3 new of 3, 3 deleted on the server$", lines[0]);
            Assert.Matches(Stamp + @"rx from=""Fax Gateway"" <fax-gw@example\.net> subject=""i-FAX 1 \(TIFF\)"" printed 1$", lines[1]);
            Assert.Matches(Stamp + @"rx from=<scanner@example\.net> subject=""i-FAX 2 \(PDF\)"" printed 1$", lines[2]);
            Assert.Matches(Stamp + @"rx from=<someone@example\.net> subject=""i-FAX 3 \(text only\)"" NG no printable part \(text/plain\)$", lines[3]);
            Assert.DoesNotContain(_lab["IFAX_PASSWORD"], run.Error);

            string[] files = Directory.GetFiles(printed);
            Assert.True(files.Length == 2, "expected two printed documents, got: " + string.Join(", ", files.Select(Path.GetFileName)));
            Assert.Equal(tiff, File.ReadAllBytes(Assert.Single(files, f => f.EndsWith(".tif", StringComparison.Ordinal))));
            Assert.Equal(pdf, File.ReadAllBytes(Assert.Single(files, f => f.EndsWith(".pdf", StringComparison.Ordinal))));
            Assert.Empty(ServerMessages());

            string printedAgain = board.NewFolder("printed-again");
            BoardRun empty = Board.Receive(settings, printedAgain, data);

            Assert.True(empty.ExitCode == 0, empty.ToString());
            Assert.Matches(Stamp + "receive OK 0 new of 0, 0 deleted on the server$", empty.Journal);
            Assert.Empty(Directory.GetFiles(printedAgain));

            // The same messages on the server again, as after a QUIT whose answer was lost: already
            // printed, so they are deleted without being fetched or printed a second time.
            _lab.Reset();
            string printedRefilled = board.NewFolder("printed-refilled");
            BoardRun refilled = Board.Receive(settings, printedRefilled, data, verbose: true);

            Assert.True(refilled.ExitCode == 0, refilled.ToString());
            Assert.Matches(Stamp + "receive OK 0 new of 3, 3 deleted on the server$", refilled.Journal);
            Assert.DoesNotContain("C: RETR", refilled.Error);
            Assert.Empty(Directory.GetFiles(printedRefilled));
            Assert.Empty(ServerMessages());
        }

        /// <summary>A full i-FAX round trip: the board sends a TIFF to ifax@lab.test, receives it by POP and prints it unchanged.</summary>
        [Theory]
        [InlineData(8)]
        [InlineData(2300)] // about 500 KB: many POP chunks and base64 lines
        public void Ifax_sent_by_the_board_is_received_and_printed_byte_for_byte(int rows)
        {
            _lab.Reset();
            using Board board = new Board();
            Dictionary<string, string> settings = ReceiveSettings();
            settings["smtp.port"] = _lab.NoAuthPort.ToString();
            settings["smtp.auth"] = "off";
            settings["net.local_address"] = "127.0.0.1";
            byte[] tiff = Documents.Tiff(1728, rows);
            string document = board.WriteDocument("fax0001.tif", tiff);
            string token = Documents.Token();
            string subject = "round trip " + token;

            BoardRun sent = board.Send(settings, document, subject, new[] { _lab["IFAX_USER"] }, "--kind", "ifax");

            Assert.True(sent.ExitCode == 0, sent.ToString());
            Assert.Contains(" ifax to=" + _lab["IFAX_USER"] + " OK ", sent.Journal);
            Maildir.WaitFor(_lab["MAILDIR_IFAX"], token);

            string printed = board.NewFolder("printed");
            BoardRun received = Board.Receive(board.WriteSettings(settings), printed, board.NewFolder("data"));

            Assert.True(received.ExitCode == 0, received.ToString());
            string[] lines = received.Lines;
            Assert.Matches(Stamp + "receive OK 4 new of 4, 4 deleted on the server$", lines[0]);
            Assert.Single(lines, l => Regex.IsMatch(l, Stamp + @"rx from=.*<" + Regex.Escape(_lab["SCAN_USER"]) + @"> subject=""" + Regex.Escape(subject) + @""" printed 1$"));
            string[] files = Directory.GetFiles(printed);
            Assert.True(files.Length == 3, "expected the seed TIFF and PDF and the round-trip TIFF, got: " + string.Join(", ", files.Select(Path.GetFileName)));
            string ours = Assert.Single(files, f => File.ReadAllBytes(f).AsSpan().SequenceEqual(tiff));
            Assert.EndsWith(".tif", ours);
            Assert.Empty(ServerMessages());
        }

        /// <summary>A refused POP login: exit 1, #813 in the journal, nothing printed and the mailbox left as it was.</summary>
        [Fact]
        public void Reception_with_a_wrong_password_fails_with_813_and_leaves_the_mailbox_alone()
        {
            _lab.Reset();
            List<string> before = ServerMessages();
            using Board board = new Board();
            Dictionary<string, string> settings = ReceiveSettings();
            settings["pop.password"] = "not-the-" + _lab["IFAX_PASSWORD"];
            settings["pop.login"] = "user"; // the refusal at PASS; pop.login=auto (AUTH CRAM-MD5) is PopLoginTests' subject
            string printed = board.NewFolder("printed");

            BoardRun run = Board.Receive(board.WriteSettings(settings), printed, board.NewFolder("data"), verbose: true);

            Assert.True(run.ExitCode == 1, run.ToString());
            Assert.Matches(Stamp + @"receive NG #813 POP authentication error at PASS \[\[AUTH\] ", run.Journal);
            Assert.DoesNotContain("C: UIDL", run.Error);
            Assert.Empty(Directory.GetFiles(printed));
            Assert.Equal(before.OrderBy(f => f, StringComparer.Ordinal), ServerMessages().OrderBy(f => f, StringComparer.Ordinal));
        }

        /// <summary>Nothing listens on the POP port: exit 1 and #810 (a connection error, before any login).</summary>
        [Fact]
        public void Reception_from_a_closed_port_fails_with_810()
        {
            using Board board = new Board();
            Dictionary<string, string> settings = ReceiveSettings();
            settings["pop.port"] = Ports.Closed().ToString();
            string printed = board.NewFolder("printed");

            BoardRun run = Board.Receive(board.WriteSettings(settings), printed, board.NewFolder("data"));

            Assert.True(run.ExitCode == 1, run.ToString());
            Assert.Matches(Stamp + @"receive NG #810 POP server connection error ", run.Journal);
            Assert.Empty(Directory.GetFiles(printed));
        }

        private Dictionary<string, string> ReceiveSettings()
        {
            Dictionary<string, string> settings = Board.LabSettings(_lab, _lab.AuthPort, "off");
            settings["pop.host"] = _lab.Host;
            settings["pop.port"] = _lab.Pop3Port.ToString();
            settings["pop.user"] = _lab["IFAX_USER"];
            settings["pop.password"] = _lab["IFAX_PASSWORD"];
            return settings;
        }

        /// <summary>The files of the i-FAX Maildir (new/ and cur/): the messages the POP server holds.</summary>
        private List<string> ServerMessages()
        {
            List<string> files = new List<string>();
            foreach (string sub in new[] { "new", "cur" })
            {
                string folder = Path.Combine(_lab["MAILDIR_IFAX"], sub);
                if (Directory.Exists(folder))
                {
                    files.AddRange(Directory.GetFiles(folder));
                }
            }

            return files;
        }

        /// <summary>The decoded attachment <paramref name="fileName"/> of the seed message with the given UIDL, as the lab wrote it.</summary>
        private byte[] SeedAttachment(string uid, string fileName)
        {
            string path = Assert.Single(ServerMessages(), f => Path.GetFileName(f).Split(':')[0] == uid);
            MimeMessage seed = MimeMessage.Load(path);
            MimePart part = Assert.Single(seed.Attachments.OfType<MimePart>(), p => p.FileName == fileName);
            return Mime.Decode(part);
        }
    }
}
