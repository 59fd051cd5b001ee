using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Tasks;

namespace NetBoard.Integration.Tests
{
    /// <summary>
    /// The test side of the lab's OAuth 2.0 authorization server (tests/lab/oauth): the HTTP requests a device makes
    /// (device authorization, token polling, refresh, client credentials, revocation), the resource server's
    /// introspection, and <see cref="ApproveAsync"/> / <see cref="DenyAsync"/>, which do what a person does in a browser
    /// at the verification page: open verification_uri, type the user code, sign in with the lab user's name and
    /// password, then press Allow or Deny. Every page is fetched and every form submitted as the server rendered it
    /// (hidden fields included), through one HttpClient with a cookie container per sign-in, so the sign-in cookie and the
    /// anti-forgery cookie travel like a browser's. Endpoints, client ids and users come from the lab's env output.
    /// </summary>
    internal sealed class OAuthLab
    {
        /// <summary>The grant type of the device authorization grant (RFC 8628 section 3.4).</summary>
        public const string DeviceCodeGrant = "urn:ietf:params:oauth:grant-type:device_code";

        /// <summary>The bound on polling for a token (a bound on a stuck test, not an assertion on speed).</summary>
        private static readonly TimeSpan PollBound = TimeSpan.FromSeconds(60);

        /// <summary>The env keys this helper reads.</summary>
        private static readonly string[] Keys =
        {
            "OAUTH_DEVICE_AUTHORIZATION_ENDPOINT", "OAUTH_TOKEN_ENDPOINT", "OAUTH_INTROSPECTION_ENDPOINT",
            "OAUTH_REVOCATION_ENDPOINT", "OAUTH_VERIFICATION_URI", "OAUTH_INTROSPECTION_CLIENT_ID",
            "OAUTH_INTROSPECTION_CLIENT_SECRET", "OAUTH_USER", "OAUTH_PASSWORD", "SMTP_OAUTH_PORT",
        };

        private static readonly HttpClient Http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };

        private readonly LabFixture _lab;

        public OAuthLab(LabFixture lab)
        {
            foreach (string key in Keys)
            {
                // fails with the key's name when the running lab predates the OAuth server
                _ = lab[key];
            }

            _lab = lab;
        }

        /// <summary>The verification page (verification_uri).</summary>
        public Uri VerificationUri => new Uri(_lab["OAUTH_VERIFICATION_URI"]);

        /// <summary>POST to the device authorization endpoint (RFC 8628 section 3.1); fails the test on an error reply.</summary>
        public async Task<DeviceAuthorization> AuthorizeDeviceAsync(string clientId, string scope)
        {
            OAuthReply reply = await PostAsync(_lab["OAUTH_DEVICE_AUTHORIZATION_ENDPOINT"], null,
                ("client_id", clientId), ("scope", scope));
            Assert.True(reply.Status == HttpStatusCode.OK, "device authorization failed: " + reply);
            return new DeviceAuthorization(clientId, reply.Json);
        }

        /// <summary>One token request with the device code (RFC 8628 section 3.4): a token or an error such as authorization_pending.</summary>
        public Task<OAuthReply> PollAsync(DeviceAuthorization device)
        {
            device.LastPollUtc = DateTime.UtcNow;
            return PostAsync(_lab["OAUTH_TOKEN_ENDPOINT"], null,
                ("grant_type", DeviceCodeGrant), ("device_code", device.DeviceCode), ("client_id", device.ClientId));
        }

