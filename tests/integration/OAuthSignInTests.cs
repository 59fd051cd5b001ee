using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using NetBoard.Boards.Host;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.OAuth;
using NetBoard.Firmware.Settings;
using NetBoard.Firmware.Storage;

namespace NetBoard.Integration.Tests
{
    /// <summary>
    /// The board's own token side against the lab's authorization server: device sign-in approved or denied at the
    /// verification page as a person would, an expired code, refresh after expiry with rotation, client credentials, and a
    /// revoked refresh token. The firmware's keeper runs on the virtual board (real sockets, the board's flash in a temp
    /// folder); the lab's introspection endpoint says whether the mail servers would accept what it got.
    /// </summary>
    [Collection(LabCollection.Name)]
    public sealed class OAuthSignInTests : IDisposable
    {
        /// <summary>A bound on a stuck run (not a timing assertion).</summary>
        private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

        private readonly LabFixture _lab;
        private readonly OAuthLab _oauth;
        private readonly Board _board = new Board();

        public OAuthSignInTests(LabFixture lab)
        {
            _lab = lab;
            _oauth = new OAuthLab(lab);
        }

        public void Dispose() => _board.Dispose();

        private Dictionary<string, string> Settings(string clientId, string grant = "device")
        {
            Dictionary<string, string> settings = Board.LabSettings(_lab, int.Parse(_lab["SMTP_OAUTH_PORT"]), "auto");
            settings["smtp.user"] = _lab["OAUTH_USER"];
            settings["oauth.provider"] = "custom";
            settings["oauth.grant"] = grant;
            settings["oauth.client_id"] = clientId;
            settings["oauth.device_endpoint"] = _lab["OAUTH_DEVICE_AUTHORIZATION_ENDPOINT"];
            settings["oauth.token_endpoint"] = _lab["OAUTH_TOKEN_ENDPOINT"];
            settings["oauth.scope"] = _lab["OAUTH_SCOPE"] + (grant == "device" ? " offline_access" : string.Empty);
            return settings;
        }

        private HostBoard Open(Dictionary<string, string> settings, string data)
        {
            DeviceSettings parsed = SettingsFile.Load(_board.WriteSettings(settings), TextWriter.Null);
            Assert.NotNull(parsed);
            return HostBoard.Open(parsed, data, null);
        }

        private static void RunUntil(HostBoard board, Func<bool> done)
        {
            DateTime giveUp = DateTime.UtcNow + Bound;
            board.RunUntil(() => done() || DateTime.UtcNow > giveUp);
            Assert.True(done(), "not done within " + Bound.TotalSeconds + " s: " + board.Runtime.OAuth.StatusLine());
        }

        private static string Stored(HostBoard board, string field)
        {
            CredentialEntry entry = new CredentialStore(board.Storage).Read(OAuthTokenKeeper.TokenEntry);
            return entry?.GetText(field);
        }

        private async Task<HostBoard> SignedInAsync(string clientId)
        {
            HostBoard board = Open(Settings(clientId), _board.NewFolder("data-" + Guid.NewGuid().ToString("N")));
            OAuthTokenKeeper keeper = board.Runtime.OAuth;
            Assert.Null(keeper.StartSignIn());
            RunUntil(board, () => keeper.SignInState != OAuthSignInState.Starting);
            Assert.Equal(OAuthSignInState.WaitingForUser, keeper.SignInState);
            VerificationPage page = await _oauth.ApproveAsync(keeper.UserCode);
            Assert.True(page.Result != null && page.Result.StartsWith("approved", StringComparison.Ordinal), page.Html);
            RunUntil(board, () => keeper.SignInState != OAuthSignInState.WaitingForUser);
            Assert.Equal(OAuthSignInState.SignedIn, keeper.SignInState);
            return board;
        }

