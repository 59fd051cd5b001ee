using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using NetBoard.Firmware.Diagnostics;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.OAuth;
using NetBoard.Firmware.Scheduling;
using NetBoard.Firmware.Settings;
using NetBoard.Firmware.Storage;
using NetBoard.Firmware.Tests.Doubles;

namespace NetBoard.Firmware.Tests.OAuth
{
    public class OAuthTokenKeeperTests
    {
        private const string TokenUrl = "http://127.0.0.1:42080/connect/token";
        private const string DeviceUrl = "http://127.0.0.1:42080/connect/device";
        private const string ClientSecret = "cs-SECRET-42";

        private readonly VirtualClock _clock = new VirtualClock();
        private readonly CapturingLog _log = new CapturingLog();
        private MemoryStorage _storage = new MemoryStorage();
        private ScriptedHttpServer _server;
        private DeviceContext _context;
        private OAuthTokenKeeper _keeper;
        private CooperativeScheduler _scheduler;

        private sealed class CapturingLog : ISessionLog
        {
            public List<string> Lines { get; } = new List<string>();

            public void Line(bool sent, string text) => Lines.Add((sent ? "C: " : "S: ") + text);
        }

        private static DeviceSettings Settings(string grant = "device", params (string Key, string Value)[] more)
        {
            var settings = new DeviceSettings();
            Assert.Null(settings.Set(SettingKeys.OAuthProvider, "custom"));
            Assert.Null(settings.Set(SettingKeys.OAuthGrant, grant));
            Assert.Null(settings.Set(SettingKeys.OAuthClientId, grant == "device" ? "lab-device" : "lab-app"));
            Assert.Null(settings.Set(SettingKeys.OAuthTokenEndpoint, TokenUrl));
            Assert.Null(settings.Set(SettingKeys.OAuthDeviceEndpoint, DeviceUrl));
            Assert.Null(settings.Set(SettingKeys.OAuthScope, "mail offline_access"));
            foreach (var (key, value) in more)
            {
                Assert.Null(settings.Set(key, value));
            }

            return settings;
        }

        private void Boot(DeviceSettings settings, Func<ScriptedHttpRequest, string> handler)
        {
            _server = new ScriptedHttpServer(handler) { Clock = _clock };
            _context = new DeviceContext(new SettingsKeeper(settings, null), _server, _clock, _storage, new VirtualTimer(_clock), null) { SessionLog = _log };
            _keeper = new OAuthTokenKeeper(_context);
            _context.OAuth = _keeper;
            _scheduler = new CooperativeScheduler(_clock, _clock);
            _scheduler.Add(_keeper);
        }

        private void RunUntil(Func<bool> done, long maxMs = 120000)
        {
            long end = _clock.NowMs + maxMs;
            while (!done())
            {
                Assert.True(_clock.NowMs < end, "not done within " + maxMs + " ms of virtual time; status " + _keeper.StatusLine());
                _scheduler.RunOnce();
            }
        }

        private void RunFor(long ms)
        {
            long end = _clock.NowMs + ms;
            while (_clock.NowMs < end)
            {
                _scheduler.RunOnce();
            }
        }

        private void StoreTokens(string refresh, string access = null, long lifetimeS = 0)
        {
            var entry = new CredentialEntry();
            entry.SetText("config", OAuthConfiguration.From(Settings()).Fingerprint);
            entry.SetText("refresh", refresh);
            if (access != null)
            {
                entry.SetText("access", access);
                long issued = _clock.UtcNow.Ticks;
                entry.SetText("issued", issued.ToString());
                entry.SetText("expires", (issued + (lifetimeS * TimeSpan.TicksPerSecond)).ToString());
            }

            new CredentialStore(_storage).Write(OAuthTokenKeeper.TokenEntry, entry);
        }

        private string Stored(string field)
        {
            CredentialEntry entry = new CredentialStore(_storage).Read(OAuthTokenKeeper.TokenEntry);
            return entry?.GetText(field);
        }

        private string Token() => _keeper.CopyAccessToken(_clock.NowMs) is byte[] t ? Encoding.ASCII.GetString(t) : null;

