using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Panel;
using NetBoard.Firmware.Settings;
using NetBoard.Firmware.Storage;
using NetBoard.Firmware.Tests.Doubles;
using NetBoard.Firmware.Web;
using NetBoard.Hal;

namespace NetBoard.Firmware.Tests.Web
{
    /// <summary>The web page through the real server task and scheduler, with scripted browser requests.</summary>
    public sealed class WebSiteTests
    {
        [Fact]
        public void A_fresh_board_sends_everybody_to_the_setup_page_which_needs_the_panel_code()
        {
            var web = new WebHarness();
            Assert.Matches("^[0-9]{8}$", web.Site.SetupCode);

            WebAnswer root = web.Get("/");
            Assert.Equal(303, root.Status);
            Assert.Equal("/setup", root.Location);
            Assert.Equal("/setup", web.Get("/status").Location);
            Assert.Equal("/setup", web.Get("/signin").Location);

            WebAnswer page = web.Get("/setup");
            Assert.Equal(200, page.Status);
            Assert.Contains("HttpOnly", page.SetCookie);
            Assert.Contains("SameSite=Strict", page.SetCookie);
            Assert.DoesNotContain("Secure", page.SetCookie);
            Assert.DoesNotContain(web.Site.SetupCode, page.Body);

            string wrong = web.Site.SetupCode == "12345678" ? "87654321" : "12345678";
            WebAnswer refused = web.Post("/setup", ("csrf", page.Csrf), ("code", wrong), ("password", WebHarness.Password), ("confirm", WebHarness.Password));
            Assert.Equal(403, refused.Status);
            Assert.Equal("Wrong setup code.", refused.TextOf("setup-error"));
            Assert.Null(web.Board.Context.Credentials.Read(AdminPassword.EntryName));

            string anonymous = web.Cookie;
            WebAnswer done = web.Post("/setup", ("csrf", refused.Csrf), ("code", web.Site.SetupCode), ("password", WebHarness.Password), ("confirm", WebHarness.Password));
            Assert.Equal(303, done.Status);
            Assert.Equal("/status", done.Location);
            Assert.NotEqual(anonymous, web.Cookie);
            Assert.Null(web.Site.SetupCode);
            Assert.Equal(200, web.Get("/status").Status);

            // Stored as a salted hash: neither the password nor its UTF-8 bytes are in storage.
            CredentialEntry entry = web.Board.Context.Credentials.Read(AdminPassword.EntryName);
            Assert.Equal(16, entry.Get("salt").Length);
            Assert.Equal(32, entry.Get("hash").Length);
            Assert.Equal(AdminPassword.Iterations.ToString(), entry.GetText("iterations"));
            Assert.All(web.Storage.Files.Values, bytes => Assert.DoesNotContain(WebHarness.Password, Encoding.UTF8.GetString(bytes)));

            // Once set, the setup page cannot set it again.
            web.Cookie = null;
            WebAnswer again = web.Get("/setup");
            Assert.Equal("/signin", again.Location);
        }

        [Theory]
        [InlineData("short", "short", "The password needs at least 8 characters.")]
        [InlineData("Long-enough-1", "Long-enough-2", "The two passwords differ.")]
        public void A_setup_password_that_is_too_short_or_not_repeated_is_refused_and_nothing_is_stored(string password, string confirm, string error)
        {
            var web = new WebHarness();
            WebAnswer page = web.Get("/setup");

            WebAnswer refused = web.Post("/setup", ("csrf", page.Csrf), ("code", web.Site.SetupCode), ("password", password), ("confirm", confirm));

            Assert.Equal(400, refused.Status);
            Assert.Equal(error, refused.TextOf("setup-error"));
            Assert.NotNull(web.Site.SetupCode);
            Assert.Null(web.Board.Context.Credentials.Read(AdminPassword.EntryName));
            Assert.DoesNotContain(password, refused.Body);
        }

