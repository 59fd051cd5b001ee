using NetBoard.Firmware.Http;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.OAuth;
using NetBoard.Firmware.Settings;

namespace NetBoard.Firmware.Tests.OAuth
{
    public class OAuthConfigurationTests
    {
        private static DeviceSettings With(params (string Key, string Value)[] values)
        {
            var settings = new DeviceSettings();
            foreach (var (key, value) in values)
            {
                Assert.Null(settings.Set(key, value));
            }

            return settings;
        }

        [Fact]
        public void Off_by_default()
        {
            OAuthConfiguration c = OAuthConfiguration.From(new DeviceSettings());
            Assert.False(c.IsOn);
            Assert.Null(c.Problem);
        }

        [Fact]
        public void The_microsoft_365_preset_fills_in_endpoints_and_delegated_scopes()
        {
            OAuthConfiguration c = OAuthConfiguration.From(With((SettingKeys.OAuthProvider, "m365"), (SettingKeys.OAuthClientId, "0b6c-app")));
            Assert.Null(c.Problem);
            Assert.Equal("login.microsoftonline.com", c.TokenEndpoint.Host);
            Assert.Equal(443, c.TokenEndpoint.Port);
            Assert.True(c.TokenEndpoint.Secure);
            Assert.Equal("/organizations/oauth2/v2.0/token", c.TokenEndpoint.Target);
            Assert.Equal("/organizations/oauth2/v2.0/devicecode", c.DeviceEndpoint.Target);
            Assert.Equal("https://outlook.office.com/SMTP.Send https://outlook.office.com/POP.AccessAsUser.All offline_access", c.Scope);
        }

        [Fact]
        public void App_only_with_microsoft_365_needs_a_named_tenant_and_takes_the_default_scope()
        {
            OAuthConfiguration c = OAuthConfiguration.From(With((SettingKeys.OAuthProvider, "m365"), (SettingKeys.OAuthGrant, "client_credentials"), (SettingKeys.OAuthClientId, "app")));
            Assert.Equal(UserErrorCode.OAuthSettingsIncomplete, c.ProblemCode);
            Assert.Contains("oauth.tenant", c.Problem);

            c = OAuthConfiguration.From(With((SettingKeys.OAuthProvider, "m365"), (SettingKeys.OAuthGrant, "client_credentials"), (SettingKeys.OAuthClientId, "app"), (SettingKeys.OAuthTenant, "contoso.onmicrosoft.com")));
            Assert.Null(c.Problem);
            Assert.Equal("https://outlook.office365.com/.default", c.Scope);
            Assert.Equal("/contoso.onmicrosoft.com/oauth2/v2.0/token", c.TokenEndpoint.Target);
        }

        [Fact]
        public void A_custom_provider_names_its_endpoints_and_a_missing_one_is_named()
        {
            OAuthConfiguration c = OAuthConfiguration.From(With((SettingKeys.OAuthProvider, "custom"), (SettingKeys.OAuthClientId, "dev")));
            Assert.Contains("oauth.token_endpoint", c.Problem);
            c = OAuthConfiguration.From(With((SettingKeys.OAuthProvider, "custom"), (SettingKeys.OAuthClientId, "dev"), (SettingKeys.OAuthTokenEndpoint, "https://idp.example.com:8443/oauth/token?x=1")));
            Assert.Contains("oauth.device_endpoint", c.Problem);
            Assert.Equal(8443, c.TokenEndpoint.Port);
            Assert.Equal("/oauth/token?x=1", c.TokenEndpoint.Target);
            Assert.Contains("oauth.client_id", OAuthConfiguration.From(With((SettingKeys.OAuthProvider, "custom"))).Problem);
        }

        [Theory]
        [InlineData("https://login.example.com/token", true)]
        [InlineData("https://10.0.0.5:8443/t", true)]
        [InlineData("http://127.0.0.1:42080/connect/token", true)]
        [InlineData("http://localhost/token", true)]
        [InlineData("http://login.example.com/token", false)]
        [InlineData("http://10.0.0.5/token", false)]
        [InlineData("ftp://login.example.com/token", false)]
        [InlineData("https://user:pw@login.example.com/token", false)]
        [InlineData("https://login.example.com:0/token", false)]
        [InlineData("https:///token", false)]
        [InlineData("https://[::1]/token", false)]
        [InlineData("https://login.example.com/to ken", false)]
        [InlineData("https://login.example.com/token#frag", false)]
        public void Endpoint_urls_are_https_or_http_to_loopback(string url, bool ok)
        {
            var settings = new DeviceSettings();
            string error = settings.Set(SettingKeys.OAuthTokenEndpoint, url);
            Assert.Equal(ok, error == null);
            Assert.Equal(ok, settings.Set(SettingKeys.OAuthDeviceEndpoint, url) == null);
        }

        [Fact]
        public void A_url_without_a_path_targets_the_root()
        {
            HttpUrl url = HttpUrl.Parse("HTTPS://Login.Example.com");
            Assert.True(url.Secure);
            Assert.Equal("/", url.Target);
            Assert.Equal("/?a=b", HttpUrl.Parse("https://x.example?a=b").Target);
        }
    }
}
