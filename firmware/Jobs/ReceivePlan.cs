using System;
using NetBoard.Firmware.Net;
using NetBoard.Firmware.Pop;
using NetBoard.Firmware.Settings;
using NetBoard.Firmware.Text;

namespace NetBoard.Firmware.Jobs
{
    /// <summary>
    /// Everything one POP session uses (a reception, or the login of POP before SMTP), taken from the
    /// settings in force when the attempt begins and fixed from then on: the server and its encryption,
    /// the login choice and credentials, the timeouts and whether the session needs the TLS budget.
    /// </summary>
    public sealed class ReceivePlan
    {
        // An empty credential needs no copy of its own: there is nothing in it to clear.
        private static readonly byte[] s_empty = new byte[0];

        private readonly string _user;
        private readonly string _password;

        private ReceivePlan(DeviceSettings settings, PopSessionMode mode, bool oauthConfigured)
        {
            Mode = mode;
            OAuthConfigured = oauthConfigured;
            Security = ParseSecurity(settings.Get(SettingKeys.PopSecurity));
            Pop = new ServerEndpoint(settings.Get(SettingKeys.PopHost), settings.GetInt(SettingKeys.PopPort), settings.Get(SettingKeys.NetLocalAddress), Security == PopSecurity.Implicit, SendPlan.CreateTlsPolicy(settings));
            LoginMode = ParseLoginMode(settings.Get(SettingKeys.PopLogin));
            AllowPlaintextLogin = settings.Get(SettingKeys.PopAuthPlaintext) == "allow";
            Pipelining = settings.Get(SettingKeys.PopPipelining) != "off";
            _user = settings.Get(SettingKeys.PopUser);
            _password = settings.Get(SettingKeys.PopPassword);
            ConnectTimeoutMs = settings.GetInt(SettingKeys.PopTimeoutConnect) * 1000;
            GreetingTimeoutMs = settings.GetInt(SettingKeys.PopTimeoutGreeting) * 1000;
            CommandTimeoutMs = settings.GetInt(SettingKeys.PopTimeoutCommand) * 1000;

            // Silence inside a message is bounded like a reply; the whole message by pop.timeout.retr_s.
            RetrieveBlockTimeoutMs = CommandTimeoutMs;
            RetrieveTimeoutMs = settings.GetInt(SettingKeys.PopTimeoutRetr) * 1000;
        }

        /// <summary>True when the board has OAuth 2.0 configured (oauth.*), signed in or not.</summary>
        public bool OAuthConfigured { get; private set; }

        /// <summary>
        /// True when the login uses the OAuth 2.0 access token: pop.login=xoauth2 or oauthbearer, or auto while OAuth 2.0
        /// is configured (then no password login is tried).
        /// </summary>
        public bool UsesOAuth
        {
            get { return LoginMode == PopLoginMode.XOAuth2 || LoginMode == PopLoginMode.OAuthBearer || (LoginMode == PopLoginMode.Auto && OAuthConfigured); }
        }

        /// <summary>Login only (POP before SMTP) or a full reception.</summary>
        public PopSessionMode Mode { get; private set; }

        /// <summary>The POP server, its port, the local address and the TLS policy.</summary>
        public ServerEndpoint Pop { get; private set; }

        /// <summary>How the POP session is encrypted.</summary>
        public PopSecurity Security { get; private set; }

        /// <summary>USER/PASS, APOP, AUTH CRAM-MD5, or the choice between them (pop.login).</summary>
        public PopLoginMode LoginMode { get; private set; }

        /// <summary>False keeps USER/PASS off unencrypted connections (pop.auth.plaintext).</summary>
        public bool AllowPlaintextLogin { get; private set; }

        /// <summary>False sends every login command on its own even where CAPA announces PIPELINING (pop.pipelining=off).</summary>
        public bool Pipelining { get; private set; }

        /// <summary>Timeout for connecting, in milliseconds (pop.timeout.connect_s).</summary>
        public int ConnectTimeoutMs { get; private set; }

        /// <summary>Timeout for the greeting, in milliseconds (pop.timeout.greeting_s).</summary>
        public int GreetingTimeoutMs { get; private set; }

        /// <summary>Timeout for each command's reply, in milliseconds (pop.timeout.command_s).</summary>
        public int CommandTimeoutMs { get; private set; }

