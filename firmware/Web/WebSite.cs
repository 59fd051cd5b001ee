using System;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Panel;
using NetBoard.Firmware.Settings;
using NetBoard.Hal;

namespace NetBoard.Firmware.Web
{
    /// <summary>
    /// The board's web page (Remote UI): first-use setup of the administrator password, sign-in, the
    /// E-Mail/I-Fax settings, job status with the test e-mail, and the paged journal. Every page but the
    /// style sheet, sign-in and setup needs a signed-in session; every form carries the session's CSRF token;
    /// sign-ins are guarded by a board-wide lockout; the password check (PBKDF2) runs a slice per step.
    /// Element ids and field names are stable (the README lists them).
    /// </summary>
    public sealed class WebSite : IWebHandler
    {
        /// <summary>The hidden field carrying the CSRF token in every form.</summary>
        public const string CsrfField = "csrf";

        /// <summary>Journal entries per page.</summary>
        public const int JournalPageSize = 10;

        /// <summary>Digits in the first-use setup code.</summary>
        public const int SetupCodeDigits = 8;

        private readonly DeviceContext _context;
        private readonly DevicePanelServices _services;
        private readonly AdminPassword _password;
        private readonly WebSessions _sessions;
        private readonly SignInGuard _guard = new SignInGuard();
        private readonly SettingsForm _settingsForm = new SettingsForm();
        private readonly bool _secure;
        private string _setupCode;

        private HttpRequestParser _pendingRequest;
        private PasswordDerivation _pendingDerivation;
        private WebSession _pendingSession;
        private bool _pendingIsSetup;
        private bool _pendingIsChange;
        private string _pendingNewPassword;
        private int _pendingGeneration;
        private int _passwordGeneration;

        /// <summary>
        /// Serves the device of <paramref name="context"/> (its settings keeper, jobs, journal, credential
        /// store and random source, which must be set). <paramref name="secure"/>: served over HTTPS, so the
        /// cookie is marked Secure.
        /// </summary>
        public WebSite(DeviceContext context, DevicePanelServices services, bool secure)
        {
            if (context == null)
            {
                throw new ArgumentNullException("context");
            }

            if (services == null)
            {
                throw new ArgumentNullException("services");
            }

            if (context.RandomSource == null)
            {
                throw new ArgumentException("the web page needs the board's random source", "context");
            }

            _context = context;
            _services = services;
            _secure = secure;
            _password = new AdminPassword(context.Credentials, context.RandomSource);
            _sessions = new WebSessions(context.RandomSource, context.Settings.GetInt(SettingKeys.WebSessionMin) * 60000L);
            if (!_password.IsSet)
            {
                _setupCode = NewSetupCode(context.RandomSource);
            }
        }

        /// <summary>
        /// The one-time code the first-use page asks for, shown on the panel (and printed by the virtual
        /// board), while no administrator password is set; null once it is.
        /// </summary>
        public string SetupCode
        {
            get { return _setupCode; }
        }

        /// <summary>The sessions (for tests and diagnostics).</summary>
        public WebSessions Sessions
        {
            get { return _sessions; }
        }

        /// <summary>The sign-in lockout.</summary>
        public SignInGuard Guard
        {
            get { return _guard; }
        }

        /// <summary>
        /// Forgets the administrator password (the panel's factory reset): every session ends, and the page
        /// asks for a new password with a new setup code, which is returned for the panel.
        /// </summary>
        public string ForgetPassword()
        {
            _password.Forget();
            _passwordGeneration++;
            _sessions.CloseAll();
            _setupCode = NewSetupCode(_context.RandomSource);
            return _setupCode;
        }

