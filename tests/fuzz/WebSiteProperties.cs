using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using CsCheck;
using NetBoard.Firmware.Device;
using NetBoard.Firmware.Settings;
using NetBoard.Firmware.Web;
using NetBoard.Hal;

namespace NetBoard.Fuzz.Tests
{
    /// <summary>Properties of the web page's form handling: any post to the settings page or the sign-in page.</summary>
    public static class WebSiteProperties
    {
        private const string StoredSecret = "S3cret-Fuzz-Value";
        private const string AdminPassword = "Fuzz-Admin-Pa55";

        private static readonly string[] Sections = { "email", "smtp-server", "pop-server", "authent-encryption", "advanced", "nowhere", string.Empty };

        private static readonly Gen<string> Value = Gen.OneOf(
            Gen.String[Gen.Char[' ', '~'], 0, 20],
            Gen.OneOf("", "0", "1", "25", "300", "450", "10000", "10001", "99999", "-1", "on", "off", "auto", "plain", "cram-md5", "tls", "starttls", "none",
                "mail.example.org", "10.0.0.1", "a@b.example", "<script>alert(1)</script>", "\"><img src=x>", " lead", "trail ", "\u00e9\u00e8", "x\u0001y"),
            Gen.String[Gen.Char['\u0000', '\uffff'], 0, 8].Select(s => new string(s.Where(c => !char.IsSurrogate(c)).ToArray())));

        private static readonly Gen<string> Name = Gen.OneOf(
            Gen.OneOf(SettingsSchema.All.Select(d => d.Key).ToArray()),
            Gen.OneOf(SettingsSchema.All.Select(d => "clear." + d.Key).ToArray()),
            Gen.OneOf("section", "csrf", "password", "x", ""),
            Gen.String[Gen.Char[' ', '~'], 0, 10]);

        /// <summary>
        /// A signed-in post of any fields to /settings answers 303 (saved) or 400 (nothing saved) and never throws;
        /// the settings in force stay valid; a saved post put exactly its valid values in force; no page shows the
        /// stored password or unescaped markup.
        /// </summary>
        public static void SettingsPosts(long iter)
        {
            Site site = Site.SignedIn();
            Gen.Select(Gen.Select(Name, Value).Array[0, 12], Gen.OneOf(Sections), Gen.Bool, Gen.Byte.Array[0, 40]).Sample((fields, section, withNoise, noise) =>
            {
                string body = "csrf=" + site.Csrf + "&section=" + Uri.EscapeDataString(section) + "&"
                    + string.Join("&", fields.Select(f => WebUtility.UrlEncode(f.Item1) + "=" + WebUtility.UrlEncode(f.Item2)));
                byte[] bytes = withNoise ? Encoding.ASCII.GetBytes(body).Concat(noise).ToArray() : Encoding.ASCII.GetBytes(body);
                if (bytes.Length > HttpRequestParser.DefaultMaxBodyBytes)
                {
                    return;
                }

                int before = site.Keeper.Version;
                DeviceSettings old = site.Keeper.Current;
                HttpResponse answer = site.Post("/settings", bytes);
                Check(answer.Status == 303 || answer.Status == 400, "status " + answer.Status + " for " + body);
                Check(site.Keeper.Current.Validate().Length == 0, "settings in force invalid after " + body);
                Check(!answer.Body.Contains(StoredSecret, StringComparison.Ordinal), "stored password shown for " + body);
                Check(!answer.Body.Contains("<script", StringComparison.Ordinal) && !answer.Body.Contains("<img", StringComparison.Ordinal), "markup echoed for " + body);
                if (answer.Status == 400)
                {
                    Check(site.Keeper.Version == before && site.Keeper.Current == old, "a refused post changed the settings: " + body);
                    return;
                }

                // Saved: each key of the section that was posted holds the first posted value (secrets: when not empty).
                var form = new FormFields();
                Check(form.Parse(bytes, 0, bytes.Length), "saved a post that does not parse: " + body);
                foreach (SettingDefinition definition in SettingsSchema.All)
                {
                    string posted = form.Get(definition.Key);
                    string now = site.Keeper.Current.Get(definition.Key);
                    if (posted == null || now == old.Get(definition.Key))
                    {
                        continue;
                    }

                    bool cleared = definition.Kind == SettingKind.Secret && form.Get("clear." + definition.Key) != null && now.Length == 0;
                    Check(cleared || now == posted, definition.Key + " is '" + now + "' after posting '" + posted + "'");
                }

                site.RestoreSecret();
            }, iter: iter, threads: 1);
        }

        /// <summary>Any sign-in post answers 303, 403, 429 or 400 and never throws; only the right password signs in.</summary>
        public static void SignInPosts(long iter)
        {
            Site site = Site.SignedIn();
            Gen.Select(Gen.OneOf(Value, Gen.Const(AdminPassword)), Gen.Bool).Sample((password, withToken) =>
            {
                site.Web.Guard.Succeeded();
                var anonymous = site.Web.Sessions.Open(site.NowMs, false);
                string body = (withToken ? "csrf=" + anonymous.CsrfToken + "&" : string.Empty) + "password=" + WebUtility.UrlEncode(password);
                HttpResponse answer = site.Post("/signin", Encoding.ASCII.GetBytes(body), anonymous.Id);
                if (!withToken)
                {
                    Check(answer.Status == 403, "no token but " + answer.Status);
                    return;
                }

                Check(answer.Status == (password == AdminPassword ? 303 : 403), "password '" + password + "' answered " + answer.Status);
                Check(password.Length == 0 || !answer.Body.Contains("value=\"" + HtmlText.Escape(password) + "\"", StringComparison.Ordinal), "password echoed");
            }, iter: Math.Min(iter, 200), threads: 1);
        }

