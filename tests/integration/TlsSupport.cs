using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using System.Threading;

namespace NetBoard.Integration.Tests
{
    /// <summary>Checks on sends and receptions over TLS: journal lines, the --verbose dialogue, Dovecot's login log.</summary>
    internal static class TlsSupport
    {
        private const string Stamp = @"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ job 1 ";

        /// <summary>How long Dovecot's log process may take to write a login line (a bound, not an assertion on speed).</summary>
        private static readonly TimeSpan LogBound = TimeSpan.FromSeconds(10);

        /// <summary>
        /// Exit 0 and "OK [auth=MECH ][250 ... queued as ID] tls=PROTOCOL CIPHER[ pop-before-smtp]"; returns the
        /// Postfix queue id. <paramref name="mechanism"/> null means a send without SMTP AUTH.
        /// </summary>
        public static string AssertSentOverTls(BoardRun run, string kind, string mechanism, bool popBeforeSmtp = false)
        {
            Assert.True(run.ExitCode == 0, run.ToString());
            string auth = mechanism == null ? string.Empty : "auth=" + Regex.Escape(mechanism) + " ";
            string pattern = Stamp + Regex.Escape(kind) + @" to=\S+ OK " + auth + @"\[250 2\.0\.0 Ok: (?:\d+ bytes )?queued as ([0-9A-F]+)\] tls=Tls1[23] [A-Z0-9_]+"
                + (popBeforeSmtp ? " pop-before-smtp" : string.Empty) + "$";
            Match m = Regex.Match(run.Journal, pattern);
            Assert.True(m.Success, "journal line does not show a job queued over TLS (" + pattern + "):\n" + run);
            return m.Groups[1].Value;
        }

        /// <summary>The dialogue lines (client "C: ..." and server "S: ...") of a --verbose run.</summary>
        public static string[] DialogueLines(BoardRun run)
        {
            return run.Error.Split(new[] { "\r\n", "\n" }, StringSplitOptions.RemoveEmptyEntries);
        }

        /// <summary>The index of the first line at or after <paramref name="from"/> starting with <paramref name="prefix"/>, or -1.</summary>
        public static int LineIndex(string[] lines, string prefix, int from = 0)
        {
            for (int i = Math.Max(0, from); i < lines.Length; i++)
            {
                if (lines[i].StartsWith(prefix, StringComparison.Ordinal))
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>
        /// Asserts that <paramref name="prefixes"/> occur in this order as lines of the dialogue, each after the one
        /// before it; returns the index of the last.
        /// </summary>
        public static int AssertInOrder(BoardRun run, params string[] prefixes)
        {
            string[] lines = DialogueLines(run);
            int at = -1;
            foreach (string prefix in prefixes)
            {
                int next = LineIndex(lines, prefix, at + 1);
                Assert.True(next > at, "expected, in this order: " + string.Join(" | ", prefixes) + "; '" + prefix + "' is missing after line " + at + ":\n" + run);
                at = next;
            }

            return at;
        }

        /// <summary>The current length of Dovecot's log, to look at what is written after it.</summary>
        public static long DovecotLogMark(LabFixture lab)
        {
            FileInfo log = new FileInfo(lab["DOVECOT_LOG"]);
            return log.Exists ? log.Length : 0;
        }

        /// <summary>
        /// Waits for the POP login of <paramref name="user"/> from <paramref name="remoteAddress"/> that Dovecot logged
        /// after <paramref name="mark"/> and returns the line. Dovecot ends a login over TLS with ", TLS," and one in
        /// clear on loopback with ", secured,".
        /// </summary>
        public static string WaitForPopLogin(LabFixture lab, long mark, string user, string remoteAddress)
        {
            Regex login = new Regex(@"pop3-login: Info: Login: user=<" + Regex.Escape(user) + @">, method=\S+, rip=" + Regex.Escape(remoteAddress) + @", ");
            DateTime giveUp = DateTime.UtcNow + LogBound;
            while (true)
            {
                foreach (string line in DovecotLogSince(lab, mark))
                {
                    if (login.IsMatch(line))
                    {
                        return line;
                    }
                }

                if (DateTime.UtcNow > giveUp)
                {
                    Assert.Fail("Dovecot logged no POP login of " + user + " from " + remoteAddress + " within " + LogBound.TotalSeconds + " s:\n"
                        + string.Join("\n", DovecotLogSince(lab, mark)));
                }

                Thread.Sleep(100);
            }
        }

        /// <summary>The Dovecot login line shows that the session ran over TLS.</summary>
        public static void AssertLoginOverTls(string loginLine)
        {
            Assert.Matches(@", mpid=\d+, TLS, session=", loginLine);
        }

        /// <summary>
        /// A fresh self-signed CA certificate (PEM) that has nothing to do with the lab: a CA file the lab's
        /// certificate does not chain to.
        /// </summary>
        public static string WriteUnrelatedCa(Board board)
        {
            using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            CertificateRequest request = new CertificateRequest("CN=Unrelated Test CA", key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            using X509Certificate2 ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
            string path = Path.Combine(board.Folder, "unrelated-ca.pem");
            File.WriteAllText(path, ca.ExportCertificatePem());
            return path;
        }

        private static List<string> DovecotLogSince(LabFixture lab, long mark)
        {
            List<string> lines = new List<string>();
            using (FileStream stream = new FileStream(lab["DOVECOT_LOG"], FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            {
                if (mark > stream.Length)
                {
                    // the lab was restarted with a fresh log
                    mark = 0;
                }

                stream.Seek(mark, SeekOrigin.Begin);
                using StreamReader reader = new StreamReader(stream);
                string line;
                while ((line = reader.ReadLine()) != null)
                {
                    lines.Add(line);
                }
            }

            return lines;
        }
    }
}