        /// <summary>
        /// Polls like a device: the interval after the previous poll (<see cref="PollAsync"/> included), 5 s more after
        /// slow_down, and returns the first reply that is not authorization_pending or slow_down.
        /// </summary>
        public async Task<OAuthReply> PollUntilDecidedAsync(DeviceAuthorization device)
        {
            TimeSpan interval = TimeSpan.FromSeconds(device.IntervalS);
            DateTime giveUp = DateTime.UtcNow + PollBound;
            if (device.LastPollUtc.HasValue)
            {
                TimeSpan wait = device.LastPollUtc.Value + interval - DateTime.UtcNow;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait);
                }
            }

            while (true)
            {
                OAuthReply reply = await PollAsync(device);
                if (reply.Error == "slow_down")
                {
                    interval += TimeSpan.FromSeconds(5);
                }
                else if (reply.Error != "authorization_pending")
                {
                    return reply;
                }

                Assert.True(DateTime.UtcNow < giveUp, "still " + reply.Error + " after " + PollBound.TotalSeconds + " s");
                await Task.Delay(interval);
            }
        }

        /// <summary>The refresh token grant (RFC 6749 section 6) for a public client.</summary>
        public Task<OAuthReply> RefreshAsync(string clientId, string refreshToken)
        {
            return PostAsync(_lab["OAUTH_TOKEN_ENDPOINT"], null,
                ("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("client_id", clientId));
        }

        /// <summary>The client credentials grant (RFC 6749 section 4.4) with client_secret_basic.</summary>
        public Task<OAuthReply> ClientCredentialsAsync(string clientId, string secret, string scope)
        {
            return PostAsync(_lab["OAUTH_TOKEN_ENDPOINT"], (clientId, secret),
                ("grant_type", "client_credentials"), ("scope", scope));
        }

        /// <summary>Revocation (RFC 7009) by the client the token was issued to; a secret only for a confidential client.</summary>
        public async Task RevokeAsync(string clientId, string secret, string token)
        {
            OAuthReply reply = secret == null
                ? await PostAsync(_lab["OAUTH_REVOCATION_ENDPOINT"], null, ("token", token), ("client_id", clientId))
                : await PostAsync(_lab["OAUTH_REVOCATION_ENDPOINT"], (clientId, secret), ("token", token));
            Assert.True(reply.Status == HttpStatusCode.OK, "revocation failed: " + reply);
        }

        /// <summary>Introspection (RFC 7662) as the mail server does it: what Dovecot is told about the token.</summary>
        public async Task<JsonElement> IntrospectAsync(string token)
        {
            OAuthReply reply = await PostAsync(_lab["OAUTH_INTROSPECTION_ENDPOINT"],
                (_lab["OAUTH_INTROSPECTION_CLIENT_ID"], _lab["OAUTH_INTROSPECTION_CLIENT_SECRET"]), ("token", token));
            Assert.True(reply.Status == HttpStatusCode.OK, "introspection failed: " + reply);
            return reply.Json;
        }

        /// <summary>Waits until introspection calls the token inactive (expired or revoked); fails after the bound.</summary>
        public async Task WaitInactiveAsync(string token, TimeSpan bound)
        {
            DateTime giveUp = DateTime.UtcNow + bound;
            while ((await IntrospectAsync(token)).GetProperty("active").GetBoolean())
            {
                Assert.True(DateTime.UtcNow < giveUp, "the token is still active after " + bound.TotalSeconds + " s");
                await Task.Delay(250);
            }
        }

        /// <summary>Signs in at the verification page as the lab's OAuth user and allows the device; returns the final page.</summary>
        public Task<VerificationPage> ApproveAsync(string userCode)
        {
            return DecideAsync(userCode, _lab["OAUTH_USER"], _lab["OAUTH_PASSWORD"], "submit.accept");
        }

        /// <summary>Signs in at the verification page as the lab's OAuth user and denies the device; returns the final page.</summary>
        public Task<VerificationPage> DenyAsync(string userCode)
        {
            return DecideAsync(userCode, _lab["OAUTH_USER"], _lab["OAUTH_PASSWORD"], "submit.deny");
        }

        /// <summary>
        /// A person at the verification page: opens verification_uri, types <paramref name="userCode"/>, signs in with
        /// <paramref name="user"/> and <paramref name="password"/> and presses the consent button <paramref name="button"/>
        /// (submit.accept or submit.deny). Stops at the first page that is not the expected next step and returns it
        /// (a wrong code or a wrong password ends on its page with the error the server shows).
        /// </summary>
        public async Task<VerificationPage> DecideAsync(string userCode, string user, string password, string button)
        {
            using Browser browser = new Browser();
            VerificationPage page = await browser.GetAsync(VerificationUri);
            HtmlForm codeForm = page.Form("code");
            Assert.True(codeForm != null, "the verification page has no code form:\n" + page.Html);
            codeForm.Fields["user_code"] = userCode;
            page = await browser.SubmitAsync(page, codeForm, null);

            HtmlForm login = page.Form("login");
            if (login == null)
            {
                return page;
            }

            login.Fields["username"] = user;
            login.Fields["password"] = password;
            page = await browser.SubmitAsync(page, login, null);

            HtmlForm consent = page.Form("consent");
            if (consent == null)
            {
                return page;
            }

            return await browser.SubmitAsync(page, consent, button);
        }

        private static async Task<OAuthReply> PostAsync(string endpoint, (string Id, string Secret)? basic, params (string Name, string Value)[] form)
        {
            using HttpRequestMessage request = new HttpRequestMessage(HttpMethod.Post, endpoint)
            {
                Content = new FormUrlEncodedContent(form.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))),
            };
            if (basic.HasValue)
            {
                // RFC 6749 section 2.3.1: the id and secret are form-encoded before they are joined
                string pair = Uri.EscapeDataString(basic.Value.Id) + ":" + Uri.EscapeDataString(basic.Value.Secret);
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(pair)));
            }

            using HttpResponseMessage response = await Http.SendAsync(request);
            string body = await response.Content.ReadAsStringAsync();
            return new OAuthReply(response.StatusCode, body);
        }

        /// <summary>A browser: one cookie jar, redirects followed, the final address of each page kept for relative form actions.</summary>
        private sealed class Browser : IDisposable
        {
            private readonly HttpClient _client = new HttpClient(new SocketsHttpHandler
            {
                CookieContainer = new CookieContainer(),
                UseCookies = true,
                AllowAutoRedirect = true,
            })
            {
                Timeout = TimeSpan.FromSeconds(30),
            };

            public async Task<VerificationPage> GetAsync(Uri address)
            {
                using HttpResponseMessage response = await _client.GetAsync(address);
                return await VerificationPage.ReadAsync(response);
            }

            /// <summary>Submits <paramref name="form"/> of <paramref name="page"/> with its fields and the named button, if any.</summary>
            public async Task<VerificationPage> SubmitAsync(VerificationPage page, HtmlForm form, string button)
            {
                Uri action = new Uri(page.Address, form.Action);
                List<KeyValuePair<string, string>> fields = form.Fields.ToList();
                if (button != null)
                {
                    string value;
                    Assert.True(form.Buttons.TryGetValue(button, out value), "the form has no button " + button + ":\n" + page.Html);
                    fields.Add(new KeyValuePair<string, string>(button, value));
                }

                if (string.Equals(form.Method, "post", StringComparison.OrdinalIgnoreCase))
                {
                    using HttpResponseMessage posted = await _client.PostAsync(action, new FormUrlEncodedContent(fields));
                    return await VerificationPage.ReadAsync(posted);
                }

                UriBuilder query = new UriBuilder(action)
                {
                    Query = string.Join("&", fields.Select(f => Uri.EscapeDataString(f.Key) + "=" + Uri.EscapeDataString(f.Value))),
                };
                using HttpResponseMessage got = await _client.GetAsync(query.Uri);
                return await VerificationPage.ReadAsync(got);
            }

            public void Dispose()
            {
                _client.Dispose();
            }
        }
    }
}
