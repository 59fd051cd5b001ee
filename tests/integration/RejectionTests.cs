using System.Net;
using System.Net.Sockets;

namespace NetBoard.Integration.Tests
{
    /// <summary>Jobs the lab (or the firmware, before connecting) refuses, and the user error codes they map to.</summary>
    [Collection(LabCollection.Name)]
    public sealed class RejectionTests
    {
        private readonly LabFixture _lab;

        public RejectionTests(LabFixture lab)
        {
            _lab = lab;
        }

        /// <summary>A foreign client without AUTH may not relay: Postfix answers 554 at RCPT, the job fails with #807.</summary>
        [Fact]
        public void Relay_from_a_foreign_address_without_auth_is_denied_with_807()
        {
            using Board board = new Board();
            Dictionary<string, string> settings = Board.LabSettings(_lab, _lab.NoAuthPort, "auto");
            settings["net.local_address"] = _lab.ForeignAddress;
            string document = board.WriteDocument("scan0001.pdf", Documents.Random(256));
            string token = Documents.Token();

            BoardRun run = board.Send(settings, document, "relay denied " + token, new[] { _lab.RelayRecipient });

            string line = Journal.AssertFailed(run, 807);
            Assert.Contains(" rejected=" + _lab.RelayRecipient + "(554)", line);
            Assert.Contains("[554 5.7.1 <" + _lab.RelayRecipient + ">: Relay access denied]", line);
            Assert.Empty(Maildir.Find(_lab["MAILDIR_RELAY"], token));
        }

        /// <summary>Domains other than lab.test and example.net are refused at RCPT even for an authenticated client.</summary>
        [Fact]
        public void Outside_domain_is_rejected_at_rcpt_with_807()
        {
            using Board board = new Board();
            Dictionary<string, string> settings = Board.LabSettings(_lab, _lab.AuthPort, "plain");
            settings["smtp.user"] = _lab["SCAN_USER"];
            settings["smtp.password"] = _lab["SCAN_PASSWORD"];
            settings["net.local_address"] = _lab.ForeignAddress;
            string document = board.WriteDocument("scan0001.pdf", Documents.Random(256));
            const string outside = "someone@elsewhere.test";

            BoardRun run = board.Send(settings, document, "outside " + Documents.Token(), new[] { outside });

            string line = Journal.AssertFailed(run, 807);
            Assert.Contains(" auth=PLAIN", line);
            Assert.Matches(@" rejected=" + System.Text.RegularExpressions.Regex.Escape(outside) + @"\(5\d\d\)", line);
            Assert.Contains("no outside delivery in the lab", line);
        }

        /// <summary>One outside recipient among good ones: the job still succeeds, and the journal names the rejected one.</summary>
        [Fact]
        public void Outside_recipient_next_to_a_good_one_is_reported_and_the_rest_delivered()
        {
            using Board board = new Board();
            Dictionary<string, string> settings = Board.LabSettings(_lab, _lab.AuthPort, "plain");
            settings["smtp.user"] = _lab["SCAN_USER"];
            settings["smtp.password"] = _lab["SCAN_PASSWORD"];
            settings["net.local_address"] = _lab.ForeignAddress;
            string document = board.WriteDocument("scan0001.pdf", Documents.Random(256));
            const string outside = "someone@elsewhere.test";
            string token = Documents.Token();

            BoardRun run = board.Send(settings, document, "partly outside " + token, new[] { outside, _lab.RelayRecipient });

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Matches(@" OK auth=PLAIN rejected=" + System.Text.RegularExpressions.Regex.Escape(outside) + @"\(550\) \[250 2\.0\.0 Ok: (?:\d+ bytes )?queued as [0-9A-F]+\]$", run.Journal);
            Maildir.WaitFor(_lab["MAILDIR_RELAY"], token);
        }

        /// <summary>
        /// Postfix defers busy@lab.test with 450 at RCPT (a check_recipient_access entry of the lab) and takes the
        /// message for the relay recipient: the job is partly sent (#805, queued for a retry), the journal names who
        /// has it and who waits, the relay recipient has it once, and the job record on flash says partly sent.
        /// </summary>
        [Fact]
        public void A_recipient_deferred_by_postfix_leaves_the_job_partly_sent_and_queued()
        {
            using Board board = new Board();
            Dictionary<string, string> settings = Board.LabSettings(_lab, _lab.AuthPort, "plain");
            settings["smtp.user"] = _lab["SCAN_USER"];
            settings["smtp.password"] = _lab["SCAN_PASSWORD"];
            settings["net.local_address"] = _lab.ForeignAddress;
            string data = board.NewFolder("data");
            string document = board.WriteDocument("scan0001.pdf", Documents.Random(256));
            string busy = "busy@" + _lab["LOCAL_DOMAIN"];
            string token = Documents.Token();

            BoardRun run = board.Send(settings, document, "partly deferred " + token, new[] { _lab.RelayRecipient, busy }, "--data", data);

            Assert.True(run.ExitCode == 1, run.ToString());
            Assert.Matches(
                @" PARTLY SENT #805 SMTP server busy, will retry auth=PLAIN sent=" + System.Text.RegularExpressions.Regex.Escape(_lab.RelayRecipient)
                + " deferred=" + System.Text.RegularExpressions.Regex.Escape(busy) + @"\(450\) \[250 2\.0\.0 Ok: (?:\d+ bytes )?queued as [0-9A-F]+\] \(retry 1/3\)$",
                run.Journal);
            Maildir.WaitFor(_lab["MAILDIR_RELAY"], token);
            Assert.Single(Maildir.Find(_lab["MAILDIR_RELAY"], token));

            BoardRun journal = Board.ShowJournal(board.WriteSettings(settings), data);
            Assert.Contains("# queued: job 1 partly sent, 1 attempt(s), last #805", journal.Output);
        }

        [Fact]
        public void Closed_port_fails_with_802()
        {
            using Board board = new Board();
            int closedPort = Ports.Closed();
            Dictionary<string, string> settings = Board.LabSettings(_lab, closedPort, "off");
            string document = board.WriteDocument("scan0001.pdf", Documents.Random(256));

            BoardRun run = board.Send(settings, document, null, new[] { _lab["SCAN_USER"] });

            Journal.AssertFailed(run, 802);
        }
    }
}
