using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Net;
using NetBoard.Firmware.Pop;
using NetBoard.Firmware.Settings;
using NetBoard.Firmware.Tests.Doubles;
using NetBoard.Firmware.Tests.Reliability;
using NetBoard.Firmware.Tests.Smtp;
using NetBoard.Hal;
using NetBoard.Hal.Host;
using Xunit.Abstractions;

namespace NetBoard.Firmware.Tests.Pop
{
    /// <summary>
    /// Scripted hostile POP3 servers on real loopback sockets, through the host HAL and the whole board where the
    /// journal and the inbox matter: a LIST that lies about a message streamed without end, a message that
    /// trickles, clear text injected after the +OK to STLS, a status word that only looks like +OK, and the login
    /// the board picks when APOP or CRAM-MD5 is offered or plaintext login is denied.
    /// </summary>
    public class PopHostilePeerTests
    {
        private const int BoundRounds = 120_000;

        private readonly ITestOutputHelper _output;

        public PopHostilePeerTests(ITestOutputHelper output)
        {
            _output = output;
        }

        private static (MailBoard Board, RealTimeIdle Idle, List<PrintedDocument> Printed) Board(LoopbackPopServer pop, Action<DeviceSettings> configure = null)
        {
            var clock = new VirtualClock();
            var idle = new RealTimeIdle(clock);
            var printed = new List<PrintedDocument>();
            DeviceSettings settings = SocketFaultMatrixTests.Settings(null, pop, false);
            configure?.Invoke(settings);
            var board = new MailBoard(new MemoryStorage(), new TcpConnector(), clock, new EventLog(clock), settings, printed, idle);
            board.OnRound = idle.Sync;
            return (board, idle, printed);
        }

        private static void Receive(MailBoard board, string what)
        {
            int before = board.Receiver.Receptions;
            board.Receiver.RequestNow();
            board.RunUntil(() => board.Receiver.Receptions > before && board.Quiet, BoundRounds, what);
        }

        [Fact]
        public void A_message_listed_at_134_octets_then_streamed_without_end_is_cut_at_its_bound_and_left_on_the_server()
        {
            using var pop = new LoopbackPopServer(LabNetwork.PopUser, LabNetwork.PopPassword, ("u1", LabMail.Fax(1)), ("u2", LabMail.Fax(2)));
            pop.ListedSizes[1] = 134;
            pop.Endless.Add(1);
            var (board, _, printed) = Board(pop);

            var watch = Stopwatch.StartNew();
            Receive(board, "the lying reception");
            watch.Stop();

            PopResult result = board.Receiver.LastResult;
            Assert.Equal(UserErrorCode.PopServerError, result.ErrorCode);
            long bound = 134 + (134 / PopSession.RetrieveMarginDivisor) + PopSession.RetrieveMarginOctets;
            Assert.True(board.Storage.LargestFile <= bound, "the inbox took " + board.Storage.LargestFile + " octets of a 134-octet message");
            Assert.Empty(board.Storage.List(Inbox.Folder));
            Assert.True(pop.StreamedOctets < pop.EndlessCapOctets / 10, "the server streamed " + pop.StreamedOctets + " octets before the board hung up");
            Assert.Contains(board.Journal, l => l.EndsWith(" receive skip message 1 uid=u1 longer than LIST said (134 octets; more than " + bound + " came); left on the server", StringComparison.Ordinal));
            Assert.Contains(board.Journal, l => l.Contains(" receive NG #812 ", StringComparison.Ordinal));
            _output.WriteLine("inbox file at most " + board.Storage.LargestFile + " octets (bound " + bound + "); the server streamed " + pop.StreamedOctets + " octets; reception " + watch.ElapsedMilliseconds + " ms");
            Assert.DoesNotContain(pop.ReceivedLines(), l => l.StartsWith("1: DELE", StringComparison.Ordinal));

            // The next reception leaves the liar alone (no RETR 1) and takes the other message.
            Receive(board, "the second reception");
            Assert.Equal(0, board.Receiver.LastResult.ErrorCode);
            Assert.Equal(1, board.Receiver.LastResult.MessagesSkipped);
            Assert.DoesNotContain(pop.ReceivedLines(), l => l == "2: RETR 1");
            Assert.Equal(new[] { "u1" }, pop.Mailbox.Select(m => m.Uid).ToArray());
            Assert.Single(printed, p => p.Content.AsSpan().SequenceEqual(LabMail.Tiff(2)));
            Assert.Single(board.Journal, l => l.Contains(" receive skip ", StringComparison.Ordinal));
        }

