using System;
using System.IO;
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
        }
    }
}
