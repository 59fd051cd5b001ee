namespace NetBoard.Firmware.Pop
{
    /// <summary>The states of <see cref="PopSession"/>.</summary>
    public enum PopState
    {
        /// <summary>Not started.</summary>
        Idle,

        /// <summary>The caller is connecting.</summary>
        Connecting,

        /// <summary>Waiting for the +OK greeting.</summary>
        Greeting,

        /// <summary>CAPA sent, or its list being received.</summary>
        Capa,

        /// <summary>STLS sent.</summary>
        Stls,

        /// <summary>The +OK to STLS came: the caller runs the TLS handshake.</summary>
        TlsHandshake,

        /// <summary>USER sent.</summary>
        User,

        /// <summary>PASS sent.</summary>
        Pass,

        /// <summary>APOP sent.</summary>
        Apop,

        /// <summary>AUTH sent (RFC 5034), or the answer to its challenge; waiting for "+ challenge", +OK or -ERR.</summary>
        Auth,

        /// <summary>UIDL sent, or its list being received.</summary>
        Uidl,

        /// <summary>LIST sent, or its list being received.</summary>
        List,

        /// <summary>RETR sent; waiting for its status line.</summary>
        Retr,

        /// <summary>Receiving a message up to its terminating "." line.</summary>
        Body,

        /// <summary>DELE sent.</summary>
        Dele,

        /// <summary>QUIT sent.</summary>
        Quit,

        /// <summary>Ended; the result is final.</summary>
        Done,
    }
}