        [Fact]
        public async Task Oauth_login_on_the_virtual_board_shows_the_code_and_stores_tokens_the_mail_server_accepts()
        {
            string settingsPath = _board.WriteSettings(Settings(_lab["OAUTH_DEVICE_CLIENT_ID"]));
            string data = _board.NewFolder("data");
            var output = new WatchedWriter();
            var error = new StringWriter();
            Task<int> login = Task.Run(() => Program.Run(new[] { "oauth", "login", "--settings", settingsPath, "--data", data, "--verbose" }, TextReader.Null, output, error));

            Match shown = await output.WaitForAsync(new Regex("open (\\S+) and enter the code ([A-Z]{4}-[A-Z]{4})"), Bound);
            Assert.Equal(_lab["OAUTH_VERIFICATION_URI"], shown.Groups[1].Value);
            VerificationPage page = await _oauth.ApproveAsync(shown.Groups[2].Value);
            Assert.StartsWith("approved", page.Result);
            Assert.Equal(0, await login.WaitAsync(Bound));
            Assert.Contains("Signed in.", output.Text);

            // The verbose dialogue shows the requests but no device code, token or form values.
            string dialogue = error.ToString();
            Assert.Contains("C: POST /connect/token HTTP/1.1", dialogue);
            Assert.Contains("****", dialogue);

            BoardRun status = Board.Run("oauth", "status", "--settings", settingsPath, "--data", data);
            Assert.True(status.ExitCode == 0, status.ToString());
            Assert.StartsWith("OAuth: ready", status.Output);

            using (HostBoard board = Open(Settings(_lab["OAUTH_DEVICE_CLIENT_ID"]), data))
            {
                string access = Stored(board, "access");
                string refresh = Stored(board, "refresh");
                Assert.NotNull(refresh);
                JsonElement seen = await _oauth.IntrospectAsync(access);
                Assert.True(seen.GetProperty("active").GetBoolean());
                Assert.Equal(_lab["OAUTH_USER"], seen.GetProperty(_lab["OAUTH_MAILBOX_CLAIM"]).GetString());
                Assert.DoesNotContain(access, dialogue);
                Assert.DoesNotContain(refresh, dialogue);
                Assert.DoesNotContain(access, output.Text + status.Output);
                Assert.DoesNotContain(refresh, File.ReadAllText(settingsPath));
                Assert.Equal(access, Encoding.ASCII.GetString(board.Runtime.OAuth.CopyAccessToken(board.Clock.NowMs)));
            }

            // Owner-only, like the rest of the board's flash.
            string file = Path.Combine(data, "credentials", OAuthTokenKeeper.TokenEntry + ".cred");
            Assert.True(File.Exists(file));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }

            BoardRun logout = Board.Run("oauth", "logout", "--settings", settingsPath, "--data", data);
            Assert.Equal(0, logout.ExitCode);
            Assert.False(File.Exists(file));
            Assert.Equal(1, Board.Run("oauth", "status", "--settings", settingsPath, "--data", data).ExitCode);
        }

        [Fact]
        public async Task A_denied_sign_in_ends_with_864_and_stores_nothing()
        {
            using HostBoard board = Open(Settings(_lab["OAUTH_DEVICE_CLIENT_ID"]), _board.NewFolder("data"));
            OAuthTokenKeeper keeper = board.Runtime.OAuth;
            Assert.Null(keeper.StartSignIn());
            RunUntil(board, () => keeper.SignInState == OAuthSignInState.WaitingForUser);
            VerificationPage page = await _oauth.DenyAsync(keeper.UserCode);
            Assert.StartsWith("denied", page.Result);
            RunUntil(board, () => keeper.SignInState == OAuthSignInState.Failed);
            Assert.Equal(UserErrorCode.OAuthAccessDenied, keeper.SignInErrorCode);
            Assert.Equal(OAuthTokenStatus.SignInNeeded, keeper.Status);
            Assert.Null(Stored(board, "refresh"));
        }

        [Fact]
        public void A_code_nobody_enters_expires_with_865()
        {
            using HostBoard board = Open(Settings(_lab["OAUTH_SHORT_DEVICE_CLIENT_ID"]), _board.NewFolder("data"));
            OAuthTokenKeeper keeper = board.Runtime.OAuth;
            Assert.Null(keeper.StartSignIn());
            RunUntil(board, () => keeper.SignInState == OAuthSignInState.Failed);
            Assert.Equal(UserErrorCode.OAuthCodeExpired, keeper.SignInErrorCode);
        }

        [Fact]
        public async Task After_expiry_the_refresh_token_grant_rotates_the_refresh_token_and_the_old_one_is_refused()
        {
            using HostBoard board = await SignedInAsync(_lab["OAUTH_SHORT_DEVICE_CLIENT_ID"]);
            OAuthTokenKeeper keeper = board.Runtime.OAuth;
            string firstAccess = Stored(board, "access");
            string firstRefresh = Stored(board, "refresh");

            // Short tokens (5 s): let it run out unused, then ask as a mail task does.
            RunUntil(board, () => keeper.CopyAccessToken(board.Clock.NowMs) == null);
            await _oauth.WaitInactiveAsync(firstAccess, Bound);
            keeper.RequestRefresh(null);
            RunUntil(board, () => keeper.Status == OAuthTokenStatus.Ready);

            string access = Encoding.ASCII.GetString(keeper.CopyAccessToken(board.Clock.NowMs));
            Assert.NotEqual(firstAccess, access);
            Assert.Equal(access, Stored(board, "access"));
            string refresh = Stored(board, "refresh");
            Assert.NotEqual(firstRefresh, refresh);
            Assert.True((await _oauth.IntrospectAsync(access)).GetProperty("active").GetBoolean());
            Assert.Equal("invalid_grant", (await _oauth.RefreshAsync(_lab["OAUTH_SHORT_DEVICE_CLIENT_ID"], firstRefresh)).Error);
        }

