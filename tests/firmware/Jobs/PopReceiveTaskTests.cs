using System;
using System.Linq;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Tests.Doubles;

namespace NetBoard.Firmware.Tests.Jobs
{
    /// <summary>Reception through the whole runtime: dedupe by UIDL, DELE only once stored, printing in arrival order.</summary>
    public class PopReceiveTaskTests
    {
        private static (MailBoard Board, LabNetwork Net, EventLog Log) NewBoard(params (string, byte[])[] mailbox)
        {
            var clock = new VirtualClock();
            var log = new EventLog(clock);
            var net = new LabNetwork(clock, log, mailbox);
            var board = new MailBoard(new MemoryStorage(), net, clock, log, MailBoard.LabSettings());
            return (board, net, log);
        }

        private static void Receive(MailBoard board)
        {
            int before = board.Receiver.Receptions;
            board.Receiver.RequestNow();
            board.RunUntil(() => board.Receiver.Receptions == before + 1 && !board.Receiver.IsBusy, what: "reception " + (before + 1));
        }

        private static string[] Commands(EventLog log, string connection, string verb) =>
            log.Of(connection).Where(t => t.StartsWith("C: " + verb, StringComparison.Ordinal)).Select(t => t.Substring(3)).ToArray();

        [Fact]
        public void A_message_stored_in_one_reception_is_not_fetched_again_in_the_next()
        {
            var (board, net, log) = NewBoard(("u1", LabMail.Fax(1)), ("u2", LabMail.Fax(2)));

            // The first session's QUIT never reaches the server: both messages stay there.
            net.PopScript = n => n == 1 ? LinkScript.On("QUIT", LinkRule.Drop) : LinkScript.Normal;
            Receive(board);
            Assert.Equal(UserErrorCode.PopReceptionInterrupted, board.Receiver.LastResult.ErrorCode);
            Assert.Equal(2, net.Mailbox.Count);
            Assert.Equal(2, board.Engine.Printed.Count);

            net.AddMessage("u3", LabMail.Fax(3));
            Receive(board);
            Assert.Equal(UserErrorCode.None, board.Receiver.LastResult.ErrorCode);
            Assert.Equal(new[] { "RETR 3" }, Commands(log, "pop#2", "RETR"));
            Assert.Equal(new[] { "RETR 1", "RETR 2" }, Commands(log, "pop#1", "RETR"));
            Assert.Equal(new[] { LabMail.Tiff(1), LabMail.Tiff(2), LabMail.Tiff(3) }, board.Engine.Printed.Select(p => p.Content));
        }

        [Fact]
        public void A_message_left_on_the_server_by_a_lost_quit_is_deleted_by_the_next_reception()
        {
            var (board, net, log) = NewBoard(("u1", LabMail.Fax(1)));
            net.PopScript = n => n == 1 ? LinkScript.On("QUIT", LinkRule.Drop) : LinkScript.Normal;
            Receive(board);
            Assert.Single(net.Mailbox);
            Receive(board);
            Assert.Equal(new[] { "DELE 1" }, Commands(log, "pop#2", "DELE"));
            Assert.Empty(net.Mailbox);
            Assert.Single(board.Engine.Printed);
        }

        [Fact]
        public void A_message_the_inbox_cannot_store_is_not_deleted_on_the_server()
        {
            byte[] small = LabMail.Fax(1);
            byte[] large = LabMail.Message("fax 2", ("image/tiff", "big.tif", LabMail.Tiff(2, 6000)));
            byte[] third = LabMail.Fax(3);
            var (board, net, log) = NewBoard(("u1", small), ("u2", large), ("u3", third));

            // The flash holds a file as large as the first message, not the second.
            board.Storage.FailAfterBytes = small.Length + 100;
            Receive(board);

            PopResultAssert(board, UserErrorCode.PopReceptionInterrupted, "store");
            Assert.Equal(new[] { "RETR 1", "RETR 2" }, Commands(log, "pop#1", "RETR"));
            Assert.Equal(new[] { "DELE 1" }, Commands(log, "pop#1", "DELE"));
            Assert.True(log.Find("pop#1", "C: DELE 1").Index < log.Find("pop#1", "C: RETR 2").Index, "DELE 1 follows the commit, before the next message");
            Assert.Equal(new[] { "u2", "u3" }, net.Mailbox.Select(m => m.Uid));
            Assert.Equal(new[] { LabMail.Tiff(1) }, board.Engine.Printed.Select(p => p.Content));
            Assert.DoesNotContain(board.Storage.Files.Keys, k => k.EndsWith(".part", StringComparison.Ordinal));

            // With room again the next reception takes the rest, and nothing twice.
            board.Storage.FailAfterBytes = long.MaxValue;
            Receive(board);
            Assert.Equal(new[] { "RETR 1", "RETR 2" }, Commands(log, "pop#2", "RETR"));
            Assert.Empty(net.Mailbox);
            Assert.Equal(new[] { LabMail.Tiff(1), LabMail.Tiff(2, 6000), LabMail.Tiff(3) }, board.Engine.Printed.Select(p => p.Content));
        }