        [Fact]
        public void Sign_in_derives_the_key_over_many_scheduler_steps_and_gives_a_new_session()
        {
            var web = new WebHarness();
            web.SetUp();
            web.Post("/signout", ("csrf", web.Get("/status").Csrf));
            Assert.Null(web.Cookie);

            WebAnswer page = web.Get("/signin");
            string anonymous = web.Cookie;
            Assert.Equal(200, page.Status);
            WebAnswer signedIn = web.Post("/signin", ("csrf", page.Csrf), ("password", WebHarness.Password));

            Assert.Equal(303, signedIn.Status);
            Assert.Equal("/status", signedIn.Location);
            Assert.NotEqual(anonymous, web.Cookie);
            Assert.Matches("^[0-9a-f]{64}$", web.Cookie);

            // 1,024 PBKDF2 rounds at 8 per step: the scheduler ran at least 128 rounds (the other tasks with it) before the answer.
            Assert.True(signedIn.Rounds >= AdminPassword.Iterations / PasswordDerivation.RoundsPerStep, "rounds: " + signedIn.Rounds);
            Assert.Equal(200, web.Get("/status").Status);
        }

        [Fact]
        public void Wrong_passwords_lock_the_board_out_with_a_growing_back_off_and_the_right_one_waits_it_out()
        {
            var web = new WebHarness();
            web.SetUp();
            web.Cookie = null;

            WebAnswer wrong = null;
            for (int i = 1; i <= SignInGuard.FreeFailures; i++)
            {
                wrong = web.SignIn("Wrong-password-" + i);
                Assert.Equal(403, wrong.Status);
                Assert.StartsWith("Wrong password.", wrong.TextOf("signin-error"));
                Assert.DoesNotContain("Wrong-password-" + i, wrong.Body);
            }

            Assert.Equal("Wrong password. Too many failed attempts: try again in 30 s.", wrong.TextOf("signin-error"));

            // Locked: even the right password is not checked, and a new browser session does not help.
            web.Cookie = null;
            WebAnswer locked = web.SignIn(WebHarness.Password);
            Assert.Equal(429, locked.Status);
            Assert.Equal(1, web.Board.Context.Credentials.Names().Count(n => n == AdminPassword.EntryName));

            web.Clock.Advance(SignInGuard.FirstLockoutMs);
            WebAnswer fourth = web.SignIn("Wrong-again");
            Assert.Equal(403, fourth.Status);
            Assert.Contains("try again in 60 s", fourth.TextOf("signin-error"));

            web.Clock.Advance(2 * SignInGuard.FirstLockoutMs);
            WebAnswer right = web.SignIn(WebHarness.Password);
            Assert.Equal(303, right.Status);
            Assert.Equal(0, web.Site.Guard.Failures);
        }

        [Fact]
        public void A_form_without_its_csrf_token_or_with_another_sessions_is_refused_and_changes_nothing()
        {
            var web = new WebHarness();
            web.SetUp();
            string csrf = web.Get("/settings").Csrf;
            int version = web.Board.Context.SettingsKeeper.Version;

            WebAnswer missing = web.Post("/settings", ("section", "authent-encryption"), ("pop.before_smtp.delay_ms", "450"));
            WebAnswer wrong = web.Post("/settings", ("csrf", new string('0', 32)), ("section", "authent-encryption"), ("pop.before_smtp.delay_ms", "450"));
            WebAnswer truncated = web.Post("/settings", ("csrf", csrf.Substring(1)), ("section", "authent-encryption"), ("pop.before_smtp.delay_ms", "450"));
            string cookie = web.Cookie;
            web.Cookie = null;
            WebAnswer noSession = web.Post("/settings", ("csrf", csrf), ("section", "authent-encryption"), ("pop.before_smtp.delay_ms", "450"));
            WebAnswer testMail = web.Post("/testmail", ("csrf", csrf));
            web.Cookie = cookie;

            foreach (WebAnswer answer in new[] { missing, wrong, truncated, noSession, testMail })
            {
                Assert.Equal(403, answer.Status);
            }

            Assert.NotNull(missing.TextOf("csrf-refused"));
            Assert.Equal(version, web.Board.Context.SettingsKeeper.Version);
            Assert.Equal("300", web.Board.Settings.Get(SettingKeys.PopBeforeSmtpDelayMs));
            Assert.Equal(0, web.Board.Context.Jobs.Count);

            // Another session's token is no good either.
            var other = new WebHarness();
            Assert.Equal(403, web.Post("/settings", ("csrf", other.Get("/setup").Csrf), ("section", "authent-encryption"), ("pop.before_smtp.delay_ms", "450")).Status);
            Assert.Equal(version, web.Board.Context.SettingsKeeper.Version);
        }

