using NetBoard.Firmware.Net;

namespace NetBoard.Firmware.Smtp
{
    /// <summary>
    /// The outcome of one SMTP session: the levels every session result has (user error code, reply,
    /// network error), the reply code, how the session authenticated, and one entry per recipient.
    /// Success means the message was accepted for at least one recipient.
    /// </summary>
    public sealed class SmtpResult : SessionResult
    {
        /// <summary>The reply code behind the result, or 0 when the failure was not a reply.</summary>
        public int ReplyCode { get; internal set; }

        /// <summary>The SASL mechanism that authenticated the session, or null when it went unauthenticated.</summary>
        public string AuthMechanism { get; internal set; }

        /// <summary>Why the session went unauthenticated although authentication was enabled, or null.</summary>
        public string AuthNote { get; internal set; }

        /// <summary>
        /// How the reply behind the result was read when it was not a plain well-formed one (a broken or
        /// unusual reply to the final dot, lines skipped while waiting for it), or null.
        /// </summary>
        public string ReplyNote { get; internal set; }

        /// <summary>
        /// True when the server refused the OAuth 2.0 access token as invalid (an error challenge with invalid_token or
        /// 401, or a 535 without one): a refreshed token may pass, so the caller may try once more with it.
        /// </summary>
        public bool TokenRejected { get; internal set; }

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
    }
}
