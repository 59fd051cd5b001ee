using System;
using NetBoard.Firmware.Mime;
using NetBoard.Firmware.Net;
using NetBoard.Firmware.Pop;
using NetBoard.Firmware.Scheduling;
using NetBoard.Firmware.Settings;
using NetBoard.Firmware.Smtp;
using NetBoard.Firmware.Text;
using NetBoard.Hal;

namespace NetBoard.Firmware.Jobs
{
    /// <summary>
    /// The SMTP send task: one job at a time, with POP before SMTP when set (take the mail-session
    /// lock, log into POP, wait the hardware timer's delay, then SMTP, then give the lock back),
    /// and the job's state, retry and journal entry updated when the attempt ends. Each attempt
    /// runs on the <see cref="SendPlan"/> made from the settings in force when it began.
    /// </summary>
    public sealed class SmtpSendTask : MailTask
    {
        // The timer's own expiry is what the task waits for; this only bounds a timer that never fires.
        private const int TimerGraceMs = 1000;

        private readonly DeviceContext _context;
        private SendPhase _phase = SendPhase.Idle;
        private MailJob _job;
        private SendPlan _plan;
        private SendPlan _lastPlan;
        private DeviceSettings _lastPlanSettings;
        private SessionTransfer _transfer;
        private PopSession _pop;
        private SmtpSession _smtp;
        private IDocumentSource _document;
        private int[] _envelope;
        private long _delayStartedMs;
        private SchedulerTask _onFinished;

        // OAuth 2.0: the attempt's access token (wiped when the attempt ends), and whether it has been refreshed once
        // after a mail server refused it.
        private AccessTokenWait _tokenWait;
        private byte[] _token;
        private bool _tokenRefreshed;
        private bool _failureTransient;

        /// <summary>Creates the task.</summary>
        public SmtpSendTask(DeviceContext context)
            : base("SMTP send")
        {
            _context = context;
            SleepUntil(Never);
        }

        private enum SendPhase
        {
            Idle,
            Start,
            Token,
            WaitLock,
            PopLogin,
            Delay,
            Smtp,
        }

        /// <summary>True when no job is in hand.</summary>
        public bool IsIdle
        {
            get { return _phase == SendPhase.Idle; }
        }

        /// <summary>The job in hand, or null.</summary>
        public MailJob CurrentJob
        {
            get { return _job; }
        }

        /// <summary>A short word for the status screen: what the task is doing.</summary>
        public string Activity
        {
            get
            {
                switch (_phase)
                {
                    case SendPhase.Token:
                        return "waiting for OAuth token";
                    case SendPhase.WaitLock:
                        return "waiting for POP reception";
                    case SendPhase.PopLogin:
                        return "POP login";
                    case SendPhase.Delay:
                        return "POP wait";
                    case SendPhase.Smtp:
                        return "sending";
                    case SendPhase.Start:
                        return "starting";
                    default:
                        return "idle";
                }
            }
        }

        /// <summary>The last attempt's journal line (for the send command and the panel).</summary>
        public string LastJournalLine { get; private set; }

        /// <summary>The job of <see cref="LastJournalLine"/>.</summary>
        public int LastJobId { get; private set; }

        /// <summary>The plan of the attempt in hand, or null when idle.</summary>
        public SendPlan Plan
        {
            get { return _plan; }
        }

        /// <summary>
        /// Takes <paramref name="job"/> (already marked Sending and saved) and starts an attempt on it, planned
        /// from the settings in force now.
        /// </summary>
        public void Begin(MailJob job, SchedulerTask onFinished)
        {
            if (_phase != SendPhase.Idle)
            {
                throw new InvalidOperationException("a job is already being sent");
            }

            _job = job;
            _onFinished = onFinished;
            DeviceSettings settings = _context.Settings;
            bool oauth = _context.OAuth != null && _context.OAuth.IsConfigured;
            if (settings != _lastPlanSettings || oauth != _lastPlan.OAuthConfigured)
            {
                // The settings in force never change in place: while the same ones are in force, the last (immutable) plan still holds.
                _lastPlan = SendPlan.Create(settings, oauth);
                _lastPlanSettings = settings;
            }

            _plan = _lastPlan;
            _phase = SendPhase.Start;
            RunAgain();
        }