        private static void Check(bool condition, string what)
        {
            if (!condition)
            {
                throw new InvalidOperationException(what);
            }
        }

        /// <summary>A device runtime on memory doubles with the web page, set up and signed in.</summary>
        private sealed class Site
        {
            private string _cookie;

            private Site()
            {
                var settings = new DeviceSettings();
                settings.Set(SettingKeys.SmtpHost, "mail.example.org");
                settings.Set(SettingKeys.DeviceEmail, "mfp@example.org");
                settings.Set(SettingKeys.SmtpPassword, StoredSecret);
                Runtime = new DeviceRuntime(new SettingsKeeper(settings, null), null, new Clock(this), new Idle(), new Flash(), null, null);
                Runtime.Context.RandomSource = new Random();
                Web = Runtime.AttachWeb(new NoListener(), false);
            }

            public DeviceRuntime Runtime { get; }

            public WebSite Web { get; }

            public SettingsKeeper Keeper => Runtime.Context.SettingsKeeper;

            public long NowMs { get; set; } = 1000;

            public string Csrf { get; private set; }

            public static Site SignedIn()
            {
                var site = new Site();
                WebSession first = site.Web.Sessions.Open(site.NowMs, false);
                HttpResponse done = site.Post("/setup", Encoding.ASCII.GetBytes("csrf=" + first.CsrfToken + "&code=" + site.Web.SetupCode + "&password=" + AdminPassword + "&confirm=" + AdminPassword), first.Id);
                Check(done.Status == 303 && done.SetCookie != null, "setup answered " + done.Status);
                site._cookie = done.SetCookie.Substring("nb_session=".Length, 64);
                WebSession session = site.Web.Sessions.Find("nb_session=" + site._cookie, site.NowMs);
                site.Csrf = session.CsrfToken;
                return site;
            }

            public void RestoreSecret()
            {
                if (Keeper.Current.Get(SettingKeys.SmtpPassword) != StoredSecret)
                {
                    DeviceSettings edited = Keeper.Edit();
                    edited.Set(SettingKeys.SmtpPassword, StoredSecret);
                    Check(Keeper.Commit(edited) == null, "restore");
                }
            }

            public HttpResponse Post(string path, byte[] body, string cookie = null)
            {
                var parser = new HttpRequestParser();
                byte[] head = Encoding.ASCII.GetBytes("POST " + path + " HTTP/1.1\r\nHost: b\r\nCookie: nb_session=" + (cookie ?? _cookie)
                    + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.Length + "\r\n\r\n");
                parser.Feed(head, 0, head.Length);
                parser.Feed(body, 0, body.Length);
                Check(parser.State == HttpParseState.Complete, "request not complete: " + parser.State);
                for (int i = 0; i < 100_000; i++)
                {
                    HttpResponse answer = Web.Handle(parser, NowMs);
                    NowMs++;
                    if (answer != HttpResponse.NotYet)
                    {
                        return answer;
                    }
                }

                throw new InvalidOperationException("no answer");
            }
        }

        private sealed class Random : IRandomSource
        {
            public void NextBytes(byte[] buffer, int offset, int count) => System.Security.Cryptography.RandomNumberGenerator.Fill(buffer.AsSpan(offset, count));
        }

        private sealed class Clock : IClock
        {
            private readonly Site _site;

            public Clock(Site site) => _site = site;

            public long NowMs => _site.NowMs;

            public DateTime UtcNow => new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMilliseconds(_site.NowMs);
        }

        private sealed class Idle : ISystemIdle
        {
            public void Wait(int maxMs)
            {
            }
        }

        private sealed class NoListener : INetListener
        {
            public bool IsListening => false;

            public int LocalPort => 0;

            public INetConnection Accept() => null;

            public void Close()
            {
            }

            public void Dispose()
            {
            }
        }

        /// <summary>Files in a dictionary; enough for the job store, journal, settings and credentials.</summary>
        private sealed class Flash : IStorage
        {
            private readonly Dictionary<string, byte[]> _files = new Dictionary<string, byte[]>();

            public bool Exists(string name) => _files.ContainsKey(name);

            public IDocumentSource OpenRead(string name) => _files.TryGetValue(name, out byte[] data) ? new Reader(data) : throw new FileNotFoundException(name);

            public IStorageWriter Create(string name) => new Writer(this, name);

            public void Replace(string from, string to)
            {
                _files[to] = _files[from];
                _files.Remove(from);
            }

            public void Delete(string name) => _files.Remove(name);

            public string[] List(string prefix) => _files.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(k => k, StringComparer.Ordinal).ToArray();

            private sealed class Reader : IDocumentSource
            {
                private readonly byte[] _data;
                private int _at;

                public Reader(byte[] data) => _data = data;

                public long Length => _data.Length;

                public int Read(byte[] buffer, int offset, int count)
                {
                    int n = Math.Min(count, _data.Length - _at);
                    Array.Copy(_data, _at, buffer, offset, n);
                    _at += n;
                    return n;
                }

                public void Dispose()
                {
                }
            }

            private sealed class Writer : IStorageWriter
            {
                private readonly Flash _owner;
                private readonly string _name;
                private readonly MemoryStream _stream = new MemoryStream();

                public Writer(Flash owner, string name)
                {
                    _owner = owner;
                    _name = name;
                }

                public void Write(byte[] buffer, int offset, int count) => _stream.Write(buffer, offset, count);

                public void Commit() => _owner._files[_name] = _stream.ToArray();

                public void Dispose()
                {
                }
            }
        }
    }
}
