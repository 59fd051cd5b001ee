using System.Text.RegularExpressions;

namespace NetBoard.Integration.Tests
{
    /// <summary>Checks on the journal line "yyyy-MM-dd HH:mm:ssZ job 1 email to=... OK|NG ...".</summary>
    internal static class Journal
    {
        private const string Stamp = @"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ job 1 ";

        /// <summary>Exit 0 and "OK auth=MECH [250 ... queued as ID]"; returns the Postfix queue id.</summary>
        public static string AssertSentWithAuth(BoardRun run, string kind, string mechanism)
        {
            Assert.True(run.ExitCode == 0, run.ToString());
            Match m = Regex.Match(run.Journal, Stamp + Regex.Escape(kind) + @" to=\S+ OK auth=" + Regex.Escape(mechanism) + @" \[250 2\.0\.0 Ok: (?:\d+ bytes )?queued as ([0-9A-F]+)\]$");
            Assert.True(m.Success, "journal line does not show a queued " + mechanism + " job:\n" + run);
            return m.Groups[1].Value;
        }

        /// <summary>Exit 1 and "NG #CODE"; returns the line.</summary>
        public static string AssertFailed(BoardRun run, int code)
        {
            Assert.True(run.ExitCode == 1, run.ToString());
            string line = run.Journal;
            Assert.True(Regex.IsMatch(line, Stamp + @"(email|ifax) to=\S+ NG #" + code + " "), "journal line does not show #" + code + ":\n" + run);
            return line;
        }
    }
}