        /// <inheritdoc />
        public HttpResponse Handle(HttpRequestParser request, long nowMs)
        {
            if (_pendingRequest != null)
            {
                if (_pendingRequest == request)
                {
                    return ContinueDerivation(nowMs);
                }

                if (request.Method == "POST" && (request.Path == "/signin" || request.Path == "/setup" || request.Path == "/password"))
                {
                    // One derivation at a time: this one waits for its turn.
                    return HttpResponse.NotYet;
                }
            }

            string path = request.Path;
            bool get = request.Method == "GET" || request.Method == "HEAD";
            bool post = request.Method == "POST";
            if (path == "/style.css")
            {
                return get ? new HttpResponse(HttpStatus.Ok, HttpResponse.CssType, WebStyle.Css) : NotAllowed();
            }

            if (path != "/" && path != "/setup" && path != "/signin" && path != "/signout" && path != "/status"
                && path != "/settings" && path != "/journal" && path != "/testmail" && path != "/password")
            {
                return Page(HttpStatus.NotFound, "Not found", null, "<p>No such page.</p>", null);
            }

            if (!get && !post)
            {
                return NotAllowed();
            }

            WebSession session = _sessions.Find(request.Cookie, nowMs);
            FormFields form = null;
            if (post)
            {
                if (!request.HasFormBody)
                {
                    return Page(HttpStatus.UnsupportedMediaType, "Refused", null, "<p class=\"error\">The form was not sent as a form.</p>", null);
                }

                form = new FormFields();
                if (!form.Parse(request.Body, 0, request.BodyLength))
                {
                    return Page(HttpStatus.BadRequest, "Refused", null, "<p class=\"error\">The form could not be read.</p>", null);
                }

                if (session == null || !WebSessions.CheckCsrf(session, form.Get(CsrfField)))
                {
                    return Page(HttpStatus.Forbidden, "Refused", null, "<p class=\"error\" id=\"csrf-refused\">The form was refused: its session or security token is missing or out of date. Open the page again and repeat.</p><p><a href=\"/\">Start again</a></p>", null);
                }
            }

            if (path == "/setup")
            {
                return post ? PostSetup(request, session, form, nowMs) : GetSetup(session, nowMs);
            }

            if (path == "/signin")
            {
                return post ? PostSignIn(request, session, form, nowMs) : GetSignIn(session, nowMs, null, HttpStatus.Ok);
            }

            if (session == null || !session.SignedIn)
            {
                if (post)
                {
                    return Page(HttpStatus.Forbidden, "Refused", null, "<p class=\"error\">Sign in first.</p><p><a href=\"/signin\">Sign in</a></p>", null);
                }

                return HttpResponse.Redirect(_setupCode != null ? "/setup" : "/signin");
            }

            if (path == "/")
            {
                return get ? HttpResponse.Redirect("/status") : NotAllowed();
            }

            if (path == "/signout")
            {
                if (!post)
                {
                    return NotAllowed();
                }

                _sessions.Close(session);
                HttpResponse bye = HttpResponse.Redirect("/signin");
                bye.SetCookie = WebSessions.ExpiredCookie(_secure);
                return bye;
            }

            if (path == "/status")
            {
                return get ? StatusPage(session) : NotAllowed();
            }

            if (path == "/journal")
            {
                return get ? JournalPage(session, request.Query) : NotAllowed();
            }

            if (path == "/testmail")
            {
                return post ? PostTestMail(session) : NotAllowed();
            }

            if (path == "/password")
            {
                return post ? PostPassword(request, session, form, nowMs) : NotAllowed();
            }

            return post ? PostSettings(session, form) : SettingsPage(session, request.Query, null, HttpStatus.Ok);
        }

        private static string NewSetupCode(IRandomSource random)
        {
            char[] digits = new char[SetupCodeDigits];
            byte[] one = new byte[1];
            int at = 0;
            while (at < SetupCodeDigits)
            {
                random.NextBytes(one, 0, 1);
                if (one[0] < 250)
                {
                    // 250 is a multiple of 10: no digit is likelier than another.
                    digits[at++] = (char)('0' + (one[0] % 10));
                }
            }

            return new string(digits);
        }

        private static HttpResponse NotAllowed()
        {
            return HttpResponse.Error(HttpStatus.MethodNotAllowed);
        }

        private WebSession SessionFor(WebSession session, long nowMs, out bool isNew)
        {
            isNew = session == null;
            return session != null ? session : _sessions.Open(nowMs, false);
        }

