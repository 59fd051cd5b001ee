namespace NetBoard.Firmware.Web
{
    /// <summary>Where an <see cref="HttpRequestParser"/> is.</summary>
    public enum HttpParseState
    {
        /// <summary>Reading the request line.</summary>
        RequestLine,

        /// <summary>Reading header lines.</summary>
        Headers,

        /// <summary>Reading the Content-Length body.</summary>
        Body,

        /// <summary>A whole request has arrived.</summary>
        Complete,

        /// <summary>The request was refused; <see cref="HttpRequestParser.ErrorStatus"/> says how to answer.</summary>
        Failed,
    }
}