        [Fact]
        public void A_trickling_message_ends_at_the_message_deadline_and_is_left_on_the_server()
        {
            using var pop = new LoopbackPopServer(LabNetwork.PopUser, LabNetwork.PopPassword, ("u1", LabMail.Fax(1)), ("u2", LabMail.Fax(2)));
            pop.Trickle.Add(1);
            var (board, _, printed) = Board(pop, s =>
            {
                // One octet every 50 ms never lets the 1 s silence bound pass; the 3 s per message does.
                MailBoard.Set(s, SettingKeys.PopTimeoutCommand, "1");
                MailBoard.Set(s, SettingKeys.PopTimeoutRetr, "3");
            });

            var watch = Stopwatch.StartNew();
            Receive(board, "the trickling reception");
            watch.Stop();

            Assert.Equal(UserErrorCode.PopReceptionInterrupted, board.Receiver.LastResult.ErrorCode);
            Assert.True(watch.ElapsedMilliseconds < 20000, "the reception took " + watch.ElapsedMilliseconds + " ms");
            _output.WriteLine("trickle cut off after " + watch.ElapsedMilliseconds + " ms, " + pop.StreamedOctets + " octets trickled");
            Assert.True(pop.StreamedOctets > 10, "the server trickled only " + pop.StreamedOctets + " octets");
            Assert.Empty(board.Storage.List(Inbox.Folder));
            Assert.Contains(board.Journal, l => l.Contains(" receive skip message 1 uid=u1 not received within 3 s (", StringComparison.Ordinal));
            Assert.DoesNotContain(pop.ReceivedLines(), l => l.StartsWith("1: DELE", StringComparison.Ordinal));

            Receive(board, "the second reception");
            Assert.Equal(0, board.Receiver.LastResult.ErrorCode);
            Assert.Equal(new[] { "u1" }, pop.Mailbox.Select(m => m.Uid).ToArray());
            Assert.Single(printed);
        }

        private static PopSession RunSession(LoopbackPopServer server, PopSessionOptions options, ListLog log)
        {
            var session = new PopSession(options, new MemorySink(), log);
            var transfer = new SessionTransfer(session, new TcpConnector(), new SystemClock(), new ServerEndpoint("127.0.0.1", server.Port, null, false, new TlsPolicy(false, string.Empty)));
            var watch = Stopwatch.StartNew();
            while (!transfer.IsDone && watch.ElapsedMilliseconds < 20000)
            {
                if (!transfer.Step())
                {
                    Thread.Sleep(1);
                }
            }

            transfer.Step();
            Assert.True(session.IsDone, "the session did not end");
            return session;
        }

        [Theory]
        [InlineData(0)]
        [InlineData(20)]
        public void Clear_text_injected_after_the_ok_to_stls_never_reaches_a_protected_line(int delayMs)
        {
            // The report saw "-ERR injected-in-clear +OK ..." once in 24 tries under TLS 1.3.
            for (int attempt = 0; attempt < 24; attempt++)
            {
                using var pop = new LoopbackPopServer(LabNetwork.PopUser, LabNetwork.PopPassword)
                {
                    TlsCertificate = LoopbackCertificate.Server,
                    InjectAfterStls = "-ERR injected-in-clear ",
                    InjectDelayMs = delayMs,
                };
                PopSessionOptions options = ScriptedPop.Options(PopSessionMode.LoginOnly, PopLoginMode.UserPass, LabNetwork.PopUser, LabNetwork.PopPassword);
                options.Security = PopSecurity.Stls;
                var log = new ListLog();

                PopSession session = RunSession(pop, options, log);

                Assert.False(session.Result.LoggedIn);
                Assert.Contains(session.Result.ErrorCode, new[] { UserErrorCode.PopConnectFailed, UserErrorCode.TlsHandshakeFailed });
                Assert.DoesNotContain(log.Lines, l => l.Contains("injected-in-clear", StringComparison.Ordinal));
                Assert.DoesNotContain(pop.ReceivedLines(), l => l.StartsWith("1: USER", StringComparison.Ordinal) || l.StartsWith("1: PASS", StringComparison.Ordinal));
            }
        }