        /// <inheritdoc />
        public override void Step(long nowMs)
        {
            switch (_phase)
            {
                case SendPhase.Start:
                    StepStart(nowMs);
                    break;
                case SendPhase.Token:
                    StepToken(nowMs);
                    break;
                case SendPhase.WaitLock:
                    StepWaitLock(nowMs);
                    break;
                case SendPhase.PopLogin:
                    StepPopLogin(nowMs);
                    break;
                case SendPhase.Delay:
                    StepDelay(nowMs);
                    break;
                case SendPhase.Smtp:
                    StepSmtp(nowMs);
                    break;
                default:
                    SleepUntil(Never);
                    break;
            }
        }

        private void StepStart(long nowMs)
        {
            string detail;
            int refused = _plan.Check(_job, _context.Storage, out detail);
            if (refused != UserErrorCode.None)
            {
                Finish(refused, detail, JournalLine.FormatRefused(_context.Clock.UtcNow, _job, refused, detail));
                return;
            }

            if (_plan.NeedsToken)
            {
                _tokenWait = new AccessTokenWait(_context.OAuth);
                _tokenWait.Begin(nowMs, false);
                _phase = SendPhase.Token;
                StepToken(nowMs);
                return;
            }

            _phase = SendPhase.WaitLock;
            StepWaitLock(nowMs);
        }

        /// <summary>
        /// The attempt takes the access token before any lock or connection: when none is valid the token task is asked
        /// for one, and this task looks again every <see cref="AccessTokenWait.PollIntervalMs"/> for at most
        /// <see cref="AccessTokenWait.MaxWaitMs"/>. A needed sign-in fails the job; a failed token request is retried
        /// like any temporary error.
        /// </summary>
        private void StepToken(long nowMs)
        {
            AccessTokenWaitResult found = _tokenWait.Poll(nowMs);
            if (found == AccessTokenWaitResult.Waiting)
            {
                SleepUntil(nowMs + AccessTokenWait.PollIntervalMs);
                return;
            }

            if (found == AccessTokenWaitResult.Failed)
            {
                _failureTransient = _tokenWait.Transient;
                Finish(_tokenWait.ErrorCode, _tokenWait.Detail, JournalLine.FormatRefused(_context.Clock.UtcNow, _job, _tokenWait.ErrorCode, _tokenWait.Detail));
                return;
            }

            _token = _tokenWait.TakeToken();
            _phase = SendPhase.WaitLock;
            StepWaitLock(nowMs);
        }

        /// <summary>
        /// A mail server refused the token as invalid (expired, revoked): the token task drops it and gets a new one,
        /// and the attempt starts over with it, once. The first refusal costs no attempt of the job.
        /// </summary>
        private bool RetryWithNewToken(bool tokenRejected, long nowMs)
        {
            if (!tokenRejected || _tokenRefreshed || _token == null || _context.OAuth == null)
            {
                return false;
            }

            _tokenRefreshed = true;
            _context.OAuth.RequestRefresh(_token);
            WipeToken();
            _pop = null;
            _smtp = null;
            _transfer = null;
            ReleaseLocks(_context);
            CloseDocument();
            _tokenWait.Begin(nowMs, true);
            _phase = SendPhase.Token;
            RunAgain();
            return true;
        }

        private void WipeToken()
        {
            if (_token != null)
            {
                Array.Clear(_token, 0, _token.Length);
                _token = null;
            }

            if (_tokenWait != null)
            {
                _tokenWait.Wipe();
            }
        }

