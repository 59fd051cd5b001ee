namespace NetBoard.Firmware.Sasl
{
    /// <summary>
    /// What the server's error challenge in an XOAUTH2 or OAUTHBEARER exchange said (RFC 7628 3.2.2: a JSON object
    /// whose "status" is an RFC 6750 error code; Google's XOAUTH2 sends the HTTP status number instead).
    /// </summary>
    public enum OAuthSaslStatus
    {
        /// <summary>No error challenge came.</summary>
        None,

        /// <summary>"invalid_token" or "401": the token expired or was revoked; refresh it once and try again.</summary>
        InvalidToken,

        /// <summary>"insufficient_scope" or "403": the token lacks the scope mail needs; refreshing does not help.</summary>
        InsufficientScope,

        /// <summary>"invalid_request" or "400": the server refused the message itself.</summary>
        InvalidRequest,

        /// <summary>Another status.</summary>
        Other,

        /// <summary>The challenge was not the JSON object the mechanism defines, or had no status.</summary>
        Malformed,
    }
}
