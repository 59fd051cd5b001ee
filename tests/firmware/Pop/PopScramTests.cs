using System;
using System.Text;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Pop;
using NetBoard.Firmware.Sasl;
using NetBoard.Firmware.Tests.Sasl;
using NetBoard.Firmware.Tests.Smtp;

namespace NetBoard.Firmware.Tests.Pop
{
    /// <summary>POP3 AUTH (RFC 5034) with SCRAM: the choice, the RFC 5802 example on the wire, the derivation in slices, the faults.</summary>
    public class PopScramTests
    {
        private const string Nonce = "fyko+d2lbbFgONRv9qkxdawL";
        private const string ClientFirst = "n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL";
        private const string ServerFirst = "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096";
        private const string ClientFinal = "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=";
        private const string ServerFinal = "v=rmF9pqV8S7suAoZWja4dJRkFsKQ=";
        private const string Sasl = "SASL PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256";

        [Fact]
        public void Auto_prefers_scram_sha_256_then_scram_sha_1_over_cram_md5_and_apop()
        {
            Assert.StartsWith("AUTH SCRAM-SHA-256 ", Capa(Start(PopLoginMode.Auto), "USER", Sasl));
            Assert.StartsWith("AUTH SCRAM-SHA-1 ", Capa(Start(PopLoginMode.Auto), "USER", "SASL CRAM-MD5 SCRAM-SHA-1"));
            Assert.Equal("AUTH CRAM-MD5\r\n", Capa(Start(PopLoginMode.Auto), "USER", "SASL CRAM-MD5 SCRAM-SHA-1-PLUS"));

            // Without a random source there is no nonce, so no SCRAM.
            var plain = new ScriptedPop(ScriptedPop.Options(PopSessionMode.LoginOnly, PopLoginMode.Auto, "user", "pencil"));
            Assert.Equal("AUTH CRAM-MD5\r\n", Capa(plain, "USER", Sasl));
        }

        [Fact]
        public void Rfc5802_example_over_pop3_byte_for_byte()
        {
            ScriptedPop pop = Start(PopLoginMode.ScramSha1);

            Assert.Equal("AUTH SCRAM-SHA-1 " + B64(ClientFirst) + "\r\n", Capa(pop, "USER", Sasl));
            pop.Reply("+ " + B64(ServerFirst));
            Assert.Equal(PopState.AuthComputing, pop.Session.State);
            Assert.Equal(string.Empty, pop.Sent());
            int slices = Derive(pop);
            Assert.Equal(B64(ClientFinal) + "\r\n", pop.Sent());
            pop.Reply("+ " + B64(ServerFinal));
            Assert.Equal("\r\n", pop.Sent());
            pop.Reply("+OK Logged in.");
            Assert.Equal("QUIT\r\n", pop.Sent());

            Assert.True(pop.Session.Result.LoggedIn);
            Assert.Equal("SCRAM-SHA-1", pop.Session.Result.LoginMethod);
            Assert.Equal(4096 / NetBoard.Firmware.Smtp.SmtpSessionOptions.DefaultScramRoundsPerStep, slices);
            Assert.Contains("S: + ****", pop.Log.Lines);
            Assert.DoesNotContain(pop.Log.Lines, l => l.Contains("pencil", StringComparison.Ordinal) || l.Contains(B64(ClientFinal), StringComparison.Ordinal));
        }

        [Fact]
        public void Without_capa_a_named_scram_still_goes_and_an_empty_challenge_gets_the_client_first_message()
        {
            ScriptedPop pop = Start(PopLoginMode.ScramSha1, user: new string('u', 200));
            pop.Reply(ScriptedPop.Greeting);
            pop.Sent();
            pop.Reply("-ERR no CAPA here");

            // Too long for the 255-octet command line: AUTH alone, and the server asks with an empty challenge.
            Assert.Equal("AUTH SCRAM-SHA-1\r\n", pop.Sent());
            pop.Reply("+ ");
            string first = Encoding.ASCII.GetString(Convert.FromBase64String(pop.Sent().TrimEnd()));
            Assert.StartsWith("n,,n=uuuu", first);
        }

        [Fact]
        public void A_wrong_server_signature_cancels_with_842()
        {
            ScriptedPop pop = LoggedInToServerFinal();

            pop.Reply("+ " + B64("v=rmF9pqV8S7suAoZWja4dJRkFsKR="));
            Assert.Equal("*\r\n", pop.Sent());
            pop.Reply("-ERR Authentication aborted");
            Assert.Equal("QUIT\r\n", pop.Sent());

            Assert.False(pop.Session.Result.LoggedIn);
            Assert.Equal(UserErrorCode.ServerNotAuthentic, pop.Session.Result.ErrorCode);
            Assert.Contains("not the server it claims to be", pop.Session.Result.Detail);
        }

