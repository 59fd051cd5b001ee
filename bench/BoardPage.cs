using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using NetBoard.Firmware.Device;
using NetBoard.Firmware.Web;
using NetBoard.Hal.Host;

namespace NetBoard.Bench
{
    /// <summary>
    /// The board's own web page (<see cref="WebSite"/> on the runtime's web server task, as `run` serves it),
    /// set up and signed in over HTTP as a browser would, and the page the benchmark's clients poll: job status,
    /// which needs the signed-in session and lists the jobs.
    /// </summary>
    internal sealed class BoardPage
    {
        private const string AdminPassword = "Bench-Admin-Pa55";

        private readonly DeviceRuntime _runtime;
        private readonly TcpNetListener _listener;
        private string _cookie;

        private BoardPage(DeviceRuntime runtime, TcpNetListener listener)
        {
            _runtime = runtime;
            _listener = listener;
        }

        /// <summary>The page's path.</summary>
        public string Path => "/status";

        /// <summary>Answers the web server task has sent so far.</summary>
        public long Served => _runtime.WebServer.Responses;

        /// <summary>Attaches the web page to <paramref name="runtime"/> on <paramref name="listener"/>, sets the administrator password and signs in.</summary>
        public static BoardPage Attach(DeviceRuntime runtime, TcpNetListener listener)
        {
            WebSite site = runtime.AttachWeb(listener, false);
            BoardPage page = new BoardPage(runtime, listener);
            string code = site.SetupCode;
            page.RunWhile(() => page.SignIn(code));
            return page;
        }

        public string Describe()
        {
            return "the signed-in job status page (" + Path + ") of the board's web page, " + WebServerTask.DefaultConnectionCount + " connections at a time";
        }

        /// <summary>A client for the page carrying the signed-in session's cookie, one connection per request as the board answers.</summary>
        public HttpClient CreateClient()
        {
            HttpClient client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false })
            {
                BaseAddress = new Uri("http://127.0.0.1:" + _listener.LocalPort),
                Timeout = TimeSpan.FromSeconds(30),
            };
            client.DefaultRequestHeaders.Add("Cookie", _cookie);
            return client;
        }

        public void Stop()
        {
            _runtime.WebServer.Stop();
        }

        /// <summary>Runs the board's scheduler until <paramref name="work"/>, on another thread, is done.</summary>
        private void RunWhile(Action work)
        {
            Task task = Task.Run(work);
            while (!task.IsCompleted)
            {
                _runtime.RunOnce();
            }

            task.GetAwaiter().GetResult();
        }

        /// <summary>First use as the page offers it: the setup form's session and token, the code and the password; keeps the signed-in cookie.</summary>
        private void SignIn(string code)
        {
            using (HttpClient client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri("http://127.0.0.1:" + _listener.LocalPort), Timeout = TimeSpan.FromSeconds(30) })
            {
                HttpResponseMessage form = client.GetAsync("/setup").GetAwaiter().GetResult();
                string html = form.Content.ReadAsStringAsync().GetAwaiter().GetResult();
                string anonymous = SessionCookie(form);
                Match token = Regex.Match(html, "name=\"" + WebSite.CsrfField + "\" value=\"([^\"]+)\"");
                if (form.StatusCode != HttpStatusCode.OK || anonymous == null || !token.Success)
                {
                    throw new InvalidOperationException("the setup page did not offer a session and a token: " + (int)form.StatusCode);
                }

                HttpRequestMessage post = new HttpRequestMessage(HttpMethod.Post, "/setup")
                {
                    Content = new FormUrlEncodedContent(new Dictionary<string, string>
                    {
                        { WebSite.CsrfField, token.Groups[1].Value },
                        { "code", code },
                        { "password", AdminPassword },
                        { "confirm", AdminPassword },
                    }),
                };
                post.Headers.Add("Cookie", anonymous);
                HttpResponseMessage done = client.SendAsync(post).GetAwaiter().GetResult();
                _cookie = SessionCookie(done);
                if (done.StatusCode != HttpStatusCode.Found && done.StatusCode != HttpStatusCode.SeeOther || _cookie == null)
                {
                    throw new InvalidOperationException("first use refused: " + (int)done.StatusCode + " " + done.Content.ReadAsStringAsync().GetAwaiter().GetResult());
                }
            }
        }

        private static string SessionCookie(HttpResponseMessage response)
        {
            IEnumerable<string> values;
            if (!response.Headers.TryGetValues("Set-Cookie", out values))
            {
                return null;
            }

            foreach (string value in values)
            {
                if (value.StartsWith(WebSessions.CookieName + "=", StringComparison.Ordinal))
                {
                    return value.Substring(0, value.IndexOf(';'));
                }
            }

            return null;
        }
    }
}
