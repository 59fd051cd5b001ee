using System.Text;

namespace NetBoard.Integration.Tests
{
    /// <summary>The --verbose dialogue and the journal line never show the password, in clear or as base64.</summary>
    [Collection(LabCollection.Name)]
    public sealed class SecretTests
    {
        private readonly LabFixture _lab;

        public SecretTests(LabFixture lab)
        {
            _lab = lab;
        }

        [Theory]
        [InlineData("plain", "PLAIN")]
        [InlineData("login", "LOGIN")]
        public void Dialogue_and_journal_do_not_contain_the_password(string auth, string mechanism)
        {
            using Board board = new Board();
            string user = _lab["SCAN_USER"];
            string password = _lab["SCAN_PASSWORD"];
            Dictionary<string, string> settings = Board.LabSettings(_lab, _lab.AuthPort, auth);
            settings["smtp.user"] = user;
            settings["smtp.password"] = password;
            settings["net.local_address"] = _lab.ForeignAddress;
            string document = board.WriteDocument("scan0001.pdf", Documents.Random(300));

            BoardRun run = board.Send(settings, document, "secret " + Documents.Token(), new[] { _lab.RelayRecipient }, "--verbose");

            // The credentials really went over the wire (the server accepted them) and the exchange was logged.
            Journal.AssertSentWithAuth(run, "email", mechanism);
            Assert.Contains("C: AUTH " + mechanism, run.Error);
            Assert.Contains("****", run.Error);

            string everything = run.Output + "\n" + run.Error;
            foreach (string secret in SecretForms(user, password))
            {
                Assert.False(everything.Contains(secret, StringComparison.Ordinal), "the output shows a form of the password: " + secret + "\n" + run);
            }
        }

        /// <summary>The password and every base64 form a PLAIN or LOGIN exchange could carry it in.</summary>
        internal static IEnumerable<string> SecretForms(string user, string password)
        {
            yield return password;
            yield return B64(password);
            yield return B64("\0" + user + "\0" + password);
            yield return B64(user + "\0" + user + "\0" + password);

            // the password's base64 inside any longer blob, at each of the three byte alignments
            byte[] raw = Encoding.UTF8.GetBytes(password);
            for (int pad = 0; pad < 3; pad++)
            {
                byte[] shifted = new byte[pad + raw.Length];
                Array.Copy(raw, 0, shifted, pad, raw.Length);
                string encoded = Convert.ToBase64String(shifted);
                // drop the characters that depend on the bytes before and after the password
                int skip = pad == 0 ? 0 : 4;
                int usable = ((pad + raw.Length) / 3 * 4) - skip;
                if (usable >= 8)
                {
                    yield return encoded.Substring(skip, usable);
                }
            }
        }

        private static string B64(string text)
        {
            return Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
        }
    }
}
