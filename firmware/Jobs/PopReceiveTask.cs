using System;
using NetBoard.Firmware.Mime;
using NetBoard.Firmware.Net;
using NetBoard.Firmware.Pop;
using NetBoard.Firmware.Settings;
using NetBoard.Hal;

namespace NetBoard.Firmware.Jobs
{
    /// <summary>
    /// The POP receive task: every pop.interval_min minutes (when pop.receive=on) and on demand, it
    /// holds the mail-session lock for one whole POP session that stores new messages in the inbox
    /// (deleting each on the server only once stored), then, with the lock given back, hands every
    /// printable part of each stored message to the engine, one message per step. Each reception
    /// runs on the <see cref="ReceivePlan"/> made from the settings in force when it began.
    /// </summary>
    public sealed class PopReceiveTask : MailTask
    {
        /// <summary>How many skipped messages are remembered (so they are not retrieved again) until a restart.</summary>
        public const int MaxSkippedRemembered = 16;

        private readonly DeviceContext _context;
        private readonly string[] _skippedUids = new string[MaxSkippedRemembered];
        private int _skippedNext;
        private readonly Inbox _inbox;
        private ReceivePhase _phase = ReceivePhase.Idle;
        private bool _requested;
        private long _nextRunMs;
        private SessionTransfer _transfer;
        private PopSession _session;
        private ReceivePlan _plan;
        private ReceivePlan _lastPlan;
        private DeviceSettings _lastPlanSettings;

        // OAuth 2.0: the reception's access token (wiped when the session ends), refreshed at most once per reception.
        private AccessTokenWait _tokenWait;
        private byte[] _token;
        private bool _tokenRefreshed;

        /// <summary>Creates the task; its first scheduled reception is one interval after boot.</summary>
        public PopReceiveTask(DeviceContext context)
            : base("POP receive")
        {
            _context = context;
            _inbox = new Inbox(context.Storage);
            _nextRunMs = -1;

            // Messages stored before a restart are printed first.
            _phase = ReceivePhase.Process;
        }

        private enum ReceivePhase
        {
            Idle,
            Token,
            WaitLock,
            Session,
            Process,
        }

        /// <summary>True while a reception or its printing runs.</summary>
        public bool IsBusy
        {
            get { return _phase != ReceivePhase.Idle || _requested; }
        }

        /// <summary>A short word for the status screen.</summary>
        public string Activity
        {
            get
            {
                switch (_phase)
                {
                    case ReceivePhase.Token:
                        return "waiting for OAuth token";
                    case ReceivePhase.WaitLock:
                        return "waiting for POP";
                    case ReceivePhase.Session:
                        return "receiving";
                    case ReceivePhase.Process:
                        return "printing";
                    default:
                        return "idle";
                }
            }
        }

        /// <summary>Receptions finished (whatever their outcome).</summary>
        public int Receptions { get; private set; }

        /// <summary>The last reception's result, or null.</summary>
        public PopResult LastResult { get; private set; }

        /// <summary>Documents handed to the engine so far.</summary>
        public int Printed { get; private set; }

        /// <summary>Starts a reception as soon as the POP server is free, whatever pop.receive says.</summary>
        public void RequestNow()
        {
            _requested = true;
            Wake();
        }

        /// <summary>The plan of the reception in hand, or null.</summary>
        public ReceivePlan Plan
        {
            get { return _plan; }
        }

        /// <inheritdoc />
        public override void Step(long nowMs)
        {
            switch (_phase)
            {
                case ReceivePhase.Token:
                    StepToken(nowMs);
                    break;
                case ReceivePhase.WaitLock:
                    StepWaitLock(nowMs);
                    break;
                case ReceivePhase.Session:
                    StepSession(nowMs);
                    break;
                case ReceivePhase.Process:
                    StepProcess(nowMs);
                    break;
                default:
                    StepIdle(nowMs);
                    break;
            }
        }

