using System.Text.RegularExpressions;

namespace NetBoard.Integration.Tests
{
    /// <summary>The durable job queue in the data folder: what a failed attempt leaves behind for the next one.</summary>
    [Collection(LabCollection.Name)]
    public sealed class QueueTests
    {
        private readonly LabFixture _lab;

        public QueueTests(LabFixture lab)
        {
            _lab = lab;
        }

        /// <summary>
        /// A closed SMTP port is a transient failure (#802): the job stays queued with one attempt, and a later job
        /// sent with corrected settings over the same data folder goes out while the first waits for its retry time.
        /// </summary>
        [Fact]
        public void Transient_failure_stays_queued_next_to_a_later_job_that_is_sent()
        {
            using Board board = new Board();
            string data = board.NewFolder("data");
            Dictionary<string, string> broken = Board.LabSettings(_lab, Ports.Closed(), "off");
            broken["net.local_address"] = "127.0.0.1";
            // far enough away that the queued job cannot become due while this test runs
            broken["job.retry_interval_s"] = "3600";
            string brokenPath = board.WriteSettings(broken);
            string document = board.WriteDocument("scan0001.pdf", Documents.Random(512));

            BoardRun failed = Board.Run("send", "--settings", brokenPath, "--data", data, "--file", document, "--to", _lab["SCAN_USER"], "--subject", "queued " + Documents.Token());

            string failedLine = Journal.AssertFailed(failed, 802);
            Assert.EndsWith(" (retry 1/3)", failedLine);

            BoardRun journal = Board.ShowJournal(brokenPath, data);
            Assert.True(journal.ExitCode == 0, journal.ToString());
            Assert.Equal(new[] { failedLine, "# queued: job 1 queued, 1 attempt(s), last #802" }, journal.Lines);

            Dictionary<string, string> fixedSettings = new Dictionary<string, string>(broken) { ["smtp.port"] = _lab.NoAuthPort.ToString() };
            string fixedPath = board.WriteSettings(fixedSettings);
            string token = Documents.Token();
            BoardRun sent = Board.Run("send", "--settings", fixedPath, "--data", data, "--file", document, "--to", _lab["SCAN_USER"], "--subject", "after fix " + token);

            Assert.True(sent.ExitCode == 0, sent.ToString());
            Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ job 2 email to=" + Regex.Escape(_lab["SCAN_USER"]) + @" OK .*\[250 2\.0\.0 Ok: (?:\d+ bytes )?queued as [0-9A-F]+\]$", sent.Journal);
            Maildir.WaitFor(_lab["MAILDIR_SCAN"], token);

            BoardRun after = Board.ShowJournal(fixedPath, data);
            Assert.True(after.ExitCode == 0, after.ToString());
            Assert.Equal(new[] { failedLine, sent.Journal, "# queued: job 1 queued, 1 attempt(s), last #802" }, after.Lines);
        }

        /// <summary>With job.retry_attempts=1 the same transient failure is final: nothing stays queued.</summary>
        [Fact]
        public void Transient_failure_on_the_last_allowed_attempt_is_final()
        {
            using Board board = new Board();
            string data = board.NewFolder("data");
            Dictionary<string, string> settings = Board.LabSettings(_lab, Ports.Closed(), "off");
            settings["job.retry_attempts"] = "1";
            string settingsPath = board.WriteSettings(settings);
            string document = board.WriteDocument("scan0001.pdf", Documents.Random(512));

            BoardRun failed = Board.Run("send", "--settings", settingsPath, "--data", data, "--file", document, "--to", _lab["SCAN_USER"]);

            string line = Journal.AssertFailed(failed, 802);
            Assert.DoesNotContain("(retry", line);
            BoardRun journal = Board.ShowJournal(settingsPath, data);
            Assert.True(journal.ExitCode == 0, journal.ToString());
            Assert.Equal(new[] { line }, journal.Lines);
        }
    }
}