        private HttpResponse GetSetup(WebSession session, long nowMs)
        {
            if (_setupCode == null)
            {
                return HttpResponse.Redirect(session != null && session.SignedIn ? "/status" : "/signin");
            }

            return SetupPage(session, nowMs, null, HttpStatus.Ok);
        }

        private HttpResponse SetupPage(WebSession session, long nowMs, string error, int status)
        {
            bool isNew;
            session = SessionFor(session, nowMs, out isNew);
            HtmlPage body = new HtmlPage();
            body.Raw("<p>This board has no administrator password yet. Enter the setup code shown on the board's panel and choose a password (")
                ;
            body.Raw(AdminPassword.MinLength.ToString() + " to " + AdminPassword.MaxLength.ToString() + " characters).</p>");
            WriteError(body, error, "setup-error");
            body.Raw("<form method=\"post\" action=\"/setup\" id=\"setup-form\"><fieldset><legend>Set the administrator password</legend>");
            body.Csrf(session);
            body.Raw("<div class=\"field\"><label for=\"code\">Setup code</label><input type=\"text\" id=\"code\" name=\"code\" inputmode=\"numeric\" autocomplete=\"off\" value=\"\"></div>");
            body.Raw("<div class=\"field\"><label for=\"password\">New password</label><input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"new-password\" value=\"\"></div>");
            body.Raw("<div class=\"field\"><label for=\"confirm\">Repeat it</label><input type=\"password\" id=\"confirm\" name=\"confirm\" autocomplete=\"new-password\" value=\"\"></div>");
            body.Raw("<button type=\"submit\" id=\"setup-submit\">Set password</button></fieldset></form>");
            return Page(status, "First use", null, body.ToString(), isNew ? _sessions.CookieFor(session, _secure) : null);
        }

        private HttpResponse PostSetup(HttpRequestParser request, WebSession session, FormFields form, long nowMs)
        {
            if (_setupCode == null)
            {
                return Page(HttpStatus.Forbidden, "Refused", null, "<p class=\"error\">The administrator password is already set.</p><p><a href=\"/signin\">Sign in</a></p>", null);
            }

            if (_guard.IsLocked(nowMs))
            {
                return SetupPage(session, nowMs, LockedMessage(nowMs), HttpStatus.TooManyRequests);
            }

            if (!WebSessions.SameToken(_setupCode, Digits(form.Get("code"))))
            {
                _guard.Failed(nowMs);
                return SetupPage(session, nowMs, "Wrong setup code." + (_guard.IsLocked(nowMs) ? " " + LockedMessage(nowMs) : string.Empty), HttpStatus.Forbidden);
            }

            string password = form.Get("password");
            string problem = AdminPassword.CheckNew(password);
            if (problem == null && password != form.Get("confirm"))
            {
                problem = "The two passwords differ.";
            }

            if (problem != null)
            {
                return SetupPage(session, nowMs, problem, HttpStatus.BadRequest);
            }

            StartDerivation(request, session, _password.StartNew(password), true);
            return ContinueDerivation(nowMs);
        }

        private HttpResponse GetSignIn(WebSession session, long nowMs, string error, int status)
        {
            if (_setupCode != null)
            {
                return HttpResponse.Redirect("/setup");
            }

            if (session != null && session.SignedIn && error == null)
            {
                return HttpResponse.Redirect("/status");
            }

            bool isNew;
            session = SessionFor(session, nowMs, out isNew);
            HtmlPage body = new HtmlPage();
            WriteError(body, error, "signin-error");
            body.Raw("<form method=\"post\" action=\"/signin\" id=\"signin-form\"><fieldset><legend>Administrator sign-in</legend>");
            body.Csrf(session);
            body.Raw("<div class=\"field\"><label for=\"password\">Password</label><input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\" value=\"\" autofocus></div>");
            body.Raw("<button type=\"submit\" id=\"signin-submit\">Sign in</button></fieldset></form>");
            return Page(status, "Sign in", null, body.ToString(), isNew ? _sessions.CookieFor(session, _secure) : null);
        }

