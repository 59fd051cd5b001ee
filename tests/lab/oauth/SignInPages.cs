using System;
using System.Security.Claims;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace NetBoard.Lab.OAuth
{
    /// <summary>
    /// The pages a person uses with a browser: the end-user verification page of the device authorization grant
    /// (RFC 8628 section 3.3: enter the user code, sign in, allow or deny) and the sign-in page. The user code itself is
    /// checked, and the device code approved or rejected, by OpenIddict's end-user verification endpoint; these
    /// handlers only render the forms and decide.
    /// </summary>
    public static class SignInPages
    {
        /// <summary>The path of the verification page (verification_uri).</summary>
        public const string VerifyPath = "/connect/verify";

        private const string LoginPath = "/account/login";
        private const string ApprovedPath = "/device/approved";
        private const string DeniedPath = "/device/denied";

        /// <summary>Maps the pages.</summary>
        public static void Map(IEndpointRouteBuilder routes)
        {
            routes.MapGet(VerifyPath, Verify);
            routes.MapPost(VerifyPath, Decide);
            routes.MapGet(LoginPath, LoginForm);
            routes.MapPost(LoginPath, Login);
            routes.MapGet(ApprovedPath, () => HtmlPage.Render("Device connected", null,
                "<p id=\"result\">approved: the device now gets its tokens. You can close this page.</p>\n"));
            routes.MapGet(DeniedPath, () => HtmlPage.Render("Access denied", null,
                "<p id=\"result\">denied: the device gets no access.</p>\n"));
            routes.MapGet("/", () => HtmlPage.Render("Lab authorization server", null,
                "<p>OAuth 2.0 authorization server of the mail lab.</p>\n<p><a href=\"" + VerifyPath + "\">Connect a device</a></p>\n"));
        }

        // GET: without a valid user code, the form to type one; with one, sign-in first, then the consent form.
        private static async Task<IResult> Verify(HttpContext context, IOpenIddictApplicationManager applications, IAntiforgery antiforgery)
        {
            AuthenticateResult code = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            if (!IsValidCode(code))
            {
                string typed = context.Request.Query[Parameters.UserCode];
                return CodeForm(string.IsNullOrEmpty(typed) ? null : "This code is not valid or has expired. Check the code on your device.");
            }

            AuthenticateResult user = await context.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            if (!user.Succeeded)
            {
                return Results.Redirect(LoginPath + "?returnUrl=" + Uri.EscapeDataString(context.Request.Path + context.Request.QueryString));
            }

            return await ConsentForm(context, code, user, applications, antiforgery);
        }

        // POST of the consent form: approve (sign-in at OpenIddict) or deny (challenge: the device gets access_denied).
        private static async Task<IResult> Decide(HttpContext context, LabOAuthSettings settings, IAntiforgery antiforgery)
        {
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return HtmlPage.Render("Connect a device", "The form has expired. Open the page again.", string.Empty, StatusCodes.Status400BadRequest);
            }

            AuthenticateResult code = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            if (!IsValidCode(code))
            {
                return CodeForm("This code is not valid or has expired. Check the code on your device.");
            }

            AuthenticateResult signedIn = await context.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            LabUser user = signedIn.Succeeded ? settings.FindUser(signedIn.Principal.Identity.Name) : null;
            if (user == null)
            {
                return Results.Redirect(LoginPath + "?returnUrl=" + Uri.EscapeDataString(VerifyPath));
            }

            IFormCollection form = await context.Request.ReadFormAsync();
            if (form.ContainsKey("submit.deny"))
            {
                return Results.Forbid(
                    new AuthenticationProperties { RedirectUri = DeniedPath },
                    new[] { OpenIddictServerAspNetCoreDefaults.AuthenticationScheme });
            }

            if (!form.ContainsKey("submit.accept"))
            {
                return HtmlPage.Render("Connect a device", "Choose Allow or Deny.", string.Empty, StatusCodes.Status400BadRequest);
            }

            ClaimsIdentity identity = LabTokens.UserIdentity(settings, user);
            identity.SetScopes(code.Principal.GetScopes());
            return Results.SignIn(
                new ClaimsPrincipal(identity),
                new AuthenticationProperties { RedirectUri = ApprovedPath },
                OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        private static IResult LoginForm(HttpContext context, IAntiforgery antiforgery)
        {
            return LoginPage(context, antiforgery, null, context.Request.Query["returnUrl"]);
        }

        private static async Task<IResult> Login(HttpContext context, LabOAuthSettings settings, IAntiforgery antiforgery)
        {
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return HtmlPage.Render("Sign in", "The form has expired. Open the page again.", string.Empty, StatusCodes.Status400BadRequest);
            }

            IFormCollection form = await context.Request.ReadFormAsync();
            string returnUrl = form["returnUrl"];
            LabUser user = settings.FindUser(form["username"], form["password"]);
            if (user == null)
            {
                return LoginPage(context, antiforgery, "Wrong user name or password.", returnUrl);
            }

            ClaimsIdentity identity = new ClaimsIdentity(CookieAuthenticationDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
            identity.AddClaim(new Claim(Claims.Name, user.Name));
            await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
            return Results.Redirect(IsLocal(returnUrl) ? returnUrl : VerifyPath);
        }

        private static IResult LoginPage(HttpContext context, IAntiforgery antiforgery, string error, string returnUrl)
        {
            AntiforgeryTokenSet tokens = antiforgery.GetAndStoreTokens(context);
            string body =
                "<form method=\"post\" action=\"" + LoginPath + "\" id=\"login\">\n"
                + HtmlPage.Hidden(tokens.FormFieldName, tokens.RequestToken)
                + HtmlPage.Hidden("returnUrl", IsLocal(returnUrl) ? returnUrl : VerifyPath)
                + "<p><label>User name <input type=\"text\" name=\"username\" autocomplete=\"username\"></label></p>\n"
                + "<p><label>Password <input type=\"password\" name=\"password\" autocomplete=\"current-password\"></label></p>\n"
                + "<p><button type=\"submit\">Sign in</button></p>\n</form>\n";
            return HtmlPage.Render("Sign in", error, body);
        }

        private static IResult CodeForm(string error)
        {
            string body =
                "<p>Enter the code your device shows.</p>\n"
                + "<form method=\"get\" action=\"" + VerifyPath + "\" id=\"code\">\n"
                + "<p><label>Code <input type=\"text\" name=\"" + Parameters.UserCode + "\" autocomplete=\"off\"></label></p>\n"
                + "<p><button type=\"submit\">Next</button></p>\n</form>\n";
            return HtmlPage.Render("Connect a device", error, body);
        }

        private static async Task<IResult> ConsentForm(HttpContext context, AuthenticateResult code, AuthenticateResult user, IOpenIddictApplicationManager applications, IAntiforgery antiforgery)
        {
            object application = await applications.FindByClientIdAsync(code.Principal.GetClaim(Claims.ClientId));
            string appName = application == null ? "An unknown device" : await applications.GetDisplayNameAsync(application);
            string userCode = code.Properties.GetTokenValue(OpenIddictServerAspNetCoreConstants.Tokens.UserCode);
            AntiforgeryTokenSet tokens = antiforgery.GetAndStoreTokens(context);
            string body =
                "<p><b id=\"client\">" + HtmlPage.Encode(appName) + "</b> asks for access to the mail of <b id=\"user\">"
                + HtmlPage.Encode(user.Principal.Identity.Name) + "</b> (scopes: <span id=\"scopes\">"
                + HtmlPage.Encode(string.Join(" ", code.Principal.GetScopes())) + "</span>).</p>\n"
                + "<p>Check that your device shows this code: <code id=\"user_code\">" + HtmlPage.Encode(userCode) + "</code></p>\n"
                + "<form method=\"post\" action=\"" + VerifyPath + "\" id=\"consent\">\n"
                + HtmlPage.Hidden(tokens.FormFieldName, tokens.RequestToken)
                + HtmlPage.Hidden(Parameters.UserCode, userCode)
                + "<p><button type=\"submit\" name=\"submit.accept\" value=\"yes\">Allow</button>\n"
                + "<button type=\"submit\" name=\"submit.deny\" value=\"yes\">Deny</button></p>\n</form>\n";
            return HtmlPage.Render("Allow access?", null, body);
        }

        private static bool IsValidCode(AuthenticateResult code)
        {
            return code.Succeeded && !string.IsNullOrEmpty(code.Principal.GetClaim(Claims.ClientId));
        }

        private static bool IsLocal(string url)
        {
            return !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));
        }
    }
}
