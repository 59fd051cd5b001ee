using NetBoard.Firmware.Jobs;
using NetBoard.Hal;

namespace NetBoard.Firmware.Pop
{
    /// <summary>
    /// The outcome of one POP3 session: the user error code, the server's -ERR text, the network
    /// stack's error, and what happened to the mailbox.
    /// </summary>
    public sealed class PopResult
    {
        /// <summary>The user error code; <see cref="UserErrorCode.None"/> on success.</summary>
        public int ErrorCode { get; internal set; }

        /// <summary>True when the session did all it was asked.</summary>
        public bool Success
        {
            get { return ErrorCode == UserErrorCode.None; }
        }

        /// <summary>The protocol step the session was at when it failed (e.g. "PASS", "RETR"), or where it last was.</summary>
        public string Stage { get; internal set; }

        /// <summary>The text of the -ERR reply behind the result, or empty.</summary>
        public string ReplyText { get; internal set; }

        /// <summary>The network error category behind the result, if any.</summary>
        public NetError NetError { get; internal set; }

        /// <summary>A short description of what went wrong.</summary>
        public string Detail { get; internal set; }

        /// <summary>True once the server accepted the login (PASS or APOP answered +OK).</summary>
        public bool LoggedIn { get; internal set; }

        /// <summary>How many messages the mailbox held, as UIDL (or LIST) reported.</summary>
        public int MessagesTotal { get; internal set; }

        /// <summary>How many messages the sink committed in this session.</summary>
        public int MessagesReceived { get; internal set; }

        /// <summary>How many messages are deleted for good: DELE answered +OK and then QUIT answered +OK.</summary>
        public int MessagesDeleted { get; internal set; }

        /// <summary>True when another attempt may succeed without the user changing anything.</summary>
        public bool Transient
        {
            get { return UserErrorCode.IsTransient(ErrorCode); }
        }
    }
}