        private HttpResponse PostSignIn(HttpRequestParser request, WebSession session, FormFields form, long nowMs)
        {
            if (_setupCode != null)
            {
                return HttpResponse.Redirect("/setup");
            }

            if (_guard.IsLocked(nowMs))
            {
                return GetSignIn(session, nowMs, LockedMessage(nowMs), HttpStatus.TooManyRequests);
            }

            string password = form.Get("password");
            if (password == null || password.Length == 0 || password.Length > AdminPassword.MaxLength)
            {
                _guard.Failed(nowMs);
                return GetSignIn(session, nowMs, "Wrong password.", HttpStatus.Forbidden);
            }

            PasswordDerivation check = _password.StartCheck(password);
            if (check == null)
            {
                return Page(HttpStatus.InternalServerError, "Sign in", null, "<p class=\"error\">The stored administrator password is damaged; reset the board's web password from the panel (Factory Reset).</p>", null);
            }

            StartDerivation(request, session, check, false);
            return ContinueDerivation(nowMs);
        }

        private HttpResponse PostPassword(HttpRequestParser request, WebSession session, FormFields form, long nowMs)
        {
            if (_guard.IsLocked(nowMs))
            {
                return SettingsPage(session, string.Empty, LockedMessage(nowMs), HttpStatus.TooManyRequests);
            }

            string current = form.Get("current");
            string password = form.Get("password");
            string problem = AdminPassword.CheckNew(password);
            if (problem == null && password != form.Get("confirm"))
            {
                problem = "The two passwords differ.";
            }

            if (problem != null)
            {
                return SettingsPage(session, string.Empty, problem, HttpStatus.BadRequest);
            }

            PasswordDerivation check = current == null || current.Length == 0 || current.Length > AdminPassword.MaxLength ? null : _password.StartCheck(current);
            if (check == null)
            {
                _guard.Failed(nowMs);
                return SettingsPage(session, string.Empty, "The current password is wrong.", HttpStatus.Forbidden);
            }

            // First the current password is checked, then the new one derived: two derivations in turn.
            StartDerivation(request, session, check, false);
            _pendingNewPassword = password;
            return ContinueDerivation(nowMs);
        }

        private void StartDerivation(HttpRequestParser request, WebSession session, PasswordDerivation derivation, bool isSetup)
        {
            _pendingRequest = request;
            _pendingSession = session;
            _pendingDerivation = derivation;
            _pendingIsSetup = isSetup;
            _pendingIsChange = false;
            _pendingNewPassword = null;
            _pendingGeneration = _passwordGeneration;
        }

        private HttpResponse ContinueDerivation(long nowMs)
        {
            PasswordDerivation derivation = _pendingDerivation;
            if (!derivation.Run(PasswordDerivation.RoundsPerStep))
            {
                return HttpResponse.NotYet;
            }

            WebSession anonymous = _pendingSession;
            HttpRequestParser request = _pendingRequest;
            bool isSetup = _pendingIsSetup;
            bool isChange = _pendingIsChange;
            string newPassword = _pendingNewPassword;
            _pendingRequest = null;
            _pendingSession = null;
            _pendingDerivation = null;
            _pendingNewPassword = null;
            if (_pendingGeneration != _passwordGeneration)
            {
                // The password was forgotten (factory reset) while this one was being derived: it counts for nothing.
                derivation.Clear();
                return HttpResponse.Redirect("/setup");
            }

            if (newPassword != null)
            {
                if (!_password.Matches(derivation))
                {
                    _guard.Failed(nowMs);
                    string message = "The current password is wrong." + (_guard.IsLocked(nowMs) ? " " + LockedMessage(nowMs) : string.Empty);
                    return anonymous.InUse && anonymous.SignedIn ? SettingsPage(anonymous, string.Empty, message, HttpStatus.Forbidden) : HttpResponse.Redirect("/signin");
                }

                _guard.Succeeded();
                StartDerivation(request, anonymous, _password.StartNew(newPassword), true);
                _pendingIsChange = true;
                return HttpResponse.NotYet;
            }

            if (isSetup)
            {
                try
                {
                    _password.Store(derivation);
                }
                catch (Exception)
                {
                    return Page(HttpStatus.InternalServerError, "First use", null, "<p class=\"error\">The password could not be stored. Try again.</p>", null);
                }

                _setupCode = null;
                _sessions.CloseAll();
            }
            else if (!_password.Matches(derivation))
            {
                _guard.Failed(nowMs);
                return GetSignIn(anonymous.InUse ? anonymous : null, nowMs, "Wrong password." + (_guard.IsLocked(nowMs) ? " " + LockedMessage(nowMs) : string.Empty), HttpStatus.Forbidden);
            }

            _guard.Succeeded();

            // A new session id at sign-in, so a cookie planted before it is worth nothing after.
            _sessions.Close(anonymous);
            WebSession signedIn = _sessions.Open(nowMs, true);
            HttpResponse welcome = HttpResponse.Redirect(isChange ? "/settings?password=changed#password-form" : "/status");
            welcome.SetCookie = _sessions.CookieFor(signedIn, _secure);
            return welcome;
        }

