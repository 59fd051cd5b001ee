using NetBoard.Firmware.Jobs;
using NetBoard.Hal;

namespace NetBoard.Firmware.Smtp
{
    /// <summary>
    /// The outcome of one SMTP session in three levels (after lwIP's smtp client): the user error
    /// code with its category, the server's reply, and the network stack's error.
    /// </summary>
    public sealed class SmtpResult
    {
        /// <summary>The user error code; <see cref="UserErrorCode.None"/> on success.</summary>
        public int ErrorCode { get; internal set; }

        /// <summary>True when the message was accepted for at least one recipient.</summary>
        public bool Success
        {
            get { return ErrorCode == UserErrorCode.None; }
        }

        /// <summary>The protocol step the session was at when it ended (e.g. "RCPT", "final dot").</summary>
        public string Stage { get; internal set; }

        /// <summary>The reply code behind the result, or 0 when the failure was not a reply.</summary>
        public int ReplyCode { get; internal set; }

        /// <summary>The text of that reply's last line.</summary>
        public string ReplyText { get; internal set; }

        /// <summary>The network error category behind the result, if any.</summary>
        public NetError NetError { get; internal set; }

        /// <summary>A short description of what went wrong (protocol detail or stack text).</summary>
        public string Detail { get; internal set; }

        /// <summary>The SASL mechanism that authenticated the session, or null when it went unauthenticated.</summary>
        public string AuthMechanism { get; internal set; }

        /// <summary>Why the session went unauthenticated although authentication was enabled, or null.</summary>
        public string AuthNote { get; internal set; }

        /// <summary>
        /// How the reply behind the result was read when it was not a plain well-formed one (a broken or
        /// unusual reply to the final dot, lines skipped while waiting for it), or null.
        /// </summary>
        public string ReplyNote { get; internal set; }

        /// <summary>One entry per recipient, in the order given.</summary>
        public SmtpRecipientResult[] Recipients { get; internal set; }

        /// <summary>True when the message was accepted but some recipients were deferred (4xx to RCPT): they are still to be sent to.</summary>
        public bool PartlySent
        {
            get
            {
                if (!Success || Recipients == null)
                {
                    return false;
                }

                for (int i = 0; i < Recipients.Length; i++)
                {
                    if (Recipients[i] != null && Recipients[i].Deferred)
                    {
                        return true;
                    }
                }

                return false;
            }
        }

        /// <summary>True when another attempt may succeed without the user changing anything.</summary>
        public bool Transient
        {
            get { return UserErrorCode.IsTransient(ErrorCode); }
        }
    }
}
