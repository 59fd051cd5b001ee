namespace NetBoard.Firmware.Web
{
    /// <summary>The HTTP status codes the board's web server answers with (RFC 9110, RFC 6585), and their reason phrases.</summary>
    public static class HttpStatus
    {
        /// <summary>200: the page follows.</summary>
        public const int Ok = 200;

        /// <summary>303: go to the Location with a GET (after a form post).</summary>
        public const int SeeOther = 303;

        /// <summary>400: the request is malformed.</summary>
        public const int BadRequest = 400;

        /// <summary>403: refused (no session, or a form without its CSRF token).</summary>
        public const int Forbidden = 403;

        /// <summary>404: no such page.</summary>
        public const int NotFound = 404;

        /// <summary>405: the page does not take this method.</summary>
        public const int MethodNotAllowed = 405;

        /// <summary>408: the request did not arrive in time.</summary>
        public const int RequestTimeout = 408;

        /// <summary>413: the request body is larger than the board takes.</summary>
        public const int ContentTooLarge = 413;

        /// <summary>414: the request line (the target) is longer than the board takes.</summary>
        public const int UriTooLong = 414;

        /// <summary>415: the body is not a form.</summary>
        public const int UnsupportedMediaType = 415;

        /// <summary>429: too many failed sign-ins; try again later.</summary>
        public const int TooManyRequests = 429;

        /// <summary>431: a header line or the header block is larger than the board takes.</summary>
        public const int HeaderFieldsTooLarge = 431;

        /// <summary>500: the page could not be made.</summary>
        public const int InternalServerError = 500;

        /// <summary>503: the page cannot be made now.</summary>
        public const int ServiceUnavailable = 503;

        /// <summary>501: a feature of the request is not implemented (a transfer coding).</summary>
        public const int NotImplemented = 501;

        /// <summary>505: not HTTP/1.x.</summary>
        public const int HttpVersionNotSupported = 505;

        /// <summary>The reason phrase for <paramref name="status"/>, or "Unknown".</summary>
        public static string ReasonPhrase(int status)
        {
            switch (status)
            {
                case Ok:
                    return "OK";
                case SeeOther:
                    return "See Other";
                case BadRequest:
                    return "Bad Request";
                case Forbidden:
                    return "Forbidden";
                case NotFound:
                    return "Not Found";
                case MethodNotAllowed:
                    return "Method Not Allowed";
                case RequestTimeout:
                    return "Request Timeout";
                case ContentTooLarge:
                    return "Content Too Large";
                case UriTooLong:
                    return "URI Too Long";
                case UnsupportedMediaType:
                    return "Unsupported Media Type";
                case TooManyRequests:
                    return "Too Many Requests";
                case HeaderFieldsTooLarge:
                    return "Request Header Fields Too Large";
                case InternalServerError:
                    return "Internal Server Error";
                case NotImplemented:
                    return "Not Implemented";
                case ServiceUnavailable:
                    return "Service Unavailable";
                case HttpVersionNotSupported:
                    return "HTTP Version Not Supported";
                default:
                    return "Unknown";
            }
        }
    }
}