        [Fact]
        public void Every_printable_part_reaches_the_engine_in_arrival_order()
        {
            byte[] pdf = System.Text.Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n");
            byte[] jpeg = new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4, 0xFF, 0xD9 };
            var (board, _, log) = NewBoard(
                ("a", LabMail.Message("two pages", ("image/tiff", "p1.tif", LabMail.Tiff(11)), ("image/tiff", "p2.tif", LabMail.Tiff(12)))),
                ("b", LabMail.Message("a pdf", ("application/pdf", "doc.pdf", pdf))),
                ("c", LabMail.Message("mixed", ("image/jpeg", "photo.jpg", jpeg), ("application/octet-stream", "scan.tif", LabMail.Tiff(13)))));
            Receive(board);

            Assert.Equal(UserErrorCode.None, board.Receiver.LastResult.ErrorCode);
            Assert.Equal(new[] { LabMail.Tiff(11), LabMail.Tiff(12), pdf, jpeg, LabMail.Tiff(13) }, board.Engine.Printed.Select(p => p.Content));
            Assert.Equal(new[] { "image/tiff", "image/tiff", "application/pdf", "image/jpeg", "image/tiff" }, board.Engine.Printed.Select(p => p.ContentType));
            Assert.Equal(5, board.Receiver.Printed);

            // Printing starts once the session has ended and the lock is free.
            Assert.All(board.Engine.Printed, p => Assert.True(p.Ms >= log.Find("pop#1", "closed by the client").Ms));
            Assert.Empty(board.Context.Storage.List("received/"));
            Assert.Empty(new Inbox(board.Storage).Pending());
        }

        [Fact]
        public void A_message_without_a_printable_part_is_journaled_and_not_printed()
        {
            byte[] textOnly = LabMail.Message("just words");
            byte[] withZip = LabMail.Message("an archive", ("application/zip", "files.zip", new byte[] { 0x50, 0x4B, 3, 4 }));
            var (board, _, _) = NewBoard(("t", textOnly), ("z", withZip), ("f", LabMail.Fax(5)));
            Receive(board);

            Assert.Equal(new[] { LabMail.Tiff(5) }, board.Engine.Printed.Select(p => p.Content));
            string[] journal = board.Journal;
            Assert.Contains(journal, l => l.Contains("subject=\"just words\"", StringComparison.Ordinal) && l.Contains("NG no printable part", StringComparison.Ordinal));
            Assert.Contains(journal, l => l.Contains("subject=\"an archive\"", StringComparison.Ordinal) && l.Contains("NG no printable part", StringComparison.Ordinal) && l.Contains("application/zip", StringComparison.Ordinal));
            Assert.Contains(journal, l => l.Contains("subject=\"fax 5\"", StringComparison.Ordinal) && l.Contains("printed 1", StringComparison.Ordinal));
            Assert.Contains(journal, l => l.Contains(" receive OK 3 new of 3", StringComparison.Ordinal));

            // Reported once, not kept for another try.
            Assert.Empty(new Inbox(board.Storage).Pending());
        }

        [Fact]
        public void A_message_the_printer_refuses_stays_in_the_inbox_and_prints_after_the_next_reception()
        {
            var (board, net, _) = NewBoard(("u1", LabMail.Fax(1)));
            board.Engine.Accepts = false;
            Receive(board);
            Assert.Empty(board.Engine.Printed);
            Assert.Single(new Inbox(board.Storage).Pending());
            Assert.Empty(net.Mailbox);

            board.Engine.Accepts = true;
            Receive(board);
            Assert.Equal(new[] { LabMail.Tiff(1) }, board.Engine.Printed.Select(p => p.Content));
            Assert.Empty(new Inbox(board.Storage).Pending());
        }

        [Fact]
        public void A_flash_error_while_marking_a_message_printed_does_not_stop_the_board()
        {
            var (board, _, _) = NewBoard(("u1", LabMail.Fax(1)));
            board.Storage.FailCreate = name => name.EndsWith(".done" + NetBoard.Firmware.Storage.RecordFile.PendingSuffix, StringComparison.Ordinal);
            Receive(board);
            Assert.Single(board.Engine.Printed);

            board.Storage.FailCreate = null;
            MailJob job = board.Submit("alice@lab.test");
            board.RunUntil(() => job.State == JobState.Sent);
        }

        private static void PopResultAssert(MailBoard board, int code, string stage)
        {
            Assert.Equal(code, board.Receiver.LastResult.ErrorCode);
            Assert.Equal(stage, board.Receiver.LastResult.Stage);
        }
    }
}