        private static string TokenJson(string access, string refresh = null, int expiresIn = 3600) =>
            ScriptedHttpServer.Json(200, "{\"access_token\":\"" + access + "\",\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn
                + (refresh == null ? string.Empty : ",\"refresh_token\":\"" + refresh + "\"") + "}");

        private static string Error(string error, int status = 400) => ScriptedHttpServer.Json(status, "{\"error\":\"" + error + "\",\"error_description\":\"why\"}");

        [Fact]
        public void Off_by_default_and_never_connects()
        {
            Boot(new DeviceSettings(), r => throw new InvalidOperationException("no request expected"));
            RunFor(20000);
            Assert.False(_keeper.IsConfigured);
            Assert.Equal(OAuthTokenStatus.Off, _keeper.Status);
            Assert.Null(Token());
            Assert.Empty(_server.Requests);
        }

        [Fact]
        public void Client_credentials_get_a_token_without_sign_in_with_the_secret_in_basic_auth()
        {
            Boot(Settings("client_credentials"), r => TokenJson("at-app-1", expiresIn: 60));
            Assert.Null(_keeper.SetClientSecret(Encoding.UTF8.GetBytes(ClientSecret)));
            Assert.True(_keeper.HasClientSecret);

            RunUntil(() => _keeper.Status == OAuthTokenStatus.Ready);

            ScriptedHttpRequest request = Assert.Single(_server.Requests);
            Assert.Equal("POST /connect/token HTTP/1.1", request.RequestLine);
            Assert.Equal("client_credentials", request.Grant);
            Assert.Equal("mail offline_access", request.Form["scope"]);
            Assert.Equal("lab-app:" + ClientSecret, request.Basic);
            Assert.False(request.Form.ContainsKey("client_id"));
            Assert.Equal("at-app-1", Token());
            Assert.Equal("at-app-1", Stored("access"));
            Assert.Null(Stored("refresh"));

            // The secret lives in its own credential entry, not in the settings.
            Assert.DoesNotContain(ClientSecret, _context.Settings.Serialize());
        }

        [Fact]
        public void Client_credentials_without_a_secret_is_a_settings_error_and_sends_nothing()
        {
            Boot(Settings("client_credentials"), r => TokenJson("x"));
            RunFor(10000);
            Assert.Empty(_server.Requests);
            Assert.Equal(OAuthTokenStatus.Failed, _keeper.Status);
            Assert.Equal(UserErrorCode.OAuthSettingsIncomplete, _keeper.ErrorCode);
        }

        [Fact]
        public void Device_grant_without_a_refresh_token_needs_a_sign_in()
        {
            Boot(Settings(), r => throw new InvalidOperationException("no request expected"));
            RunFor(10000);
            Assert.Equal(OAuthTokenStatus.SignInNeeded, _keeper.Status);
            Assert.Equal(UserErrorCode.OAuthSignInNeeded, _keeper.ErrorCode);
            Assert.Null(Token());
        }

        [Fact]
        public void A_rotated_refresh_token_is_stored_and_the_next_refresh_redeems_it()
        {
            StoreTokens("rt-1");
            int n = 0;
            Boot(Settings(), r => { n++; return TokenJson("at-" + n, "rt-" + (n + 1), 60); });

            RunUntil(() => _keeper.Status == OAuthTokenStatus.Ready);
            Assert.Equal("refresh_token", _server.Requests[0].Grant);
            Assert.Equal("rt-1", _server.Requests[0].Form["refresh_token"]);
            Assert.Equal("lab-device", _server.Requests[0].Form["client_id"]);
            Assert.Equal("rt-2", Stored("refresh"));
            Assert.Equal("at-1", Token());

            // A mail server refused it: dropped at once, and the next refresh sends the rotated token.
            _keeper.RequestRefresh(Encoding.ASCII.GetBytes("at-1"));
            Assert.Null(Token());
            RunUntil(() => _server.Requests.Count == 2 && _keeper.Status == OAuthTokenStatus.Ready);
            Assert.Equal("rt-2", _server.Requests[1].Form["refresh_token"]);
            Assert.Equal("rt-3", Stored("refresh"));
            Assert.Equal("at-2", Token());
        }

