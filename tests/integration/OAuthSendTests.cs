using System.Diagnostics;
using System.Text;
using System.Threading.Tasks;
using NetBoard.Firmware.Device;
using NetBoard.Firmware.Diagnostics;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.OAuth;
using NetBoard.Firmware.Pop;
using NetBoard.Firmware.Settings;
using NetBoard.Hal.Host;

namespace NetBoard.Integration.Tests
{
    /// <summary>
    /// The firmware's send and receive tasks with OAuth 2.0 against the real lab: Postfix's OAuth port (XOAUTH2 and
    /// OAUTHBEARER through Dovecot SASL, which introspects each token at the lab's authorization server) and Dovecot's
    /// POP3. The runtime is the board's own (host HAL, real sockets); the token keeper is <see cref="LabTokens"/>, which
    /// takes tokens from the lab with the client credentials grant, as the board's keeper does in that mode.
    /// </summary>
    [Collection(LabCollection.Name)]
    public sealed class OAuthSendTests : IDisposable
    {
        /// <summary>The foreign address this class uses for POP before SMTP (see tests/integration/README.md).</summary>
        private const int PopBeforeSmtpAddress = 8;

        private static readonly TimeSpan RunBound = TimeSpan.FromSeconds(120);

        private readonly LabFixture _lab;
        private readonly OAuthLab _oauth;
        private readonly DirectoryInfo _dir;
        private readonly List<HostOneShotTimer> _timers = new List<HostOneShotTimer>();

        public OAuthSendTests(LabFixture lab)
        {
            _lab = lab;
            _oauth = new OAuthLab(lab);
            _dir = Directory.CreateTempSubdirectory("netboard-oauth-");
        }

        private string User => _lab["OAUTH_USER"];

        public void Dispose()
        {
            foreach (HostOneShotTimer timer in _timers)
            {
                timer.Dispose();
            }

            _dir.Delete(true);
        }

        [Theory]
        [InlineData("xoauth2", "XOAUTH2")]
        [InlineData("oauthbearer", "OAUTHBEARER")]
        [InlineData("auto", "OAUTHBEARER")]
        public void A_scan_goes_out_with_the_token_and_the_dialogue_masks_it(string auth, string mechanism)
        {
            var tokens = new LabTokens(_oauth, _lab);
            var log = new LinesLog();
            DeviceRuntime board = Boot(SmtpSettings(auth), tokens, log);
            string subject = "OAuth " + auth + " " + Documents.Token();
            MailJob job = Submit(board, subject);
            RunUntil(board, () => job.Attempts > 0 && job.State != JobState.Sending);

            Assert.True(job.State == JobState.Sent, "job " + job.State + " #" + job.LastErrorCode + " " + job.LastDetail + "\n" + log);
            Maildir.WaitFor(_lab["MAILDIR_OAUTH"], subject);
            Assert.Contains("C: AUTH " + mechanism + " ****", log.Lines);
            Assert.DoesNotContain(log.Lines, l => l.Contains(tokens.Issued[0].Substring(0, 60), StringComparison.Ordinal));
            Assert.DoesNotContain(tokens.Requests, r => r != null);
            Assert.DoesNotContain(board.Context.Journal.Lines(20), l => l.Contains(tokens.Issued[0].Substring(0, 60), StringComparison.Ordinal));
        }

        [Fact]
        public async Task A_revoked_token_is_refused_then_refreshed_and_the_same_attempt_sends()
        {
            OAuthReply first = (await _oauth.ClientCredentialsAsync(_lab["OAUTH_APP_CLIENT_ID"], _lab["OAUTH_APP_CLIENT_SECRET"], _lab["OAUTH_SCOPE"])).AssertToken();
            await _oauth.RevokeAsync(_lab["OAUTH_APP_CLIENT_ID"], _lab["OAUTH_APP_CLIENT_SECRET"], first.AccessToken);
            await _oauth.WaitInactiveAsync(first.AccessToken, TimeSpan.FromSeconds(10));

            var tokens = new LabTokens(_oauth, _lab, first.AccessToken);
            var log = new LinesLog();
            DeviceRuntime board = Boot(SmtpSettings("xoauth2"), tokens, log);
            string subject = "OAuth revoked " + Documents.Token();
            MailJob job = Submit(board, subject);
            RunUntil(board, () => job.Attempts > 0 && job.State != JobState.Sending);

            Assert.True(job.State == JobState.Sent, "job " + job.State + " #" + job.LastErrorCode + " " + job.LastDetail + "\n" + log);
            Assert.Equal(1, job.Attempts);
            Assert.Equal(new[] { first.AccessToken }, tokens.Requests);
            Maildir.WaitFor(_lab["MAILDIR_OAUTH"], subject);

            // Dovecot's error challenge, masked, answered with the empty line; then 535, then the new token is accepted.
            string dialogue = log.ToString();
            int challenge = dialogue.IndexOf("S: 334 ****", StringComparison.Ordinal);
            int refused = dialogue.IndexOf("S: 535 ", StringComparison.Ordinal);
            int accepted = dialogue.IndexOf("S: 235 ", StringComparison.Ordinal);
            Assert.True(challenge >= 0 && refused > challenge && accepted > refused, dialogue);
            Assert.Contains(board.Context.Journal.Lines(5), l => l.Contains("oauth-token-refreshed", StringComparison.Ordinal));
        }

