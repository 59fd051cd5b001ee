namespace NetBoard.Firmware.Sasl
{
    /// <summary>Why a SASL exchange failed inside the mechanism, before or apart from the protocol's own reply code.</summary>
    public enum SaslFailure
    {
        /// <summary>No failure recorded.</summary>
        None = 0,

        /// <summary>A challenge did not follow the mechanism's syntax (or came at a step where none may come).</summary>
        MalformedChallenge,

        /// <summary>The server asked for an extension the mechanism does not support (SCRAM "m=").</summary>
        UnsupportedExtension,

        /// <summary>The server's SCRAM iteration count is below the minimum or above the maximum the device accepts.</summary>
        IterationCountOutOfRange,

        /// <summary>The server's proof of knowing the password (SCRAM server signature) is wrong: it is not the server it claims to be.</summary>
        ServerNotAuthentic,

        /// <summary>The server rejected the credentials in the mechanism's own terms (SCRAM e=invalid-proof, e=unknown-user).</summary>
        CredentialsRejected,

        /// <summary>The server reported a temporary failure in the mechanism's own terms (SCRAM e=no-resources).</summary>
        ServerTemporaryFailure,

        /// <summary>The server reported another error in the mechanism's own terms (any other SCRAM e= value).</summary>
        ServerError,

        /// <summary>The user name or password holds characters the mechanism cannot send (SASLprep prohibited, or not UTF-8).</summary>
        CredentialsNotSendable,
    }
}
