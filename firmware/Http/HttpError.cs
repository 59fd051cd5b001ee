namespace NetBoard.Firmware.Http
{
    /// <summary>Why an HTTP exchange or response failed; the HTTP status code is separate (a 400 is a response, not an error here).</summary>
    public enum HttpError
    {
        /// <summary>A complete response arrived.</summary>
        None,

        /// <summary>The response breaks HTTP/1.1 syntax: status line, header line, length field or chunk framing.</summary>
        Malformed,

        /// <summary>The status line and header fields (or the trailer fields) exceed the header block limit.</summary>
        HeaderTooLarge,

        /// <summary>The body exceeds the body limit (announced by Content-Length or counted as it came).</summary>
        BodyTooLarge,

        /// <summary>The response uses what this client does not implement (HTTP/2 or later, a transfer coding other than chunked, 101).</summary>
        Unsupported,

        /// <summary>The server closed the connection before the response was complete.</summary>
        ClosedEarly,

        /// <summary>The connection could not be opened (name, refusal, TLS handshake, certificate); the network error says which.</summary>
        ConnectFailed,

        /// <summary>The connection broke (reset, TLS failure) during the exchange.</summary>
        ConnectionLost,

        /// <summary>Connecting, sending or the response took longer than allowed.</summary>
        TimedOut,
    }
}
