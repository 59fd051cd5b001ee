using System;

namespace NetBoard.Firmware.Sasl
{
    /// <summary>
    /// OAUTHBEARER (RFC 7628): the GS2 header "n,a=" user "," (no channel binding; "," and "=" in the user name
    /// escaped as RFC 5801 asks), then ^A "host=" ^A "port=" when known, "auth=Bearer " token, ^A ^A. After an
    /// error challenge the client answers with a single ^A (RFC 7628 3.2.3), base64 "AQ==".
    /// </summary>
    public sealed class OAuthBearer : OAuthSaslMechanism
    {
        private const string Gs2Start = "n,";
        private const string AuthzidKey = "a=";
        private const string HostKey = "host=";
        private const string PortKey = "port=";
        private const string AuthKey = "auth=Bearer ";
        private const byte Separator = 1;

        private readonly string _host;
        private readonly string _port;

        /// <summary>Creates the mechanism without host and port.</summary>
        /// <param name="user">User name (the authorization identity) as UTF-8 bytes; empty to send none.</param>
        /// <param name="token">The access token as ASCII bytes.</param>
        public OAuthBearer(byte[] user, byte[] token)
            : this(user, token, null, 0)
        {
        }

        /// <summary>Creates the mechanism with the server's name and port, which RFC 7628 lets the client send.</summary>
        /// <param name="user">User name (the authorization identity) as UTF-8 bytes; empty to send none.</param>
        /// <param name="token">The access token as ASCII bytes.</param>
        /// <param name="host">The server name the client connected to, or null to leave it out.</param>
        /// <param name="port">The server port, or 0 to leave it out.</param>
        public OAuthBearer(byte[] user, byte[] token, string host, int port)
            : base(user, token)
        {
            if (host != null)
            {
                for (int i = 0; i < host.Length; i++)
                {
                    if (host[i] <= ' ' || host[i] >= (char)0x7F)
                    {
                        throw new ArgumentException("invalid host", "host");
                    }
                }
            }

            if (port < 0 || port > 65535)
            {
                throw new ArgumentOutOfRangeException("port");
            }

            _host = host == null || host.Length == 0 ? null : host;
            _port = port == 0 ? null : port.ToString();
        }

        /// <inheritdoc/>
        public override string Name
        {
            get { return SaslFactory.OAuthBearerName; }
        }

        /// <inheritdoc/>
        public override SaslMechanisms Kind
        {
            get { return SaslMechanisms.OAuthBearer; }
        }

        /// <inheritdoc/>
        protected override int MessageLength(byte[] user, byte[] token)
        {
            int length = Gs2Start.Length + 1 + 1;
            if (user.Length > 0)
            {
                length += AuthzidKey.Length + user.Length;
                for (int i = 0; i < user.Length; i++)
                {
                    if (user[i] == (byte)',' || user[i] == (byte)'=')
                    {
                        // "=2C" or "=3D" instead of one octet.
                        length += 2;
                    }
                }
            }

            if (_host != null)
            {
                length += HostKey.Length + _host.Length + 1;
            }

            if (_port != null)
            {
                length += PortKey.Length + _port.Length + 1;
            }

            return length + AuthKey.Length + token.Length + 2;
        }

        /// <inheritdoc/>
        protected override int WriteMessage(byte[] user, byte[] token, byte[] message)
        {
            int p = Put(Gs2Start, message, 0);
            if (user.Length > 0)
            {
                p = Put(AuthzidKey, message, p);
                for (int i = 0; i < user.Length; i++)
                {
                    byte b = user[i];
                    if (b == (byte)',')
                    {
                        p = Put("=2C", message, p);
                    }
                    else if (b == (byte)'=')
                    {
                        p = Put("=3D", message, p);
                    }
                    else
                    {
                        message[p++] = b;
                    }
                }
            }

            message[p++] = (byte)',';
            message[p++] = Separator;
            if (_host != null)
            {
                p = Put(HostKey, message, p);
                p = Put(_host, message, p);
                message[p++] = Separator;
            }

            if (_port != null)
            {
                p = Put(PortKey, message, p);
                p = Put(_port, message, p);
                message[p++] = Separator;
            }

            p = Put(AuthKey, message, p);
            p = Put(token, message, p);
            message[p++] = Separator;
            message[p++] = Separator;
            return p;
        }

        /// <summary>The single ^A that RFC 7628 3.2.3 asks for after an error challenge.</summary>
        protected override byte[] ErrorResponse()
        {
            return new byte[] { Separator };
        }
    }
}
