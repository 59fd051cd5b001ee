using System;
using NetBoard.Firmware.Text;

namespace NetBoard.Firmware.Sasl
{
    /// <summary>
    /// What XOAUTH2 and OAUTHBEARER share: the "password" is an OAuth 2.0 bearer token (RFC 6750 b64token syntax),
    /// sent in the initial response (or in answer to an empty challenge when it does not fit on the AUTH line, see
    /// <see cref="SaslAuthLine"/>). A challenge after that is the server's JSON error status: it is parsed into
    /// <see cref="ErrorStatus"/> and answered with the mechanism's dummy response, after which the server sends its
    /// final failure reply. A caller that sees <see cref="TokenRejected"/> refreshes the token once and tries again.
    /// </summary>
    public abstract class OAuthSaslMechanism : SaslMechanism
    {
        /// <summary>Longest status text kept.</summary>
        public const int MaxStatusLength = 64;

        /// <summary>Longest scope or configuration URL kept.</summary>
        public const int MaxDetailLength = 512;

        private const int StatusMaxDepth = 4;

        private bool _initialSent;

        /// <summary>Stores copies of the user name and the token.</summary>
        /// <param name="user">User name (mailbox) as UTF-8 bytes.</param>
        /// <param name="token">The access token as ASCII bytes.</param>
        protected OAuthSaslMechanism(byte[] user, byte[] token)
            : base(user, token)
        {
            ErrorStatusText = string.Empty;
            ErrorScope = string.Empty;
            ErrorConfiguration = string.Empty;
        }

        /// <inheritdoc/>
        public override bool HasInitialResponse
        {
            get { return true; }
        }

        /// <summary>True: a bearer token lets anyone who sees it in; it needs an encrypted connection.</summary>
        public override bool SendsPasswordInClear
        {
            get { return true; }
        }

        /// <summary>What the server's error challenge said; None when there was none.</summary>
        public OAuthSaslStatus ErrorStatus { get; private set; }

        /// <summary>The error challenge's "status" value (at most <see cref="MaxStatusLength"/> characters), or empty.</summary>
        public string ErrorStatusText { get; private set; }

        /// <summary>The error challenge's "scope" value, or empty.</summary>
        public string ErrorScope { get; private set; }

        /// <summary>The error challenge's "openid-configuration" value (OAUTHBEARER), or empty.</summary>
        public string ErrorConfiguration { get; private set; }

        /// <summary>True when the server said the token is invalid (expired or revoked): refresh it once and retry.</summary>
        public bool TokenRejected
        {
            get { return ErrorStatus == OAuthSaslStatus.InvalidToken; }
        }

        /// <summary>
        /// The initial response's length in octets before base64, without building it (so the caller can decide
        /// whether it fits on the AUTH line); -1 when the credentials cannot be sent with this mechanism.
        /// </summary>
        public int InitialResponseLength
        {
            get
            {
                if (IsCleared || IsComplete || _initialSent || !Acceptable())
                {
                    return -1;
                }

                return MessageLength(User, Password);
            }
        }

        /// <summary>
        /// An empty challenge before the initial response was sent gets the initial response. After it, the challenge
        /// is the error status: it is parsed and answered with the dummy response. Anything later gets null.
        /// </summary>
        /// <inheritdoc/>
        public override byte[] Respond(byte[] challenge, int offset, int count)
        {
            if (!BeginStep(challenge, offset, count))
            {
                return null;
            }

            if (!_initialSent)
            {
                return count == 0 ? BuildInitialResponse() : null;
            }

            ReadStatus(challenge, offset, count);
            MarkComplete();
            return ErrorResponse();
        }

        /// <summary>Builds the message; null when the token is not b64token syntax or the user name holds a separator.</summary>
        /// <inheritdoc/>
        protected override byte[] BuildInitialResponse()
        {
            if (_initialSent || !Acceptable())
            {
                return null;
            }

            byte[] message = new byte[MessageLength(User, Password)];
            int written = WriteMessage(User, Password, message);
            if (written != message.Length)
            {
                throw new InvalidOperationException("message length mismatch");
            }

            _initialSent = true;
            return message;
        }

        /// <summary>The message's length for these credentials.</summary>
        protected abstract int MessageLength(byte[] user, byte[] token);

