namespace NetBoard.Firmware.Sasl
{
    /// <summary>
    /// LOGIN (draft-murchison-sasl-login): the first challenge gets the user name, the second the
    /// password. The prompt texts are ignored on purpose, since servers word them differently.
    /// </summary>
    public sealed class Login : SaslMechanism
    {
        private const int UserStep = 0;
        private const int PasswordStep = 1;

        private int _step;

        /// <summary>Creates the mechanism with copies of the credentials.</summary>
        /// <param name="user">User name as UTF-8 bytes.</param>
        /// <param name="password">Password as UTF-8 bytes.</param>
        public Login(byte[] user, byte[] password)
            : base(user, password)
        {
        }

        /// <inheritdoc/>
        public override string Name
        {
            get
            {
                return SaslFactory.LoginName;
            }
        }

        /// <inheritdoc/>
        public override SaslMechanisms Kind
        {
            get
            {
                return SaslMechanisms.Login;
            }
        }

        /// <inheritdoc/>
        public override bool HasInitialResponse
        {
            get
            {
                return false;
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

        /// <summary>First call: the user name; second call: the password; any further call: null.</summary>
        /// <inheritdoc/>
        public override byte[] Respond(byte[] challenge, int offset, int count)
        {
            if (!BeginStep(challenge, offset, count))
            {
                return null;
            }

            if (_step == UserStep)
            {
                _step = PasswordStep;
                return Copy(User, 0, User.Length);
            }

            MarkComplete();
            return Copy(Password, 0, Password.Length);
        }
    }
}