        [Fact]
        public void A_session_ends_after_the_idle_time_and_at_sign_out()
        {
            DeviceSettings settings = MailBoard.LabSettings();
            MailBoard.Set(settings, SettingKeys.WebSessionMin, "5");
            var web = new WebHarness(settings);
            web.SetUp();

            web.Clock.Advance(4 * 60_000);
            Assert.Equal(200, web.Get("/status").Status);
            web.Clock.Advance(5 * 60_000);
            WebAnswer expired = web.Get("/status");
            Assert.Equal(303, expired.Status);
            Assert.Equal("/signin", expired.Location);

            web.SignIn();
            WebAnswer bye = web.Post("/signout", ("csrf", web.Get("/status").Csrf));
            Assert.Equal("/signin", bye.Location);
            Assert.Contains("Max-Age=0", bye.SetCookie);
            Assert.Equal(0, web.Site.Sessions.OpenCount);
        }

        [Fact]
        public void A_valid_settings_post_is_committed_through_the_keeper_and_a_bad_value_saves_nothing()
        {
            var store = new MemoryStorage();
            var web = new WebHarness(storage: store);
            web.SetUp();
            WebAnswer page = web.Get("/settings");
            int version = web.Board.Context.SettingsKeeper.Version;

            WebAnswer bad = web.Post("/settings", ("csrf", page.Csrf), ("section", "authent-encryption"), ("pop.before_smtp.delay_ms", "99999"), ("smtp.auth", "cram-md5"));
            Assert.Equal(400, bad.Status);
            Assert.Equal("must be a number from 0 to 10000", bad.TextOf("error-pop.before_smtp.delay_ms"));
            Assert.NotNull(bad.TextOf("settings-error"));
            Assert.Contains("value=\"99999\"", bad.Body);
            Assert.Equal(version, web.Board.Context.SettingsKeeper.Version);
            Assert.Equal("auto", web.Board.Settings.Get(SettingKeys.SmtpAuth));

            WebAnswer badChoice = web.Post("/settings", ("csrf", page.Csrf), ("section", "authent-encryption"), ("smtp.auth", "ntlm"));
            Assert.Equal(400, badChoice.Status);
            Assert.StartsWith("must be one of off|auto|", badChoice.TextOf("error-smtp.auth"));

            WebAnswer good = web.Post("/settings", ("csrf", page.Csrf), ("section", "authent-encryption"), ("pop.before_smtp.delay_ms", "450"), ("smtp.auth", "cram-md5"), ("smtp.user", "scanner"));
            Assert.Equal(303, good.Status);
            Assert.Equal("/settings?saved=authent-encryption#form-authent-encryption", good.Location);
            Assert.Equal(version + 1, web.Board.Context.SettingsKeeper.Version);
            Assert.Equal("450", web.Board.Settings.Get(SettingKeys.PopBeforeSmtpDelayMs));
            Assert.Equal("cram-md5", web.Board.Settings.Get(SettingKeys.SmtpAuth));
            Assert.True(web.Board.Settings.IsFrozen);

            // The panel reads the same settings in force.
            var panel = new PanelController(web.Board.Context.SettingsKeeper, 20, 4, new NoInfo(), new NoInfo());
            Assert.Equal("cram-md5", panel.Settings.Get(SettingKeys.SmtpAuth));

            WebAnswer after = web.Get("/settings?saved=authent-encryption");
            Assert.NotNull(after.TextOf("settings-saved"));
            Assert.Contains("<option value=\"cram-md5\" selected>", after.Body);
            Assert.Contains("id=\"pop.before_smtp.delay_ms\" name=\"pop.before_smtp.delay_ms\" value=\"450\"", after.Body);

            Assert.Equal(400, web.Post("/settings", ("csrf", page.Csrf), ("section", "nowhere")).Status);
        }

        [Fact]
        public void The_settings_page_has_a_field_for_every_key_the_panel_has_under_e_mail_i_fax()
        {
            var web = new WebHarness();
            web.SetUp();
            string body = web.Get("/settings").Body;

            MenuNode email = PanelMenu.Build().Find(SettingKeys.DeviceEmail).Parent;
            var keys = new List<string>();
            Collect(email, keys);
            Assert.True(keys.Count >= 30, "keys: " + keys.Count);
            foreach (string key in keys)
            {
                Assert.Contains("name=\"" + key + "\"", body);
            }

            foreach (string folder in new[] { "form-email", "form-smtp-server", "form-pop-server", "form-authent-encryption", "form-advanced" })
            {
                Assert.Contains("id=\"" + folder + "\"", body);
            }

            Assert.DoesNotContain("name=\"" + SettingKeys.WebPort + "\"", body);
        }