        /// <summary>Writes the message into <paramref name="message"/> (exactly <see cref="MessageLength"/> octets); returns the count.</summary>
        protected abstract int WriteMessage(byte[] user, byte[] token, byte[] message);

        /// <summary>The response to the error challenge (a new array).</summary>
        protected abstract byte[] ErrorResponse();

        /// <summary>Copies <paramref name="source"/> into <paramref name="message"/> at <paramref name="at"/>; returns the position after it.</summary>
        protected static int Put(byte[] source, byte[] message, int at)
        {
            Array.Copy(source, 0, message, at, source.Length);
            return at + source.Length;
        }

        /// <summary>Writes ASCII text into <paramref name="message"/> at <paramref name="at"/>; returns the position after it.</summary>
        protected static int Put(string ascii, byte[] message, int at)
        {
            return at + Ascii.GetBytes(ascii, message, at);
        }

        /// <summary>True when <paramref name="user"/> has no octet the message cannot carry (NUL, the 0x01 separator).</summary>
        protected virtual bool UserAcceptable(byte[] user)
        {
            for (int i = 0; i < user.Length; i++)
            {
                if (user[i] == 0 || user[i] == 1)
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>RFC 6750 2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=".</summary>
        internal static bool IsBearerToken(byte[] token)
        {
            int i = 0;
            while (i < token.Length)
            {
                byte b = token[i];
                bool ok = (b >= (byte)'a' && b <= (byte)'z') || (b >= (byte)'A' && b <= (byte)'Z') || (b >= (byte)'0' && b <= (byte)'9')
                    || b == (byte)'-' || b == (byte)'.' || b == (byte)'_' || b == (byte)'~' || b == (byte)'+' || b == (byte)'/';
                if (!ok)
                {
                    break;
                }

                i++;
            }

            if (i == 0)
            {
                return false;
            }

            while (i < token.Length && token[i] == (byte)'=')
            {
                i++;
            }

            return i == token.Length;
        }

        private bool Acceptable()
        {
            return IsBearerToken(Password) && UserAcceptable(User);
        }

        private void ReadStatus(byte[] challenge, int offset, int count)
        {
            ErrorStatus = OAuthSaslStatus.Malformed;
            var reader = new JsonReader(challenge, offset, count, StatusMaxDepth);
            if (reader.Read() != JsonToken.StartObject)
            {
                return;
            }

            string status = null;
            string scope = string.Empty;
            string configuration = string.Empty;
            while (true)
            {
                JsonToken token = reader.Read();
                if (token == JsonToken.EndObject)
                {
                    break;
                }

                if (token != JsonToken.PropertyName)
                {
                    return;
                }

                int field = reader.ValueEquals("status") ? 1 : (reader.ValueEquals("scope") ? 2 : (reader.ValueEquals("openid-configuration") ? 3 : 0));
                token = reader.Read();
                if (token == JsonToken.StartObject || token == JsonToken.StartArray)
                {
                    if (!reader.Skip())
                    {
                        return;
                    }

                    continue;
                }

                if (token == JsonToken.Error)
                {
                    return;
                }

                if (field == 0 || token != JsonToken.String)
                {
                    continue;
                }

                string value = Bounded(reader, field == 1 ? MaxStatusLength : MaxDetailLength);
                if (field == 1)
                {
                    status = value;
                }
                else if (field == 2)
                {
                    scope = value;
                }
                else
                {
                    configuration = value;
                }
            }

            if (reader.Read() != JsonToken.EndOfDocument || status == null)
            {
                return;
            }

            ErrorStatusText = status;
            ErrorScope = scope;
            ErrorConfiguration = configuration;
            ErrorStatus = Classify(status);
        }

        private static string Bounded(JsonReader reader, int maxLength)
        {
            string value = reader.GetString();
            return value.Length > maxLength ? value.Substring(0, maxLength) : value;
        }

        private static OAuthSaslStatus Classify(string status)
        {
            if (status == "invalid_token" || status == "401")
            {
                return OAuthSaslStatus.InvalidToken;
            }

            if (status == "insufficient_scope" || status == "403")
            {
                return OAuthSaslStatus.InsufficientScope;
            }

            if (status == "invalid_request" || status == "400")
            {
                return OAuthSaslStatus.InvalidRequest;
            }

            return OAuthSaslStatus.Other;
        }
    }
}
