using System;
using NetBoard.Hal;

namespace NetBoard.Firmware.Http
{
    /// <summary>
    /// The outcome of one HTTP exchange: whether a complete response came (any status code), the status, and the
    /// body. The body may hold secrets (a token response): call <see cref="Clear"/> once it has been read.
    /// </summary>
    public sealed class HttpResult
    {
        internal HttpResult()
        {
            Reason = string.Empty;
            ContentType = string.Empty;
            Detail = string.Empty;
        }

        /// <summary>None when a complete response arrived; otherwise why not.</summary>
        public HttpError Error { get; internal set; }

        /// <summary>True when a complete response arrived, whatever its status code.</summary>
        public bool Success
        {
            get { return Error == HttpError.None; }
        }

        /// <summary>The status code, or 0 when no status line came.</summary>
        public int StatusCode { get; internal set; }

        /// <summary>The reason phrase, or empty.</summary>
        public string Reason { get; internal set; }

        /// <summary>The Content-Type field, or empty.</summary>
        public string ContentType { get; internal set; }

        /// <summary>The network error category behind a failure, if any.</summary>
        public NetError NetError { get; internal set; }

        /// <summary>What went wrong, in a few words (never payload), or empty.</summary>
        public string Detail { get; internal set; }

        /// <summary>The body's octets, from 0 for <see cref="BodyLength"/>; an empty array before a body came.</summary>
        public byte[] Body { get; internal set; }

        /// <summary>The body's length in octets.</summary>
        public int BodyLength { get; internal set; }

        /// <summary>Wipes the body.</summary>
        public void Clear()
        {
            if (Body != null)
            {
                Array.Clear(Body, 0, Body.Length);
            }

            BodyLength = 0;
        }
    }
}
