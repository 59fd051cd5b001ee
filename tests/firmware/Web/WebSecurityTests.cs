using System;
using System.Security.Cryptography;
using System.Text;
using NetBoard.Firmware.Storage;
using NetBoard.Firmware.Tests.Doubles;
using NetBoard.Firmware.Web;
using NetBoard.Hal;

namespace NetBoard.Firmware.Tests.Web
{
    public sealed class WebSecurityTests
    {
        [Theory]
        [InlineData("nb_session=abc", "abc")]
        [InlineData("a=1; nb_session=abc; b=2", "abc")]
        [InlineData("a=1;nb_session=abc  ", "abc")]
        [InlineData("xnb_session=abc", null)]
        [InlineData("nb_session_2=abc", null)]
        [InlineData("", null)]
        [InlineData("nb_session", null)]
        public void The_session_cookie_is_found_by_its_exact_name(string header, string value)
        {
            Assert.Equal(value, WebSessions.CookieValue(header, WebSessions.CookieName));
        }

        [Theory]
        [InlineData("abc", "abc", true)]
        [InlineData("abc", "abd", false)]
        [InlineData("abc", "ab", false)]
        [InlineData("", "", false)]
        [InlineData(null, "a", false)]
        public void Tokens_compare_whole(string a, string b, bool same)
        {
            Assert.Equal(same, WebSessions.SameToken(a, b));
        }

        [Fact]
        public void The_stored_hash_is_pbkdf2_hmac_sha256_of_the_password_with_its_salt()
        {
            var storage = new MemoryStorage();
            var credentials = new CredentialStore(storage);
            var admin = new AdminPassword(credentials, new OsRandom());
            Assert.False(admin.IsSet);

            PasswordDerivation derivation = admin.StartNew("Pässword-1");
            int steps = 0;
            while (!derivation.Run(PasswordDerivation.RoundsPerStep))
            {
                steps++;
            }

            admin.Store(derivation);
            Assert.True(admin.IsSet);
            Assert.Equal(AdminPassword.Iterations / PasswordDerivation.RoundsPerStep - 1, steps);

            CredentialEntry entry = credentials.Read(AdminPassword.EntryName);
            byte[] expected = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes("Pässword-1"), entry.Get("salt"), AdminPassword.Iterations, HashAlgorithmName.SHA256, 32);
            Assert.Equal(expected, entry.Get("hash"));

            Assert.True(Check(admin, "Pässword-1"));
            Assert.False(Check(admin, "Password-1"));
            Assert.False(Check(admin, "Pässword-"));

            // A second password has its own salt.
            PasswordDerivation again = admin.StartNew("Pässword-1");
            while (!again.Run(1000))
            {
            }

            admin.Store(again);
            Assert.NotEqual(entry.Get("salt"), credentials.Read(AdminPassword.EntryName).Get("salt"));
        }

        [Fact]
        public void A_damaged_or_weakened_entry_reads_as_no_password()
        {
            var credentials = new CredentialStore(new MemoryStorage());
            var admin = new AdminPassword(credentials, new OsRandom());
            var entry = new CredentialEntry();
            entry.Set("salt", new byte[16], 0, 16);
            entry.SetText("iterations", "1");
            entry.Set("hash", new byte[32], 0, 32);
            credentials.Write(AdminPassword.EntryName, entry);

            Assert.False(admin.IsSet);
            Assert.Null(admin.StartCheck("anything"));
        }

        [Fact]
        public void The_lockout_starts_after_three_failures_doubles_and_stops_at_fifteen_minutes()
        {
            var guard = new SignInGuard();
            guard.Failed(0);
            guard.Failed(0);
            Assert.False(guard.IsLocked(0));
            guard.Failed(1000);
            Assert.True(guard.IsLocked(1000));
            Assert.Equal(30000, guard.RemainingMs(1000));
            Assert.False(guard.IsLocked(31000));

            long[] expected = { 60000, 120000, 240000, 480000, 900000, 900000 };
            foreach (long lockout in expected)
            {
                guard.Failed(100000);
                Assert.Equal(lockout, guard.RemainingMs(100000));
            }

            guard.Succeeded();
            Assert.False(guard.IsLocked(100001));
            Assert.Equal(0, guard.Failures);
        }

        [Fact]
        public void Sessions_are_random_replace_anonymous_ones_first_and_never_outlive_their_lifetime()
        {
            var sessions = new WebSessions(new OsRandom(), 60000);
            WebSession signedIn = sessions.Open(0, true);
            Assert.Matches("^[0-9a-f]{64}$", signedIn.Id);
            Assert.Matches("^[0-9a-f]{32}$", signedIn.CsrfToken);

            WebSession[] anonymous = new WebSession[WebSessions.Capacity - 1];
            for (int i = 0; i < anonymous.Length; i++)
            {
                anonymous[i] = sessions.Open(10 + i, false);
            }

            string firstAnonymous = anonymous[0].Id;
            sessions.Open(100, false);
            Assert.Null(sessions.Find("nb_session=" + firstAnonymous, 100));
            Assert.Same(signedIn, sessions.Find("nb_session=" + signedIn.Id, 100));

            // Used every minute, it still ends after 8 hours.
            long now = 100;
            while (now < WebSessions.LifetimeMs - 60000)
            {
                now += 50000;
                Assert.NotNull(sessions.Find("nb_session=" + signedIn.Id, now));
            }

            Assert.Null(sessions.Find("nb_session=" + signedIn.Id, WebSessions.LifetimeMs));
        }

        [Fact]
        public void The_server_keeps_asking_a_handler_that_is_not_done_and_then_sends_its_answer()
        {
            var listener = new QueueListener();
            var handler = new SlowHandler();
            var task = new WebServerTask(listener, handler);
            var connection = new FakeConnection { State = NetState.Open };
            connection.Deliver("GET / HTTP/1.1\r\nHost: b\r\n\r\n");
            listener.Pending.Enqueue(connection);

            long now = 0;
            for (int i = 0; i < 20 && connection.CloseCalls == 0; i++)
            {
                task.Step(now);
                now += 5;
            }

            Assert.Equal(5, handler.Calls);
            Assert.StartsWith("HTTP/1.1 200 OK", connection.WrittenText);
            Assert.EndsWith("done after 5", connection.WrittenText);
        }

        private sealed class SlowHandler : IWebHandler
        {
            public int Calls { get; private set; }

            public HttpResponse Handle(HttpRequestParser request, long nowMs)
            {
                Calls++;
                return Calls < 5 ? HttpResponse.NotYet : new HttpResponse(200, HttpResponse.TextType, "done after " + Calls);
            }
        }

        private static bool Check(AdminPassword admin, string password)
        {
            PasswordDerivation check = admin.StartCheck(password);
            while (!check.Run(PasswordDerivation.RoundsPerStep))
            {
            }

            return admin.Matches(check);
        }
    }
}
