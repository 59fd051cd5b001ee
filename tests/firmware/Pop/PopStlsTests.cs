using System.Text;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Pop;
using NetBoard.Hal;

namespace NetBoard.Firmware.Tests.Pop
{
    /// <summary>STLS (RFC 2595) in the POP session: no password before TLS, no downgrade, CAPA asked again.</summary>
    public class PopStlsTests
    {
        private static ScriptedPop Stls(PopSessionMode mode = PopSessionMode.LoginOnly)
        {
            PopSessionOptions options = ScriptedPop.Options(mode);
            options.Security = PopSecurity.Stls;
            return new ScriptedPop(options);
        }

        private static void Capa(ScriptedPop pop, params string[] capabilities)
        {
            var lines = new System.Collections.Generic.List<string> { "+OK Capability list follows" };
            lines.AddRange(capabilities);
            lines.Add(".");
            pop.Reply(lines.ToArray());
        }

        [Fact]
        public void Stls_then_capa_again_then_login()
        {
            ScriptedPop pop = Stls();
            pop.Reply(ScriptedPop.Greeting);
            Assert.Equal("CAPA\r\n", pop.Sent());
            Capa(pop, "TOP", "STLS", "UIDL");
            Assert.Equal("STLS\r\n", pop.Sent());
            pop.Reply("+OK Begin TLS negotiation now.");
            Assert.True(pop.Session.WantsTls);
            pop.Session.OnTlsStarted(pop.Now);
            Assert.Equal("CAPA\r\n", pop.Sent());
            Capa(pop, "USER", "UIDL");
            Assert.Equal("USER ifax\r\n", pop.Sent());
            pop.Reply("+OK");
            Assert.Equal("PASS ifax-Secret-4\r\n", pop.Sent());
            pop.Reply("+OK Logged in.");
            Assert.True(pop.Session.Result.LoggedIn);
        }

        [Fact]
        public void A_server_without_stls_gets_quit_and_no_password()
        {
            ScriptedPop pop = Stls();
            pop.Reply(ScriptedPop.Greeting);
            pop.Sent();
            Capa(pop, "USER", "UIDL", "SASL PLAIN");
            string sent = pop.Sent();
            Assert.Equal("QUIT\r\n", sent);
            Assert.Equal(UserErrorCode.TlsNotOffered, pop.Session.Result.ErrorCode);
            Assert.False(pop.Session.Result.LoggedIn);
            Assert.DoesNotContain("ifax-Secret-4", string.Join("\n", pop.Log.Lines) + sent);
        }

        [Fact]
        public void Without_capa_stls_is_asked_for_and_a_refusal_ends_the_session()
        {
            ScriptedPop pop = Stls();
            pop.Reply(ScriptedPop.Greeting);
            pop.Sent();
            pop.Reply("-ERR unknown command");
            Assert.Equal("STLS\r\n", pop.Sent());
            pop.Reply("-ERR command not supported");
            Assert.Equal("QUIT\r\n", pop.Sent());
            Assert.Equal(UserErrorCode.TlsNotOffered, pop.Session.Result.ErrorCode);
        }

        [Fact]
        public void Bytes_behind_the_ok_to_stls_are_an_injection()
        {
            ScriptedPop pop = Stls();
            pop.Reply(ScriptedPop.Greeting);
            pop.Sent();
            Capa(pop, "STLS");
            pop.Sent();
            pop.Raw(Encoding.ASCII.GetBytes("+OK go\r\n+OK fake\r\n"));
            Assert.True(pop.Session.IsDone);
            Assert.False(pop.Session.WantsTls);
        }

        [Theory]
        [InlineData(NetError.Tls, UserErrorCode.TlsHandshakeFailed)]
        [InlineData(NetError.Certificate, UserErrorCode.TlsCertificateRejected)]
        public void A_failed_handshake_maps_to_its_code(NetError error, int code)
        {
            ScriptedPop pop = Stls();
            pop.Reply(ScriptedPop.Greeting);
            pop.Sent();
            Capa(pop, "STLS");
            pop.Sent();
            pop.Reply("+OK go");
            pop.Session.OnConnectionEnded(error, "handshake failed");
            Assert.Equal(code, pop.Session.Result.ErrorCode);
        }

        [Fact]
        public void Implicit_tls_failure_while_connecting_maps_to_its_code()
        {
            PopSessionOptions options = ScriptedPop.Options(PopSessionMode.LoginOnly);
            options.Security = PopSecurity.Implicit;
            var session = new PopSession(options, null, null);
            session.Start(0);
            session.OnConnectFailed(NetError.Certificate, "certificate refused: RemoteCertificateNameMismatch");
            Assert.Equal(UserErrorCode.TlsCertificateRejected, session.Result.ErrorCode);
        }
    }
}
