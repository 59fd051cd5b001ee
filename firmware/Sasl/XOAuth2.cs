namespace NetBoard.Firmware.Sasl
{
    /// <summary>
    /// XOAUTH2 (Google's and Microsoft's mechanism): "user=" user ^A "auth=Bearer " token ^A ^A. After an error
    /// challenge the client answers with an empty response.
    /// </summary>
    public sealed class XOAuth2 : OAuthSaslMechanism
    {
        private const string UserKey = "user=";
        private const string AuthKey = "auth=Bearer ";
        private const byte Separator = 1;

        /// <summary>Creates the mechanism with copies of the user name and the token.</summary>
        /// <param name="user">User name (mailbox) as UTF-8 bytes.</param>
        /// <param name="token">The access token as ASCII bytes.</param>
        public XOAuth2(byte[] user, byte[] token)
            : base(user, token)
        {
        }

        /// <inheritdoc/>
        public override string Name
        {
            get { return SaslFactory.XOAuth2Name; }
        }

        /// <inheritdoc/>
        public override SaslMechanisms Kind
        {
            get { return SaslMechanisms.XOAuth2; }
        }

        /// <inheritdoc/>
        protected override int MessageLength(byte[] user, byte[] token)
        {
            return UserKey.Length + user.Length + 1 + AuthKey.Length + token.Length + 2;
        }

        /// <inheritdoc/>
        protected override int WriteMessage(byte[] user, byte[] token, byte[] message)
        {
            int p = Put(UserKey, message, 0);
            p = Put(user, message, p);
            message[p++] = Separator;
            p = Put(AuthKey, message, p);
            p = Put(token, message, p);
            message[p++] = Separator;
            message[p++] = Separator;
            return p;
        }

        /// <summary>An empty response: the server then sends its final failure reply.</summary>
        protected override byte[] ErrorResponse()
        {
            return new byte[0];
        }
    }
}
