namespace NetBoard.Firmware.Sasl
{
    /// <summary>
    /// PLAIN (RFC 4616) with an empty authorization identity: the single message is
    /// NUL, user name, NUL, password. Sent as the initial response with the AUTH command.
    /// </summary>
    public sealed class Plain : SaslMechanism
    {
        private const byte Separator = 0;

        /// <summary>Creates the mechanism with copies of the credentials.</summary>
        /// <param name="user">User name (authentication identity) as UTF-8 bytes.</param>
        /// <param name="password">Password as UTF-8 bytes.</param>
        public Plain(byte[] user, byte[] password)
            : base(user, password)
        {
        }

        /// <inheritdoc/>
        public override string Name
        {
            get
            {
                return SaslFactory.PlainName;
            }
        }

        /// <inheritdoc/>
        public override SaslMechanisms Kind
        {
            get
            {
                return SaslMechanisms.Plain;
            }
        }

        /// <inheritdoc/>
        public override bool HasInitialResponse
        {
            get
            {
                return true;
            }
        }

        /// <inheritdoc/>
        public override bool SendsPasswordInClear
        {
            get
            {
                return true;
            }
        }

        /// <summary>
        /// Gets null once the message has been sent. Before that, an empty challenge (a server that
        /// was sent AUTH PLAIN without initial response) gets the message; a non-empty one gets null.
        /// </summary>
        /// <inheritdoc/>
        public override byte[] Respond(byte[] challenge, int offset, int count)
        {
            if (!BeginStep(challenge, offset, count) || count != 0)
            {
                return null;
            }

            return BuildInitialResponse();
        }

        /// <summary>Builds NUL user NUL password; null when a credential contains NUL, which PLAIN cannot carry.</summary>
        /// <inheritdoc/>
        protected override byte[] BuildInitialResponse()
        {
            byte[] user = User;
            byte[] password = Password;
            if (System.Array.IndexOf(user, Separator) >= 0 || System.Array.IndexOf(password, Separator) >= 0)
            {
                return null;
            }

            byte[] message = new byte[2 + user.Length + password.Length];
            message[0] = Separator;
            System.Array.Copy(user, 0, message, 1, user.Length);
            message[1 + user.Length] = Separator;
            System.Array.Copy(password, 0, message, 2 + user.Length, password.Length);
            MarkComplete();
            return message;
        }
    }
}