        [Fact]
        public async Task A_revoked_refresh_token_means_sign_in_again_with_861()
        {
            using HostBoard board = await SignedInAsync(_lab["OAUTH_DEVICE_CLIENT_ID"]);
            OAuthTokenKeeper keeper = board.Runtime.OAuth;
            string access = Stored(board, "access");
            await _oauth.RevokeAsync(_lab["OAUTH_DEVICE_CLIENT_ID"], null, Stored(board, "refresh"));

            // A mail server refused the access token: the keeper drops it and tries its refresh token.
            keeper.RequestRefresh(Encoding.ASCII.GetBytes(access));
            RunUntil(board, () => keeper.Status != OAuthTokenStatus.Refreshing);
            Assert.Equal(OAuthTokenStatus.SignInNeeded, keeper.Status);
            Assert.Equal(UserErrorCode.OAuthGrantRefused, keeper.ErrorCode);
            Assert.Null(Stored(board, "refresh"));
        }

        [Fact]
        public async Task Client_credentials_get_an_app_token_without_sign_in()
        {
            Dictionary<string, string> settings = Settings(_lab["OAUTH_APP_CLIENT_ID"], "client_credentials");
            string settingsPath = _board.WriteSettings(settings);
            string data = _board.NewFolder("data");

            // The secret comes from standard input, never the command line or the settings file.
            BoardRun none = Board.Run("oauth", "status", "--settings", settingsPath, "--data", data);
            Assert.Contains("#867", none.Output);
            var stored = new StringWriter();
            Assert.Equal(0, Program.Run(new[] { "oauth", "secret", "--settings", settingsPath, "--data", data }, new StringReader(_lab["OAUTH_APP_CLIENT_SECRET"] + "\n"), stored, TextWriter.Null));
            Assert.DoesNotContain(_lab["OAUTH_APP_CLIENT_SECRET"], File.ReadAllText(settingsPath));

            BoardRun status = Board.Run("oauth", "status", "--settings", settingsPath, "--data", data);
            Assert.True(status.ExitCode == 0, status.ToString());
            Assert.DoesNotContain(_lab["OAUTH_APP_CLIENT_SECRET"], status.Output + status.Error);

            using HostBoard board = Open(settings, data);
            string access = Stored(board, "access");
            Assert.Null(Stored(board, "refresh"));
            JsonElement seen = await _oauth.IntrospectAsync(access);
            Assert.True(seen.GetProperty("active").GetBoolean());
            Assert.Equal(_lab["OAUTH_USER"], seen.GetProperty(_lab["OAUTH_MAILBOX_CLAIM"]).GetString());

            // A wrong secret is the client's fault, said as such.
            using HostBoard wrong = Open(settings, _board.NewFolder("wrong"));
            wrong.Runtime.OAuth.SetClientSecret(Encoding.UTF8.GetBytes("wrong-secret"));
            RunUntil(wrong, () => wrong.Runtime.OAuth.Status == OAuthTokenStatus.Failed);
            Assert.Equal(UserErrorCode.OAuthClientRejected, wrong.Runtime.OAuth.ErrorCode);
        }

        /// <summary>A writer another thread can wait on for a line.</summary>
        private sealed class WatchedWriter : TextWriter
        {
            private readonly StringBuilder _text = new StringBuilder();

            public override Encoding Encoding => Encoding.UTF8;

            public string Text
            {
                get
                {
                    lock (_text)
                    {
                        return _text.ToString();
                    }
                }
            }

            public override void Write(char value)
            {
                lock (_text)
                {
                    _text.Append(value);
                }
            }

            public async Task<Match> WaitForAsync(Regex pattern, TimeSpan bound)
            {
                DateTime giveUp = DateTime.UtcNow + bound;
                while (true)
                {
                    Match match = pattern.Match(Text);
                    if (match.Success)
                    {
                        return match;
                    }

                    Assert.True(DateTime.UtcNow < giveUp, "never printed: " + pattern + "\n" + Text);
                    await Task.Delay(100);
                }
            }
        }
    }
}
