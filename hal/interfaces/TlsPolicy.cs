namespace NetBoard.Hal
{
    /// <summary>How a TLS handshake checks the server: TLS 1.2 at least, always; the certificate as set here.</summary>
    public sealed class TlsPolicy
    {
        /// <summary>Creates a policy.</summary>
        /// <param name="verifyCertificate">False accepts any certificate (tls.verify=off); the connection is still encrypted.</param>
        /// <param name="caFile">A PEM file (host) or storage name (device) of extra trusted CA certificates, or empty.</param>
        public TlsPolicy(bool verifyCertificate, string caFile)
        {
            VerifyCertificate = verifyCertificate;
            CaFile = caFile == null ? string.Empty : caFile;
        }

        /// <summary>True to require a certificate that chains to a trusted CA and names the host.</summary>
        public bool VerifyCertificate { get; private set; }

        /// <summary>Extra trusted CA certificates, or empty for the platform's trust store only.</summary>
        public string CaFile { get; private set; }
    }
}
