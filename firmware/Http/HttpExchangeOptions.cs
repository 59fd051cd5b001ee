namespace NetBoard.Firmware.Http
{
    /// <summary>Bounds and timeouts of one <see cref="HttpExchange"/>.</summary>
    public sealed class HttpExchangeOptions
    {
        /// <summary>The body limit unless set: a token response with an ID token is a few kilobytes.</summary>
        public const int DefaultMaxBodySize = 16384;

        /// <summary>Creates options with the defaults.</summary>
        public HttpExchangeOptions()
        {
            ConnectTimeoutMs = 30000;
            ResponseTimeoutMs = 30000;
            MaxHeaderBlockSize = HttpResponseParser.DefaultMaxHeaderBlockSize;
            MaxBodySize = DefaultMaxBodySize;
        }

        /// <summary>Most time to connect, TLS handshake included.</summary>
        public int ConnectTimeoutMs { get; set; }

        /// <summary>Most time without progress once connected: sending, waiting for the response, between its pieces.</summary>
        public int ResponseTimeoutMs { get; set; }

        /// <summary>Most octets of status line and header fields.</summary>
        public int MaxHeaderBlockSize { get; set; }

        /// <summary>Most body octets; a larger body fails the exchange with <see cref="HttpError.BodyTooLarge"/>.</summary>
        public int MaxBodySize { get; set; }
    }
}
