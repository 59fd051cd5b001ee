using NetBoard.Hal;

namespace NetBoard.Firmware.Net
{
    /// <summary>Where a session connects and how its connection is encrypted; fixed for one attempt.</summary>
    public sealed class ServerEndpoint
    {
        /// <summary>Creates an endpoint.</summary>
        /// <param name="host">The server's host name or address.</param>
        /// <param name="port">The server's port.</param>
        /// <param name="localAddress">The local address to bind, or empty.</param>
        /// <param name="implicitTls">True for TLS from the first byte (SMTPS, POP3S).</param>
        /// <param name="tlsPolicy">How the certificate is checked when the session is encrypted (null: verified against the platform's CAs).</param>
        public ServerEndpoint(string host, int port, string localAddress, bool implicitTls, TlsPolicy tlsPolicy)
        {
            Host = host;
            Port = port;
            LocalAddress = localAddress == null ? string.Empty : localAddress;
            ImplicitTls = implicitTls;
            TlsPolicy = tlsPolicy == null ? new TlsPolicy(true, string.Empty) : tlsPolicy;
        }

        /// <summary>The server's host name or address.</summary>
        public string Host { get; private set; }

        /// <summary>The server's port.</summary>
        public int Port { get; private set; }

        /// <summary>The local address to bind, or empty.</summary>
        public string LocalAddress { get; private set; }

        /// <summary>True for TLS from the first byte: the handshake runs before the session sees the greeting.</summary>
        public bool ImplicitTls { get; private set; }

        /// <summary>How the server's certificate is checked, for implicit TLS and for STARTTLS/STLS alike.</summary>
        public TlsPolicy TlsPolicy { get; private set; }
    }
}
