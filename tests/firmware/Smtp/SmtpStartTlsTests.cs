using System;
using System.Text;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Smtp;
using NetBoard.Hal;

namespace NetBoard.Firmware.Tests.Smtp
{
    /// <summary>STARTTLS (RFC 3207) in the session: the scripted server plays what a stripping or broken server would.</summary>
    public class SmtpStartTlsTests
    {
        private static SmtpSessionOptions Options(SmtpAuthMode auth = SmtpAuthMode.Auto, bool allowPlaintext = true)
        {
            SmtpSessionOptions options = ScriptedSmtp.Options(auth, "scan", "hunter2hunter2");
            options.Security = SmtpSecurity.StartTls;
            options.AllowPlaintextAuth = allowPlaintext;
            return options;
        }

        private static string Everything(ScriptedSmtp smtp, string alreadySent) => alreadySent + string.Join("\n", smtp.Log.Lines);

        [Fact]
        public void Starttls_then_ehlo_again_and_only_the_post_tls_capabilities_count()
        {
            var smtp = new ScriptedSmtp(Options());
            Assert.Equal("STARTTLS\r\n", smtp.Hello("STARTTLS", "AUTH LOGIN"));
            smtp.Reply("220 2.0.0 Ready to start TLS");
            Assert.True(smtp.Session.WantsTls);
            Assert.Equal(0, smtp.Session.OutputCount);
            smtp.Session.OnTlsStarted(smtp.Now);
            Assert.True(smtp.Session.Encrypted);
            Assert.Equal("EHLO [192.0.2.7]\r\n", smtp.Sent());
            smtp.Reply("250-mail.lab.test", "250-AUTH CRAM-MD5 PLAIN", "250 SIZE 1000");
            Assert.Equal("AUTH CRAM-MD5\r\n", smtp.Sent());
            Assert.False(smtp.Session.Capabilities.Has(SmtpExtensions.StartTls));
            Assert.Equal(1000, smtp.Session.Capabilities.SizeLimit);
        }

        [Fact]
        public void A_server_that_does_not_offer_starttls_gets_nothing_more_than_quit()
        {
            var smtp = new ScriptedSmtp(Options());
            string sent = smtp.Hello("AUTH PLAIN LOGIN", "SIZE 10000000");
            Assert.Equal("QUIT\r\n", sent);
            Assert.Equal(UserErrorCode.TlsNotOffered, smtp.Session.Result.ErrorCode);
            Assert.Equal("STARTTLS", smtp.Session.Result.Stage);
            Assert.False(smtp.Session.Result.Transient);
            Assert.DoesNotContain("hunter2", Everything(smtp, sent));
            Assert.DoesNotContain("AUTH", string.Join("\n", smtp.Log.Lines.FindAll(l => l.StartsWith("C: "))));
        }

        [Fact]
        public void A_server_that_falls_back_to_helo_cannot_do_starttls_either()
        {
            var smtp = new ScriptedSmtp(Options());
            smtp.Reply("220 old");
            smtp.Sent();
            smtp.Reply("502 5.5.2 EHLO not recognized");
            Assert.StartsWith("HELO", smtp.Sent());
            smtp.Reply("250 old.lab.test");
            Assert.Equal("QUIT\r\n", smtp.Sent());
            Assert.Equal(UserErrorCode.TlsNotOffered, smtp.Session.Result.ErrorCode);
        }

        [Theory]
        [InlineData("454 4.7.0 TLS not available due to temporary reason", UserErrorCode.TlsTemporarilyUnavailable, true)]
        [InlineData("502 5.5.1 Command not implemented", UserErrorCode.TlsNotOffered, false)]
        [InlineData("501 5.5.4 Syntax error", UserErrorCode.TlsNotOffered, false)]
        public void A_refused_starttls_fails_the_job(string reply, int code, bool transient)
        {
            var smtp = new ScriptedSmtp(Options());
            smtp.Hello("STARTTLS", "AUTH PLAIN");
            smtp.Reply(reply);
            Assert.Equal("QUIT\r\n", smtp.Sent());
            Assert.Equal(code, smtp.Session.Result.ErrorCode);
            Assert.Equal(transient, smtp.Session.Result.Transient);
        }

        [Fact]
        public void Bytes_behind_the_220_are_an_injection_and_end_the_session()
        {
            var smtp = new ScriptedSmtp(Options());
            smtp.Hello("STARTTLS");
            byte[] injected = Encoding.ASCII.GetBytes("220 go ahead\r\n250-evil\r\n250 AUTH PLAIN\r\n");
            smtp.Session.Receive(injected, 0, injected.Length, smtp.Now);
            Assert.True(smtp.Session.IsDone);
            Assert.Equal(UserErrorCode.SmtpProtocolError, smtp.Session.Result.ErrorCode);
            Assert.False(smtp.Session.WantsTls);
        }

        [Theory]
        [InlineData(NetError.Tls, UserErrorCode.TlsHandshakeFailed)]
        [InlineData(NetError.Certificate, UserErrorCode.TlsCertificateRejected)]
        public void A_failed_handshake_maps_to_its_code(NetError error, int code)
        {
            var smtp = new ScriptedSmtp(Options());
            smtp.Hello("STARTTLS");
            smtp.Reply("220 go");
            smtp.Session.OnConnectionEnded(error, "certificate refused: RemoteCertificateChainErrors (UntrustedRoot)");
            Assert.Equal(code, smtp.Session.Result.ErrorCode);
            Assert.Equal("TLS", smtp.Session.Result.Stage);
            Assert.Contains("UntrustedRoot", smtp.Session.Result.Detail);
        }

        [Fact]
        public void A_handshake_that_never_ends_times_out()
        {
            var smtp = new ScriptedSmtp(Options());
            smtp.Hello("STARTTLS");
            smtp.Reply("220 go");
            smtp.Session.CheckTimeout(smtp.Now + SmtpSessionOptions.DefaultCommandTimeoutMs);
            Assert.Equal(UserErrorCode.SmtpConnectionLost, smtp.Session.Result.ErrorCode);
            Assert.Equal("TLS", smtp.Session.Result.Stage);
        }

        [Fact]
        public void Plaintext_deny_allows_plain_once_the_session_is_encrypted()
        {
            var smtp = new ScriptedSmtp(Options(SmtpAuthMode.Auto, allowPlaintext: false));
            Assert.Equal("STARTTLS\r\n", smtp.Hello("STARTTLS", "AUTH PLAIN"));
            smtp.Reply("220 go");
            smtp.Session.OnTlsStarted(smtp.Now);
            smtp.Sent();
            smtp.Reply("250-mail.lab.test", "250 AUTH PLAIN LOGIN");
            Assert.StartsWith("AUTH PLAIN ", smtp.Sent());
        }

        [Fact]
        public void Implicit_tls_counts_as_encrypted_from_the_start()
        {
            SmtpSessionOptions options = ScriptedSmtp.Options(SmtpAuthMode.Auto);
            options.Security = SmtpSecurity.Implicit;
            options.AllowPlaintextAuth = false;
            var smtp = new ScriptedSmtp(options);
            Assert.True(smtp.Session.Encrypted);
            Assert.StartsWith("AUTH PLAIN ", smtp.Hello("AUTH PLAIN"));
        }
    }
}