        [Fact]
        public void A_token_the_server_always_refuses_ends_with_845_after_one_refresh()
        {
            // Tokens for the lab's user, presented for another mailbox: Dovecot refuses every one (wrong user).
            var tokens = new LabTokens(_oauth, _lab);
            var log = new LinesLog();
            Dictionary<string, string> settings = SmtpSettings("oauthbearer");
            settings["smtp.user"] = _lab["SCAN_USER"];
            DeviceRuntime board = Boot(settings, tokens, log);
            MailJob job = Submit(board, "OAuth wrong mailbox " + Documents.Token());
            RunUntil(board, () => job.Attempts > 0 && job.State != JobState.Sending);

            Assert.Equal(JobState.Failed, job.State);
            Assert.Equal(UserErrorCode.OAuthTokenRejected, job.LastErrorCode);
            Assert.Single(tokens.Requests, r => r != null);
            Assert.Equal(2, tokens.Issued.Count);
            Assert.Equal(2, log.Lines.Count(l => l == "C: AUTH OAUTHBEARER ****"));
            Assert.Contains(board.Context.Journal.Lines(5), l => l.Contains("NG #845", StringComparison.Ordinal));
        }

        [Fact]
        public void Pop_before_smtp_logs_in_with_the_token_then_relays()
        {
            var tokens = new LabTokens(_oauth, _lab);
            var log = new LinesLog();
            Dictionary<string, string> settings = Board.LabSettings(_lab, _lab.NoAuthPort, "off");
            settings["net.local_address"] = _lab.ForeignAddressAt(PopBeforeSmtpAddress);
            settings["pop.before_smtp"] = "on";
            settings["pop.before_smtp.delay_ms"] = "300";
            settings["pop.host"] = _lab.Host;
            settings["pop.port"] = _lab.Pop3Port.ToString();
            settings["pop.user"] = User;
            settings["pop.login"] = "xoauth2";
            DeviceRuntime board = Boot(settings, tokens, log);
            string subject = "OAuth POP before SMTP " + Documents.Token();
            MailJob job = Submit(board, subject, "someone@" + _lab["RELAY_DOMAIN"]);
            RunUntil(board, () => job.Attempts > 0 && job.State != JobState.Sending);

            Assert.True(job.State == JobState.Sent, "job " + job.State + " #" + job.LastErrorCode + " " + job.LastDetail + "\n" + log);
            Maildir.WaitFor(_lab["MAILDIR_RELAY"], subject);
            string dialogue = log.ToString();
            int auth = dialogue.IndexOf("C: AUTH XOAUTH2", StringComparison.Ordinal);
            int ok = dialogue.IndexOf("S: +OK", auth < 0 ? 0 : auth, StringComparison.Ordinal);
            int ehlo = dialogue.IndexOf("C: EHLO ", StringComparison.Ordinal);
            Assert.True(auth >= 0 && ok > auth && ehlo > ok, dialogue);
            Assert.DoesNotContain(tokens.Issued[0].Substring(0, 60), dialogue, StringComparison.Ordinal);
        }

        [Fact]
        public void A_pop_reception_logs_in_with_the_token()
        {
            // Something to receive: one message into the OAuth mailbox, sent by the board itself.
            var tokens = new LabTokens(_oauth, _lab);
            var log = new LinesLog();
            DeviceRuntime sender = Boot(SmtpSettings("auto"), tokens, null);
            string subject = "OAuth reception " + Documents.Token();
            MailJob job = Submit(sender, subject);
            RunUntil(sender, () => job.Attempts > 0 && job.State != JobState.Sending);
            Assert.Equal(JobState.Sent, job.State);
            Maildir.WaitFor(_lab["MAILDIR_OAUTH"], subject);

            Dictionary<string, string> settings = SmtpSettings("auto");
            settings["pop.host"] = _lab.Host;
            settings["pop.port"] = _lab.Pop3Port.ToString();
            settings["pop.user"] = User;
            settings["pop.login"] = "auto";
            DeviceRuntime board = Boot(settings, tokens, log);
            int before = board.Receiver.Receptions;
            board.Receiver.RequestNow();
            RunUntil(board, () => board.Receiver.Receptions > before && !board.Receiver.IsBusy);

            PopResult result = board.Receiver.LastResult;
            Assert.True(result.Success, "#" + result.ErrorCode + " " + result.Detail + "\n" + log);
            Assert.Equal("OAUTHBEARER", result.LoginMethod);
            Assert.True(result.MessagesReceived >= 1);
            Assert.True(log.Lines.Contains("C: AUTH OAUTHBEARER") && log.Lines.Contains("S: + ****"), log.ToString());
            Assert.DoesNotContain(tokens.Issued[0].Substring(0, 60), log.ToString(), StringComparison.Ordinal);
        }

