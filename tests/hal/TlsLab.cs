using System;
using System.IO;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace NetBoard.Hal.Tests
{
    /// <summary>
    /// Certificates made for the TLS tests: a lab CA that signs a server certificate for
    /// "mail.lab.test" and 127.0.0.1, a self-signed server certificate, an unrelated CA, and PEM files of both CAs.
    /// </summary>
    public sealed class TlsLab : IDisposable
    {
        public const string ServerName = "mail.lab.test";

        private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";

        public TlsLab()
        {
            DateTimeOffset now = DateTimeOffset.UtcNow;
            using ECDsa caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            Ca = CreateCa("CN=NetBoard Lab CA", caKey, now);
            using ECDsa otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using X509Certificate2 other = CreateCa("CN=Unrelated CA", otherKey, now);

            using ECDsa serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            CertificateRequest request = ServerRequest(serverKey);
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Ca, true, false));
            using X509Certificate2 signed = request.Create(Ca, now.AddDays(-1), now.AddDays(30), new byte[] { 0x10, 0x20, 0x30, 0x40 });
            Server = WithReloadedKey(signed, serverKey);

            using ECDsa selfKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using X509Certificate2 selfSigned = ServerRequest(selfKey).CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
            SelfSignedServer = X509CertificateLoader.LoadPkcs12(selfSigned.Export(X509ContentType.Pfx), null);

            CaFile = WritePem(Ca);
            OtherCaFile = WritePem(other);
        }

        /// <summary>The lab CA (public part only matters to clients).</summary>
        public X509Certificate2 Ca { get; }

        /// <summary>The server certificate signed by <see cref="Ca"/>, with its private key.</summary>
        public X509Certificate2 Server { get; }

        /// <summary>A self-signed server certificate with the same names, with its private key.</summary>
        public X509Certificate2 SelfSignedServer { get; }

        /// <summary>A PEM file holding <see cref="Ca"/>.</summary>
        public string CaFile { get; }

        /// <summary>A PEM file holding a CA that signed nothing here.</summary>
        public string OtherCaFile { get; }

        public void Dispose()
        {
            File.Delete(CaFile);
            File.Delete(OtherCaFile);
            Ca.Dispose();
            Server.Dispose();
            SelfSignedServer.Dispose();
        }

        private static X509Certificate2 CreateCa(string subject, ECDsa key, DateTimeOffset now)
        {
            var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            return request.CreateSelfSigned(now.AddDays(-1), now.AddDays(60));
        }

        private static CertificateRequest ServerRequest(ECDsa key)
        {
            var request = new CertificateRequest("CN=" + ServerName, key, HashAlgorithmName.SHA256);
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName(ServerName);
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid(ServerAuthOid) }, false));
            return request;
        }

        private static X509Certificate2 WithReloadedKey(X509Certificate2 certificate, ECDsa key)
        {
            // A PKCS#12 round trip gives a key that every platform's TLS stack accepts for a server.
            using X509Certificate2 withKey = certificate.CopyWithPrivateKey(key);
            return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx), null);
        }

        private static string WritePem(X509Certificate2 certificate)
        {
            string path = Path.Combine(Path.GetTempPath(), "netboard-ca-" + Path.GetRandomFileName() + ".pem");
            File.WriteAllText(path, certificate.ExportCertificatePem());
            return path;
        }
    }
}
