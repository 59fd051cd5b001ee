namespace NetBoard.Firmware.Pop
{
    /// <summary>Everything one POP3 session needs besides the connection and the mail sink.</summary>
    public sealed class PopSessionOptions
    {
        /// <summary>How long name resolution and the TCP handshake may take.</summary>
        public const int DefaultConnectTimeoutMs = 30000;

        /// <summary>How long the server's greeting may take once connected.</summary>
        public const int DefaultGreetingTimeoutMs = 60000;

        /// <summary>How long each command's reply may take.</summary>
        public const int DefaultCommandTimeoutMs = 60000;

        /// <summary>How long the server may stay silent in the middle of a message it is sending.</summary>
        public const int DefaultRetrieveBlockTimeoutMs = 60000;

        /// <summary>How long one whole message may take, from RETR to its last line, however steadily it trickles.</summary>
        public const int DefaultRetrieveTimeoutMs = 600000;

        /// <summary>The largest message retrieved at all (16 MiB); a larger one, by LIST or by what arrives, is left on the server.</summary>
        public const long DefaultMaxMessageOctets = 16L * 1024 * 1024;

        /// <summary>How many messages one session fetches; the rest wait for the next session.</summary>
        public const int DefaultMaxMessagesPerSession = 50;

        /// <summary>The largest <see cref="MaxMessagesPerSession"/> accepted: the session holds one id per message.</summary>
        public const int MaxMessagesLimit = 500;

        /// <summary>Creates options with the default timeouts, Auto login, plaintext login allowed and LoginOnly mode.</summary>
        public PopSessionOptions()
        {
            LoginMode = PopLoginMode.Auto;
            Mode = PopSessionMode.LoginOnly;
            AllowPlaintextLogin = true;
            Pipelining = true;
            ScramRoundsPerStep = NetBoard.Firmware.Smtp.SmtpSessionOptions.DefaultScramRoundsPerStep;
            ConnectTimeoutMs = DefaultConnectTimeoutMs;
            GreetingTimeoutMs = DefaultGreetingTimeoutMs;
            CommandTimeoutMs = DefaultCommandTimeoutMs;
            RetrieveBlockTimeoutMs = DefaultRetrieveBlockTimeoutMs;
            RetrieveTimeoutMs = DefaultRetrieveTimeoutMs;
            MaxMessageOctets = DefaultMaxMessageOctets;
            MaxMessagesPerSession = DefaultMaxMessagesPerSession;
        }

        /// <summary>The POP user name as UTF-8; the session clears it when it ends.</summary>
        public byte[] User { get; set; }

        /// <summary>The POP password as UTF-8; the session clears it when it ends.</summary>
        public byte[] Password { get; set; }

        /// <summary>
        /// The OAuth 2.0 access token (ASCII) for AUTH XOAUTH2 or OAUTHBEARER, or null for password logins. With a
        /// token, Auto uses only the two OAuth mechanisms. The session clears it when it ends.
        /// </summary>
        public byte[] AccessToken { get; set; }

        /// <summary>How the session is encrypted; with Implicit the caller does TLS before the greeting.</summary>
        public PopSecurity Security { get; set; }

        /// <summary>USER/PASS, APOP, AUTH CRAM-MD5, or the choice between them.</summary>
        public PopLoginMode LoginMode { get; set; }

        /// <summary>pop.auth.plaintext: false keeps USER/PASS (the password in clear) off unencrypted connections.</summary>
        public bool AllowPlaintextLogin { get; set; }

        /// <summary>pop.pipelining: true sends the login commands together where CAPA announces PIPELINING (RFC 2449); false never does.</summary>
        public bool Pipelining { get; set; }

        /// <summary>The source of SCRAM's client nonce; without one SCRAM is not used.</summary>
        public NetBoard.Hal.IRandomSource Random { get; set; }

        /// <summary>Where SCRAM keeps salted passwords between logins, or null for no cache.</summary>
        public NetBoard.Firmware.Sasl.ISaltedPasswordCache SaltedPasswords { get; set; }

        /// <summary>SCRAM key-derivation rounds per step of the session (as for SMTP, see SmtpSessionOptions).</summary>
        public int ScramRoundsPerStep { get; set; }

        /// <summary>Login only (POP before SMTP) or full reception.</summary>
        public PopSessionMode Mode { get; set; }

        /// <summary>Timeout for connecting, in milliseconds.</summary>
        public int ConnectTimeoutMs { get; set; }

        /// <summary>Timeout for the greeting once connected, in milliseconds.</summary>
        public int GreetingTimeoutMs { get; set; }

        /// <summary>Timeout for each command's reply, in milliseconds.</summary>
        public int CommandTimeoutMs { get; set; }

        /// <summary>Timeout between two blocks of a message being retrieved, in milliseconds.</summary>
        public int RetrieveBlockTimeoutMs { get; set; }

        /// <summary>Timeout for one whole message, from its RETR to its last line, in milliseconds; never restarted by arriving data.</summary>
        public int RetrieveTimeoutMs { get; set; }

        /// <summary>The largest message the session retrieves, in octets (see <see cref="DefaultMaxMessageOctets"/>).</summary>
        public long MaxMessageOctets { get; set; }

        /// <summary>How many new messages one session retrieves, 1 to <see cref="MaxMessagesLimit"/>.</summary>
        public int MaxMessagesPerSession { get; set; }

        /// <summary>
        /// Unique ids of messages skipped before (larger than LIST said, or too slow): they stay on the server
        /// and are not retrieved again in this session. Null for none.
        /// </summary>
        public string[] SkipUids { get; set; }
    }
}
