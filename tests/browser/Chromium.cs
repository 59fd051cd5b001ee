using System;
using System.IO;
using OpenQA.Selenium.Chrome;

namespace NetBoard.Browser.Tests
{
    /// <summary>
    /// Debian's chromium driven through Debian's chromedriver (same version, both installed by tests/run.sh),
    /// headless. The paths are given to Selenium, so it never looks for a driver or a browser of its own.
    /// CHROMIUM and CHROMEDRIVER override the paths.
    /// </summary>
    public static class Chromium
    {
        /// <summary>The browser window's size in CSS pixels: also the size of the README's screenshot.</summary>
        public const int WindowWidth = 1024;

        /// <summary>See <see cref="WindowWidth"/>.</summary>
        public const int WindowHeight = 900;

        private const int CommandTimeoutS = 60;

        /// <summary>The browser binary.</summary>
        public static string BrowserPath => Environment.GetEnvironmentVariable("CHROMIUM") ?? "/usr/bin/chromium";

        /// <summary>The WebDriver server.</summary>
        public static string DriverPath => Environment.GetEnvironmentVariable("CHROMEDRIVER") ?? "/usr/bin/chromedriver";

        /// <summary>Starts a headless browser with a fresh profile (no cookies); fails with the fix when it is not installed.</summary>
        public static ChromeDriver Start()
        {
            foreach (string path in new[] { BrowserPath, DriverPath })
            {
                if (!File.Exists(path))
                {
                    throw new InvalidOperationException(path + " not found: install Debian's chromium and chromium-driver (apt-get install chromium chromium-driver; tests/run.sh does)");
                }
            }

            ChromeDriverService service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath), Path.GetFileName(DriverPath));
            service.HideCommandPromptWindow = true;
            service.SuppressInitialDiagnosticInformation = true;
            var options = new ChromeOptions { BinaryLocation = BrowserPath };
            options.AddArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--no-first-run",
                "--disable-extensions",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--force-device-scale-factor=1",
                "--window-size=" + WindowWidth + "," + WindowHeight);
            var driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(CommandTimeoutS));
            driver.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(CommandTimeoutS);
            return driver;
        }
    }
}