        private void StepIdle(long nowMs)
        {
            DeviceSettings settings = _context.Settings;
            long intervalMs = settings.GetInt(SettingKeys.PopIntervalMin) * 60000L;
            bool scheduled = settings.IsOn(SettingKeys.PopReceive);
            if (_nextRunMs < 0 || !scheduled)
            {
                _nextRunMs = nowMs + intervalMs;
            }

            if (!_requested && (!scheduled || nowMs < _nextRunMs))
            {
                // Settings can change at the panel: look again at least once a minute.
                SleepUntil(scheduled && _nextRunMs < nowMs + 60000 ? _nextRunMs : nowMs + 60000);
                return;
            }

            _requested = false;
            _nextRunMs = nowMs + intervalMs;
            bool oauth = _context.OAuth != null && _context.OAuth.IsConfigured;
            if (settings != _lastPlanSettings || oauth != _lastPlan.OAuthConfigured)
            {
                // The settings in force never change in place: while the same ones are in force, the last (immutable) plan still holds.
                _lastPlan = ReceivePlan.Create(settings, PopSessionMode.Receive, oauth);
                _lastPlanSettings = settings;
            }

            ReceivePlan plan = _lastPlan;
            string missing = plan.MissingSetting();
            if (missing != null)
            {
                _context.Journal.TryAppend(JournalLine.Timestamp(_context.Clock.UtcNow) + " receive NG " + UserErrorCode.Format(UserErrorCode.SettingsIncomplete) + " " + missing + " is not set");
                Receptions++;
                SleepUntil(_nextRunMs);
                return;
            }

            _plan = plan;
            _tokenRefreshed = false;
            if (plan.UsesOAuth)
            {
                _tokenWait = new AccessTokenWait(_context.OAuth);
                _tokenWait.Begin(nowMs, false);
                _phase = ReceivePhase.Token;
                StepToken(nowMs);
                return;
            }

            _phase = ReceivePhase.WaitLock;
            StepWaitLock(nowMs);
        }

        /// <summary>
        /// The reception takes the access token before the POP lock: when none is valid the token task is asked for one
        /// and this task looks again shortly, for a bounded time. A reception without a token is journalled and the
        /// next one comes at the next interval.
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
                _context.Journal.TryAppend(JournalLine.Timestamp(_context.Clock.UtcNow) + " receive NG " + UserErrorCode.Format(_tokenWait.ErrorCode) + " " + UserErrorCode.Describe(_tokenWait.ErrorCode) + " [" + _tokenWait.Detail + "]");
                Receptions++;
                _tokenWait = null;
                _plan = null;
                _phase = ReceivePhase.Idle;
                SleepUntil(_nextRunMs);
                return;
            }

