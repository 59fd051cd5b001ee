using System;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Sasl;
using NetBoard.Firmware.Smtp;
using NetBoard.Firmware.Tests.Sasl;

namespace NetBoard.Firmware.Tests.Smtp
{
    public class SmtpScramTests
    {
        // RFC 5802 section 5, sent as SMTP AUTH.
        private const string Nonce = "fyko+d2lbbFgONRv9qkxdawL";
        private const string ClientFirst = "n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL";
        private const string ServerFirst = "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096";
        private const string ClientFinal = "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=";
        private const string ServerFinal = "v=rmF9pqV8S7suAoZWja4dJRkFsKQ=";
        private const string AllMechanisms = "AUTH PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256";

        [Fact]
        public void Auto_prefers_scram_sha_256_then_scram_sha_1_then_cram_md5()
        {
            Assert.StartsWith("AUTH SCRAM-SHA-256 ", Start(SmtpAuthMode.Auto).Hello(AllMechanisms));
            Assert.StartsWith("AUTH SCRAM-SHA-1 ", Start(SmtpAuthMode.Auto).Hello("AUTH PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1"));
            Assert.Equal("AUTH CRAM-MD5\r\n", Start(SmtpAuthMode.Auto).Hello("AUTH PLAIN LOGIN CRAM-MD5 SCRAM-SHA-256-PLUS"));
        }

        [Fact]
        public void Without_a_random_source_scram_is_not_used()
        {
            var smtp = new ScriptedSmtp(ScriptedSmtp.Options(SmtpAuthMode.Auto, "user", "pencil"));

            Assert.Equal("AUTH CRAM-MD5\r\n", smtp.Hello(AllMechanisms));
        }

        [Fact]
        public void Rfc5802_example_over_smtp_byte_for_byte()
        {
            var smtp = Start(SmtpAuthMode.ScramSha1);

            Assert.Equal("AUTH SCRAM-SHA-1 " + B64(ClientFirst) + "\r\n", smtp.Hello(AllMechanisms));
            smtp.Reply("334 " + B64(ServerFirst));
            Assert.Equal(SmtpState.AuthComputing, smtp.Session.State);
            Assert.Equal(string.Empty, smtp.Sent());
            int slices = Derive(smtp);
            Assert.Equal(B64(ClientFinal) + "\r\n", smtp.Sent());
            smtp.Reply("334 " + B64(ServerFinal));
            Assert.Equal("\r\n", smtp.Sent());
            smtp.Reply("235 2.7.0 Authentication successful");
            Assert.StartsWith("MAIL FROM:<mfp@lab.test>", smtp.Sent());
            smtp.AcceptTransaction();

            Assert.True(smtp.Session.Result.Success);
            Assert.Equal("SCRAM-SHA-1", smtp.Session.Result.AuthMechanism);

            // 4096 rounds, 16 a step.
            Assert.Equal(4096 / SmtpSessionOptions.DefaultScramRoundsPerStep, slices);
        }

        [Fact]
        public void Scram_sha_256_against_a_reference_server()
        {
            var smtp = Start(SmtpAuthMode.Auto, "scram@lab.test", "scram-Secret-5");
            string first = Unb64(smtp.Hello(AllMechanisms).Substring("AUTH SCRAM-SHA-256 ".Length).TrimEnd());
            var server = new ReferenceServer(first, "scram-Secret-5", 4096, sha1: false);
            smtp.Reply("334 " + B64(server.ServerFirst));
            Derive(smtp);
            string final = Unb64(smtp.Sent().TrimEnd());

            Assert.True(server.Verify(final));
            smtp.Reply("334 " + B64(server.ServerFinal));
            Assert.Equal("\r\n", smtp.Sent());
            smtp.Reply("235 2.7.0 ok");
            Assert.StartsWith("MAIL FROM", smtp.Sent());
        }

