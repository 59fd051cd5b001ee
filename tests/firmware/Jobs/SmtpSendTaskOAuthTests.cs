using System;
using System.Linq;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.OAuth;
using NetBoard.Firmware.Tests.Doubles;

namespace NetBoard.Firmware.Tests.Jobs
{
    /// <summary>
    /// The send task with OAuth 2.0, through the whole runtime on the virtual clock: the token taken when the attempt
    /// begins, a wait for one that is being refreshed, one refresh and retry after a refused token inside the same
    /// attempt, a second refusal, a needed sign-in, a failed token request, and every copy wiped.
    /// </summary>
    public class SmtpSendTaskOAuthTests
    {
        private const string Mailbox = "oauth@lab.test";

        private static (MailBoard Board, LabNetwork Net, FakeOAuthTokens Tokens) Board(Func<VirtualClock, FakeOAuthTokens> tokens, Func<string, bool> accept, string offer = "PLAIN LOGIN XOAUTH2", int attempts = 3)
        {
            var clock = new VirtualClock();
            var log = new EventLog(clock);
            var net = new LabNetwork(clock, log);
            net.ConfigureSmtp = server =>
            {
                server.AuthOffer = offer;
                server.AcceptToken = accept;
            };
            var board = new MailBoard(new MemoryStorage(), net, clock, log, MailBoard.LabSettings(attempts: attempts, intervalS: 60));
            board.Change("smtp.user", Mailbox);
            FakeOAuthTokens fake = tokens(clock);
            board.Context.OAuth = fake;
            return (board, net, fake);
        }

        private static void AllWiped(FakeOAuthTokens tokens)
        {
            Assert.NotEmpty(tokens.Copies);
            Assert.All(tokens.Copies, copy => Assert.All(copy, b => Assert.Equal(0, b)));
        }

        [Fact]
        public void Auto_with_oauth_sends_with_the_token_and_no_password()
        {
            var (board, net, tokens) = Board(c => new FakeOAuthTokens(c, "tok-1"), t => t == "tok-1");
            board.Change("smtp.password", "never-Sent-1");
            MailJob job = board.Submit("alice@lab.test");
            board.RunUntil(() => board.AttemptEnded(job, 1));

            Assert.Equal(JobState.Sent, job.State);
            Assert.Single(net.Deliveries);
            Assert.Equal(new[] { "tok-1" }, net.SmtpServers.Single().Tokens);
            Assert.Empty(tokens.Requests);
            Assert.DoesNotContain(board.Log.Events, e => e.Text.Contains("never-Sent-1", StringComparison.Ordinal));
            AllWiped(tokens);
        }

        [Fact]
        public void Without_a_valid_token_the_attempt_asks_for_one_and_waits_without_holding_the_lock()
        {
            var (board, net, tokens) = Board(c => new FakeOAuthTokens(c), t => t == "tok-new");
            tokens.Add("tok-new");
            tokens.RefreshMs = 4000;
            MailJob job = board.Submit("alice@lab.test");
            board.RunUntil(() => tokens.Requests.Count == 1);
            Assert.Null(tokens.Requests[0]);
            Assert.Equal("waiting for OAuth token", board.Sender.Activity);
            Assert.True(board.Context.MailLock.IsFree);
            Assert.Empty(board.Log.Connections("smtp"));

            board.RunUntil(() => board.AttemptEnded(job, 1));
            Assert.Equal(JobState.Sent, job.State);
            Assert.Equal(new[] { "tok-new" }, net.SmtpServers.Single().Tokens);
            Assert.Single(tokens.Requests);
            AllWiped(tokens);
        }

        [Fact]
        public void A_refused_token_is_refreshed_once_and_the_attempt_goes_on_with_the_new_one()
        {
            var (board, net, tokens) = Board(c => new FakeOAuthTokens(c, "tok-revoked", "tok-fresh"), t => t == "tok-fresh");
            MailJob job = board.Submit("alice@lab.test");
            board.RunUntil(() => board.AttemptEnded(job, 1));

            Assert.Equal(JobState.Sent, job.State);
            Assert.Equal(1, job.Attempts);
            Assert.Equal(new[] { "tok-revoked" }, tokens.Requests);
            Assert.Equal(2, net.SmtpServers.Count);
            Assert.Equal(new[] { "tok-revoked" }, net.SmtpServers[0].Tokens);
            Assert.Equal(new[] { "tok-fresh" }, net.SmtpServers[1].Tokens);
            Assert.Single(net.Deliveries);
            Assert.Contains("oauth-token-refreshed", board.Journal.Last(), StringComparison.Ordinal);
            AllWiped(tokens);
        }

