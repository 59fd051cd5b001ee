namespace NetBoard.Firmware.Smtp
{
    /// <summary>How the server answered one RCPT TO.</summary>
    public sealed class SmtpRecipientResult
    {
        /// <summary>Creates the result for one address.</summary>
        public SmtpRecipientResult(string address, int replyCode, string replyText)
        {
            Address = address;
            ReplyCode = replyCode;
            ReplyText = replyText;
        }

        /// <summary>The recipient address.</summary>
        public string Address { get; private set; }

        /// <summary>The server's reply code (0 when the session ended before RCPT).</summary>
        public int ReplyCode { get; private set; }

        /// <summary>The server's reply text.</summary>
        public string ReplyText { get; private set; }

        /// <summary>True for 250 and 251.</summary>
        public bool Accepted
        {
            get { return ReplyCode == 250 || ReplyCode == 251; }
        }

        /// <summary>True for a 4xx reply: the server may take this recipient later.</summary>
        public bool Deferred
        {
            get { return ReplyCode >= 400 && ReplyCode < 500; }
        }

        /// <summary>True for a 5xx reply: the server will not take this recipient.</summary>
        public bool Rejected
        {
            get { return ReplyCode >= 500 && ReplyCode < 600; }
        }
    }
}
