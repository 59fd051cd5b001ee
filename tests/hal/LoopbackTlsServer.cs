using System;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;

namespace NetBoard.Hal.Tests
{
    /// <summary>A TLS server on 127.0.0.1 for one client, on top of <see cref="LoopbackServer"/>.</summary>
    internal sealed class LoopbackTlsServer : IDisposable
    {
        private const int HandshakeTimeoutMs = 20000;

        private readonly LoopbackServer _listener = new LoopbackServer();

        public int Port => _listener.Port;

        /// <summary>A pending or finished <see cref="AcceptTlsAsync"/>, kept here so Dispose ends it.</summary>
        public Task<SslStream> AcceptedStream { get; set; }

        /// <summary>The accepted socket, once a client was accepted.</summary>
        public Socket Peer { get; private set; }

        /// <summary>
        /// Accepts one client and runs the server handshake with <paramref name="certificate"/>.
        /// Sends only the server certificate: the issuing CA is for the client to know.
        /// </summary>
        /// <returns>The encrypted stream, or null when the handshake failed.</returns>
        public async Task<SslStream> AcceptTlsAsync(X509Certificate2 certificate)
        {
            Peer = await _listener.AcceptAsync();
            var stream = new SslStream(new NetworkStream(Peer, false), false);
            var options = new SslServerAuthenticationOptions
            {
                ServerCertificateContext = SslStreamCertificateContext.Create(certificate, null, true),
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            };
            using var timeout = new CancellationTokenSource(HandshakeTimeoutMs);
            try
            {
                await stream.AuthenticateAsServerAsync(options, timeout.Token);
                return stream;
            }
            catch (Exception ex) when (ex is AuthenticationException || ex is System.IO.IOException || ex is OperationCanceledException)
            {
                // The client refused or dropped the handshake; the test looks at the client's side.
                stream.Dispose();
                return null;
            }
        }

        /// <summary>Accepts one client without TLS.</summary>
        public async Task<Socket> AcceptPlainAsync()
        {
            Peer = await _listener.AcceptAsync();
            return Peer;
        }

        public void Dispose()
        {
            if (AcceptedStream != null && AcceptedStream.IsCompletedSuccessfully)
            {
                AcceptedStream.Result?.Dispose();
            }

            Peer?.Dispose();
            _listener.Dispose();
        }
    }
}