        [Fact]
        public void Ok_without_the_server_signature_is_842()
        {
            ScriptedPop pop = LoggedInToServerFinal();

            pop.Reply("+OK Logged in.");

            Assert.Equal("QUIT\r\n", pop.Sent());
            Assert.False(pop.Session.Result.LoggedIn);
            Assert.Equal(UserErrorCode.ServerNotAuthentic, pop.Session.Result.ErrorCode);
        }

        [Fact]
        public void A_huge_iteration_count_cancels_with_843()
        {
            ScriptedPop pop = Start(PopLoginMode.ScramSha1);
            Capa(pop, "USER", Sasl);

            pop.Reply("+ " + B64(ServerFirst.Replace("i=4096", "i=1000000000", StringComparison.Ordinal)));

            Assert.Equal("*\r\n", pop.Sent());
            pop.Reply("-ERR cancelled");
            Assert.Equal(UserErrorCode.ScramIterationsOutOfRange, pop.Session.Result.ErrorCode);
        }

        [Fact]
        public void A_malformed_server_first_message_cancels_with_813()
        {
            ScriptedPop pop = Start(PopLoginMode.ScramSha1);
            Capa(pop, "USER", Sasl);

            pop.Reply("+ " + B64("r=another-nonce,s=QSXCR+Q6sek8bf92,i=4096"));

            Assert.Equal("*\r\n", pop.Sent());
            pop.Reply("-ERR cancelled");
            Assert.Equal(UserErrorCode.PopAuthFailed, pop.Session.Result.ErrorCode);
            Assert.Equal("SCRAM-SHA-1 exchange failed (bad challenge)", pop.Session.Result.Detail);
        }

        [Fact]
        public void A_refused_proof_is_final_and_nothing_weaker_follows()
        {
            ScriptedPop pop = LoggedInToServerFinal();

            pop.Reply("-ERR [AUTH] Authentication failed.");

            Assert.Equal("QUIT\r\n", pop.Sent());
            Assert.Equal(UserErrorCode.PopAuthFailed, pop.Session.Result.ErrorCode);
            Assert.DoesNotContain(pop.Log.Lines, l => l.StartsWith("C: USER", StringComparison.Ordinal) || l.StartsWith("C: APOP", StringComparison.Ordinal));
        }

        [Fact]
        public void A_derivation_longer_than_the_command_timeout_ends_the_login()
        {
            ScriptedPop pop = Start(PopLoginMode.ScramSha1);
            Capa(pop, "USER", Sasl);
            pop.Reply("+ " + B64(ServerFirst));
            pop.Session.Compute(pop.Now);

            pop.Now = pop.Session.Deadline;
            pop.Session.CheckTimeout(pop.Now);

            // Mid-exchange the server awaits a SASL response, not a command: the connection is closed without QUIT.
            Assert.Equal(string.Empty, pop.Sent());
            Assert.True(pop.Session.IsDone);
            Assert.Equal(UserErrorCode.PopAuthFailed, pop.Session.Result.ErrorCode);
            Assert.False(pop.Session.IsComputing);
        }

        private static ScriptedPop LoggedInToServerFinal()
        {
            ScriptedPop pop = Start(PopLoginMode.ScramSha1);
            Capa(pop, "USER", Sasl);
            pop.Reply("+ " + B64(ServerFirst));
            Derive(pop);
            Assert.Equal(B64(ClientFinal) + "\r\n", pop.Sent());
            return pop;
        }

        private static ScriptedPop Start(PopLoginMode login, string user = "user")
        {
            PopSessionOptions options = ScriptedPop.Options(PopSessionMode.LoginOnly, login, user, "pencil");
            options.Random = new FixedNonceSource(Nonce);
            return new ScriptedPop(options);
        }

        private static string Capa(ScriptedPop pop, params string[] capabilities)
        {
            pop.Reply(ScriptedPop.Greeting);
            Assert.Equal("CAPA\r\n", pop.Sent());
            var lines = new System.Collections.Generic.List<string> { "+OK" };
            lines.AddRange(capabilities);
            lines.Add(".");
            pop.Reply(lines.ToArray());
            return pop.Sent();
        }

        private static int Derive(ScriptedPop pop)
        {
            int slices = 0;
            while (pop.Session.IsComputing)
            {
                pop.Session.Compute(pop.Now);
                slices++;
            }

            return slices;
        }

        private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
    }
}