            _token = _tokenWait.TakeToken();
            _phase = ReceivePhase.WaitLock;
            StepWaitLock(nowMs);
        }

        private void WipeToken()
        {
            if (_token != null)
            {
                Array.Clear(_token, 0, _token.Length);
                _token = null;
            }
        }

        private void StepWaitLock(long nowMs)
        {
            if (!AcquireLocks(_context, true, _plan.NeedsTls))
            {
                return;
            }

            PopSessionOptions options = _plan.CreateOptions(_token);
            options.Random = _context.RandomSource;
            options.SaltedPasswords = _context.SaltedPasswords;
            options.SkipUids = _skippedUids;
            _session = new PopSession(options, _inbox, _context.SessionLog);
            _transfer = new SessionTransfer(_session, _context.Connector, _context.Clock, _plan.Pop);
            _phase = ReceivePhase.Session;
            RunAgain();
        }

        private void StepSession(long nowMs)
        {
            if (!StepTransfer(_transfer, nowMs))
            {
                return;
            }

            // The session ended with its QUIT (or the connection): POP is free for POP before SMTP again.
            ReleaseLocks(_context);
            PopResult result = _session.Result;
            if (result.TokenRejected && !_tokenRefreshed && _token != null)
            {
                // Expired or revoked: the token task drops it and gets a new one, and the reception starts over once.
                _tokenRefreshed = true;
                _context.OAuth.RequestRefresh(_token);
                WipeToken();
                _session = null;
                _transfer = null;
                _tokenWait.Begin(nowMs, true);
                _phase = ReceivePhase.Token;
                RunAgain();
                return;
            }

            WipeToken();
            _tokenWait = null;
            string tls = _transfer.Connection == null ? string.Empty : _transfer.Connection.TlsDescription;
            _session = null;
            _transfer = null;
            _plan = null;
            LastResult = result;
            Receptions++;
            JournalSkipped(result);
            string line = JournalLine.Timestamp(_context.Clock.UtcNow) + " receive";
            if (result.Success)
            {
                line += " OK " + result.MessagesReceived.ToString() + " new of " + result.MessagesTotal.ToString() + ", " + result.MessagesDeleted.ToString() + " deleted on the server";
                if (result.MessagesSkipped > 0)
                {
                    line += ", " + result.MessagesSkipped.ToString() + " skipped";
                }
            }
            else
            {
                line += " NG " + UserErrorCode.Format(result.ErrorCode) + " " + UserErrorCode.Describe(result.ErrorCode) + " at " + result.Stage
                    + " [" + (result.ReplyText.Length > 0 ? result.ReplyText : result.Detail) + "]"
                    + (result.MessagesReceived > 0 ? " (" + result.MessagesReceived.ToString() + " stored before)" : string.Empty);
            }

            if (tls.Length > 0)
            {
                line += " tls=" + tls;
            }

            _context.Journal.TryAppend(line);
            _phase = ReceivePhase.Process;
            RunAgain();
        }

        /// <summary>
        /// One journal line per message the session skipped for the first time (too large, longer than LIST said,
        /// or too slow), and its id remembered so later receptions leave it on the server without retrieving it.
        /// </summary>
        private void JournalSkipped(PopResult result)
        {
            int count = result.MessagesSkipped;
            for (int i = 0; i < count; i++)
            {
                string uid = result.SkippedUid(i);
                if (uid.Length > 0 && IsRemembered(uid))
                {
                    continue;
                }

                _context.Journal.TryAppend(JournalLine.Timestamp(_context.Clock.UtcNow) + " receive skip " + result.SkippedNote(i));
                if (uid.Length > 0)
                {
                    _skippedUids[_skippedNext] = uid;
                    _skippedNext = (_skippedNext + 1) % MaxSkippedRemembered;
                }
            }
        }

        private bool IsRemembered(string uid)
        {
            for (int i = 0; i < MaxSkippedRemembered; i++)
            {
                if (_skippedUids[i] == uid)
                {
                    return true;
                }
            }

            return false;
        }

        private void StepProcess(long nowMs)
        {
            string[] pending;
            try
            {
                pending = _inbox.Pending();
            }
            catch (Exception)
            {
                pending = new string[0];
            }

            if (pending.Length == 0)
            {
                _phase = ReceivePhase.Idle;
                RunAgain();
                return;
            }

            if (!PrintMessage(pending[0]))
            {
                // The engine cannot take it now: try again at the next reception.
                _phase = ReceivePhase.Idle;
            }

            RunAgain();
        }

        private bool PrintMessage(string messageName)
        {
            string stem = messageName.Substring(Inbox.Folder.Length, messageName.Length - Inbox.Folder.Length - Inbox.MessageSuffix.Length);
            IncomingMessageResult extracted;
            try
            {
                using (IDocumentSource message = _context.Storage.OpenRead(messageName))
                {
                    extracted = IncomingMessageReader.Extract(message, _context.Storage, "received/" + stem + "-");
                }
            }
            catch (Exception e)
            {
                _context.Journal.TryAppend(JournalLine.Timestamp(_context.Clock.UtcNow) + " rx NG " + UserErrorCode.Format(UserErrorCode.DocumentError) + " cannot read " + messageName + ": " + e.Message);
                return false;
            }

            string line = JournalLine.Timestamp(_context.Clock.UtcNow) + " rx from=" + extracted.From + " subject=\"" + extracted.Subject + "\"";
            if (extracted.Status == IncomingMessageStatus.StorageError)
            {
                _context.Journal.TryAppend(line + " NG " + UserErrorCode.Format(UserErrorCode.DocumentError) + " " + extracted.Error);
                return false;
            }

            int printed = 0;
            for (int i = 0; i < extracted.Parts.Length; i++)
            {
                ReceivedPart part = extracted.Parts[i];
                if (_context.Engine == null || !_context.Engine.Print(part.StorageName, part.ContentType))
                {
                    _context.Journal.TryAppend(line + " NG printer refused " + part.FileName);
                    return false;
                }

                printed++;
                Printed++;
            }

            if (extracted.Status == IncomingMessageStatus.NoPrintablePart)
            {
                line += " NG no printable part (" + JournalLine.Join(extracted.SkippedTypes, ", ", string.Empty) + ")";
            }
            else
            {
                line += " printed " + printed.ToString();
                if (extracted.Status == IncomingMessageStatus.Malformed)
                {
                    line += " NG malformed message: " + extracted.Error;
                }
            }

            _context.Journal.TryAppend(line);
            try
            {
                _inbox.MarkDone(messageName);
                for (int i = 0; i < extracted.Parts.Length; i++)
                {
                    _context.Storage.Delete(extracted.Parts[i].StorageName);
                }
            }
            catch (Exception e)
            {
                // Flash trouble must not stop the board; the message may print again once storage works.
                _context.Journal.TryAppend(JournalLine.Timestamp(_context.Clock.UtcNow) + " rx NG " + UserErrorCode.Format(UserErrorCode.DocumentError) + " cannot mark " + messageName + " printed: " + e.Message);
                return false;
            }

            return true;
        }
    }
}
