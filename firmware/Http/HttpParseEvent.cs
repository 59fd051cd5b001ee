namespace NetBoard.Firmware.Http
{
    /// <summary>What one <see cref="HttpResponseParser.Feed"/> call produced.</summary>
    public enum HttpParseEvent
    {
        /// <summary>Every byte offered was consumed; more are needed.</summary>
        NeedMore,

        /// <summary>The final response's status line and header fields are in (interim 1xx responses are skipped).</summary>
        HeadersComplete,

        /// <summary>Body octets: <see cref="HttpResponseParser.BodyOffset"/> and <see cref="HttpResponseParser.BodyCount"/> in the fed buffer.</summary>
        Body,

        /// <summary>The response is complete; the parser consumes nothing more.</summary>
        Complete,

        /// <summary>The response is broken (see <see cref="HttpResponseParser.Error"/>); every later call returns this again.</summary>
        Error,
    }
}