        private Dictionary<string, string> SmtpSettings(string auth)
        {
            Dictionary<string, string> settings = Board.LabSettings(_lab, int.Parse(_lab["SMTP_OAUTH_PORT"]), auth);
            settings["smtp.user"] = User;
            settings["device.email"] = User;
            return settings;
        }

        private DeviceRuntime Boot(Dictionary<string, string> values, IOAuthTokens tokens, ISessionLog log)
        {
            var settings = new DeviceSettings();
            foreach (KeyValuePair<string, string> pair in values)
            {
                string problem = settings.Set(pair.Key, pair.Value);
                Assert.True(problem == null, pair.Key + ": " + problem);
            }

            string data = Path.Combine(_dir.FullName, "board" + _timers.Count);
            var storage = new FileStorage(data);
            var timer = new HostOneShotTimer();
            _timers.Add(timer);
            var runtime = new DeviceRuntime(new SettingsKeeper(settings, null), new TcpConnector(), new SystemClock(), new HostIdle(), storage, timer, new HostEngine(storage, Path.Combine(data, "printed")));
            runtime.Context.RandomSource = new SystemRandomSource();
            runtime.Context.OAuth = tokens;
            runtime.Context.SessionLog = log;
            return runtime;
        }

        private MailJob Submit(DeviceRuntime board, string subject, string to = null)
        {
            string name = "docs/" + Documents.Token() + "/scan.pdf";
            using (NetBoard.Hal.IStorageWriter writer = board.Context.Storage.Create(name))
            {
                byte[] pdf = Encoding.ASCII.GetBytes("%PDF-1.4 OAuth test\n");
                writer.Write(pdf, 0, pdf.Length);
                writer.Commit();
            }

            MailJob job = board.Queue.Submit(JobKind.Email, new[] { to ?? User }, subject, name, out string problem);
            Assert.True(job != null, problem);
            return job;
        }

        private static void RunUntil(DeviceRuntime board, Func<bool> done)
        {
            var watch = Stopwatch.StartNew();
            while (!done())
            {
                Assert.True(watch.Elapsed < RunBound, "the board did not finish within " + RunBound.TotalSeconds + " s");
                board.RunOnce();
            }
        }

        /// <summary>The verbose dialogue as the board logs it.</summary>
        private sealed class LinesLog : ISessionLog
        {
            public List<string> Lines { get; } = new List<string>();

            public void Line(bool sent, string text)
            {
                lock (Lines)
                {
                    Lines.Add((sent ? "C: " : "S: ") + text);
                }
            }

            public override string ToString() => string.Join("\n", Lines);
        }
    }

    /// <summary>
    /// A token keeper over the lab: client credentials (lab-app, scope mail) requested in the background, never on the
    /// scheduler's step; a refused token is dropped and a new one requested. Records what it issued and every request.
    /// </summary>
    internal sealed class LabTokens : IOAuthTokens
    {
        private readonly OAuthLab _oauth;
        private readonly LabFixture _lab;
        private readonly object _gate = new object();
        private Task<OAuthReply> _pending;
        private string _current;

        public LabTokens(OAuthLab oauth, LabFixture lab, string first = null)
        {
            _oauth = oauth;
            _lab = lab;
            if (first != null)
            {
                _current = first;
                Issued.Add(first);
            }
            else
            {
                _pending = Fetch();
            }
        }

        public List<string> Issued { get; } = new List<string>();

        public List<string> Requests { get; } = new List<string>();

        public bool IsConfigured => true;

        public OAuthTokenStatus Status
        {
            get
            {
                lock (_gate)
                {
                    Update();
                    return _current != null ? OAuthTokenStatus.Ready : (_pending != null ? OAuthTokenStatus.Refreshing : OAuthTokenStatus.Failed);
                }
            }
        }

        public int ErrorCode => 0;

        public byte[] CopyAccessToken(long nowMs)
        {
            lock (_gate)
            {
                Update();
                return _current == null ? null : Encoding.ASCII.GetBytes(_current);
            }
        }

        public void RequestRefresh(byte[] rejected)
        {
            lock (_gate)
            {
                string refused = rejected == null ? null : Encoding.ASCII.GetString(rejected);
                Requests.Add(refused);
                if (refused != null && refused == _current)
                {
                    _current = null;
                }

                if (_current == null && _pending == null)
                {
                    _pending = Fetch();
                }
            }
        }

        private Task<OAuthReply> Fetch() => Task.Run(() => _oauth.ClientCredentialsAsync(_lab["OAUTH_APP_CLIENT_ID"], _lab["OAUTH_APP_CLIENT_SECRET"], _lab["OAUTH_SCOPE"]));

        private void Update()
        {
            if (_pending == null || !_pending.IsCompleted)
            {
                return;
            }

            OAuthReply reply = _pending.Result;
            _pending = null;
            _current = reply.AccessToken;
            if (_current != null)
            {
                Issued.Add(_current);
            }
        }
    }
}
