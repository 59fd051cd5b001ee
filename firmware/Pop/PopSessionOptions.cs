namespace NetBoard.Firmware.Pop
{
    /// <summary>Everything one POP3 session needs besides the connection and the mail sink.</summary>
    public sealed class PopSessionOptions
    {
        /// <summary>How long name resolution and the TCP handshake may take.</summary>
        public const int DefaultConnectTimeoutMs = 30000;

        /// <summary>How long the greeting and each command's reply may take.</summary>
        public const int DefaultCommandTimeoutMs = 60000;

        /// <summary>How long the server may stay silent in the middle of a message it is sending.</summary>
        public const int DefaultRetrieveBlockTimeoutMs = 60000;

        /// <summary>How many messages one session fetches; the rest wait for the next session.</summary>
        public const int DefaultMaxMessagesPerSession = 50;

        /// <summary>The largest <see cref="MaxMessagesPerSession"/> accepted: the session holds one id per message.</summary>
        public const int MaxMessagesLimit = 500;

        /// <summary>Creates options with the default timeouts, Auto login and LoginOnly mode.</summary>
        public PopSessionOptions()
        {
            LoginMode = PopLoginMode.Auto;
            Mode = PopSessionMode.LoginOnly;
            ConnectTimeoutMs = DefaultConnectTimeoutMs;
            CommandTimeoutMs = DefaultCommandTimeoutMs;
            RetrieveBlockTimeoutMs = DefaultRetrieveBlockTimeoutMs;
            MaxMessagesPerSession = DefaultMaxMessagesPerSession;
        }

        /// <summary>The POP user name as UTF-8; the session clears it when it ends.</summary>
        public byte[] User { get; set; }

        /// <summary>The POP password as UTF-8; the session clears it when it ends.</summary>
        public byte[] Password { get; set; }

        /// <summary>How the session is encrypted; with Implicit the caller does TLS before the greeting.</summary>
        public PopSecurity Security { get; set; }

        /// <summary>USER/PASS, APOP, or the choice between them.</summary>
        public PopLoginMode LoginMode { get; set; }

        /// <summary>Login only (POP before SMTP) or full reception.</summary>
        public PopSessionMode Mode { get; set; }

        /// <summary>Timeout for connecting, in milliseconds.</summary>
        public int ConnectTimeoutMs { get; set; }

        /// <summary>Timeout for the greeting and for each command's reply, in milliseconds.</summary>
        public int CommandTimeoutMs { get; set; }

        /// <summary>Timeout between two blocks of a message being retrieved, in milliseconds.</summary>
        public int RetrieveBlockTimeoutMs { get; set; }

        /// <summary>How many new messages one session retrieves, 1 to <see cref="MaxMessagesLimit"/>.</summary>
        public int MaxMessagesPerSession { get; set; }
    }
}