        [Theory]
        [InlineData("v=rmF9pqV8S7suAoZWja4dJRkFsKR=")]
        [InlineData("v=")]
        public void A_wrong_server_signature_cancels_with_842(string serverFinal)
        {
            var smtp = Start(SmtpAuthMode.ScramSha1);
            smtp.Hello(AllMechanisms);
            smtp.Reply("334 " + B64(ServerFirst));
            Derive(smtp);
            smtp.Sent();

            smtp.Reply("334 " + B64(serverFinal));
            Assert.Equal("*\r\n", smtp.Sent());
            smtp.Reply("501 5.7.0 Authentication aborted");
            Assert.Equal("QUIT\r\n", smtp.Sent());

            Assert.Equal(UserErrorCode.ServerNotAuthentic, smtp.Session.Result.ErrorCode);
            Assert.Contains("not the server it claims to be", smtp.Session.Result.Detail);
            Assert.False(UserErrorCode.IsTransient(UserErrorCode.ServerNotAuthentic));
        }

        [Fact]
        public void Success_without_the_server_signature_is_842()
        {
            var smtp = Start(SmtpAuthMode.ScramSha1);
            smtp.Hello(AllMechanisms);
            smtp.Reply("334 " + B64(ServerFirst));
            Derive(smtp);
            smtp.Sent();

            smtp.Reply("235 2.7.0 Authentication successful");

            Assert.Equal("QUIT\r\n", smtp.Sent());
            Assert.Equal(UserErrorCode.ServerNotAuthentic, smtp.Session.Result.ErrorCode);
            Assert.Null(smtp.Session.Result.AuthMechanism);
        }

        [Theory]
        [InlineData("i=1000000000")]
        [InlineData("i=99999999999999999999")]
        [InlineData("i=4095")]
        public void An_iteration_count_out_of_bounds_cancels_with_843(string count)
        {
            var smtp = Start(SmtpAuthMode.ScramSha1);
            smtp.Hello(AllMechanisms);

            smtp.Reply("334 " + B64(ServerFirst.Replace("i=4096", count, StringComparison.Ordinal)));

            Assert.Equal("*\r\n", smtp.Sent());
            smtp.Reply("501 5.7.0 Authentication aborted");
            Assert.Equal("QUIT\r\n", smtp.Sent());
            Assert.Equal(UserErrorCode.ScramIterationsOutOfRange, smtp.Session.Result.ErrorCode);
            Assert.Contains("4096-65536", smtp.Session.Result.Detail);
        }

        [Theory]
        [InlineData("r=someone-elses-nonce,s=QSXCR+Q6sek8bf92,i=4096")]
        [InlineData("garbage")]
        [InlineData("m=mandatory," + ServerFirst)]
        public void A_malformed_server_first_message_cancels_with_841(string serverFirst)
        {
            var smtp = Start(SmtpAuthMode.ScramSha1);
            smtp.Hello(AllMechanisms);

            smtp.Reply("334 " + B64(serverFirst));

            Assert.Equal("*\r\n", smtp.Sent());
            smtp.Reply("501 5.7.0 Authentication aborted");
            Assert.Equal(UserErrorCode.SmtpAuthExchangeFailed, smtp.Session.Result.ErrorCode);
        }

        [Fact]
        public void A_server_error_attribute_maps_to_the_credentials_code()
        {
            var smtp = Start(SmtpAuthMode.ScramSha1);
            smtp.Hello(AllMechanisms);
            smtp.Reply("334 " + B64(ServerFirst));
            Derive(smtp);
            smtp.Sent();

            smtp.Reply("334 " + B64("e=invalid-proof"));
            Assert.Equal("*\r\n", smtp.Sent());
            smtp.Reply("501 5.7.0 Authentication aborted");

            Assert.Equal(UserErrorCode.SmtpAuthFailed, smtp.Session.Result.ErrorCode);
        }

        [Fact]
        public void On_verified_tls_auto_falls_back_once_from_a_refused_scram_to_plain()
        {
            SmtpSessionOptions options = ScriptedSmtp.Options(SmtpAuthMode.Auto, "user", "pencil");
            options.Random = new FixedNonceSource(Nonce);
            options.Security = SmtpSecurity.Implicit;
            options.CertificateVerified = true;
            var smtp = new ScriptedSmtp(options);
            smtp.Hello(AllMechanisms);
            smtp.Reply("334 " + B64(ServerFirst));
            Derive(smtp);
            smtp.Sent();

            smtp.Reply("535 5.7.8 Error: authentication failed");

            Assert.Equal("AUTH PLAIN " + B64("\0user\0pencil") + "\r\n", smtp.Sent());
            smtp.Reply("235 2.7.0 ok");
            Assert.StartsWith("MAIL FROM", smtp.Sent());
            Assert.Equal("SCRAM-SHA-256 refused with 535", smtp.Session.Result.AuthNote);
        }