        [Fact]
        public void A_token_in_use_is_renewed_before_it_expires_and_an_unused_one_is_not()
        {
            StoreTokens("rt-1");
            int n = 0;
            Boot(Settings(), r => { n++; return TokenJson("at-" + n, "rt-" + (n + 1), 60); });
            RunUntil(() => _keeper.Status == OAuthTokenStatus.Ready);

            // Nobody used it: it runs out and nothing is asked until a mail task asks.
            RunFor(120000);
            Assert.Single(_server.Requests);
            Assert.Null(Token());
            _keeper.RequestRefresh(null);
            RunUntil(() => _server.Requests.Count == 2 && _keeper.Status == OAuthTokenStatus.Ready);

            Assert.Equal("at-2", Token());
            long issued = _server.Requests[1].AtMs;
            RunUntil(() => Stored("refresh") == "rt-4");

            // 60 s tokens: kept back 12 s before expiry, renewed from 24 s before, so a user never finds none.
            Assert.InRange(_server.Requests[2].AtMs - issued, 35000, 37000);
            Assert.Equal("at-3", Token());
        }

        [Fact]
        public void Without_rotation_the_redeemed_refresh_token_is_kept()
        {
            StoreTokens("rt-keep");
            Boot(Settings(), r => TokenJson("at-1", null, 60));
            RunUntil(() => _keeper.Status == OAuthTokenStatus.Ready);
            Assert.Equal("rt-keep", Stored("refresh"));
        }

        [Fact]
        public void Invalid_grant_on_refresh_means_sign_in_again_and_the_refused_token_is_removed()
        {
            StoreTokens("rt-revoked");
            Boot(Settings(), r => Error("invalid_grant"));
            RunUntil(() => _keeper.Status == OAuthTokenStatus.SignInNeeded);
            Assert.Equal(UserErrorCode.OAuthGrantRefused, _keeper.ErrorCode);
            Assert.Null(Stored("refresh"));
            RunFor(30000);
            Assert.Single(_server.Requests);
            Assert.Contains("#861", _keeper.StatusLine());
        }

