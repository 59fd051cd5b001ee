using System;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace NetBoard.Hal.Host
{
    /// <summary>
    /// Checks a server certificate against a <see cref="TlsPolicy"/> during one handshake and
    /// remembers why it refused, so the connection can report a certificate failure as such.
    /// </summary>
    internal sealed class TlsCertificateCheck
    {
        private readonly TlsPolicy _policy;
        private volatile string _refusal;

        /// <summary>Creates a check for one handshake.</summary>
        public TlsCertificateCheck(TlsPolicy policy)
        {
            _policy = policy ?? throw new ArgumentNullException(nameof(policy));
        }

        /// <summary>Why the certificate was refused ("certificate refused: ..."), or null when it was not.</summary>
        public string Refusal
        {
            get
            {
                return _refusal;
            }
        }

        /// <summary>A <see cref="RemoteCertificateValidationCallback"/>: true accepts the certificate.</summary>
        public bool Validate(object sender, X509Certificate certificate, X509Chain chain, SslPolicyErrors errors)
        {
            if (!_policy.VerifyCertificate || errors == SslPolicyErrors.None)
            {
                return true;
            }

            X509ChainStatusFlags status = Summarize(chain);

            // Extra CAs can vouch for the issuer, never for a wrong name or a missing certificate.
            if (errors == SslPolicyErrors.RemoteCertificateChainErrors && _policy.CaFile.Length > 0 && certificate != null)
            {
                try
                {
                    if (BuildsToCaFile(certificate, chain, out status))
                    {
                        return true;
                    }
                }
                catch (Exception ex) when (ex is CryptographicException || ex is System.IO.IOException || ex is UnauthorizedAccessException || ex is ArgumentException)
                {
                    _refusal = "certificate refused: CA file " + _policy.CaFile + " unusable: " + ex.Message;
                    return false;
                }
            }

            _refusal = status == X509ChainStatusFlags.NoError
                ? "certificate refused: " + errors
                : "certificate refused: " + errors + " (" + status + ")";
            return false;
        }

        private static X509ChainStatusFlags Summarize(X509Chain chain)
        {
            var flags = X509ChainStatusFlags.NoError;
            if (chain != null)
            {
                foreach (X509ChainStatus item in chain.ChainStatus)
                {
                    flags |= item.Status;
                }
            }

            return flags;
        }

        private bool BuildsToCaFile(X509Certificate certificate, X509Chain serverChain, out X509ChainStatusFlags status)
        {
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPemFile(_policy.CaFile);
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(authorities);

            // The board checks offline; fetching revocation lists would reach past the mail server.
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (serverChain != null)
            {
                // Intermediates the server sent help the path reach the trusted CA.
                chain.ChainPolicy.ExtraStore.AddRange(serverChain.ChainPolicy.ExtraStore);
                foreach (X509ChainElement element in serverChain.ChainElements)
                {
                    chain.ChainPolicy.ExtraStore.Add(element.Certificate);
                }
            }

            X509Certificate2 leaf = certificate as X509Certificate2;
            X509Certificate2 copy = leaf == null ? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()) : null;
            try
            {
                bool built = chain.Build(leaf ?? copy);
                status = Summarize(chain);
                return built;
            }
            finally
            {
                copy?.Dispose();
                foreach (X509Certificate2 authority in authorities)
                {
                    authority.Dispose();
                }
            }
        }
    }
}
