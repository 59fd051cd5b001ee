using NetBoard.Firmware.Jobs;
using NetBoard.Hal;

namespace NetBoard.Firmware.Net
{
    /// <summary>
    /// What every client session's outcome says, in three levels (after lwIP's smtp client): the user
    /// error code with its category, the server's reply, and the network stack's error.
    /// </summary>
    public abstract class SessionResult
    {
        /// <summary>Creates an empty result: no error, no stage, no reply.</summary>
        protected SessionResult()
        {
            Stage = string.Empty;
            ReplyText = string.Empty;
            Detail = string.Empty;
        }

        /// <summary>The user error code; <see cref="UserErrorCode.None"/> on success.</summary>
        public int ErrorCode { get; internal set; }

        /// <summary>True when the session did what it was asked.</summary>
        public bool Success
        {
            get { return ErrorCode == UserErrorCode.None; }
        }

        /// <summary>The protocol step the session was at when it ended or failed (e.g. "RCPT", "PASS").</summary>
        public string Stage { get; internal set; }

        /// <summary>The text of the server's reply behind the result, or empty.</summary>
        public string ReplyText { get; internal set; }

        /// <summary>The network error category behind the result, if any.</summary>
        public NetError NetError { get; internal set; }

        /// <summary>A short description of what went wrong (protocol detail or stack text).</summary>
        public string Detail { get; internal set; }

        /// <summary>True when another attempt may succeed without the user changing anything.</summary>
        public bool Transient
        {
            get { return UserErrorCode.IsTransient(ErrorCode); }
        }
    }
}
