namespace NetBoard.Integration.Tests
{
    /// <summary>
    /// The POP login the board picks against the lab's Dovecot, which offers SASL PLAIN LOGIN CRAM-MD5 and no APOP:
    /// pop.login=auto takes AUTH CRAM-MD5 (the password never crosses the network), a refused CRAM-MD5 is final (no
    /// USER/PASS after it), and pop.auth.plaintext=deny keeps USER/PASS off a connection in clear but not off STLS.
    /// </summary>
    [Collection(IfaxMailboxCollection.Name)]
    public sealed class PopLoginTests
    {
        private const string Stamp = @"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ ";

        private readonly LabFixture _lab;

        public PopLoginTests(LabFixture lab)
        {
            _lab = lab;
        }

        [Fact]
        public void Auto_logs_in_with_cram_md5_and_receives()
        {
            _lab.Reset();
            using Board board = new Board();
            long mark = TlsSupport.DovecotLogMark(_lab);

            BoardRun run = Board.Receive(board.WriteSettings(ReceiveSettings("none", "auto", "allow", _lab["IFAX_PASSWORD"])), board.NewFolder("printed"), board.NewFolder("data"), verbose: true);

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Matches(Stamp + "receive OK 3 new of 3, 3 deleted on the server$", run.Lines[0]);
            TlsSupport.AssertInOrder(run, "S: +OK ", "C: CAPA", "S: SASL ", "C: AUTH CRAM-MD5", "S: + ", "C: ****", "S: +OK ", "C: UIDL");
            string[] dialogue = TlsSupport.DialogueLines(run);
            Assert.DoesNotContain(dialogue, l => l.StartsWith("C: USER", StringComparison.Ordinal) || l.StartsWith("C: PASS", StringComparison.Ordinal));
            Assert.DoesNotContain(_lab["IFAX_PASSWORD"], run.Error);
            Assert.Contains("method=CRAM-MD5", TlsSupport.WaitForPopLogin(_lab, mark, _lab["IFAX_USER"], "127.0.0.1"));
        }

        [Fact]
        public void Auto_with_a_wrong_password_fails_813_and_never_falls_back_to_user_pass()
        {
            _lab.Reset();
            using Board board = new Board();
            string printed = board.NewFolder("printed");

            BoardRun run = Board.Receive(board.WriteSettings(ReceiveSettings("none", "auto", "allow", "not-the-" + _lab["IFAX_PASSWORD"])), printed, board.NewFolder("data"), verbose: true);

            Assert.True(run.ExitCode == 1, run.ToString());
            Assert.Matches(Stamp + @"receive NG #813 POP authentication error at AUTH \[\[AUTH\] ", run.Journal);
            string[] dialogue = TlsSupport.DialogueLines(run);
            Assert.Single(dialogue, l => l == "C: AUTH CRAM-MD5");
            Assert.DoesNotContain(dialogue, l => l.StartsWith("C: USER", StringComparison.Ordinal) || l.StartsWith("C: PASS", StringComparison.Ordinal) || l.StartsWith("C: APOP", StringComparison.Ordinal));
            Assert.Empty(Directory.GetFiles(printed));
        }

        [Fact]
        public void Plaintext_denied_keeps_user_pass_off_a_clear_connection_and_allows_it_inside_stls()
        {
            _lab.Reset();
            using Board board = new Board();
            long mark = TlsSupport.DovecotLogMark(_lab);

            BoardRun clear = Board.Receive(board.WriteSettings(ReceiveSettings("none", "user", "deny", _lab["IFAX_PASSWORD"])), board.NewFolder("printed"), board.NewFolder("data"), verbose: true);

            Assert.True(clear.ExitCode == 1, clear.ToString());
            Assert.Matches(Stamp + @"receive NG #813 POP authentication error at USER \[USER/PASS not allowed without encryption \(pop\.auth\.plaintext=deny\)\]$", clear.Journal);
            Assert.Equal(new[] { "C: CAPA", "C: QUIT" }, TlsSupport.DialogueLines(clear).Where(l => l.StartsWith("C: ", StringComparison.Ordinal)).ToArray());

            BoardRun tls = Board.Receive(board.WriteSettings(ReceiveSettings("stls", "user", "deny", _lab["IFAX_PASSWORD"])), board.NewFolder("printed"), board.NewFolder("data"), verbose: true);

            Assert.True(tls.ExitCode == 0, tls.ToString());
            TlsSupport.AssertInOrder(tls, "C: STLS", "S: +OK ", "C: CAPA", "C: USER " + _lab["IFAX_USER"], "C: PASS ****", "C: RETR 1");
            TlsSupport.AssertLoginOverTls(TlsSupport.WaitForPopLogin(_lab, mark, _lab["IFAX_USER"], "127.0.0.1"));
        }

        private Dictionary<string, string> ReceiveSettings(string security, string login, string plaintext, string password)
        {
            Dictionary<string, string> settings = Board.LabSettings(_lab, _lab.AuthPort, "off");
            settings["pop.host"] = _lab.Host;
            settings["pop.port"] = _lab.Pop3Port.ToString();
            settings["pop.security"] = security;
            settings["pop.user"] = _lab["IFAX_USER"];
            settings["pop.password"] = password;
            settings["pop.login"] = login;
            settings["pop.auth.plaintext"] = plaintext;
            settings["tls.verify"] = "on";
            settings["tls.ca_file"] = _lab.CaCert;
            return settings;
        }
    }
}
