using System;
using NetBoard.Firmware.Text;

namespace NetBoard.Firmware.Sasl
{
    /// <summary>
    /// Whether an initial response may go on the AUTH command line. RFC 4954 4 (SMTP) and RFC 5034 4 (POP3): the
    /// AUTH command stays under the protocol's line limit; when the initial response would push it over, the
    /// client sends "AUTH mechanism" alone and the response after the server's empty challenge, where the
    /// limit is the one for authentication lines (12,288 octets is what RFC 4954 calls sufficient).
    /// </summary>
    public static class SaslAuthLine
    {
        /// <summary>SMTP: the AUTH line with its initial response, CRLF included (RFC 4954 4).</summary>
        public const int SmtpLineLimit = 12288;

        /// <summary>POP3: a command line, CRLF included (RFC 5034 4 with RFC 2449's 255 octets).</summary>
        public const int PopLineLimit = 255;

        private const string Verb = "AUTH ";

        /// <summary>The length of "AUTH mechanism base64(response)" plus CRLF.</summary>
        /// <param name="mechanismName">The mechanism name, e.g. "XOAUTH2".</param>
        /// <param name="initialResponseLength">The raw initial response's length in octets (before base64).</param>
        public static int CommandLength(string mechanismName, int initialResponseLength)
        {
            if (mechanismName == null)
            {
                throw new ArgumentNullException("mechanismName");
            }

            // An empty initial response is sent as "=" (RFC 4954 4, RFC 5034 4).
            int encoded = initialResponseLength == 0 ? 1 : Base64.EncodedLength(initialResponseLength);
            return Verb.Length + mechanismName.Length + 1 + encoded + 2;
        }

        /// <summary>True when the initial response fits on the AUTH line within <paramref name="lineLimit"/> octets.</summary>
        /// <param name="mechanismName">The mechanism name.</param>
        /// <param name="initialResponseLength">The raw initial response's length in octets; negative means there is none to send.</param>
        /// <param name="lineLimit">The line limit, CRLF included: <see cref="SmtpLineLimit"/> or <see cref="PopLineLimit"/>.</param>
        public static bool InitialResponseFits(string mechanismName, int initialResponseLength, int lineLimit)
        {
            if (initialResponseLength < 0)
            {
                return false;
            }

            return CommandLength(mechanismName, initialResponseLength) <= lineLimit;
        }

        /// <summary>The length of a response line after a challenge: base64 of the response plus CRLF.</summary>
        /// <param name="responseLength">The raw response's length in octets.</param>
        public static int ResponseLineLength(int responseLength)
        {
            return Base64.EncodedLength(responseLength) + 2;
        }
    }
}
