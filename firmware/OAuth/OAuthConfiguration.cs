using NetBoard.Firmware.Http;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Settings;

namespace NetBoard.Firmware.OAuth
{
    /// <summary>
    /// The authorization server the oauth.* settings describe: the Microsoft 365 preset (endpoints and scopes filled in
    /// from the tenant) or a custom provider, the grant, the client id and the scope, and whether that is enough to ask
    /// for tokens (<see cref="Problem"/>).
    /// </summary>
    public sealed class OAuthConfiguration
    {
        /// <summary>The Microsoft identity platform's host.</summary>
        public const string MicrosoftLoginHost = "login.microsoftonline.com";

        /// <summary>Delegated scopes for SMTP AUTH and POP with a signed-in user, plus a refresh token.</summary>
        public const string MicrosoftDelegatedScope = "https://outlook.office.com/SMTP.Send https://outlook.office.com/POP.AccessAsUser.All offline_access";

        /// <summary>The app-only scope (client credentials): the application permissions granted to the app.</summary>
        public const string MicrosoftAppScope = "https://outlook.office365.com/.default";

        /// <summary>The grant type of the device authorization grant (RFC 8628 3.4).</summary>
        public const string DeviceCodeGrantType = "urn:ietf:params:oauth:grant-type:device_code";

        private OAuthConfiguration()
        {
            Provider = "off";
            Grant = "device";
            ClientId = string.Empty;
            Scope = string.Empty;
            Fingerprint = string.Empty;
        }

        /// <summary>"off", "m365" or "custom".</summary>
        public string Provider { get; private set; }

        /// <summary>"device" or "client_credentials".</summary>
        public string Grant { get; private set; }

        /// <summary>True when a provider is set.</summary>
        public bool IsOn
        {
            get { return Provider != "off"; }
        }

        /// <summary>True for app-only tokens (client credentials grant), false for device sign-in.</summary>
        public bool IsClientCredentials
        {
            get { return Grant == "client_credentials"; }
        }

        /// <summary>The client id.</summary>
        public string ClientId { get; private set; }

        /// <summary>The scope to ask for (may be empty for a custom provider).</summary>
        public string Scope { get; private set; }

        /// <summary>The device authorization endpoint, or null (not needed for client credentials).</summary>
        public HttpUrl DeviceEndpoint { get; private set; }

        /// <summary>The token endpoint, or null.</summary>
        public HttpUrl TokenEndpoint { get; private set; }

        /// <summary>Null when tokens can be requested; otherwise what is missing, naming the key.</summary>
        public string Problem { get; private set; }

        /// <summary>
        /// What a token is bound to: provider, grant, tenant, client id and token endpoint. Tokens stored for another
        /// fingerprint belong to another client or account and are not used.
        /// </summary>
        public string Fingerprint { get; private set; }

        /// <summary>The user error code for <see cref="Problem"/>, or 0.</summary>
        public int ProblemCode
        {
            get { return Problem == null ? UserErrorCode.None : UserErrorCode.OAuthSettingsIncomplete; }
        }

        /// <summary>Reads the oauth.* settings.</summary>
        /// <param name="settings">The settings in force.</param>
        public static OAuthConfiguration From(DeviceSettings settings)
        {
            OAuthConfiguration c = new OAuthConfiguration();
            c.Provider = settings.Get(SettingKeys.OAuthProvider);
            c.Grant = settings.Get(SettingKeys.OAuthGrant);
            c.ClientId = settings.Get(SettingKeys.OAuthClientId);
            string scope = settings.Get(SettingKeys.OAuthScope);
            string tenant = settings.Get(SettingKeys.OAuthTenant);
            string device;
            string token;
            if (c.Provider == "m365")
            {
                device = "https://" + MicrosoftLoginHost + "/" + tenant + "/oauth2/v2.0/devicecode";
                token = "https://" + MicrosoftLoginHost + "/" + tenant + "/oauth2/v2.0/token";
                c.Scope = scope.Length > 0 ? scope : (c.IsClientCredentials ? MicrosoftAppScope : MicrosoftDelegatedScope);
            }
            else
            {
                device = settings.Get(SettingKeys.OAuthDeviceEndpoint);
                token = settings.Get(SettingKeys.OAuthTokenEndpoint);
                c.Scope = scope;
                tenant = string.Empty;
            }

            c.DeviceEndpoint = HttpUrl.Parse(device);
            c.TokenEndpoint = HttpUrl.Parse(token);
            c.Fingerprint = c.Provider + "|" + c.Grant + "|" + tenant + "|" + c.ClientId + "|" + token;
            if (!c.IsOn)
            {
                return c;
            }

            if (c.ClientId.Length == 0)
            {
                c.Problem = SettingKeys.OAuthClientId + " not set";
            }
            else if (c.Provider == "m365" && !IsTenant(tenant))
            {
                c.Problem = SettingKeys.OAuthTenant + " is not a tenant name or id";
            }
            else if (c.Provider == "m365" && c.IsClientCredentials && (tenant == "organizations" || tenant == "common" || tenant == "consumers"))
            {
                // App-only tokens are issued by one tenant: its id or domain name.
                c.Problem = SettingKeys.OAuthTenant + " must name the tenant for app-only";
            }
            else if (c.TokenEndpoint == null)
            {
                c.Problem = SettingKeys.OAuthTokenEndpoint + " not set";
            }
            else if (!c.IsClientCredentials && c.DeviceEndpoint == null)
            {
                c.Problem = SettingKeys.OAuthDeviceEndpoint + " not set";
            }

            return c;
        }

        private static bool IsTenant(string tenant)
        {
            if (tenant.Length == 0 || tenant.Length > 64)
            {
                return false;
            }

            for (int i = 0; i < tenant.Length; i++)
            {
                char c = tenant[i];
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-'))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
