namespace NetBoard.Firmware.Http
{
    /// <summary>How the end of a response body is found (RFC 9112 section 6.3).</summary>
    public enum HttpBodyFraming
    {
        /// <summary>Not known yet (header fields still coming).</summary>
        Unknown,

        /// <summary>No body: a response to HEAD, a 204 or a 304.</summary>
        None,

        /// <summary>Content-Length octets.</summary>
        Length,

        /// <summary>Transfer-Encoding: chunked.</summary>
        Chunked,

        /// <summary>Neither: the body ends when the server closes the connection.</summary>
        UntilClose,
    }
}
