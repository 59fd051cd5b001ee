using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace NetBoard.Lab.OAuth
{
    /// <summary>Registers the lab's four clients at start (the store is in memory and starts empty).</summary>
    public static class LabClients
    {
        /// <summary>Creates the device, short-lived device, app (client credentials) and resource-server clients.</summary>
        public static async Task RegisterAsync(IOpenIddictApplicationManager manager, LabOAuthSettings settings, CancellationToken cancel)
        {
            await manager.CreateAsync(DeviceClient(settings, settings.DeviceClientId, "Lab device",
                settings.AccessTokenLifetimeS, settings.DeviceCodeLifetimeS), cancel);
            await manager.CreateAsync(DeviceClient(settings, settings.ShortDeviceClientId, "Lab device (short lifetimes)",
                settings.ShortAccessTokenLifetimeS, settings.ShortDeviceCodeLifetimeS), cancel);

            OpenIddictApplicationDescriptor app = new OpenIddictApplicationDescriptor
            {
                ClientId = settings.AppClientId,
                ClientSecret = settings.AppClientSecret,
                ClientType = ClientTypes.Confidential,
                DisplayName = "Lab app (client credentials)",
            };
            app.Permissions.Add(Permissions.Endpoints.Token);
            app.Permissions.Add(Permissions.Endpoints.Revocation);
            app.Permissions.Add(Permissions.GrantTypes.ClientCredentials);
            app.Permissions.Add(Permissions.Prefixes.Scope + settings.MailScope);
            app.Settings[Settings.TokenLifetimes.AccessToken] = Lifetime(settings.AccessTokenLifetimeS);
            await manager.CreateAsync(app, cancel);

            OpenIddictApplicationDescriptor resourceServer = new OpenIddictApplicationDescriptor
            {
                ClientId = settings.IntrospectionClientId,
                ClientSecret = settings.IntrospectionClientSecret,
                ClientType = ClientTypes.Confidential,
                DisplayName = "Lab mail server (introspection)",
            };
            resourceServer.Permissions.Add(Permissions.Endpoints.Introspection);
            await manager.CreateAsync(resourceServer, cancel);
        }

        private static OpenIddictApplicationDescriptor DeviceClient(LabOAuthSettings settings, string clientId, string name, int accessTokenLifetimeS, int deviceCodeLifetimeS)
        {
            OpenIddictApplicationDescriptor client = new OpenIddictApplicationDescriptor
            {
                ClientId = clientId,
                ClientType = ClientTypes.Public,
                DisplayName = name,
            };
            client.Permissions.Add(Permissions.Endpoints.DeviceAuthorization);
            client.Permissions.Add(Permissions.Endpoints.Token);
            client.Permissions.Add(Permissions.Endpoints.Revocation);
            client.Permissions.Add(Permissions.GrantTypes.DeviceCode);
            client.Permissions.Add(Permissions.GrantTypes.RefreshToken);
            client.Permissions.Add(Permissions.Prefixes.Scope + settings.MailScope);
            client.Permissions.Add(Permissions.Prefixes.Scope + Scopes.OfflineAccess);
            client.Settings[Settings.TokenLifetimes.AccessToken] = Lifetime(accessTokenLifetimeS);
            client.Settings[Settings.TokenLifetimes.DeviceCode] = Lifetime(deviceCodeLifetimeS);
            client.Settings[Settings.TokenLifetimes.UserCode] = Lifetime(deviceCodeLifetimeS);
            return client;
        }

        private static string Lifetime(int seconds)
        {
            return TimeSpan.FromSeconds(seconds).ToString("c", CultureInfo.InvariantCulture);
        }
    }
}
