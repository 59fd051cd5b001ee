using NetBoard.Firmware.Net;

namespace NetBoard.Firmware.Pop
{
    /// <summary>
    /// The outcome of one POP3 session: the levels every session result has (user error code, the
    /// server's -ERR text, network error), how the login went, and what happened to the mailbox.
    /// </summary>
    public sealed class PopResult : SessionResult
    {
        private readonly string[] _skippedUids;
        private readonly string[] _skippedNotes;
        private int _skipped;

        /// <summary>Creates an empty result with room to note <paramref name="skipCapacity"/> skipped messages.</summary>
        internal PopResult(int skipCapacity)
        {
            _skippedUids = new string[skipCapacity];
            _skippedNotes = new string[skipCapacity];
            LoginMethod = string.Empty;
        }

        /// <summary>True once the server accepted the login (PASS, APOP or AUTH answered +OK).</summary>
        public bool LoggedIn { get; internal set; }

        /// <summary>
        /// When the server accepted the login, on the caller's millisecond clock: the POP-before-SMTP delay counts
        /// from here, not from the reply to QUIT.
        /// </summary>
        public long LoggedInAtMs { get; internal set; }

        /// <summary>How many messages the mailbox held, as UIDL (or LIST) reported.</summary>
        public int MessagesTotal { get; internal set; }

        /// <summary>How many messages the sink committed in this session.</summary>
        public int MessagesReceived { get; internal set; }

        /// <summary>How many messages are deleted for good: DELE answered +OK and then QUIT answered +OK.</summary>
        public int MessagesDeleted { get; internal set; }

        /// <summary>How the session logged in ("USER", "APOP", "CRAM-MD5"), or empty.</summary>
        public string LoginMethod { get; internal set; }

        /// <summary>
        /// True when the server refused the OAuth 2.0 access token as invalid (error status invalid_token or 401, or a
        /// plain -ERR): a refreshed token may pass, so the caller may try once more with it.
        /// </summary>
        public bool TokenRejected { get; internal set; }

        /// <summary>How many messages were skipped and left on the server (too large, longer than LIST said, too slow).</summary>
        public int MessagesSkipped
        {
            get { return _skipped; }
        }

        /// <summary>The unique id of the <paramref name="index"/>th skipped message (empty without UIDL).</summary>
        public string SkippedUid(int index)
        {
            return _skippedUids[index];
        }

        /// <summary>Why the <paramref name="index"/>th message was skipped, for the journal (names the message number and sizes).</summary>
        public string SkippedNote(int index)
        {
            return _skippedNotes[index];
        }

        /// <summary>Notes a skipped message; beyond the capacity only the count grows.</summary>
        internal void AddSkip(string uid, string note)
        {
            if (_skipped < _skippedUids.Length)
            {
                _skippedUids[_skipped] = uid;
                _skippedNotes[_skipped] = note;
            }

            _skipped++;
        }
    }
}
