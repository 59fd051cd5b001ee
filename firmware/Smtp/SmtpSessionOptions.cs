namespace NetBoard.Firmware.Smtp
{
    /// <summary>Everything one SMTP session needs besides the connection and the message.</summary>
    public sealed class SmtpSessionOptions
    {
        /// <summary>RFC 5321 4.5.3.2.1: 5 minutes for the greeting.</summary>
        public const int DefaultGreetingTimeoutMs = 300000;

        /// <summary>RFC 5321 4.5.3.2.2/3: 5 minutes for MAIL and RCPT (and other commands).</summary>
        public const int DefaultCommandTimeoutMs = 300000;

        /// <summary>RFC 5321 4.5.3.2.4: 2 minutes for the DATA command.</summary>
        public const int DefaultDataTimeoutMs = 120000;

        /// <summary>RFC 5321 4.5.3.2.5: 3 minutes for each data block sent.</summary>
        public const int DefaultBlockTimeoutMs = 180000;

        /// <summary>RFC 5321 4.5.3.2.6: 10 minutes for the reply to the final dot.</summary>
        public const int DefaultFinalTimeoutMs = 600000;

        /// <summary>How long name resolution and the TCP handshake may take.</summary>
        public const int DefaultConnectTimeoutMs = 30000;

        /// <summary>The outcome is known by QUIT, so waiting long for its reply only holds the job.</summary>
        public const int QuitTimeoutMs = 10000;

        /// <summary>
        /// SCRAM key-derivation rounds per scheduler step: a fraction of a millisecond on a desktop, some tens of
        /// milliseconds on the device (an estimate), so the other tasks keep running during the derivation.
        /// </summary>
        public const int DefaultScramRoundsPerStep = 16;

        /// <summary>
        /// The longest AUTH command line that carries an initial response, CRLF included. RFC 4954 4 allows 12,288
        /// octets, but Postfix reads a command line only up to its line_length_limit (2048 by default), and Microsoft's
        /// tokens make lines of 2 to 4 KB; longer initial responses go after the server's empty 334, where RFC 4954's
        /// 12,288 octets (Postfix's smtpd_sasl_response_limit) apply.
        /// </summary>
        public const int DefaultAuthLineLimit = 2048;

        /// <summary>Creates options with the RFC 5321 timeouts.</summary>
        public SmtpSessionOptions()
        {
            EhloName = string.Empty;
            Sender = string.Empty;
            Recipients = new string[0];
            ConnectTimeoutMs = DefaultConnectTimeoutMs;
            GreetingTimeoutMs = DefaultGreetingTimeoutMs;
            MailTimeoutMs = DefaultCommandTimeoutMs;
            RcptTimeoutMs = DefaultCommandTimeoutMs;
            DataTimeoutMs = DefaultDataTimeoutMs;
            BlockTimeoutMs = DefaultBlockTimeoutMs;
            FinalTimeoutMs = DefaultFinalTimeoutMs;
            AllowPlaintextAuth = true;
            ScramRoundsPerStep = DefaultScramRoundsPerStep;
            AuthLineLimit = DefaultAuthLineLimit;
        }

        /// <summary>The EHLO/HELO identity; empty means the address literal of the local address.</summary>
        public string EhloName { get; set; }

        /// <summary>The smtp.auth setting.</summary>
        public SmtpAuthMode AuthMode { get; set; }

        /// <summary>smtp.auth.plaintext: false keeps PLAIN and LOGIN off unencrypted connections.</summary>
        public bool AllowPlaintextAuth { get; set; }

        /// <summary>How the session is encrypted; with Implicit the caller does TLS before the greeting.</summary>
        public SmtpSecurity Security { get; set; }

        /// <summary>
        /// tls.verify: true when the caller's TLS checks the server's certificate against trusted CAs and
        /// the host name. Only then, on an encrypted session, may a refused CRAM-MD5 be followed by another
        /// mechanism (see the README's SMTP AUTH section); false by default.
        /// </summary>
        public bool CertificateVerified { get; set; }

        /// <summary>
        /// True to send MAIL FROM, every RCPT TO and DATA as one group when the server announces PIPELINING
        /// (RFC 2920); false (the default) keeps the one-by-one dialogue whatever the server announces.
        /// </summary>
        public bool Pipelining { get; set; }

        /// <summary>
        /// True to send the message as BDAT chunks (RFC 3030) behind MAIL FROM and RCPT TO when the server announces
        /// both CHUNKING and PIPELINING and <see cref="Pipelining"/> is on; false (the default) keeps DATA.
        /// </summary>
        public bool Chunking { get; set; }

        /// <summary>The SMTP user name as UTF-8; the session clears it when it ends.</summary>
        public byte[] User { get; set; }

        /// <summary>The SMTP password as UTF-8; the session clears it when it ends.</summary>
        public byte[] Password { get; set; }

        /// <summary>
        /// The OAuth 2.0 access token (ASCII) for XOAUTH2 or OAUTHBEARER, or null for password mechanisms. With a token,
        /// smtp.auth=auto uses only the two OAuth mechanisms, and a session that cannot use one ends without sending
        /// mail unauthenticated. The session clears it when it ends.
        /// </summary>
        public byte[] AccessToken { get; set; }

        /// <summary>The longest AUTH line with an initial response (see <see cref="DefaultAuthLineLimit"/>).</summary>
        public int AuthLineLimit { get; set; }

        /// <summary>The source of SCRAM's client nonce; without one SCRAM is not used.</summary>
        public NetBoard.Hal.IRandomSource Random { get; set; }

        /// <summary>Where SCRAM keeps salted passwords between logins, or null for no cache.</summary>
        public NetBoard.Firmware.Sasl.ISaltedPasswordCache SaltedPasswords { get; set; }

        /// <summary>SCRAM key-derivation rounds per step of the session (see <see cref="DefaultScramRoundsPerStep"/>).</summary>
        public int ScramRoundsPerStep { get; set; }

        /// <summary>The envelope sender (MAIL FROM).</summary>
        public string Sender { get; set; }

        /// <summary>The envelope recipients (RCPT TO), at least one.</summary>
        public string[] Recipients { get; set; }

        /// <summary>Timeout for connecting, in milliseconds.</summary>
        public int ConnectTimeoutMs { get; set; }

        /// <summary>Timeout for the greeting, in milliseconds.</summary>
        public int GreetingTimeoutMs { get; set; }

        /// <summary>Timeout for MAIL FROM and the other commands (EHLO, AUTH), in milliseconds.</summary>
        public int MailTimeoutMs { get; set; }

        /// <summary>Timeout for each RCPT TO, in milliseconds.</summary>
        public int RcptTimeoutMs { get; set; }

        /// <summary>Timeout for the DATA command's 354, in milliseconds.</summary>
        public int DataTimeoutMs { get; set; }

        /// <summary>Timeout for each block of the message to be taken by the connection, in milliseconds.</summary>
        public int BlockTimeoutMs { get; set; }

        /// <summary>Timeout for the reply to the final dot, in milliseconds.</summary>
        public int FinalTimeoutMs { get; set; }
    }
}