        [Fact]
        public void Passwords_are_write_only_an_empty_field_keeps_them_and_clear_empties_them()
        {
            const string Secret = "Sup3r-Secret-Value";
            DeviceSettings settings = MailBoard.LabSettings();
            MailBoard.Set(settings, SettingKeys.SmtpPassword, Secret);
            MailBoard.Set(settings, SettingKeys.SmtpUser, "scanner");
            var web = new WebHarness(settings);
            web.SetUp();

            WebAnswer page = web.Get("/settings");
            Assert.DoesNotContain(Secret, page.Body);
            Assert.DoesNotContain(WebHarness.Password, page.Body);
            Assert.Contains("id=\"smtp.password\" name=\"smtp.password\" value=\"\"", page.Body);
            Assert.Equal("set; leave empty to keep it", page.TextOf("state-smtp.password"));
            Assert.DoesNotContain(LabNetwork.PopPassword, page.Body);

            Assert.Equal(303, web.Post("/settings", ("csrf", page.Csrf), ("section", "authent-encryption"), ("smtp.password", ""), ("smtp.user", "scanner2")).Status);
            Assert.Equal(Secret, web.Board.Settings.Get(SettingKeys.SmtpPassword));
            Assert.Equal("scanner2", web.Board.Settings.Get(SettingKeys.SmtpUser));

            // A refused post does not echo a typed password either.
            WebAnswer refused = web.Post("/settings", ("csrf", page.Csrf), ("section", "authent-encryption"), ("smtp.password", "Typed-New-Pa55"), ("pop.before_smtp.delay_ms", "x"));
            Assert.Equal(400, refused.Status);
            Assert.DoesNotContain("Typed-New-Pa55", refused.Body);
            Assert.Equal(Secret, web.Board.Settings.Get(SettingKeys.SmtpPassword));

            Assert.Equal(303, web.Post("/settings", ("csrf", page.Csrf), ("section", "authent-encryption"), ("smtp.password", "Typed-New-Pa55")).Status);
            Assert.Equal("Typed-New-Pa55", web.Board.Settings.Get(SettingKeys.SmtpPassword));

            Assert.Equal(303, web.Post("/settings", ("csrf", page.Csrf), ("section", "authent-encryption"), ("smtp.password", ""), ("clear.smtp.password", "1")).Status);
            Assert.Equal(string.Empty, web.Board.Settings.Get(SettingKeys.SmtpPassword));
            Assert.Equal("not set", web.Get("/settings").TextOf("state-smtp.password"));
        }

        [Fact]
        public void Hostile_values_in_settings_and_the_journal_are_escaped()
        {
            const string Hostile = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>";
            DeviceSettings settings = MailBoard.LabSettings();
            MailBoard.Set(settings, SettingKeys.DeviceName, Hostile);
            MailBoard.Set(settings, SettingKeys.SmtpUser, Hostile);
            var web = new WebHarness(settings);
            web.Board.Context.Journal.Append("2026-03-04 05:06:07Z job 9 email to=" + Hostile + " NG #803");
            web.SetUp();

            foreach (string path in new[] { "/status", "/settings", "/journal" })
            {
                WebAnswer page = web.Get(path);
                Assert.DoesNotContain("<script>", page.Body);
                Assert.DoesNotContain("<img", page.Body);
            }

            Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&gt;&lt;img", web.Get("/settings").Body);
            Assert.Contains("to=&lt;script&gt;", web.Get("/journal").Body);
            Assert.Equal("job 9 email to=" + Hostile + " NG #803", web.Get("/journal").TextOf("journal").Substring("2026-03-04 05:06:07Z ".Length));
        }

        [Fact]
        public void The_journal_is_paged_newest_first()
        {
            var web = new WebHarness();
            for (int i = 1; i <= 25; i++)
            {
                web.Board.Context.Journal.Append("entry " + i);
            }

            web.SetUp();
            WebAnswer first = web.Get("/journal");
            Assert.Equal("Page 1 of 3 (25 entries, newest first)", first.TextOf("journal-page"));
            Assert.Equal(Enumerable.Range(16, 10).Reverse().Select(i => "entry " + i), Entries(first));
            Assert.Null(first.TextOf("journal-newer"));
            Assert.Equal("Older", first.TextOf("journal-older"));

            WebAnswer last = web.Get("/journal?page=3");
            Assert.Equal(Enumerable.Range(1, 5).Reverse().Select(i => "entry " + i), Entries(last));
            Assert.Null(last.TextOf("journal-older"));
            Assert.Contains("href=\"/journal?page=2\"", last.Body);

            Assert.Equal("Page 3 of 3 (25 entries, newest first)", web.Get("/journal?page=99").TextOf("journal-page"));
            Assert.Equal("Page 1 of 3 (25 entries, newest first)", web.Get("/journal?page=-1").TextOf("journal-page"));
            Assert.Equal("Page 1 of 3 (25 entries, newest first)", web.Get("/journal?page=%ZZ").TextOf("journal-page"));
        }

