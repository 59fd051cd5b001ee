using System;
using NetBoard.Firmware.Crypto;

namespace NetBoard.Firmware.Sasl
{
    /// <summary>
    /// CRAM-MD5 (RFC 2195): answers the server's challenge with the user name, a space and the
    /// lower-case hex HMAC-MD5 of the challenge keyed with the password. One step, no initial response.
    /// </summary>
    public sealed class CramMd5 : SaslMechanism
    {
        private const int HexDigestLengthBytes = 2 * HmacMd5.HashSizeBytes;

        /// <summary>Creates the mechanism with copies of the credentials.</summary>
        /// <param name="user">User name as UTF-8 bytes.</param>
        /// <param name="password">Password as UTF-8 bytes; used only as the HMAC key.</param>
        public CramMd5(byte[] user, byte[] password)
            : base(user, password)
        {
        }

        /// <inheritdoc/>
        public override string Name
        {
            get
            {
                return SaslFactory.CramMd5Name;
            }
        }

        /// <inheritdoc/>
        public override SaslMechanisms Kind
        {
            get
            {
                return SaslMechanisms.CramMd5;
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
                return false;
            }
        }

        /// <summary>Answers the single challenge; an empty challenge or any later one gets null.</summary>
        /// <inheritdoc/>
        public override byte[] Respond(byte[] challenge, int offset, int count)
        {
            if (!BeginStep(challenge, offset, count) || count == 0)
            {
                return null;
            }

            byte[] user = User;
            byte[] digest = new byte[HmacMd5.HashSizeBytes];
            HmacMd5.Compute(Password, 0, Password.Length, challenge, offset, count, digest, 0);

            byte[] response = new byte[user.Length + 1 + HexDigestLengthBytes];
            Array.Copy(user, 0, response, 0, user.Length);
            response[user.Length] = (byte)' ';
            Hex.ToLower(digest, 0, digest.Length, response, user.Length + 1);

            // The digest is a password-derived value; do not leave it on the heap.
            Array.Clear(digest, 0, digest.Length);
            MarkComplete();
            return response;
        }
    }
}
