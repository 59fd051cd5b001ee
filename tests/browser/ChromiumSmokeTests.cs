using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace NetBoard.Browser.Tests
{
    /// <summary>The browser itself: it starts headless, loads a page over loopback and takes a screenshot.</summary>
    public sealed class ChromiumSmokeTests
    {
        [Fact]
        public void Headless_chromium_loads_a_loopback_page_and_takes_a_png_screenshot()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var server = new Thread(() =>
            {
                using TcpClient client = listener.AcceptTcpClient();
                NetworkStream stream = client.GetStream();
                var reader = new StreamReader(stream, Encoding.ASCII);
                while (!string.IsNullOrEmpty(reader.ReadLine()))
                {
                }

                byte[] body = Encoding.ASCII.GetBytes("<!DOCTYPE html><title>probe</title><p id=\"probe\">loopback page</p>");
                byte[] head = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\nContent-Length: " + body.Length + "\r\n\r\n");
                stream.Write(head, 0, head.Length);
                stream.Write(body, 0, body.Length);
            });
            server.IsBackground = true;
            server.Start();

            string shot = Path.Combine(Path.GetTempPath(), "netboard-probe-" + Guid.NewGuid().ToString("N") + ".png");
            try
            {
                using (ChromeDriver browser = Chromium.Start())
                {
                    browser.Navigate().GoToUrl("http://127.0.0.1:" + port + "/");
                    Assert.Equal("probe", browser.Title);
                    Assert.Equal("loopback page", browser.FindElement(By.Id("probe")).Text);
                    browser.GetScreenshot().SaveAsFile(shot);
                }

                (int width, int height) = Png.Size(shot);
                Assert.Equal(Chromium.WindowWidth, width);
                Assert.True(height > 100, "screenshot height " + height);
            }
            finally
            {
                listener.Stop();
                File.Delete(shot);
            }
        }
    }
}