        /// <summary>Timeout between two blocks of a message being retrieved, in milliseconds (the reply timeout).</summary>
        public int RetrieveBlockTimeoutMs { get; private set; }

        /// <summary>Timeout for a whole message from its RETR on, in milliseconds (pop.timeout.retr_s).</summary>
        public int RetrieveTimeoutMs { get; private set; }

        /// <summary>True when the session is encrypted and so needs the TLS budget.</summary>
        public bool NeedsTls
        {
            get { return Security != PopSecurity.None; }
        }

        /// <summary>The plan for a POP session that begins now with <paramref name="settings"/> (the settings in force, frozen).</summary>
        public static ReceivePlan Create(DeviceSettings settings, PopSessionMode mode)
        {
            return Create(settings, mode, false);
        }

        /// <summary>The plan for a POP session that begins now, on a board whose OAuth 2.0 is configured or not.</summary>
        public static ReceivePlan Create(DeviceSettings settings, PopSessionMode mode, bool oauthConfigured)
        {
            if (settings == null)
            {
                throw new ArgumentNullException("settings");
            }

            return new ReceivePlan(settings, mode, oauthConfigured);
        }

        /// <summary>Maps the pop.security setting's words to the session's encryption.</summary>
        public static PopSecurity ParseSecurity(string value)
        {
            return value == "tls" ? PopSecurity.Implicit : (value == "stls" ? PopSecurity.Stls : PopSecurity.None);
        }

        /// <summary>Maps the pop.login setting's words to the session's login.</summary>
        public static PopLoginMode ParseLoginMode(string value)
        {
            switch (value)
            {
                case "apop":
                    return PopLoginMode.Apop;
                case "user":
                    return PopLoginMode.UserPass;
                case "cram-md5":
                    return PopLoginMode.CramMd5;
                case "scram-sha-256":
                    return PopLoginMode.ScramSha256;
                case "scram-sha-1":
                    return PopLoginMode.ScramSha1;
                case "xoauth2":
                    return PopLoginMode.XOAuth2;
                case "oauthbearer":
                    return PopLoginMode.OAuthBearer;
                default:
                    return PopLoginMode.Auto;
            }
        }

        /// <summary>The first setting a POP session cannot do without that is empty ("pop.host", "pop.user"), or null.</summary>
        public string MissingSetting()
        {
            if (Pop.Host.Length == 0)
            {
                return SettingKeys.PopHost;
            }

            if (_user.Length == 0)
            {
                return SettingKeys.PopUser;
            }

            return UsesOAuth && !OAuthConfigured ? "OAuth 2.0 (oauth.*) for pop.login=" + (LoginMode == PopLoginMode.XOAuth2 ? "xoauth2" : "oauthbearer") : null;
        }

        /// <summary>The POP session's options; the credentials are fresh UTF-8 copies the session clears.</summary>
        public PopSessionOptions CreateOptions()
        {
            return CreateOptions(null);
        }

        /// <summary>
        /// The POP session's options with the attempt's access token (copied; used only when <see cref="UsesOAuth"/>);
        /// the credentials are fresh copies the session clears.
        /// </summary>
        public PopSessionOptions CreateOptions(byte[] accessToken)
        {
            PopSessionOptions options = new PopSessionOptions();
            options.User = Credential(_user);
            options.Password = Credential(_password);
            if (UsesOAuth && accessToken != null)
            {
                options.AccessToken = new byte[accessToken.Length];
                Array.Copy(accessToken, options.AccessToken, accessToken.Length);
            }

            options.Mode = Mode;
            options.Security = Security;
            options.LoginMode = LoginMode;
            options.AllowPlaintextLogin = AllowPlaintextLogin;
            options.Pipelining = Pipelining;
            options.ConnectTimeoutMs = ConnectTimeoutMs;
            options.GreetingTimeoutMs = GreetingTimeoutMs;
            options.CommandTimeoutMs = CommandTimeoutMs;
            options.RetrieveBlockTimeoutMs = RetrieveBlockTimeoutMs;
            options.RetrieveTimeoutMs = RetrieveTimeoutMs;
            return options;
        }

        private static byte[] Credential(string value)
        {
            return value.Length == 0 ? s_empty : Utf8.GetBytes(value);
        }
    }
}
