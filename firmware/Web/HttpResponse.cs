using System;

namespace NetBoard.Firmware.Web
{
    /// <summary>
    /// A response to send: status, content type, body text (sent as UTF-8) and the optional Location
    /// and Set-Cookie headers. The security headers, Content-Length and Connection: close are added by
    /// <see cref="HttpResponseWriter"/>.
    /// </summary>
    public sealed class HttpResponse
    {
        /// <summary>The content type of HTML pages.</summary>
        public const string HtmlType = "text/html; charset=utf-8";

        /// <summary>The content type of plain text answers.</summary>
        public const string TextType = "text/plain; charset=utf-8";

        /// <summary>The content type of the style sheet.</summary>
        public const string CssType = "text/css; charset=utf-8";

        /// <summary>
        /// What a handler returns when the answer needs more work than one step should take (a password
        /// derivation): the server keeps the connection and asks the handler again on its next step.
        /// </summary>
        public static readonly HttpResponse NotYet = new HttpResponse(HttpStatus.ServiceUnavailable, TextType, null);

        private string _location;
        private string _setCookie;

        /// <summary>Creates a response.</summary>
        /// <param name="status">The status code, 100 to 599.</param>
        /// <param name="contentType">The Content-Type value.</param>
        /// <param name="body">The body text, or null for none.</param>
        public HttpResponse(int status, string contentType, string body)
        {
            if (status < 100 || status > 599)
            {
                throw new ArgumentOutOfRangeException("status");
            }

            CheckHeaderValue(contentType, "contentType");
            Status = status;
            ContentType = contentType;
            Body = body == null ? string.Empty : body;
        }

        /// <summary>The status code.</summary>
        public int Status { get; private set; }

        /// <summary>The Content-Type value.</summary>
        public string ContentType { get; private set; }

        /// <summary>The body text.</summary>
        public string Body { get; private set; }

        /// <summary>The Location header, or null.</summary>
        /// <exception cref="ArgumentException">The value holds a control character or non-ASCII text.</exception>
        public string Location
        {
            get
            {
                return _location;
            }

            set
            {
                if (value != null)
                {
                    CheckHeaderValue(value, "value");
                }

                _location = value;
            }
        }

        /// <summary>The Set-Cookie header, or null.</summary>
        /// <exception cref="ArgumentException">The value holds a control character or non-ASCII text.</exception>
        public string SetCookie
        {
            get
            {
                return _setCookie;
            }

            set
            {
                if (value != null)
                {
                    CheckHeaderValue(value, "value");
                }

                _setCookie = value;
            }
        }

        /// <summary>A plain text answer for an error status: the status line's reason phrase as the body.</summary>
        public static HttpResponse Error(int status)
        {
            return new HttpResponse(status, TextType, HttpStatus.ReasonPhrase(status) + "\n");
        }

        /// <summary>A 303 redirect to <paramref name="location"/> (a path on this board).</summary>
        public static HttpResponse Redirect(string location)
        {
            var response = new HttpResponse(HttpStatus.SeeOther, TextType, null);
            response.Location = location;
            return response;
        }

        /// <summary>Header values are visible ASCII and spaces only, so no value can start a header of its own.</summary>
        private static void CheckHeaderValue(string value, string name)
        {
            if (value == null || value.Length == 0)
            {
                throw new ArgumentException("A header value is required.", name);
            }

            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                if (c < ' ' || c > '~')
                {
                    throw new ArgumentException("A header value holds visible ASCII and spaces only.", name);
                }
            }
        }
    }
}