        [Fact]
        public void On_a_clear_link_a_refused_scram_ends_the_job_with_839_and_says_why()
        {
            var smtp = Start(SmtpAuthMode.Auto);
            smtp.Hello(AllMechanisms);
            smtp.Reply("334 " + B64(ServerFirst));
            Derive(smtp);
            smtp.Sent();

            smtp.Reply("535 5.7.8 Error: authentication failed");

            Assert.Equal("QUIT\r\n", smtp.Sent());
            Assert.Equal(UserErrorCode.SmtpAuthFailed, smtp.Session.Result.ErrorCode);
            Assert.Equal("SCRAM-SHA-256 refused; PLAIN not tried without verified TLS", smtp.Session.Result.AuthNote);
        }

        [Fact]
        public void A_wrong_server_signature_is_never_followed_by_another_mechanism()
        {
            SmtpSessionOptions options = ScriptedSmtp.Options(SmtpAuthMode.Auto, "user", "pencil");
            options.Random = new FixedNonceSource(Nonce);
            options.Security = SmtpSecurity.Implicit;
            options.CertificateVerified = true;
            var smtp = new ScriptedSmtp(options);
            smtp.Hello("AUTH PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1");
            smtp.Reply("334 " + B64(ServerFirst));
            Derive(smtp);
            smtp.Sent();

            smtp.Reply("334 " + B64("v=AAAAAAAAAAAAAAAAAAAAAAAAAAA="));
            Assert.Equal("*\r\n", smtp.Sent());
            smtp.Reply("535 5.7.8 aborted");

            Assert.Equal("QUIT\r\n", smtp.Sent());
            Assert.Equal(UserErrorCode.ServerNotAuthentic, smtp.Session.Result.ErrorCode);
        }

        [Fact]
        public void A_repeat_login_takes_the_salted_password_from_the_cache_and_a_refusal_drops_it()
        {
            var cache = new CountingCache();
            var first = Start(SmtpAuthMode.ScramSha1, cache: cache);
            first.Hello(AllMechanisms);
            first.Reply("334 " + B64(ServerFirst));
            Derive(first);
            first.Sent();
            first.Reply("334 " + B64(ServerFinal));
            first.Sent();
            Assert.Equal(1, cache.Puts);

            var second = Start(SmtpAuthMode.ScramSha1, cache: cache);
            second.Hello(AllMechanisms);
            second.Reply("334 " + B64(ServerFirst));

            Assert.False(second.Session.IsComputing);
            Assert.Equal(B64(ClientFinal) + "\r\n", second.Sent());
            second.Reply("535 5.7.8 no");
            Assert.Equal(1, cache.Removes);
            Assert.Equal(UserErrorCode.SmtpAuthFailed, second.Session.Result.ErrorCode);
        }

        [Fact]
        public void A_derivation_longer_than_the_command_timeout_ends_the_session()
        {
            var smtp = Start(SmtpAuthMode.ScramSha1);
            smtp.Hello(AllMechanisms);
            smtp.Reply("334 " + B64(ServerFirst));
            smtp.Session.Compute(smtp.Now);

            smtp.Now += smtp.Session.Deadline;
            smtp.Session.CheckTimeout(smtp.Now);

            // Mid-exchange the server awaits a SASL response, not a command: the connection is closed without QUIT.
            Assert.Equal(string.Empty, smtp.Sent());
            Assert.True(smtp.Session.IsDone);
            Assert.Equal(UserErrorCode.SmtpAuthExchangeFailed, smtp.Session.Result.ErrorCode);
            Assert.False(smtp.Session.IsComputing);
        }

        [Fact]
        public void The_log_shows_no_secret_and_the_credentials_are_cleared()
        {
            SmtpSessionOptions options = ScriptedSmtp.Options(SmtpAuthMode.ScramSha1, "user", "pencil");
            options.Random = new FixedNonceSource(Nonce);
            var smtp = new ScriptedSmtp(options);
            smtp.Hello(AllMechanisms);
            smtp.Reply("334 " + B64(ServerFirst));
            Derive(smtp);
            smtp.Sent();
            smtp.Reply("334 " + B64(ServerFinal));
            smtp.Sent();
            smtp.Reply("235 2.7.0 ok");
            smtp.Sent();
            smtp.AcceptTransaction();

            string log = string.Join("\n", smtp.Log.Lines);
            Assert.DoesNotContain("pencil", log);
            Assert.DoesNotContain(B64(ClientFirst), log);
            Assert.DoesNotContain(B64(ClientFinal), log);
            Assert.Contains("C: AUTH SCRAM-SHA-1 ****", log);
            Assert.Contains("S: 334 ****", log);
            Assert.All(options.Password, b => Assert.Equal(0, b));
        }

