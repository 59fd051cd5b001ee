using System.Collections.Generic;
using System.Security.Claims;
using System.Threading.Tasks;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace NetBoard.Lab.OAuth
{
    /// <summary>
    /// The token endpoint's decisions (OpenIddict has already authenticated the client and validated the grant) and the
    /// claims of every access token: sub, name and the mailbox claim, with the resource server as audience so that its
    /// introspection sees the mailbox claim.
    /// </summary>
    public static class LabTokens
    {
        private const string AuthenticationType = "LabOAuth";

        /// <summary>The identity issued to a person who approved a device.</summary>
        public static ClaimsIdentity UserIdentity(LabOAuthSettings settings, LabUser user)
        {
            return Identity(settings, user.Name, user.Mailbox);
        }

        /// <summary>POST /connect/token for the client credentials, device code and refresh token grants.</summary>
        public static async Task<IResult> Exchange(HttpContext context, LabOAuthSettings settings)
        {
            OpenIddictRequest request = context.GetOpenIddictServerRequest();
            if (request == null)
            {
                return Results.BadRequest();
            }

            if (request.IsClientCredentialsGrantType())
            {
                // Only the app client holds the client credentials permission; its tokens act for its mailbox.
                ClaimsIdentity app = Identity(settings, request.ClientId, settings.AppMailbox);
                app.SetScopes(request.GetScopes());
                return SignIn(app);
            }

            if (request.IsDeviceCodeGrantType() || request.IsRefreshTokenGrantType())
            {
                AuthenticateResult granted = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
                LabUser user = granted.Succeeded ? settings.FindUser(granted.Principal.GetClaim(Claims.Subject)) : null;
                if (user == null)
                {
                    return Refuse(Errors.InvalidGrant, "The grant is no longer valid.");
                }

                // Keep the granted scopes and the private claims, renew the user's claims.
                ClaimsIdentity renewed = new ClaimsIdentity(granted.Principal.Claims, AuthenticationType, Claims.Name, Claims.Role);
                renewed.SetClaim(Claims.Name, user.Mailbox);
                renewed.SetClaim(settings.MailboxClaim, user.Mailbox);
                renewed.SetDestinations(AccessTokenOnly);
                return SignIn(renewed);
            }

            return Refuse(Errors.UnsupportedGrantType, "The grant type is not supported.");
        }

        private static ClaimsIdentity Identity(LabOAuthSettings settings, string subject, string mailbox)
        {
            ClaimsIdentity identity = new ClaimsIdentity(AuthenticationType, Claims.Name, Claims.Role);
            identity.SetClaim(Claims.Subject, subject);
            identity.SetClaim(Claims.Name, mailbox);
            identity.SetClaim(settings.MailboxClaim, mailbox);
            identity.SetResources(settings.IntrospectionClientId);
            identity.SetDestinations(AccessTokenOnly);
            return identity;
        }

        private static IEnumerable<string> AccessTokenOnly(Claim claim)
        {
            yield return Destinations.AccessToken;
        }

        private static IResult SignIn(ClaimsIdentity identity)
        {
            return Results.SignIn(new ClaimsPrincipal(identity), null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        private static IResult Refuse(string error, string description)
        {
            AuthenticationProperties properties = new AuthenticationProperties(new Dictionary<string, string>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
            });
            return Results.Forbid(properties, new[] { OpenIddictServerAspNetCoreDefaults.AuthenticationScheme });
        }
    }
}
