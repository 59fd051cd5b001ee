using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace NetBoard.Browser.Tests
{
    /// <summary>
    /// A virtual board running `run` in its own folder with the lab's settings (SMTP AUTH PLAIN on the lab's
    /// AUTH port as the scan account, the POP server and account set, POP before SMTP off) and its web page
    /// on a free loopback port; and a headless browser to use the page with.
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public sealed class WebBoard : IDisposable
    {
        /// <summary>The administrator password the tests choose on first use.</summary>
        public const string AdminPassword = "Remote-UI-Admin-7";

        /// <summary>What `run` prints before the web page's address.</summary>
        public const string WebLinePrefix = "virtual-board: web page ";

        /// <summary>What `run` prints before the first-use setup code.</summary>
        public const string SetupCodeLinePrefix = "virtual-board: web setup code ";

        /// <summary>Panel key: down.</summary>
        public const string Down = "\u001B[B";

        private readonly string _folder;

        public WebBoard(MailLab lab)
        {
            Lab = lab;
            _folder = Path.Combine(Path.GetTempPath(), "netboard-browser-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_folder);
            SettingsPath = Path.Combine(_folder, "board.settings");
            File.WriteAllText(SettingsPath,
                "smtp.host=127.0.0.1\n" +
                "smtp.port=" + lab["SMTP_AUTH_PORT"] + "\n" +
                "smtp.auth=plain\n" +
                "smtp.user=" + lab["SCAN_USER"] + "\n" +
                "smtp.password=" + lab["SCAN_PASSWORD"] + "\n" +
                "pop.host=127.0.0.1\n" +
                "pop.port=" + lab["POP3_PORT"] + "\n" +
                "pop.user=" + lab["SCAN_USER"] + "\n" +
                "pop.password=" + lab["SCAN_PASSWORD"] + "\n" +
                "device.email=" + lab["SCAN_USER"] + "\n" +
                "device.name=MFP Lab\n" +
                "web.port=" + FreePort() + "\n");
            File.SetUnixFileMode(SettingsPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            Process = BoardProcess.Start(SettingsPath);
            string web = Process.WaitForLine(line => line.StartsWith(WebLinePrefix, StringComparison.Ordinal));
            BaseUrl = web.Substring(WebLinePrefix.Length).TrimEnd('/');
            string code = Process.WaitForLine(line => line.StartsWith(SetupCodeLinePrefix, StringComparison.Ordinal));
            SetupCode = code.Substring(SetupCodeLinePrefix.Length, 8);
            Browser = Chromium.Start();
        }

        public MailLab Lab { get; }

        public string SettingsPath { get; }

        public BoardProcess Process { get; }

        /// <summary>"http://127.0.0.1:PORT", as the board printed it.</summary>
        public string BaseUrl { get; }

        /// <summary>The first-use setup code the board printed (and its panel shows).</summary>
        public string SetupCode { get; }

        public ChromeDriver Browser { get; }

        /// <summary>Opens a page of the board: "/settings".</summary>
        public void Open(string path)
        {
            Browser.Navigate().GoToUrl(BaseUrl + path);
        }

        /// <summary>First use in the browser: the setup page from the board's address, the code from the panel, the password twice.</summary>
        public void SetUp()
        {
            Open("/");
            Assert.EndsWith("/setup", Browser.Url);
            Type("code", SetupCode);
            Type("password", AdminPassword);
            Type("confirm", AdminPassword);
            Click("setup-submit");
            WaitFor(By.Id("nav-settings"));
            Assert.EndsWith("/status", Browser.Url);
        }

        /// <summary>
        /// Takes the setup code's notice off the panel (any key does; Up does nothing else on the home screen)
        /// and waits for the home screen.
        /// </summary>
        public void DismissPanelNotice()
        {
            int mark = Process.LineCount;
            Process.Keys("\u001B[A");
            Process.WaitForLine(mark, line => line.StartsWith("panel: MFP Lab | ", StringComparison.Ordinal));
        }

        /// <summary>Fills the sign-in form and sends it.</summary>
        public void SignIn(string password)
        {
            Open("/signin");
            Type("password", password);
            Click("signin-submit");
        }

        /// <summary>Replaces the text of the input with id <paramref name="id"/>.</summary>
        public void Type(string id, string text)
        {
            IWebElement input = Browser.FindElement(By.Id(id));
            input.Clear();
            input.SendKeys(text);
        }

        /// <summary>Clicks the element with id <paramref name="id"/>.</summary>
        public void Click(string id)
        {
            Browser.FindElement(By.Id(id)).Click();
        }

        /// <summary>Chooses the option with value <paramref name="value"/> in the select with id <paramref name="id"/>.</summary>
        public void Choose(string id, string value)
        {
            new SelectElement(Browser.FindElement(By.Id(id))).SelectByValue(value);
        }

        /// <summary>Waits (up to <see cref="BoardProcess.WaitMs"/>) for an element and returns it.</summary>
        public IWebElement WaitFor(By by)
        {
            return new WebDriverWait(Browser, TimeSpan.FromMilliseconds(BoardProcess.WaitMs)).Until(d =>
            {
                var found = d.FindElements(by);
                return found.Count > 0 ? found[0] : null;
            });
        }

        /// <summary>Waits until the settings file holds <paramref name="text"/>; returns its content.</summary>
        public string WaitForSettings(string text)
        {
            var watch = Stopwatch.StartNew();
            string content = File.ReadAllText(SettingsPath);
            while (!content.Contains(text, StringComparison.Ordinal) && watch.ElapsedMilliseconds < BoardProcess.WaitMs)
            {
                Thread.Sleep(50);
                content = File.ReadAllText(SettingsPath);
            }

            Assert.Contains(text, content);
            return content;
        }

        public void Dispose()
        {
            try
            {
                Browser.Quit();
            }
            finally
            {
                Browser.Dispose();
                if (!Process.HasExited)
                {
                    Process.Signal("TERM");
                    Process.WaitForExit();
                }

                Process.Dispose();
                Directory.Delete(_folder, true);
            }
        }

        private static int FreePort()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return port;
        }
    }
}