        [Theory]
        [InlineData("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n")]
        [InlineData("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 17\r\n\r\n{\"access_token\":1")]
        [InlineData("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")]
        [InlineData("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 13\r\n\r\n<html></html>")]
        [InlineData("HTTP/1.1 2OO OK\r\n\r\n")]
        [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 40\r\n\r\n{\"access_token\":\"cut")]
        [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n")]
        [InlineData("SMTP ready\r\n")]
        public void A_failing_or_malformed_token_endpoint_is_a_server_error_retried_with_back_off(string answer)
        {
            StoreTokens("rt-1");
            int n = 0;
            Boot(Settings(), r => ++n <= 2 ? answer : TokenJson("at-ok", "rt-2", 60));

            RunUntil(() => _keeper.Status == OAuthTokenStatus.Failed);
            Assert.Equal(UserErrorCode.OAuthServerError, _keeper.ErrorCode);
            Assert.Equal("rt-1", Stored("refresh"));
            Assert.Null(Token());

            RunUntil(() => _keeper.Status == OAuthTokenStatus.Ready);
            Assert.Equal(3, _server.Requests.Count);
            Assert.Equal(OAuthTokenKeeper.FirstBackoffMs, _server.Requests[1].AtMs - _server.Requests[0].AtMs, 200.0);
            Assert.Equal(2 * OAuthTokenKeeper.FirstBackoffMs, _server.Requests[2].AtMs - _server.Requests[1].AtMs, 200.0);
            Assert.Equal("rt-2", Stored("refresh"));
        }

        [Fact]
        public void A_token_endpoint_that_never_answers_times_out_without_holding_up_the_scheduler()
        {
            StoreTokens("rt-1");
            Boot(Settings(), r => null);
            var other = new CountingTask();
            _scheduler.Add(other);

            RunUntil(() => _keeper.Status == OAuthTokenStatus.Failed, 60000);
            Assert.Equal(UserErrorCode.OAuthServerUnreachable, _keeper.ErrorCode);
            Assert.True(_clock.NowMs >= 30000);

            // The other task ran all along, at least once per idle period.
            Assert.True(other.Steps > 250, "other task steps: " + other.Steps);
            Assert.Equal("rt-1", Stored("refresh"));
        }

        [Fact]
        public void An_unreachable_server_is_reported_and_retried()
        {
            StoreTokens("rt-1");
            Boot(Settings(), r => TokenJson("at-1", "rt-2", 60));
            _server.Refuse = NetBoard.Hal.NetError.Refused;
            RunUntil(() => _keeper.Status == OAuthTokenStatus.Failed);
            Assert.Equal(UserErrorCode.OAuthServerUnreachable, _keeper.ErrorCode);
            _server.Refuse = null;
            RunUntil(() => _keeper.Status == OAuthTokenStatus.Ready);
            Assert.Equal("at-1", Token());
        }

        [Fact]
        public void Invalid_client_waits_long_and_says_which_settings()
        {
            Boot(Settings("client_credentials"), r => Error("invalid_client", 401));
            _keeper.SetClientSecret(Encoding.UTF8.GetBytes("wrong"));
            RunUntil(() => _keeper.Status == OAuthTokenStatus.Failed);
            Assert.Equal(UserErrorCode.OAuthClientRejected, _keeper.ErrorCode);
            RunFor(OAuthTokenKeeper.MaxBackoffMs - 10000);
            Assert.Single(_server.Requests);
        }

        [Fact]
        public void Device_sign_in_polls_at_the_interval_slows_down_and_stores_the_refresh_token()
        {
            int polls = 0;
            Boot(Settings(), r =>
            {
                if (r.RequestLine.StartsWith("POST /connect/device", StringComparison.Ordinal))
                {
                    return ScriptedHttpServer.Json(200, "{\"device_code\":\"dc-SECRET-9\",\"user_code\":\"BCDF-GHJK\",\"verification_uri\":\"http://127.0.0.1:42080/connect/verify\",\"expires_in\":300,\"interval\":2}");
                }

                polls++;
                return polls switch
                {
                    1 => Error("authorization_pending"),
                    2 => Error("slow_down"),
                    3 => Error("authorization_pending"),
                    _ => TokenJson("at-dev", "rt-dev", 60),
                };
            });

            Assert.Null(_keeper.StartSignIn());
            RunUntil(() => _keeper.SignInState == OAuthSignInState.WaitingForUser);
            Assert.Equal("BCDF-GHJK", _keeper.UserCode);
            Assert.Equal("http://127.0.0.1:42080/connect/verify", _keeper.VerificationUri);
            ScriptedHttpRequest authorize = _server.Requests[0];
            Assert.Equal("lab-device", authorize.Form["client_id"]);
            Assert.Equal("mail offline_access", authorize.Form["scope"]);

            RunUntil(() => _keeper.SignInState == OAuthSignInState.SignedIn);
            var p = _server.Requests.Skip(1).ToList();
            Assert.Equal(4, p.Count);
            Assert.All(p, r => Assert.Equal(OAuthConfiguration.DeviceCodeGrantType, r.Grant));
            Assert.All(p, r => Assert.Equal("dc-SECRET-9", r.Form["device_code"]));
            Assert.Equal(2000, p[0].AtMs - authorize.AtMs, 200.0);
            Assert.Equal(2000, p[1].AtMs - p[0].AtMs, 200.0);
            Assert.Equal(7000, p[2].AtMs - p[1].AtMs, 200.0);
            Assert.Equal(7000, p[3].AtMs - p[2].AtMs, 200.0);

            Assert.Equal("rt-dev", Stored("refresh"));
            Assert.True(_keeper.IsSignedIn);
            Assert.Equal(OAuthTokenStatus.Ready, _keeper.Status);
            Assert.Equal("at-dev", Token());
            Assert.Equal(string.Empty, _keeper.UserCode);
        }

        [Theory]
        [InlineData("access_denied", UserErrorCode.OAuthAccessDenied)]
        [InlineData("expired_token", UserErrorCode.OAuthCodeExpired)]
        [InlineData("invalid_client", UserErrorCode.OAuthClientRejected)]
        public void A_refused_sign_in_ends_with_its_code(string error, int code)
        {
            Boot(Settings(), r => r.RequestLine.Contains("/connect/device")
                ? ScriptedHttpServer.Json(200, "{\"device_code\":\"dc\",\"user_code\":\"AAAA-BBBB\",\"verification_uri\":\"https://x.test/v\",\"expires_in\":60}")
                : Error(error));
            _keeper.StartSignIn();
            RunUntil(() => _keeper.SignInState == OAuthSignInState.Failed);
            Assert.Equal(code, _keeper.SignInErrorCode);
            Assert.Equal(OAuthTokenStatus.SignInNeeded, _keeper.Status);
            Assert.Null(Stored("refresh"));

            // The default interval (5 s) applies when the server names none.
            Assert.Equal(5000, _server.Requests[1].AtMs - _server.Requests[0].AtMs, 200.0);
        }

        [Fact]
        public void A_code_nobody_enters_expires_on_the_device_clock_too()
        {
            Boot(Settings(), r => r.RequestLine.Contains("/connect/device")
                ? ScriptedHttpServer.Json(200, "{\"device_code\":\"dc\",\"user_code\":\"AAAA-BBBB\",\"verification_uri\":\"https://x.test/v\",\"expires_in\":12,\"interval\":5}")
                : Error("authorization_pending"));
            _keeper.StartSignIn();
            RunUntil(() => _keeper.SignInState == OAuthSignInState.Failed);
            Assert.Equal(UserErrorCode.OAuthCodeExpired, _keeper.SignInErrorCode);
            Assert.InRange(_clock.NowMs, 12000, 13000);
        }

        [Fact]
        public void A_malformed_device_authorization_fails_the_sign_in()
        {
            Boot(Settings(), r => ScriptedHttpServer.Json(200, "{\"user_code\":\"AAAA-BBBB\"}"));
            _keeper.StartSignIn();
            RunUntil(() => _keeper.SignInState == OAuthSignInState.Failed);
            Assert.Equal(UserErrorCode.OAuthServerError, _keeper.SignInErrorCode);
        }

        [Fact]
        public void Sign_in_is_refused_when_off_or_app_only()
        {
            Boot(new DeviceSettings(), r => null);
            Assert.NotNull(_keeper.StartSignIn());
            Boot(Settings("client_credentials"), r => null);
            Assert.NotNull(_keeper.StartSignIn());
        }

        [Fact]
        public void The_dialogue_log_never_shows_a_token_a_device_code_or_the_client_secret()
        {
            int polls = 0;
            Boot(Settings(), r =>
            {
                if (r.RequestLine.Contains("/connect/device"))
                {
                    return ScriptedHttpServer.Json(200, "{\"device_code\":\"dc-SECRET-9\",\"user_code\":\"BCDF-GHJK\",\"verification_uri\":\"https://v.test/\",\"interval\":1}");
                }

                return ++polls == 1 ? Error("authorization_pending") : TokenJson("at-SECRET-" + polls, "rt-SECRET-" + polls, 60);
            });
            _keeper.SetClientSecret(Encoding.UTF8.GetBytes(ClientSecret));
            _keeper.StartSignIn();
            RunUntil(() => _keeper.SignInState == OAuthSignInState.SignedIn);
            _keeper.RequestRefresh(_keeper.CopyAccessToken(_clock.NowMs));
            RunUntil(() => _server.Requests.Count == 4 && _keeper.Status == OAuthTokenStatus.Ready);

            string log = string.Join("\n", _log.Lines);
            Assert.Contains("C: POST /connect/token HTTP/1.1", log);
            Assert.Contains("Authorization: Basic ****", log);
            Assert.DoesNotContain("SECRET", log);
            Assert.DoesNotContain("SECRET", _keeper.StatusLine());
            Assert.Contains("lab-device:" + ClientSecret, _server.Requests[1].Basic);

            // Nothing of the secrets is left in the settings or outside the credential store.
            Assert.All(_storage.Files.Where(f => !f.Key.StartsWith(CredentialStore.Folder, StringComparison.Ordinal)),
                f => Assert.DoesNotContain("SECRET", Encoding.ASCII.GetString(f.Value)));
        }

        [Fact]
        public void A_stored_access_token_is_used_after_a_restart_while_the_wall_clock_says_it_is_valid()
        {
            StoreTokens("rt-1", "at-stored", 3600);
            Boot(Settings(), r => TokenJson("at-new", "rt-2", 3600));
            Assert.Equal(OAuthTokenStatus.Ready, _keeper.Status);
            Assert.Equal("at-stored", Token());
            RunFor(5000);
            Assert.Empty(_server.Requests);
        }

        [Fact]
        public void An_expired_stored_access_token_is_refreshed_after_a_restart()
        {
            StoreTokens("rt-1", "at-stored", 3600);
            _clock.Advance(3600 * 1000L);
            Boot(Settings(), r => TokenJson("at-new", "rt-2", 3600));
            Assert.Null(Token());
            RunUntil(() => _keeper.Status == OAuthTokenStatus.Ready);
            Assert.Equal("at-new", Token());
        }

        [Fact]
        public void Tokens_of_another_client_are_not_used()
        {
            StoreTokens("rt-1", "at-stored", 3600);
            Boot(Settings("device", (SettingKeys.OAuthClientId, "another-client")), r => TokenJson("x"));
            Assert.Equal(OAuthTokenStatus.SignInNeeded, _keeper.Status);
            Assert.Null(Token());
        }

        [Fact]
        public void Sign_out_forgets_the_tokens()
        {
            StoreTokens("rt-1", "at-stored", 3600);
            Boot(Settings(), r => TokenJson("x"));
            Assert.Equal("at-stored", Token());
            Assert.Null(_keeper.SignOut());
            Assert.Null(Token());
            Assert.Equal(OAuthTokenStatus.SignInNeeded, _keeper.Status);
            Assert.Null(new CredentialStore(_storage).Read(OAuthTokenKeeper.TokenEntry));
        }

        [Fact]
        public void A_power_cut_at_any_point_of_a_rotation_leaves_the_old_or_the_new_refresh_token()
        {
            var outcomes = new HashSet<string>();
            for (int cut = 0; ; cut++)
            {
                _storage = new MemoryStorage();
                StoreTokens("rt-old");
                Boot(Settings(), r =>
                {
                    // The power fails after `cut` flash operations from the moment the server has rotated the token.
                    _storage.CutAfter = _storage.Operations + cut;
                    return TokenJson("at-new", "rt-new", 60);
                });
                RunUntil(() => _server.Requests.Count == 1 && _keeper.Status != OAuthTokenStatus.Refreshing);
                bool wasCut = _storage.IsCut;

                MemoryStorage rebooted = _storage.Reboot();
                CredentialEntry entry = new CredentialStore(rebooted).Read(OAuthTokenKeeper.TokenEntry);
                Assert.NotNull(entry);
                string refresh = entry.GetText("refresh");
                Assert.True(refresh == "rt-old" || refresh == "rt-new", "cut " + cut + ": " + refresh);
                outcomes.Add(refresh);
                if (!wasCut)
                {
                    Assert.Equal("rt-new", refresh);
                    break;
                }

                // Until the write is known done, the new token is not redeemed again.
                if (_keeper.Status == OAuthTokenStatus.Ready)
                {
                    Assert.Contains("#868", _keeper.StatusLine());
                }
            }

            Assert.Equal(new[] { "rt-new", "rt-old" }, outcomes.OrderBy(o => o));
        }

        [Fact]
        public void A_failed_token_write_is_retried_before_the_new_refresh_token_is_redeemed()
        {
            StoreTokens("rt-1");
            int n = 0;
            Boot(Settings(), r => { n++; return TokenJson("at-" + n, "rt-" + (n + 1), 10); });
            _storage.FailCreate = name => name.StartsWith(CredentialStore.Folder, StringComparison.Ordinal);
            RunUntil(() => _server.Requests.Count == 1 && _keeper.Status == OAuthTokenStatus.Ready);
            Assert.Contains("#868", _keeper.StatusLine());
            Assert.Equal("at-1", Token());

            RunFor(30000);
            Assert.Single(_server.Requests);
            Assert.Equal("rt-1", Stored("refresh"));

            _storage.FailCreate = null;
            RunUntil(() => Stored("refresh") == "rt-2");
            _keeper.RequestRefresh(null);
            RunUntil(() => _server.Requests.Count == 2);
            Assert.Equal("rt-2", _server.Requests[1].Form["refresh_token"]);
        }

        private sealed class CountingTask : SchedulerTask
        {
            public CountingTask()
                : base("count")
            {
            }

            public int Steps { get; private set; }

            public override void Step(long nowMs)
            {
                Steps++;
                SleepUntil(nowMs + 100);
            }
        }
    }
}