        [Fact]
        public void Without_injection_stls_logs_in_inside_tls()
        {
            using var pop = new LoopbackPopServer(LabNetwork.PopUser, LabNetwork.PopPassword) { TlsCertificate = LoopbackCertificate.Server };
            PopSessionOptions options = ScriptedPop.Options(PopSessionMode.LoginOnly, PopLoginMode.Auto, LabNetwork.PopUser, LabNetwork.PopPassword);
            options.Security = PopSecurity.Stls;
            options.AllowPlaintextLogin = false;

            PopSession session = RunSession(pop, options, new ListLog());

            Assert.True(session.Result.Success, session.Result.Detail);
            Assert.Equal("USER", session.Result.LoginMethod);
            Assert.Equal(new[] { "CAPA", "STLS", "CAPA", "USER", "PASS", "QUIT" }, pop.ReceivedLines().Select(l => l.Split(' ')[1]).ToArray());
        }

        [Fact]
        public void A_server_that_says_okay_gets_no_credentials()
        {
            using var pop = new LoopbackPopServer(LabNetwork.PopUser, LabNetwork.PopPassword) { Ok = "+OKAY" };
            var log = new ListLog();
            PopSession session = RunSession(pop, ScriptedPop.Options(PopSessionMode.LoginOnly, PopLoginMode.UserPass, LabNetwork.PopUser, LabNetwork.PopPassword), log);

            Assert.Equal(UserErrorCode.PopConnectFailed, session.Result.ErrorCode);
            Assert.Equal("reply is neither +OK nor -ERR", session.Result.Detail);
            Assert.Empty(pop.ReceivedLines());
        }

        [Theory]
        [InlineData(true, "", "allow", "APOP")]
        [InlineData(true, "PLAIN LOGIN CRAM-MD5", "allow", "AUTH")]
        [InlineData(false, "CRAM-MD5", "deny", "AUTH")]
        [InlineData(true, "", "deny", "APOP")]
        [InlineData(false, "PLAIN LOGIN", "allow", "USER")]
        public void Auto_login_takes_the_strongest_the_server_offers_and_never_sends_the_password(bool apop, string sasl, string plaintext, string command)
        {
            using var pop = new LoopbackPopServer(LabNetwork.PopUser, LabNetwork.PopPassword, ("u1", LabMail.Fax(1))) { OfferApop = apop, Sasl = sasl };
            var (board, _, printed) = Board(pop, s =>
            {
                MailBoard.Set(s, SettingKeys.PopLogin, "auto");
                MailBoard.Set(s, SettingKeys.PopAuthPlaintext, plaintext);
            });

            Receive(board, "the reception");

            Assert.Equal(0, board.Receiver.LastResult.ErrorCode);
            Assert.Single(printed);
            string[] commands = pop.ReceivedLines().Select(l => l.Split(' ')[1]).ToArray();
            Assert.Equal(command, commands[1]);
            if (command != "USER")
            {
                Assert.DoesNotContain("USER", commands);
                Assert.DoesNotContain("PASS", commands);
                Assert.DoesNotContain(pop.ReceivedLines(), l => l.Contains(LabNetwork.PopPassword, StringComparison.Ordinal));
            }
        }

        [Fact]
        public void Plaintext_denied_and_nothing_else_offered_fails_813_without_user_or_pass()
        {
            using var pop = new LoopbackPopServer(LabNetwork.PopUser, LabNetwork.PopPassword, ("u1", LabMail.Fax(1))) { Sasl = "PLAIN LOGIN" };
            var (board, _, printed) = Board(pop, s =>
            {
                MailBoard.Set(s, SettingKeys.PopLogin, "auto");
                MailBoard.Set(s, SettingKeys.PopAuthPlaintext, "deny");
            });

            Receive(board, "the reception");

            Assert.Equal(UserErrorCode.PopAuthFailed, board.Receiver.LastResult.ErrorCode);
            Assert.Equal(new[] { "1: CAPA", "1: QUIT" }, pop.ReceivedLines());
            Assert.Contains(board.Journal, l => l.Contains(" receive NG #813 POP authentication error at USER [USER/PASS not allowed without encryption (pop.auth.plaintext=deny); the server offers neither APOP nor AUTH CRAM-MD5]", StringComparison.Ordinal));
            Assert.Empty(printed);
        }
    }
}