        [Fact]
        public void A_token_refused_again_after_the_refresh_fails_the_job_with_845()
        {
            var (board, net, tokens) = Board(c => new FakeOAuthTokens(c, "tok-a", "tok-b", "tok-c"), _ => false, "OAUTHBEARER");
            MailJob job = board.Submit("alice@lab.test");
            board.RunUntil(() => board.AttemptEnded(job, 1));

            Assert.Equal(JobState.Failed, job.State);
            Assert.Equal(UserErrorCode.OAuthTokenRejected, job.LastErrorCode);
            Assert.Equal(new[] { "tok-a" }, tokens.Requests);
            Assert.Equal(2, net.SmtpServers.Count);
            Assert.Empty(net.Deliveries);
            Assert.Contains("NG #845", board.Journal.Last(), StringComparison.Ordinal);
            board.RunFor(300_000);
            Assert.Equal(2, net.SmtpServers.Count);
            AllWiped(tokens);
        }

        [Fact]
        public void Sign_in_needed_fails_the_job_with_the_keepers_code_without_connecting()
        {
            var (board, net, tokens) = Board(c => new FakeOAuthTokens(c) { Status = OAuthTokenStatus.SignInNeeded, ErrorCode = 861 }, _ => true);
            MailJob job = board.Submit("alice@lab.test");
            board.RunUntil(() => board.AttemptEnded(job, 1));

            Assert.Equal(JobState.Failed, job.State);
            Assert.Equal(861, job.LastErrorCode);
            Assert.Empty(net.SmtpServers);
            Assert.Contains("Sign in", job.LastDetail, StringComparison.Ordinal);
        }

        [Fact]
        public void A_failed_token_request_keeps_the_job_queued_for_a_retry()
        {
            var (board, net, tokens) = Board(c => new FakeOAuthTokens(c) { Status = OAuthTokenStatus.Failed, ErrorCode = 863 }, _ => true);
            MailJob job = board.Submit("alice@lab.test");
            board.RunUntil(() => board.AttemptEnded(job, 1));

            Assert.Equal(JobState.Queued, job.State);
            Assert.Equal(863, job.LastErrorCode);
            Assert.Empty(net.SmtpServers);

            // The token task recovers; the retry sends.
            tokens.Status = OAuthTokenStatus.Refreshing;
            tokens.Add("tok-late");
            board.RunUntil(() => job.State == JobState.Sent);
            Assert.Equal(2, job.Attempts);
            Assert.Equal(new[] { "tok-late" }, net.SmtpServers.Single().Tokens);
        }

        [Fact]
        public void A_token_that_never_comes_ends_the_attempt_with_849_after_the_bounded_wait()
        {
            var (board, net, tokens) = Board(c => new FakeOAuthTokens(c) { RefreshMs = long.MaxValue / 4 }, _ => true);
            MailJob job = board.Submit("alice@lab.test");
            long started = board.Clock.NowMs;
            board.RunUntil(() => board.AttemptEnded(job, 1));

            Assert.Equal(UserErrorCode.OAuthTokenNotReady, job.LastErrorCode);
            Assert.Equal(JobState.Queued, job.State);
            long waited = board.Clock.NowMs - started;
            Assert.InRange(waited, AccessTokenWait.MaxWaitMs, AccessTokenWait.MaxWaitMs + 5000);
            Assert.Empty(net.SmtpServers);
        }

        [Fact]
        public void A_server_without_oauth_gets_no_password_and_the_job_fails_with_847()
        {
            var (board, net, tokens) = Board(c => new FakeOAuthTokens(c, "tok-1"), _ => true, "PLAIN LOGIN");
            board.Change("smtp.password", "never-Sent-1");
            MailJob job = board.Submit("alice@lab.test");
            board.RunUntil(() => board.AttemptEnded(job, 1));

            Assert.Equal(JobState.Failed, job.State);
            Assert.Equal(UserErrorCode.OAuthNotOffered, job.LastErrorCode);
            Assert.Empty(net.Deliveries);
            Assert.DoesNotContain(board.Log.Of("smtp#1"), l => l.StartsWith("C: AUTH", StringComparison.Ordinal) || l.StartsWith("C: MAIL", StringComparison.Ordinal));
            Assert.Contains(board.Log.Of("smtp#1"), l => l.StartsWith("C: EHLO", StringComparison.Ordinal));
        }

        [Fact]
        public void Smtp_auth_xoauth2_without_oauth_configured_is_821()
        {
            var (board, net, tokens) = Board(c => new FakeOAuthTokens(c, "tok-1") { IsConfigured = false }, _ => true);
            board.Change("smtp.auth", "xoauth2");
            MailJob job = board.Submit("alice@lab.test");
            board.RunUntil(() => board.AttemptEnded(job, 1));
            Assert.Equal(UserErrorCode.SettingsIncomplete, job.LastErrorCode);
            Assert.Contains("oauth", job.LastDetail, StringComparison.Ordinal);
        }
    }
}