        [Fact]
        public void The_test_mail_button_queues_a_real_job_and_the_status_page_shows_its_outcome()
        {
            var web = new WebHarness();
            web.SetUp();
            WebAnswer status = web.Get("/status");
            Assert.Null(status.TextOf("test-mail-result"));

            WebAnswer queued = web.Post("/testmail", ("csrf", status.Csrf));
            Assert.Equal(303, queued.Status);
            Assert.Equal("/status", queued.Location);
            MailJob job = web.Board.Context.Jobs.At(0);
            Assert.Equal(new[] { "mfp@lab.test" }, job.Recipients);
            Assert.Equal("Test e-mail", job.Subject);
            Assert.True(web.Storage.Exists(job.DocumentName));

            // The scripted network refuses every connection: the job's attempts fail and the page says so.
            web.Board.RunUntil(() => job.State == JobState.Failed, 5_000_000, "the test job failing");
            WebAnswer outcome = web.Get("/status");
            Assert.StartsWith("Test e-mail #" + job.Id + ": failed #802", outcome.TextOf("test-mail-result"));
            Assert.Contains("data-state=\"failed\"", outcome.Body);
            Assert.Contains("id=\"job-" + job.Id + "\"", outcome.Body);
        }

        [Fact]
        public void The_test_mail_without_a_device_address_says_why_and_queues_nothing()
        {
            DeviceSettings settings = MailBoard.LabSettings();
            MailBoard.Set(settings, SettingKeys.DeviceEmail, string.Empty);
            var web = new WebHarness(settings);
            web.SetUp();

            web.Post("/testmail", ("csrf", web.Get("/status").Csrf));

            Assert.Equal("Set Device E-mail first", web.Get("/status").TextOf("test-mail-result"));
            Assert.Equal(0, web.Board.Context.Jobs.Count);
        }

        [Fact]
        public void The_panels_factory_reset_forgets_the_password_ends_the_sessions_and_shows_a_new_setup_code()
        {
            var web = new WebHarness();
            PanelController panel = web.Board.Runtime.AttachPanel(null, new Display());
            Assert.Contains("Web setup code " + web.Site.SetupCode, string.Join(" ", panel.Render()));
            panel.OnKey(PanelKey.Back, '\0');
            web.SetUp();
            Assert.Null(web.Site.SetupCode);

            // Menu > System Settings > Factory Reset, then Set to confirm.
            MenuNode reset = panel.Root.Find(MenuNodeKind.FactoryReset);
            panel.OnKey(PanelKey.Menu, '\0');
            var path = new Stack<int>();
            for (MenuNode n = reset; n.Parent != null; n = n.Parent)
            {
                path.Push(n.IndexInParent);
            }

            while (path.Count > 0)
            {
                for (int i = path.Pop(); i > 0; i--)
                {
                    panel.OnKey(PanelKey.Down, '\0');
                }

                panel.OnKey(PanelKey.Set, '\0');
            }

            panel.OnKey(PanelKey.Set, '\0');

            Assert.Matches("^[0-9]{8}$", web.Site.SetupCode);
            Assert.Contains("Web setup code " + web.Site.SetupCode, string.Join(" ", panel.Render()).Replace("  ", " "));
            Assert.Null(web.Board.Context.Credentials.Read(AdminPassword.EntryName));
            Assert.Equal("/setup", web.Get("/status").Location);
            Assert.Equal(303, web.SetUp("Another-Pa55").Status);
            web.Cookie = null;
            Assert.Equal(403, web.SignIn(WebHarness.Password).Status);
            Assert.Equal(303, web.SignIn("Another-Pa55").Status);
        }