        private void CloseDocument()
        {
            if (_document != null)
            {
                _document.Dispose();
                _document = null;
            }
        }

        private void StepWaitLock(long nowMs)
        {
            ReceivePlan popLogin = _plan.PopBeforeSmtp;
            if (!AcquireLocks(_context, popLogin != null, _plan.NeedsTls))
            {
                return;
            }

            if (popLogin == null)
            {
                StartSmtp(nowMs);
                return;
            }

            PopSessionOptions options = popLogin.CreateOptions(_token);
            options.Random = _context.RandomSource;
            options.SaltedPasswords = _context.SaltedPasswords;
            _pop = new PopSession(options, null, _context.SessionLog);
            _transfer = new SessionTransfer(_pop, _context.Connector, _context.Clock, popLogin.Pop);
            _phase = SendPhase.PopLogin;
            RunAgain();
        }

        private void StepPopLogin(long nowMs)
        {
            if (!StepTransfer(_transfer, nowMs))
            {
                return;
            }

            PopResult result = _pop.Result;
            if (RetryWithNewToken(result.TokenRejected, nowMs))
            {
                return;
            }

            _pop = null;
            _transfer = null;
            if (!result.LoggedIn)
            {
                // Errors while the POP server is connected are transmission errors of this job.
                string detail = "POP before SMTP: " + (result.ReplyText.Length > 0 ? result.ReplyText : result.Detail);
                Finish(result.ErrorCode, detail, JournalLine.FormatRefused(_context.Clock.UtcNow, _job, result.ErrorCode, detail));
                return;
            }

            // The delay counts from the server's +OK to the login, not from the reply to QUIT that came after it.
            long delayMs = _plan.PopBeforeSmtpDelayMs;
            _delayStartedMs = result.LoggedInAtMs <= nowMs ? result.LoggedInAtMs : nowMs;
            long remainingMs = _delayStartedMs + delayMs - nowMs;
            if (remainingMs <= 0)
            {
                StartSmtp(nowMs);
                return;
            }

            _context.Timer.Start(remainingMs * 1000);
            _phase = SendPhase.Delay;
            WaitForTimer(_context.Timer, _delayStartedMs + delayMs + TimerGraceMs);
        }

        private void StepDelay(long nowMs)
        {
            if (!_context.Timer.HasFired)
            {
                long delayMs = _plan.PopBeforeSmtpDelayMs;
                if (nowMs < _delayStartedMs + delayMs + TimerGraceMs)
                {
                    WaitForTimer(_context.Timer, _delayStartedMs + delayMs + TimerGraceMs);
                    return;
                }
            }

            _context.Timer.Cancel();
            StartSmtp(nowMs);
        }

        private void StartSmtp(long nowMs)
        {
            try
            {
                _document = _context.Storage.OpenRead(_job.DocumentName);
            }
            catch (Exception e)
            {
                string detail = "cannot read " + _job.DocumentName + ": " + e.Message;
                Finish(UserErrorCode.DocumentError, detail, JournalLine.FormatRefused(_context.Clock.UtcNow, _job, UserErrorCode.DocumentError, detail));
                return;
            }

            MessageInfo info = _plan.CreateMessage(_job, _document.Length, _context.Clock.UtcNow, _context.Random);
            MessageComposer composer = new MessageComposer(info, _document, _job.Kind == JobKind.Ifax);
            _envelope = _job.PendingIndexes();
            SmtpSessionOptions options = _plan.CreateSmtpOptions(_job, _token);
            options.Random = _context.RandomSource;
            options.SaltedPasswords = _context.SaltedPasswords;
            _smtp = new SmtpSession(options, composer, _context.SessionLog);
            _transfer = new SessionTransfer(_smtp, _context.Connector, _context.Clock, _plan.Smtp);
            _phase = SendPhase.Smtp;
            RunAgain();
        }