        private string LockedMessage(long nowMs)
        {
            long seconds = (_guard.RemainingMs(nowMs) + 999) / 1000;
            return "Too many failed attempts: try again in " + seconds.ToString() + " s.";
        }

        private static string Digits(string text)
        {
            if (text == null)
            {
                return string.Empty;
            }

            char[] digits = new char[text.Length];
            int count = 0;
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] >= '0' && text[i] <= '9')
                {
                    digits[count++] = text[i];
                }
                else if (text[i] != ' ' && text[i] != '-')
                {
                    return string.Empty;
                }
            }

            return new string(digits, 0, count);
        }

        private HttpResponse StatusPage(WebSession session)
        {
            HtmlPage body = new HtmlPage();
            body.Raw("<dl id=\"activity\"><dt>Send</dt><dd id=\"send-activity\">");
            MailJob sending = _services.SendingJob;
            body.Text(_services.SendActivity + (sending != null ? " #" + sending.Id.ToString() : string.Empty));
            body.Raw("</dd><dt>POP</dt><dd id=\"pop-activity\">");
            body.Text(_services.ReceiveActivity);
            body.Raw("</dd></dl>");

            body.Raw("<form method=\"post\" action=\"/testmail\" id=\"test-mail-form\">");
            body.Csrf(session);
            body.Raw("<button type=\"submit\" id=\"send-test-mail\">Send test e-mail</button> to ");
            body.Text(_context.Settings.Get(SettingKeys.DeviceEmail));
            body.Raw("</form>");
            if (session.TestJobId != 0)
            {
                MailJob test = _context.Jobs.Find(session.TestJobId);
                body.Raw("<p id=\"test-mail-result\" data-job=\"" + session.TestJobId.ToString() + "\" data-state=\"");
                body.Raw(test == null ? "gone" : JobRecordFormat.StateName(test.State));
                body.Raw("\">Test e-mail #" + session.TestJobId.ToString() + ": ");
                body.Text(test == null ? "no longer in the queue; see the journal" : Outcome(test));
                body.Raw("</p>");
            }
            else if (session.TestMessage != null)
            {
                body.Raw("<p id=\"test-mail-result\" class=\"error\" data-state=\"refused\">");
                body.Text(session.TestMessage);
                body.Raw("</p>");
            }

            body.Raw("<h3>Jobs</h3><table id=\"jobs\"><tr><th>Job</th><th>State</th><th>Error</th><th>Recipients</th><th>Subject</th></tr>");
            JobStore jobs = _context.Jobs;
            int rows = 0;
            for (int i = jobs.Count - 1; i >= 0; i--)
            {
                MailJob job = jobs.At(i);
                rows++;
                body.Raw("<tr id=\"job-" + job.Id.ToString() + "\"><td>" + job.Id.ToString() + "</td><td>");
                body.Text(JobRecordFormat.StatusName(job));
                body.Raw("</td><td>");
                if (job.LastErrorCode != 0)
                {
                    body.Text(UserErrorCode.Format(job.LastErrorCode) + " " + UserErrorCode.Describe(job.LastErrorCode));
                }

                body.Raw("</td><td>");
                body.Text(Join(job.Recipients));
                body.Raw("</td><td>");
                body.Text(job.Subject);
                body.Raw("</td></tr>");
            }

            if (rows == 0)
            {
                body.Raw("<tr><td colspan=\"5\">No jobs.</td></tr>");
            }

            body.Raw("</table>");
            return Page(HttpStatus.Ok, "Job status", session, body.ToString(), null);
        }

        private static string Outcome(MailJob job)
        {
            string state = JobRecordFormat.StatusName(job);
            if (job.LastErrorCode != 0)
            {
                state += " " + UserErrorCode.Format(job.LastErrorCode) + " " + UserErrorCode.Describe(job.LastErrorCode);
            }

            return state;
        }

        private static string Join(string[] items)
        {
            string text = string.Empty;
            for (int i = 0; i < items.Length; i++)
            {
                text = i == 0 ? items[i] : text + ", " + items[i];
            }

            return text;
        }

        private HttpResponse PostTestMail(WebSession session)
        {
            string message;
            MailJob job = _services.QueueTestEmail(out message);
            session.TestJobId = job == null ? 0 : job.Id;
            session.TestMessage = job == null ? message : null;
            return HttpResponse.Redirect("/status");
        }

        private HttpResponse JournalPage(WebSession session, string query)
        {
            Journal journal = _context.Journal;
            int pages = (journal.Count + JournalPageSize - 1) / JournalPageSize;
            if (pages == 0)
            {
                pages = 1;
            }

            int page = 1;
            FormFields fields = new FormFields();
            if (query.Length > 0 && fields.Parse(query))
            {
                page = ParsePage(fields.Get("page"));
            }

            if (page > pages)
            {
                page = pages;
            }

            string[] lines = journal.NewestFirst((page - 1) * JournalPageSize, JournalPageSize);
            HtmlPage body = new HtmlPage();
            body.Raw("<p id=\"journal-page\">Page " + page.ToString() + " of " + pages.ToString() + " (" + journal.Count.ToString() + (journal.Count == 1 ? " entry" : " entries") + ", newest first)</p>");
            body.Raw("<ol class=\"journal\" id=\"journal\" start=\"" + (((page - 1) * JournalPageSize) + 1).ToString() + "\">");
            for (int i = 0; i < lines.Length; i++)
            {
                body.Raw("<li>");
                body.Text(lines[i]);
                body.Raw("</li>");
            }

            body.Raw("</ol><div class=\"pages\">");
            if (page > 1)
            {
                body.Raw("<a id=\"journal-newer\" href=\"/journal?page=" + (page - 1).ToString() + "\">Newer</a>");
            }

            if (page < pages)
            {
                body.Raw("<a id=\"journal-older\" href=\"/journal?page=" + (page + 1).ToString() + "\">Older</a>");
            }

            body.Raw("</div>");
            return Page(HttpStatus.Ok, "Journal", session, body.ToString(), null);
        }

        private static int ParsePage(string text)
        {
            if (text == null || text.Length == 0 || text.Length > 4)
            {
                return 1;
            }

            int page = 0;
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] < '0' || text[i] > '9')
                {
                    return 1;
                }

                page = (page * 10) + (text[i] - '0');
            }

            return page < 1 ? 1 : page;
        }

        private HttpResponse SettingsPage(WebSession session, string query, string passwordError, int status)
        {
            HtmlPage body = new HtmlPage();
            FormFields fields = new FormFields();
            bool parsed = query.Length > 0 && fields.Parse(query);
            if (parsed && fields.Get("saved") != null)
            {
                body.Raw("<p class=\"ok\" id=\"settings-saved\">Settings saved; they apply from the next send or reception.</p>");
            }

            _settingsForm.Write(body, session, _context.Settings, -1, null, null);
            WritePasswordForm(body, session, passwordError, parsed && fields.Get("password") == "changed");
            return Page(status, "E-Mail/I-Fax settings", session, body.ToString(), null);
        }

        private static void WritePasswordForm(HtmlPage body, WebSession session, string error, bool changed)
        {
            body.Raw("<form method=\"post\" action=\"/password\" id=\"password-form\"><fieldset><legend>Administrator password</legend>");
            if (changed)
            {
                body.Raw("<p class=\"ok\" id=\"password-changed\">The administrator password was changed; other sessions were signed out.</p>");
            }

            WriteError(body, error, "password-error");
            body.Csrf(session);
            body.Raw("<div class=\"field\"><label for=\"current\">Current password</label><input type=\"password\" id=\"current\" name=\"current\" autocomplete=\"current-password\" value=\"\"></div>");
            body.Raw("<div class=\"field\"><label for=\"password\">New password</label><input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"new-password\" value=\"\"></div>");
            body.Raw("<div class=\"field\"><label for=\"confirm\">Repeat it</label><input type=\"password\" id=\"confirm\" name=\"confirm\" autocomplete=\"new-password\" value=\"\"></div>");
            body.Raw("<button type=\"submit\" id=\"password-submit\">Change password</button></fieldset></form>");
        }

        private HttpResponse PostSettings(WebSession session, FormFields form)
        {
            string id = form.Get(SettingsForm.SectionField);
            int section = id == null ? -1 : _settingsForm.IndexOf(id);
            if (section < 0)
            {
                return Page(HttpStatus.BadRequest, "E-Mail/I-Fax settings", session, "<p class=\"error\" id=\"settings-error\">Unknown settings section.</p>", null);
            }

            SettingsKeeper keeper = _context.SettingsKeeper;
            DeviceSettings edited = keeper.Edit();
            bool anyError;
            string[] errors = _settingsForm.Apply(section, form, edited, out anyError);
            string problem = null;
            if (!anyError)
            {
                problem = keeper.Commit(edited);
                if (problem == null)
                {
                    return HttpResponse.Redirect("/settings?saved=" + id + "#form-" + id);
                }
            }

            HtmlPage body = new HtmlPage();
            body.Raw("<p class=\"error\" id=\"settings-error\">");
            body.Text(problem != null ? problem : "Nothing was saved: correct the fields marked below.");
            body.Raw("</p>");
            _settingsForm.Write(body, session, keeper.Current, section, form, errors);
            WritePasswordForm(body, session, null, false);
            return Page(HttpStatus.BadRequest, "E-Mail/I-Fax settings", session, body.ToString(), null);
        }

        private static void WriteError(HtmlPage body, string error, string id)
        {
            if (error != null)
            {
                body.Raw("<p class=\"error\" id=\"" + id + "\">");
                body.Text(error);
                body.Raw("</p>");
            }
        }

        private HttpResponse Page(int status, string title, WebSession session, string content, string setCookie)
        {
            HtmlPage page = new HtmlPage();
            page.Raw("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>");
            page.Text(title + " - " + _context.Settings.Get(SettingKeys.DeviceName));
            page.Raw("</title><link rel=\"stylesheet\" href=\"/style.css\"></head><body><header><h1>");
            page.Text(_context.Settings.Get(SettingKeys.DeviceName));
            page.Raw("</h1>");
            if (session != null && session.SignedIn)
            {
                page.Raw("<nav><a id=\"nav-status\" href=\"/status\">Job status</a><a id=\"nav-settings\" href=\"/settings\">E-Mail/I-Fax settings</a><a id=\"nav-journal\" href=\"/journal\">Journal</a>");
                page.Raw("<form method=\"post\" action=\"/signout\" id=\"signout-form\">");
                page.Csrf(session);
                page.Raw("<button type=\"submit\" id=\"signout\">Sign out</button></form></nav>");
            }

            page.Raw("</header><main><h2>");
            page.Text(title);
            page.Raw("</h2>");
            page.Raw(content);
            page.Raw("</main></body></html>");
            HttpResponse response = new HttpResponse(status, HttpResponse.HtmlType, page.ToString());
            if (setCookie != null)
            {
                response.SetCookie = setCookie;
            }

            return response;
        }
    }
}