        [Fact]
        public void The_password_is_changed_only_with_the_current_one_and_other_sessions_end()
        {
            var web = new WebHarness();
            web.SetUp();
            string otherBrowser = web.Cookie;
            WebAnswer page = web.Get("/settings");
            Assert.NotNull(page.TextOf("password-form"));

            WebAnswer wrong = web.Post("/password", ("csrf", page.Csrf), ("current", "Not-the-password"), ("password", "Brand-New-Pa55"), ("confirm", "Brand-New-Pa55"));
            Assert.Equal(403, wrong.Status);
            Assert.Equal("The current password is wrong.", wrong.TextOf("password-error"));
            Assert.DoesNotContain("Brand-New-Pa55", wrong.Body);

            WebAnswer differ = web.Post("/password", ("csrf", page.Csrf), ("current", WebHarness.Password), ("password", "Brand-New-Pa55"), ("confirm", "Brand-New-Pa56"));
            Assert.Equal(400, differ.Status);
            Assert.Equal("The two passwords differ.", differ.TextOf("password-error"));

            WebAnswer changed = web.Post("/password", ("csrf", page.Csrf), ("current", WebHarness.Password), ("password", "Brand-New-Pa55"), ("confirm", "Brand-New-Pa55"));
            Assert.Equal(303, changed.Status);
            Assert.Equal("/settings?password=changed#password-form", changed.Location);
            Assert.NotEqual(otherBrowser, web.Cookie);
            Assert.NotNull(web.Get("/settings?password=changed").TextOf("password-changed"));
            Assert.True(changed.Rounds >= 2 * AdminPassword.Iterations / PasswordDerivation.RoundsPerStep, "rounds: " + changed.Rounds);

            string current = web.Cookie;
            web.Cookie = otherBrowser;
            Assert.Equal("/signin", web.Get("/status").Location);
            web.Cookie = null;
            Assert.Equal(403, web.SignIn(WebHarness.Password).Status);
            Assert.Equal(303, web.SignIn("Brand-New-Pa55").Status);
            Assert.NotNull(current);
        }

        [Fact]
        public void Every_answer_carries_the_security_headers_and_odd_requests_get_clear_statuses()
        {
            var web = new WebHarness(secure: true);
            WebAnswer setup = web.Get("/setup");
            Assert.Contains("; Secure", setup.SetCookie);
            web.SetUp();

            foreach (string path in new[] { "/status", "/settings", "/journal", "/style.css", "/nothing" })
            {
                WebAnswer answer = web.Get(path);
                Assert.Equal("DENY", answer.Headers["X-Frame-Options"]);
                Assert.Equal("nosniff", answer.Headers["X-Content-Type-Options"]);
                Assert.Equal("no-store", answer.Headers["Cache-Control"]);
                Assert.Contains("default-src 'none'", answer.Headers["Content-Security-Policy"]);
            }

            Assert.Equal(404, web.Get("/nothing").Status);
            Assert.Equal(405, web.Send("PUT /status HTTP/1.1\r\nHost: b\r\nCookie: nb_session=" + web.Cookie + "\r\nContent-Length: 0\r\n\r\n").Status);
            Assert.Equal(415, web.Post("/settings", "{\"a\":1}", "application/json").Status);
            Assert.Equal(400, web.Post("/settings", "csrf=%G1").Status);
            Assert.Equal(405, web.Post("/status", WebHarness.Form(("csrf", web.Get("/status").Csrf))).Status);
            Assert.StartsWith("text/css", web.Get("/style.css").Headers["Content-Type"]);
        }

        private static IEnumerable<string> Entries(WebAnswer page)
        {
            return System.Text.RegularExpressions.Regex.Matches(page.Body, "<li>(.*?)</li>").Select(m => m.Groups[1].Value);
        }

        private static void Collect(MenuNode node, List<string> keys)
        {
            for (int i = 0; i < node.Count; i++)
            {
                MenuNode child = node.Child(i);
                if (child.Kind == MenuNodeKind.Setting)
                {
                    keys.Add(child.Definition.Key);
                }
                else if (child.Kind == MenuNodeKind.Folder)
                {
                    Collect(child, keys);
                }
            }
        }

        private sealed class Display : NetBoard.Hal.IPanelDisplay
        {
            public int Columns => 20;

            public int Rows => 4;

            public void Show(string[] lines)
            {
            }

            public void SetCursor(int row, int column, bool visible)
            {
            }
        }

        private sealed class NoInfo : IPanelInfo, IPanelActions
        {
            public string[] JobStatusLines() => Array.Empty<string>();

            public string[] JournalLines() => Array.Empty<string>();

            public string SendTestEmail() => string.Empty;

            public string ForgetWebPassword() => null;
        }
    }
}