        private void StepSmtp(long nowMs)
        {
            if (!StepTransfer(_transfer, nowMs))
            {
                return;
            }

            SmtpResult result = _smtp.Result;
            if (RetryWithNewToken(result.TokenRejected, nowMs))
            {
                return;
            }

            string detail = result.ReplyCode != 0 ? result.ReplyCode.ToString() + " " + result.ReplyText : result.Detail;
            int errorCode = result.ErrorCode;
            if (result.Success)
            {
                RecordRecipients(result);
            }

            if (result.PartlySent)
            {
                // The message is with the server for some: the deferred ones wait for the job's next attempt.
                errorCode = UserErrorCode.SmtpTemporaryFailure;
                detail = "partly sent, " + DeferredDetail(result);
            }

            string line = JournalLine.Format(_context.Clock.UtcNow, _job, result);
            string tls = _transfer.Connection == null ? string.Empty : _transfer.Connection.TlsDescription;
            if (tls.Length > 0)
            {
                line += " tls=" + tls;
            }

            if (_plan.PopBeforeSmtp != null)
            {
                line += " pop-before-smtp";
            }

            if (_tokenRefreshed)
            {
                line += " oauth-token-refreshed";
            }

            _smtp = null;
            _transfer = null;
            Finish(errorCode, detail, line);
        }

        /// <summary>
        /// The server took the message: its recipients are marked sent (never sent to again) or rejected
        /// (5xx); deferred ones stay pending. The marks reach flash with the job's state in one record write.
        /// </summary>
        private void RecordRecipients(SmtpResult result)
        {
            for (int k = 0; k < _envelope.Length && k < result.Recipients.Length; k++)
            {
                SmtpRecipientResult r = result.Recipients[k];
                if (r.Accepted)
                {
                    _job.RecipientStates[_envelope[k]] = RecipientState.Sent;
                }
                else if (r.Rejected)
                {
                    _job.RecipientStates[_envelope[k]] = RecipientState.Rejected;
                }
            }
        }

        private static string DeferredDetail(SmtpResult result)
        {
            string text = string.Empty;
            for (int i = 0; i < result.Recipients.Length; i++)
            {
                SmtpRecipientResult r = result.Recipients[i];
                if (r.Deferred)
                {
                    text += (text.Length > 0 ? ", " : string.Empty) + r.Address + " deferred: " + r.ReplyCode.ToString() + " " + r.ReplyText;
                }
            }

            return text;
        }

        private void Finish(int errorCode, string detail, string journalLine)
        {
            ReleaseLocks(_context);
            CloseDocument();
            WipeToken();
            bool transient = UserErrorCode.IsTransient(errorCode) || _failureTransient;
            _tokenRefreshed = false;
            _failureTransient = false;
            _tokenWait = null;

            MailJob job = _job;
            job.Attempts++;
            job.LastErrorCode = errorCode;
            job.LastDetail = detail == null ? string.Empty : detail;
            if (errorCode == UserErrorCode.None)
            {
                job.State = JobState.Sent;
            }
            else if (transient && job.Attempts < _plan.MaxAttempts)
            {
                job.State = JobState.Queued;
                job.NextAttemptTicks = _context.Clock.UtcNow.Ticks + (_plan.RetryIntervalS * TimeSpan.TicksPerSecond);
                journalLine += " (retry " + job.Attempts.ToString() + "/" + _plan.MaxAttempts.ToString() + ")";
            }
            else
            {
                job.State = JobState.Failed;
            }

            LastJournalLine = journalLine;
            LastJobId = job.Id;
            try
            {
                _context.Jobs.Save(job);
                _context.Journal.Append(journalLine);
            }
            catch (Exception)
            {
                // Storage failed: the record still says Sending, so after a restart the job is queued again.
            }

            _job = null;
            _plan = null;
            _phase = SendPhase.Idle;
            SleepUntil(Never);
            if (_onFinished != null)
            {
                _onFinished.Wake();
            }
        }
    }
}
