using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace NetBoard.Lab.OAuth
{
    /// <summary>
    /// The lab's OAuth 2.0 authorization server: device authorization grant (RFC 8628), client credentials, rotating
    /// refresh tokens, token introspection (RFC 7662) for Dovecot and revocation (RFC 7009), on plain HTTP on loopback.
    /// Usage: LabOAuth SETTINGS.json (see oauth-server.json.in).
    /// </summary>
    public static class Program
    {
        private const string RequestLog = "LabOAuth.Requests";

        /// <summary>Runs the server until SIGTERM.</summary>
        public static async Task<int> Main(string[] args)
        {
            if (args.Length != 1)
            {
                Console.Error.WriteLine("usage: LabOAuth SETTINGS.json");
                return 2;
            }

            LabOAuthSettings settings = LabOAuthSettings.Load(args[0]);
            WebApplication app = Build(settings);

            using (IServiceScope scope = app.Services.CreateScope())
            {
                IOpenIddictApplicationManager applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
                await LabClients.RegisterAsync(applications, settings, default);
            }

            await app.StartAsync();
            if (!string.IsNullOrEmpty(settings.PidFile))
            {
                string temp = settings.PidFile + ".tmp";
                File.WriteAllText(temp, Environment.ProcessId + "\n");
                File.Move(temp, settings.PidFile, true);
            }

            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(RequestLog).LogInformation("listening on http://{Host}:{Port}/, issuer {Issuer}", settings.Host, settings.Port, settings.Issuer);
            await app.WaitForShutdownAsync();
            return 0;
        }

        private static WebApplication Build(LabOAuthSettings settings)
        {
            WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "LabOAuth" });
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Parse(settings.Host), settings.Port));
            builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(2));

            // One line per request and warnings; OpenIddict's own information lines stay off (no token, code or
            // secret is written by this server at any level it is run with).
            builder.Logging.ClearProviders();
            builder.Logging.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "yyyy-MM-dd HH:mm:ss ";
            });
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Logging.AddFilter(RequestLog, LogLevel.Information);

            builder.Services.AddSingleton(settings);
            // Cookie and form keys in the run directory (nothing under the home directory).
            builder.Services.AddDataProtection().SetApplicationName("LabOAuth")
                .PersistKeysToFileSystem(new DirectoryInfo(settings.DataDirectory));
            builder.Services.AddAntiforgery();
            builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
                .AddCookie(cookie =>
                {
                    cookie.Cookie.Name = "lab.signin";
                    cookie.LoginPath = "/account/login";
                    cookie.ReturnUrlParameter = "returnUrl";
                    cookie.ExpireTimeSpan = TimeSpan.FromHours(1);
                });
            builder.Services.AddAuthorization();

            builder.Services.AddDbContext<LabDbContext>(db =>
            {
                db.UseInMemoryDatabase("lab-oauth");
                db.UseOpenIddict();
            });

            // One instance for both events: the interval it announces is the one it enforces.
            builder.Services.AddSingleton(new PollingRate(settings));
            builder.Services.AddOpenIddict()
                .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<LabDbContext>())
                .AddServer(server =>
                {
                    server.SetIssuer(new Uri(settings.Issuer));
                    server.SetDeviceAuthorizationEndpointUris("connect/device")
                        .SetTokenEndpointUris("connect/token")
                        .SetIntrospectionEndpointUris("connect/introspect")
                        .SetRevocationEndpointUris("connect/revoke")
                        .SetEndUserVerificationEndpointUris(SignInPages.VerifyPath.TrimStart('/'));
                    server.AllowDeviceAuthorizationFlow()
                        .AllowClientCredentialsFlow()
                        .AllowRefreshTokenFlow();
                    server.RegisterScopes(settings.MailScope, Scopes.OfflineAccess);
                    server.RegisterClaims(Claims.Subject, Claims.Name, settings.MailboxClaim);

                    // Lifetimes: the per-client settings (LabClients) override the access-token and device-code ones.
                    server.SetAccessTokenLifetime(TimeSpan.FromSeconds(settings.AccessTokenLifetimeS))
                        .SetRefreshTokenLifetime(TimeSpan.FromSeconds(settings.RefreshTokenLifetimeS))
                        .SetRefreshTokenReuseLeeway(TimeSpan.FromSeconds(settings.RefreshTokenReuseLeewayS))
                        .SetDeviceCodeLifetime(TimeSpan.FromSeconds(settings.DeviceCodeLifetimeS))
                        .SetUserCodeLifetime(TimeSpan.FromSeconds(settings.DeviceCodeLifetimeS));

                    // User codes as RFC 8628 section 6.1 suggests: 8 characters of 20 consonants, shown as XXXX-XXXX
                    // (fits a 4x20 display).
                    server.SetUserCodeCharset("B", "C", "D", "F", "G", "H", "J", "K", "L", "M", "N", "P", "Q", "R", "S", "T", "V", "W", "X", "Z")
                        .SetUserCodeLength(8)
                        .SetUserCodeDisplayFormat("{0}{1}{2}{3}-{4}{5}{6}{7}");

                    // Access tokens are signed JWTs like the big providers' (readable, not encrypted); keys live
                    // as long as the process.
                    server.AddEphemeralEncryptionKey()
                        .AddEphemeralSigningKey()
                        .DisableAccessTokenEncryption();

                    server.AddEventHandler<OpenIddictServerEvents.ValidateTokenRequestContext>(handler =>
                        handler.UseSingletonHandler<PollingRate>().SetOrder(int.MinValue + 100_000));
                    server.AddEventHandler<OpenIddictServerEvents.ApplyDeviceAuthorizationResponseContext>(handler =>
                        handler.UseSingletonHandler<PollingRate>().SetOrder(int.MinValue + 100_000));

                    server.UseAspNetCore()
                        .DisableTransportSecurityRequirement()
                        .EnableTokenEndpointPassthrough()
                        .EnableEndUserVerificationEndpointPassthrough();
                });

            WebApplication app = builder.Build();
            ILogger requests = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(RequestLog);
            app.Use(async (context, next) =>
            {
                long start = Stopwatch.GetTimestamp();
                await next();
                // Path only: query strings can carry a user code.
                requests.LogInformation("{Method} {Path} {Status} {Ms} ms", context.Request.Method, context.Request.Path.Value,
                    context.Response.StatusCode, (int)Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            });
            app.UseRouting();
            app.UseAuthentication();
            app.UseAuthorization();
            app.MapMethods("/connect/token", new[] { HttpMethods.Post }, (Delegate)LabTokens.Exchange);
            SignInPages.Map(app);
            return app;
        }
    }
}
