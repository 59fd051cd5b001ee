using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using MailKit.Net.Pop3;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace NetBoard.Integration.Tests
{
    /// <summary>
    /// The lab's OAuth 2.0 side, proven with the reference client MailKit: tokens from the lab's authorization server
    /// (device authorization grant approved at its verification page, client credentials, refresh) are accepted by Postfix
    /// (XOAUTH2 and OAUTHBEARER on the OAuth port, through Dovecot SASL) and Dovecot's POP3, and refused once expired,
    /// revoked or presented for another mailbox. If these fail, the lab is at fault, not the firmware.
    /// </summary>
    [Collection(LabCollection.Name)]
    public sealed class OAuthLabTests
    {
        /// <summary>The foreign address this class uses for POP before SMTP (see tests/integration/README.md).</summary>
        private const int PopBeforeSmtpAddress = 9;

        private readonly LabFixture _lab;
        private readonly OAuthLab _oauth;

        public OAuthLabTests(LabFixture lab)
        {
            _lab = lab;
            _oauth = new OAuthLab(lab);
        }

        private string User => _lab["OAUTH_USER"];

        private int OAuthPort => int.Parse(_lab["SMTP_OAUTH_PORT"]);

        private string MailScope => _lab["OAUTH_SCOPE"];

        [Fact]
        public async Task Device_flow_approved_at_the_verification_page_then_MailKit_sends_with_XOAUTH2_and_OAUTHBEARER_and_reads_POP3()
        {
            DeviceAuthorization device = await _oauth.AuthorizeDeviceAsync(_lab["OAUTH_DEVICE_CLIENT_ID"], MailScope + " offline_access");
            Assert.Matches("^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$", device.UserCode);
            Assert.Equal(_lab["OAUTH_VERIFICATION_URI"], device.VerificationUri);
            Assert.Equal(device.VerificationUri + "?user_code=" + device.UserCode, device.VerificationUriComplete);
            Assert.Equal(int.Parse(_lab["OAUTH_POLL_INTERVAL_S"]), device.IntervalS);
            Assert.InRange(device.ExpiresInS, 1, int.Parse(_lab["OAUTH_DEVICE_CODE_TTL_S"]));

            Assert.Equal("authorization_pending", (await _oauth.PollAsync(device)).Error);

            VerificationPage approved = await _oauth.ApproveAsync(device.UserCode);
            Assert.True(approved.Result != null && approved.Result.StartsWith("approved", StringComparison.Ordinal), approved.Html);

            OAuthReply token = (await _oauth.PollUntilDecidedAsync(device)).AssertToken();
            Assert.NotNull(token.RefreshToken);
            Assert.InRange(token.ExpiresInS, 1, int.Parse(_lab["OAUTH_ACCESS_TOKEN_TTL_S"]));
            Assert.Equal(new[] { MailScope, "offline_access" }, token.Scope.Split(' ').OrderBy(s => s, StringComparer.Ordinal));

            // what Dovecot learns: active, for this mailbox, addressed to the mail server
            JsonElement seen = await _oauth.IntrospectAsync(token.AccessToken);
            Assert.True(seen.GetProperty("active").GetBoolean());
            Assert.Equal(User, seen.GetProperty(_lab["OAUTH_MAILBOX_CLAIM"]).GetString());
            Assert.Equal(_lab["OAUTH_INTROSPECTION_CLIENT_ID"], seen.GetProperty("aud").GetString());

            string viaXoauth2 = SendWith(new SaslMechanismOAuth2(User, token.AccessToken));
            string viaOAuthBearer = SendWith(new SaslMechanismOAuthBearer(User, token.AccessToken));
            Maildir.WaitFor(_lab["MAILDIR_OAUTH"], viaXoauth2);
            Maildir.WaitFor(_lab["MAILDIR_OAUTH"], viaOAuthBearer);

            foreach (SaslMechanism mechanism in new SaslMechanism[] { new SaslMechanismOAuth2(User, token.AccessToken), new SaslMechanismOAuthBearer(User, token.AccessToken) })
            {
                using Pop3Client pop = new Pop3Client { Timeout = 30000 };
                pop.Connect(_lab.Host, _lab.Pop3Port, SecureSocketOptions.None);
                Assert.Contains(mechanism.MechanismName, pop.AuthenticationMechanisms);
                pop.Authenticate(mechanism);
                List<string> subjects = pop.GetMessageHeaders(0, pop.Count).Select(h => h[HeaderId.Subject]).ToList();
                Assert.Contains(subjects, s => s.Contains(viaXoauth2, StringComparison.Ordinal));
                Assert.Contains(subjects, s => s.Contains(viaOAuthBearer, StringComparison.Ordinal));
                pop.Disconnect(true);
            }

            // no token, password or client secret in any lab log
            foreach (string log in new[] { _lab["OAUTH_LOG"], _lab["DOVECOT_LOG"], _lab["POSTFIX_LOG"] })
            {
                string text = File.ReadAllText(log);
                foreach (string secret in new[] { token.AccessToken, token.RefreshToken, _lab["OAUTH_PASSWORD"], _lab["OAUTH_INTROSPECTION_CLIENT_SECRET"], _lab["OAUTH_APP_CLIENT_SECRET"], device.DeviceCode })
                {
                    Assert.False(text.Contains(secret, StringComparison.Ordinal), Path.GetFileName(log) + " contains a secret");
                }
            }
        }

        [Fact]
        public async Task A_POP3_login_with_a_token_authorises_POP_before_SMTP()
        {
            OAuthReply token = (await _oauth.ClientCredentialsAsync(_lab["OAUTH_APP_CLIENT_ID"], _lab["OAUTH_APP_CLIENT_SECRET"], MailScope)).AssertToken();
            IPEndPoint from = new IPEndPoint(IPAddress.Parse(_lab.ForeignAddressAt(PopBeforeSmtpAddress)), 0);

            using (Pop3Client pop = new Pop3Client { Timeout = 30000, LocalEndPoint = from })
            {
                pop.Connect(_lab.Host, _lab.Pop3Port, SecureSocketOptions.None);
                pop.Authenticate(new SaslMechanismOAuth2(User, token.AccessToken));
                pop.Disconnect(true);
            }

            string subject = "POP before SMTP with a token " + Documents.Token();
            using (SmtpClient smtp = new SmtpClient { Timeout = 30000, LocalEndPoint = from })
            {
                smtp.Connect(_lab.Host, _lab.NoAuthPort, SecureSocketOptions.None);
                smtp.Send(Message(_lab.RelayRecipient, subject));
                smtp.Disconnect(true);
            }

            Maildir.WaitFor(_lab["MAILDIR_RELAY"], subject);
        }

        [Fact]
        public async Task After_expiry_the_token_is_refused_and_a_refresh_gives_a_new_one_and_rotates_the_refresh_token()
        {
            string client = _lab["OAUTH_SHORT_DEVICE_CLIENT_ID"];
            int lifetimeS = int.Parse(_lab["OAUTH_SHORT_ACCESS_TOKEN_TTL_S"]);
            DeviceAuthorization device = await _oauth.AuthorizeDeviceAsync(client, MailScope + " offline_access");
            Assert.StartsWith("approved", (await _oauth.ApproveAsync(device.UserCode)).Result);
            OAuthReply first = (await _oauth.PollUntilDecidedAsync(device)).AssertToken();
            Assert.InRange(first.ExpiresInS, 1, lifetimeS);

            await _oauth.WaitInactiveAsync(first.AccessToken, TimeSpan.FromSeconds(lifetimeS + 15));
            Assert.Throws<AuthenticationException>(() => SendWith(new SaslMechanismOAuth2(User, first.AccessToken)));

            OAuthReply second = (await _oauth.RefreshAsync(client, first.RefreshToken)).AssertToken();
            Assert.NotEqual(first.AccessToken, second.AccessToken);
            Assert.NotNull(second.RefreshToken);
            Assert.NotEqual(first.RefreshToken, second.RefreshToken);
            Maildir.WaitFor(_lab["MAILDIR_OAUTH"], SendWith(new SaslMechanismOAuthBearer(User, second.AccessToken)));

            // rotation: the redeemed refresh token is not accepted again
            Assert.Equal("invalid_grant", (await _oauth.RefreshAsync(client, first.RefreshToken)).Error);
        }

        [Fact]
        public async Task A_revoked_token_gets_the_JSON_challenge_then_535_on_SMTP_and_ERR_on_POP3()
        {
            string app = _lab["OAUTH_APP_CLIENT_ID"];
            string secret = _lab["OAUTH_APP_CLIENT_SECRET"];
            OAuthReply token = (await _oauth.ClientCredentialsAsync(app, secret, MailScope)).AssertToken();
            Maildir.WaitFor(_lab["MAILDIR_OAUTH"], SendWith(new SaslMechanismOAuth2(User, token.AccessToken)));

            await _oauth.RevokeAsync(app, secret, token.AccessToken);
            Assert.False((await _oauth.IntrospectAsync(token.AccessToken)).GetProperty("active").GetBoolean());

            string xoauth2 = Base64("user=" + User + "\u0001auth=Bearer " + token.AccessToken + "\u0001\u0001");
            string oauthBearer = Base64("n,a=" + User + ",\u0001auth=Bearer " + token.AccessToken + "\u0001\u0001");
            using (Dialogue smtp = new Dialogue(_lab.Host, OAuthPort))
            {
                Assert.StartsWith("220", smtp.Reply());
                smtp.Send("EHLO client.lab.test");
                string ehlo = smtp.Reply();
                Assert.Matches(" AUTH [A-Z0-9 -]* XOAUTH2 OAUTHBEARER", ehlo);

                smtp.Send("AUTH XOAUTH2 " + xoauth2);
                AssertChallenge(smtp.Reply(), "334 ", "{\"status\":\"401\",\"schemes\":\"bearer\",\"scope\":\"mail\"}");
                smtp.Send(string.Empty);
                Assert.StartsWith("535 5.7.8 ", smtp.Reply());

                smtp.Send("AUTH OAUTHBEARER " + oauthBearer);
                AssertChallenge(smtp.Reply(), "334 ", "{\"status\":\"invalid_token\"}");
                smtp.Send("AQ==");
                Assert.StartsWith("535 5.7.8 ", smtp.Reply());
            }

            using (Dialogue pop = new Dialogue(_lab.Host, _lab.Pop3Port))
            {
                Assert.StartsWith("+OK", pop.Line());
                pop.Send("AUTH XOAUTH2 " + xoauth2);
                AssertChallenge(pop.Line(), "+ ", "{\"status\":\"401\",\"schemes\":\"bearer\",\"scope\":\"mail\"}");
                pop.Send(string.Empty);
                Assert.StartsWith("-ERR [AUTH]", pop.Line());
            }

            Assert.Throws<AuthenticationException>(() => SendWith(new SaslMechanismOAuthBearer(User, token.AccessToken)));
        }

        [Fact]
        public async Task Denied_at_the_verification_page_the_device_gets_access_denied()
        {
            DeviceAuthorization device = await _oauth.AuthorizeDeviceAsync(_lab["OAUTH_DEVICE_CLIENT_ID"], MailScope + " offline_access");

            // a wrong password ends on the sign-in page with its error and decides nothing
            VerificationPage wrong = await _oauth.DecideAsync(device.UserCode, User, "not-" + _lab["OAUTH_PASSWORD"], "submit.accept");
            Assert.Equal("Wrong user name or password.", wrong.Error);
            Assert.NotNull(wrong.Form("login"));
            Assert.Equal("authorization_pending", (await _oauth.PollAsync(device)).Error);

            VerificationPage denied = await _oauth.DenyAsync(device.UserCode);
            Assert.True(denied.Result != null && denied.Result.StartsWith("denied", StringComparison.Ordinal), denied.Html);

            OAuthReply reply = await _oauth.PollUntilDecidedAsync(device);
            Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
            Assert.Equal("access_denied", reply.Error);
            Assert.Null(reply.AccessToken);
        }

        [Fact]
        public async Task Unapproved_until_the_device_code_expires_the_device_gets_expired_token_and_the_page_refuses_the_code()
        {
            DeviceAuthorization device = await _oauth.AuthorizeDeviceAsync(_lab["OAUTH_SHORT_DEVICE_CLIENT_ID"], MailScope + " offline_access");
            Assert.InRange(device.ExpiresInS, 1, int.Parse(_lab["OAUTH_SHORT_DEVICE_CODE_TTL_S"]));
            Assert.Equal("authorization_pending", (await _oauth.PollAsync(device)).Error);

            await Task.Delay(TimeSpan.FromSeconds(device.ExpiresInS + 1.5));

            OAuthReply reply = await _oauth.PollAsync(device);
            Assert.Equal("expired_token", reply.Error);
            Assert.Null(reply.AccessToken);

            VerificationPage late = await _oauth.ApproveAsync(device.UserCode);
            Assert.Null(late.Result);
            Assert.Contains("not valid or has expired", late.Error);
        }

        [Fact]
        public async Task Polling_faster_than_the_interval_gets_slow_down()
        {
            DeviceAuthorization device = await _oauth.AuthorizeDeviceAsync(_lab["OAUTH_DEVICE_CLIENT_ID"], MailScope);
            Assert.Equal("authorization_pending", (await _oauth.PollAsync(device)).Error);
            // the next request follows at once, well inside the interval
            OAuthReply fast = await _oauth.PollAsync(device);
            Assert.Equal(HttpStatusCode.BadRequest, fast.Status);
            Assert.Equal("slow_down", fast.Error);
        }

        [Fact]
        public async Task Client_credentials_token_sends_for_the_app_mailbox_only()
        {
            string app = _lab["OAUTH_APP_CLIENT_ID"];
            OAuthReply token = (await _oauth.ClientCredentialsAsync(app, _lab["OAUTH_APP_CLIENT_SECRET"], MailScope)).AssertToken();
            Assert.Null(token.RefreshToken);
            Assert.InRange(token.ExpiresInS, 1, int.Parse(_lab["OAUTH_ACCESS_TOKEN_TTL_S"]));

            JsonElement seen = await _oauth.IntrospectAsync(token.AccessToken);
            Assert.Equal(User, seen.GetProperty(_lab["OAUTH_MAILBOX_CLAIM"]).GetString());
            Assert.Equal(app, seen.GetProperty("client_id").GetString());

            Maildir.WaitFor(_lab["MAILDIR_OAUTH"], SendWith(new SaslMechanismOAuthBearer(User, token.AccessToken)));
            // the same token for another mailbox: Dovecot compares the mailbox claim with the SASL user
            Assert.Throws<AuthenticationException>(() => SendWith(new SaslMechanismOAuth2(_lab["SCAN_USER"], token.AccessToken)));

            OAuthReply wrongSecret = await _oauth.ClientCredentialsAsync(app, "not-" + _lab["OAUTH_APP_CLIENT_SECRET"], MailScope);
            Assert.Equal(HttpStatusCode.Unauthorized, wrongSecret.Status);
            Assert.Equal("invalid_client", wrongSecret.Error);
        }

        [Fact]
        public void Only_the_OAuth_port_announces_the_bearer_mechanisms_and_the_sign_in_password_is_no_mail_password()
        {
            using (SmtpClient passwords = new SmtpClient { Timeout = 30000 })
            {
                passwords.Connect(_lab.Host, _lab.AuthPort, SecureSocketOptions.None);
                Assert.Contains("PLAIN", passwords.AuthenticationMechanisms);
                Assert.Contains("CRAM-MD5", passwords.AuthenticationMechanisms);
                Assert.DoesNotContain("XOAUTH2", passwords.AuthenticationMechanisms);
                Assert.DoesNotContain("OAUTHBEARER", passwords.AuthenticationMechanisms);
                passwords.Disconnect(true);
            }

            using (SmtpClient oauth = new SmtpClient { Timeout = 30000 })
            {
                oauth.Connect(_lab.Host, OAuthPort, SecureSocketOptions.None);
                Assert.Contains("XOAUTH2", oauth.AuthenticationMechanisms);
                Assert.Contains("OAUTHBEARER", oauth.AuthenticationMechanisms);
                Assert.True(oauth.Capabilities.HasFlag(SmtpCapabilities.StartTLS));
                Assert.Throws<AuthenticationException>(() => oauth.Authenticate(new NetworkCredential(User, _lab["OAUTH_PASSWORD"])));
            }
        }

        /// <summary>Sends one message to the OAuth mailbox through the OAuth port after authenticating with <paramref name="mechanism"/>; returns its subject token.</summary>
        private string SendWith(SaslMechanism mechanism)
        {
            string token = Documents.Token();
            using SmtpClient client = new SmtpClient { Timeout = 30000 };
            client.Connect(_lab.Host, OAuthPort, SecureSocketOptions.None);
            client.Authenticate(mechanism);
            client.Send(Message(User, "Sent with " + mechanism.MechanismName + " " + token));
            client.Disconnect(true);
            return token;
        }

        private MimeMessage Message(string to, string subject)
        {
            MimeMessage message = new MimeMessage();
            message.From.Add(MailboxAddress.Parse(User));
            message.To.Add(MailboxAddress.Parse(to));
            message.Subject = subject;
            message.Body = new TextPart("plain") { Text = "OAuth lab check.\r\n" };
            return message;
        }

        private static string Base64(string text)
        {
            return Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
        }

        private static void AssertChallenge(string reply, string prefix, string json)
        {
            Assert.StartsWith(prefix, reply);
            Assert.Equal(json, Encoding.UTF8.GetString(Convert.FromBase64String(reply.Substring(prefix.Length).Trim())));
        }

        /// <summary>A plain line dialogue with a mail server for the exchanges a client library hides.</summary>
        private sealed class Dialogue : IDisposable
        {
            private readonly TcpClient _tcp;
            private readonly StreamReader _reader;
            private readonly StreamWriter _writer;

            public Dialogue(string host, int port)
            {
                _tcp = new TcpClient();
                _tcp.Connect(host, port);
                _tcp.ReceiveTimeout = 30000;
                NetworkStream stream = _tcp.GetStream();
                _reader = new StreamReader(stream, Encoding.ASCII);
                _writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            }

            public void Send(string line)
            {
                _writer.WriteLine(line);
            }

            public string Line()
            {
                string line = _reader.ReadLine();
                Assert.NotNull(line);
                return line;
            }

            /// <summary>An SMTP reply; the lines of a multi-line reply joined by spaces after their codes.</summary>
            public string Reply()
            {
                string all = string.Empty;
                while (true)
                {
                    string line = Line();
                    all += all.Length == 0 ? line : " " + line.Substring(4);
                    if (line.Length < 4 || line[3] != '-')
                    {
                        return Regex.Replace(all, @"^(\d{3})-", "$1 ");
                    }
                }
            }

            public void Dispose()
            {
                _tcp.Dispose();
            }
        }
    }
}
