using NetBoard.Firmware.Net;

namespace NetBoard.Firmware.Pop
{
    /// <summary>
    /// The outcome of one POP3 session: the levels every session result has (user error code, the
    /// server's -ERR text, network error), whether the login succeeded, and what happened to the mailbox.
    /// </summary>
    public sealed class PopResult : SessionResult
    {
        /// <summary>True once the server accepted the login (PASS or APOP answered +OK).</summary>
        public bool LoggedIn { get; internal set; }

        /// <summary>How many messages the mailbox held, as UIDL (or LIST) reported.</summary>
        public int MessagesTotal { get; internal set; }

        /// <summary>How many messages the sink committed in this session.</summary>
        public int MessagesReceived { get; internal set; }

        /// <summary>How many messages are deleted for good: DELE answered +OK and then QUIT answered +OK.</summary>
        public int MessagesDeleted { get; internal set; }
    }
}
