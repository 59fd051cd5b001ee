using System;
using System.IO;
using System.Text.Json;

namespace NetBoard.Lab.OAuth
{
    /// <summary>
    /// The lab authorization server's settings, read from the JSON file lab.sh renders into the run directory
    /// (oauth-server.json.in). Every lifetime carries its unit in its name.
    /// </summary>
    public sealed class LabOAuthSettings
    {
        /// <summary>The loopback address Kestrel listens on.</summary>
        public string Host { get; set; } = "127.0.0.1";

        /// <summary>The plain HTTP port.</summary>
        public int Port { get; set; }

        /// <summary>The issuer URI (http://127.0.0.1:PORT/).</summary>
        public string Issuer { get; set; }

        /// <summary>Written with the process id once the server listens.</summary>
        public string PidFile { get; set; }

        /// <summary>A private folder for the server's cookie and form protection keys.</summary>
        public string DataDirectory { get; set; }

        /// <summary>The claim carrying the mailbox name in every access token (Dovecot's username_attribute).</summary>
        public string MailboxClaim { get; set; } = "email";

        /// <summary>The scope that grants mail access (SMTP and POP3).</summary>
        public string MailScope { get; set; } = "mail";

        /// <summary>The access-token lifetime of the device client and the app client.</summary>
        public int AccessTokenLifetimeS { get; set; } = 60;

        /// <summary>The refresh-token lifetime.</summary>
        public int RefreshTokenLifetimeS { get; set; } = 86400;

        /// <summary>How long a redeemed (rotated) refresh token is still accepted; 0: never.</summary>
        public int RefreshTokenReuseLeewayS { get; set; }

        /// <summary>The device-code (and user-code) lifetime of the device client.</summary>
        public int DeviceCodeLifetimeS { get; set; } = 300;

        /// <summary>The polling interval announced by the device authorization endpoint; faster polls get slow_down.</summary>
        public int PollIntervalS { get; set; } = 2;

        /// <summary>The access-token lifetime of the short-lived device client.</summary>
        public int ShortAccessTokenLifetimeS { get; set; } = 5;

        /// <summary>The device-code lifetime of the short-lived device client.</summary>
        public int ShortDeviceCodeLifetimeS { get; set; } = 5;

        /// <summary>The public client using the device authorization grant and refresh tokens.</summary>
        public string DeviceClientId { get; set; }

        /// <summary>A second public device client with short access-token and device-code lifetimes.</summary>
        public string ShortDeviceClientId { get; set; }

        /// <summary>The confidential client using the client credentials grant.</summary>
        public string AppClientId { get; set; }

        /// <summary>The app client's secret (client_secret_basic or client_secret_post).</summary>
        public string AppClientSecret { get; set; }

        /// <summary>The mailbox the app client's tokens act for.</summary>
        public string AppMailbox { get; set; }

        /// <summary>The resource server (Dovecot) that introspects tokens; every access token names it as audience.</summary>
        public string IntrospectionClientId { get; set; }

        /// <summary>The resource server's secret.</summary>
        public string IntrospectionClientSecret { get; set; }

        /// <summary>The users who can sign in at the verification page.</summary>
        public LabUser[] Users { get; set; } = Array.Empty<LabUser>();

        /// <summary>Reads and checks the settings file; a missing or bad value throws with its name.</summary>
        public static LabOAuthSettings Load(string path)
        {
            LabOAuthSettings settings = JsonSerializer.Deserialize<LabOAuthSettings>(
                File.ReadAllText(path),
                new JsonSerializerOptions { PropertyNameCaseInsensitive = true, ReadCommentHandling = JsonCommentHandling.Skip });
            if (settings == null)
            {
                throw new InvalidDataException(path + ": empty settings");
            }

            settings.Check(path);
            return settings;
        }

        /// <summary>The user whose name and password match, or null.</summary>
        public LabUser FindUser(string name, string password)
        {
            foreach (LabUser user in Users)
            {
                if (string.Equals(user.Name, name, StringComparison.OrdinalIgnoreCase)
                    && string.Equals(user.Password, password, StringComparison.Ordinal))
                {
                    return user;
                }
            }

            return null;
        }

        /// <summary>The user with this name, or null.</summary>
        public LabUser FindUser(string name)
        {
            foreach (LabUser user in Users)
            {
                if (string.Equals(user.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    return user;
                }
            }

            return null;
        }

        private void Check(string path)
        {
            Require(Port > 0 && Port < 65536, "port");
            Require(Uri.TryCreate(Issuer, UriKind.Absolute, out _), "issuer");
            Require(!string.IsNullOrEmpty(DataDirectory), "dataDirectory");
            Require(!string.IsNullOrEmpty(MailboxClaim), "mailboxClaim");
            Require(!string.IsNullOrEmpty(MailScope), "mailScope");
            Require(AccessTokenLifetimeS > 0, "accessTokenLifetimeS");
            Require(RefreshTokenLifetimeS > 0, "refreshTokenLifetimeS");
            Require(RefreshTokenReuseLeewayS >= 0, "refreshTokenReuseLeewayS");
            Require(DeviceCodeLifetimeS > 0, "deviceCodeLifetimeS");
            Require(PollIntervalS > 0, "pollIntervalS");
            Require(ShortAccessTokenLifetimeS > 0, "shortAccessTokenLifetimeS");
            Require(ShortDeviceCodeLifetimeS > 0, "shortDeviceCodeLifetimeS");
            Require(!string.IsNullOrEmpty(DeviceClientId), "deviceClientId");
            Require(!string.IsNullOrEmpty(ShortDeviceClientId), "shortDeviceClientId");
            Require(!string.IsNullOrEmpty(AppClientId) && !string.IsNullOrEmpty(AppClientSecret), "appClientId/appClientSecret");
            Require(!string.IsNullOrEmpty(AppMailbox), "appMailbox");
            Require(!string.IsNullOrEmpty(IntrospectionClientId) && !string.IsNullOrEmpty(IntrospectionClientSecret), "introspectionClientId/introspectionClientSecret");
            Require(Users.Length > 0, "users");
            foreach (LabUser user in Users)
            {
                Require(!string.IsNullOrEmpty(user.Name) && !string.IsNullOrEmpty(user.Password) && !string.IsNullOrEmpty(user.Mailbox), "users[].name/password/mailbox");
            }

            void Require(bool ok, string key)
            {
                if (!ok)
                {
                    throw new InvalidDataException(path + ": missing or bad value for " + key);
                }
            }
        }
    }
}
