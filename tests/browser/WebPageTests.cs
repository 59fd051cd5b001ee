using System;
using System.IO;
using System.Text.RegularExpressions;
using OpenQA.Selenium;

namespace NetBoard.Browser.Tests
{
    /// <summary>
    /// The board's web page in a real headless browser (Debian's chromium through chromedriver), served by the
    /// virtual board's `run` as a real process, with the lab's Postfix and Dovecot behind it.
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public sealed class WebPageTests : IClassFixture<LabFixture>
    {
        private readonly MailLab _lab;

        public WebPageTests(LabFixture lab)
        {
            _lab = lab.Lab;
        }

        [Fact]
        public void First_use_then_the_POP_wait_time_and_SMTP_AUTH_changed_in_the_browser_reach_the_settings_file_and_the_panel()
        {
            using var board = new WebBoard(_lab);
            board.SetUp();

            board.Open("/settings");
            Assert.Equal("300", board.Browser.FindElement(By.Id("pop.before_smtp.delay_ms")).GetAttribute("value"));
            board.Type("pop.before_smtp.delay_ms", "450");
            board.Choose("smtp.auth", "cram-md5");
            board.Browser.FindElement(By.Id("smtp.auth")).FindElement(By.XPath("ancestor::form")).FindElement(By.CssSelector("button[type=submit]")).Click();
            board.WaitFor(By.Id("settings-saved"));

            string saved = board.WaitForSettings("pop.before_smtp.delay_ms=450\n");
            Assert.Contains("smtp.auth=cram-md5\n", saved);
            Assert.Contains("smtp.password=" + _lab["SCAN_PASSWORD"] + "\n", saved);
            Assert.Equal("450", board.Browser.FindElement(By.Id("pop.before_smtp.delay_ms")).GetAttribute("value"));

            // The panel: Menu > System Settings > Network Settings > E-Mail/I-Fax > Authent./Encryption, then POP Wait Time.
            int mark = board.Process.LineCount;
            board.DismissPanelNotice();
            board.Process.Keys("m" + WebBoard.Down + WebBoard.Down + "\r\r\r" + WebBoard.Down + WebBoard.Down + "\r");
            board.Process.WaitForLine(mark, line => line.StartsWith("panel: Authent./Encryption", StringComparison.Ordinal) && line.Contains("SMTP Auth.", StringComparison.Ordinal) && line.Contains("CRAM-MD5", StringComparison.Ordinal));
            board.Process.Keys(WebBoard.Down + "\r");
            board.Process.WaitForLine(mark, line => line == "panel: POP Wait Time ms | 450 |  | Set=OK Back=Cancel");

            // The README's screenshot of the settings page, taken anew by every run.
            board.Open("/settings");
            board.WaitFor(By.Id("smtp.host"));
            string shot = Path.Combine(MailLab.RepoRoot, "docs", "web-settings.png");
            Directory.CreateDirectory(Path.GetDirectoryName(shot));
            board.Browser.GetScreenshot().SaveAsFile(shot);
            (int width, int height) = Png.Size(shot);
            Assert.Equal(Chromium.WindowWidth, width);
            Assert.InRange(height, 400, Chromium.WindowHeight);
            Assert.InRange(new FileInfo(shot).Length, 10_000, 2_000_000);
        }

        [Fact]
        public void A_test_mail_goes_through_the_lab_and_shows_on_the_status_and_journal_pages_and_forms_without_the_CSRF_token_are_refused()
        {
            using var board = new WebBoard(_lab);
            board.SetUp();

            board.Click("send-test-mail");
            board.WaitFor(By.Id("test-mail-result"));
            string journal = board.Process.WaitForLine(line => line.StartsWith("journal: ", StringComparison.Ordinal));
            Assert.Matches("^journal: \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ job 1 email to=" + Regex.Escape(_lab["SCAN_USER"]) + " OK auth=PLAIN \\[250 ", journal);
            board.Open("/status");
            IWebElement result = board.WaitFor(By.Id("test-mail-result"));
            Assert.Equal("sent", result.GetAttribute("data-state"));
            Assert.Equal("1", result.GetAttribute("data-job"));

            board.Click("nav-journal");
            IWebElement newest = board.WaitFor(By.CssSelector("#journal li"));
            Assert.Equal(journal.Substring("journal: ".Length), newest.Text);
            Assert.StartsWith("Page 1 of 1 (1 entry", board.Browser.FindElement(By.Id("journal-page")).Text, StringComparison.Ordinal);

            // The page's own forms, sent by the browser with the session cookie, but the token taken out or replaced: refused, nothing done.
            board.Open("/settings");
            board.Type("pop.before_smtp.delay_ms", "999");
            string token = SubmitTampered(board, "pop.before_smtp.delay_ms", null);
            Assert.False(string.IsNullOrEmpty(token));
            board.WaitFor(By.Id("csrf-refused"));
            board.Open("/settings");
            board.Type("pop.before_smtp.delay_ms", "999");
            SubmitTampered(board, "pop.before_smtp.delay_ms", new string('0', token.Length));
            board.WaitFor(By.Id("csrf-refused"));
            board.Open("/status");
            SubmitTampered(board, "send-test-mail", null);
            board.WaitFor(By.Id("csrf-refused"));
            board.Open("/status");
            SubmitTampered(board, "signout", null);
            board.WaitFor(By.Id("csrf-refused"));
            Assert.DoesNotContain("pop.before_smtp.delay_ms=999", File.ReadAllText(board.SettingsPath));
            board.Open("/status");
            Assert.Single(board.Browser.FindElements(By.CssSelector("#jobs tr[id^=job-]")));

            // The same form with its token is taken: the token is what made the difference.
            board.Open("/settings");
            board.Type("pop.before_smtp.delay_ms", "999");
            board.Browser.FindElement(By.Id("pop.before_smtp.delay_ms")).FindElement(By.XPath("ancestor::form")).FindElement(By.CssSelector("button[type=submit]")).Click();
            board.WaitFor(By.Id("settings-saved"));
            board.WaitForSettings("pop.before_smtp.delay_ms=999\n");
        }

        [Fact]
        public void Passwords_are_write_only_a_new_one_is_saved_but_no_page_ever_carries_a_stored_password()
        {
            using var board = new WebBoard(_lab);
            board.SetUp();
            const string NewSecret = "Web-Only-Secret-4q";

            board.Open("/settings");
            IWebElement field = board.WaitFor(By.Id("smtp.password"));
            Assert.Equal("password", field.GetAttribute("type"));
            Assert.Equal(string.Empty, field.GetAttribute("value"));
            board.Type("smtp.password", NewSecret);
            field.FindElement(By.XPath("ancestor::form")).FindElement(By.CssSelector("button[type=submit]")).Click();
            board.WaitFor(By.Id("settings-saved"));
            string saved = board.WaitForSettings("smtp.password=" + NewSecret + "\n");
            Assert.Contains("pop.password=" + _lab["SCAN_PASSWORD"] + "\n", saved);

            foreach (string path in new[] { "/settings", "/status", "/journal", "/settings?saved=1" })
            {
                board.Open(path);
                board.WaitFor(By.Id("nav-settings"));
                string source = board.Browser.PageSource;
                Assert.DoesNotContain(NewSecret, source, StringComparison.Ordinal);
                Assert.DoesNotContain(_lab["SCAN_PASSWORD"], source, StringComparison.Ordinal);
                Assert.DoesNotContain(WebBoard.AdminPassword, source, StringComparison.Ordinal);
                foreach (IWebElement secret in board.Browser.FindElements(By.CssSelector("input[type=password]")))
                {
                    Assert.Equal(string.Empty, secret.GetAttribute("value"));
                }
            }

            Assert.Equal("set; leave empty to keep it", board.Browser.FindElement(By.Id("state-smtp.password")).Text);
            Assert.DoesNotContain(NewSecret, board.Process.Output(), StringComparison.Ordinal);
            Assert.DoesNotContain(WebBoard.AdminPassword, board.Process.Output(), StringComparison.Ordinal);
        }

        [Fact]
        public void Wrong_passwords_lock_the_sign_in_out_so_that_even_the_right_one_is_refused_and_no_password_is_echoed()
        {
            using var board = new WebBoard(_lab);
            board.SetUp();
            board.Click("signout");
            board.WaitFor(By.Id("signin-form"));

            for (int attempt = 1; attempt <= 3; attempt++)
            {
                board.SignIn("wrong-password-" + attempt);
                string error = board.WaitFor(By.Id("signin-error")).Text;
                Assert.StartsWith("Wrong password.", error, StringComparison.Ordinal);
                Assert.Equal(attempt == 3, error.Contains("Too many failed attempts", StringComparison.Ordinal));
                Assert.Equal(string.Empty, board.Browser.FindElement(By.Id("password")).GetAttribute("value"));
                Assert.DoesNotContain("wrong-password-" + attempt, board.Browser.PageSource, StringComparison.Ordinal);
            }

            board.SignIn(WebBoard.AdminPassword);
            Assert.Matches("^Too many failed attempts: try again in \\d+ s\\.$", board.WaitFor(By.Id("signin-error")).Text);
            Assert.Empty(board.Browser.FindElements(By.Id("nav-settings")));
            board.Open("/settings");
            Assert.EndsWith("/signin", board.Browser.Url);
        }

        /// <summary>
        /// Sends the form holding the element with id <paramref name="id"/> with its CSRF field taken out
        /// (<paramref name="token"/> null) or set to <paramref name="token"/>; returns the token the page had.
        /// </summary>
        private static string SubmitTampered(WebBoard board, string id, string token)
        {
            IWebElement form = board.WaitFor(By.Id(id)).FindElement(By.XPath("ancestor::form"));
            return (string)board.Browser.ExecuteScript(
                "const form = arguments[0]; const field = form.querySelector('input[name=csrf]'); const had = field.value;"
                + " if (arguments[1] === null) { field.remove(); } else { field.value = arguments[1]; }"
                + " form.submit(); return had;",
                form,
                token);
        }
    }
}
