namespace NetBoard.Firmware.Smtp
{
    /// <summary>The states of <see cref="SmtpSession"/>.</summary>
    public enum SmtpState
    {
        /// <summary>Not started.</summary>
        Idle,

        /// <summary>The caller is connecting.</summary>
        Connecting,

        /// <summary>Waiting for the 220 greeting.</summary>
        Greeting,

        /// <summary>EHLO sent.</summary>
        Ehlo,

        /// <summary>HELO sent after EHLO was refused.</summary>
        Helo,

        /// <summary>STARTTLS sent.</summary>
        StartTls,

        /// <summary>The 220 to STARTTLS came: the caller runs the TLS handshake.</summary>
        TlsHandshake,

        /// <summary>AUTH sent, or a response to a 334 challenge.</summary>
        Auth,

        /// <summary>"*" sent to cancel the exchange.</summary>
        AuthCancel,

        /// <summary>A 334 challenge came and the answer is being computed in slices (SCRAM's key derivation); nothing is sent meanwhile.</summary>
        AuthComputing,

        /// <summary>MAIL FROM sent.</summary>
        Mail,

        /// <summary>RCPT TO sent.</summary>
        Rcpt,

        /// <summary>DATA sent.</summary>
        Data,

        /// <summary>Streaming the message.</summary>
        Body,

        /// <summary>The final dot (or the last BDAT chunk) is queued or sent; waiting for its reply.</summary>
        DataEnd,

        /// <summary>The message goes as BDAT chunks (RFC 3030): the replies to the chunks before the last are read as they come.</summary>
        Bdat,

        /// <summary>The transaction failed inside a pipelined group: the replies still owed to it are read and set aside.</summary>
        Drain,

        /// <summary>QUIT sent.</summary>
        Quit,

        /// <summary>Ended; the result is final.</summary>
        Done,
    }
}