        internal static int Derive(ScriptedSmtp smtp)
        {
            int slices = 0;
            while (smtp.Session.IsComputing)
            {
                smtp.Session.Compute(smtp.Now);
                slices++;
            }

            return slices;
        }

        private static ScriptedSmtp Start(SmtpAuthMode mode, string user = "user", string password = "pencil", ISaltedPasswordCache cache = null)
        {
            SmtpSessionOptions options = ScriptedSmtp.Options(mode, user, password);
            options.Random = new FixedNonceSource(Nonce);
            options.SaltedPasswords = cache;
            return new ScriptedSmtp(options);
        }

        private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

        private static string Unb64(string text) => Encoding.UTF8.GetString(Convert.FromBase64String(text));

        private sealed class CountingCache : ISaltedPasswordCache
        {
            private byte[] _salted;

            public int Puts { get; private set; }

            public int Removes { get; private set; }

            public bool TryGet(string mechanism, byte[] user, byte[] password, byte[] salt, int iterations, byte[] saltedPassword)
            {
                if (_salted == null)
                {
                    return false;
                }

                _salted.CopyTo(saltedPassword, 0);
                return true;
            }

            public void Put(string mechanism, byte[] user, byte[] password, byte[] salt, int iterations, byte[] saltedPassword)
            {
                Puts++;
                _salted = (byte[])saltedPassword.Clone();
            }

            public void Remove(string mechanism, byte[] user, byte[] salt, int iterations)
            {
                Removes++;
                _salted = null;
            }
        }
    }

    /// <summary>The server side of SCRAM with .NET's HMAC and PBKDF2, for checking the client's proof.</summary>
    internal sealed class ReferenceServer
    {
        private readonly bool _sha1;
        private readonly byte[] _salted;
        private readonly string _bare;

        public ReferenceServer(string clientFirst, string password, int iterations, bool sha1)
        {
            _sha1 = sha1;
            _bare = clientFirst.Substring(3);
            string clientNonce = _bare.Substring(_bare.IndexOf(",r=", StringComparison.Ordinal) + 3);
            byte[] salt = Encoding.ASCII.GetBytes("lab-salt-0123456");
            Nonce = clientNonce + "srv-NONCE~!";
            ServerFirst = "r=" + Nonce + ",s=" + Convert.ToBase64String(salt) + ",i=" + iterations;
            _salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, sha1 ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256, sha1 ? 20 : 32);
        }

        public string Nonce { get; }

        public string ServerFirst { get; }

        public string ServerFinal { get; private set; }

        public bool Verify(string clientFinal)
        {
            string withoutProof = "c=biws,r=" + Nonce;
            if (!clientFinal.StartsWith(withoutProof + ",p=", StringComparison.Ordinal))
            {
                return false;
            }

            byte[] authMessage = Encoding.UTF8.GetBytes(_bare + "," + ServerFirst + "," + withoutProof);
            byte[] clientKey = Mac(_salted, Encoding.ASCII.GetBytes("Client Key"));
            byte[] storedKey = _sha1 ? SHA1.HashData(clientKey) : SHA256.HashData(clientKey);
            byte[] signature = Mac(storedKey, authMessage);
            byte[] proof = Convert.FromBase64String(clientFinal.Substring(withoutProof.Length + 3));
            byte[] recovered = proof.Select((b, i) => (byte)(b ^ signature[i])).ToArray();
            ServerFinal = "v=" + Convert.ToBase64String(Mac(Mac(_salted, Encoding.ASCII.GetBytes("Server Key")), authMessage));
            return (_sha1 ? SHA1.HashData(recovered) : SHA256.HashData(recovered)).AsSpan().SequenceEqual(storedKey);
        }

        private byte[] Mac(byte[] key, byte[] data) => _sha1 ? HMACSHA1.HashData(key, data) : HMACSHA256.HashData(key, data);
    }
}
