using System;
using NetBoard.Firmware.Text;

namespace NetBoard.Firmware.OAuth
{
    /// <summary>
    /// The members of a token endpoint response (RFC 6749 5.1 and 5.2) or a device authorization response
    /// (RFC 8628 3.2) that the board uses, read from the JSON body's top-level object. Other members are skipped,
    /// nested ones included. A body that is not a JSON object, a known member of the wrong type or given twice,
    /// or a token too long or not VSCHAR text makes the whole response invalid (<see cref="ParseError"/>).
    /// </summary>
    /// <remarks>
    /// Tokens and the device code are byte arrays so <see cref="Clear"/> can wipe them; the rest are strings.
    /// expires_in and interval are taken as a JSON number or as a string of digits (some servers send "3599").
    /// </remarks>
    public sealed class OAuthResponse
    {
        /// <summary>Longest access token, refresh token or device code accepted, in octets.</summary>
        public const int MaxTokenLength = 8192;

        /// <summary>Longest other text member accepted (URIs, scope, user code, error code).</summary>
        public const int MaxTextLength = 2048;

        /// <summary>error_description is cut to this many characters (it only informs).</summary>
        public const int MaxDescriptionLength = 256;

        private const int MaxDepth = 8;

        private const int AccessTokenMember = 1;
        private const int RefreshTokenMember = 2;
        private const int DeviceCodeMember = 3;
        private const int TokenTypeMember = 4;
        private const int ScopeMember = 5;
        private const int UserCodeMember = 6;
        private const int VerificationUriMember = 7;
        private const int VerificationUriCompleteMember = 8;
        private const int ErrorMember = 9;
        private const int ErrorDescriptionMember = 10;
        private const int ExpiresInMember = 11;
        private const int IntervalMember = 12;

        private static readonly string[] s_names =
        {
            null, "access_token", "refresh_token", "device_code", "token_type", "scope", "user_code",
            "verification_uri", "verification_uri_complete", "error", "error_description", "expires_in", "interval",
        };

        private OAuthResponse()
        {
            ParseError = string.Empty;
            TokenType = string.Empty;
            Scope = string.Empty;
            UserCode = string.Empty;
            VerificationUri = string.Empty;
            VerificationUriComplete = string.Empty;
            Error = string.Empty;
            ErrorDescription = string.Empty;
            ExpiresIn = -1;
            Interval = -1;
        }

        /// <summary>Empty when the body was read; otherwise why it was refused (never containing a value).</summary>
        public string ParseError { get; private set; }

        /// <summary>True when the body was read.</summary>
        public bool IsValid
        {
            get { return ParseError.Length == 0; }
        }

        /// <summary>True when the response is an error response (an "error" member is present).</summary>
        public bool IsError
        {
            get { return Error.Length > 0; }
        }

        /// <summary>access_token, or null.</summary>
        public byte[] AccessToken { get; private set; }

        /// <summary>refresh_token, or null.</summary>
        public byte[] RefreshToken { get; private set; }

        /// <summary>device_code, or null.</summary>
        public byte[] DeviceCode { get; private set; }

        /// <summary>token_type (e.g. "Bearer"), or empty.</summary>
        public string TokenType { get; private set; }

        /// <summary>scope, or empty.</summary>
        public string Scope { get; private set; }

        /// <summary>user_code, or empty.</summary>
        public string UserCode { get; private set; }

        /// <summary>verification_uri, or empty.</summary>
        public string VerificationUri { get; private set; }

        /// <summary>verification_uri_complete, or empty.</summary>
        public string VerificationUriComplete { get; private set; }

        /// <summary>error (e.g. "authorization_pending", "invalid_grant"), or empty.</summary>
        public string Error { get; private set; }

        /// <summary>error_description, cut to <see cref="MaxDescriptionLength"/>, or empty.</summary>
        public string ErrorDescription { get; private set; }

        /// <summary>expires_in in seconds, or -1 when absent.</summary>
        public int ExpiresIn { get; private set; }

        /// <summary>interval in seconds (RFC 8628), or -1 when absent.</summary>
        public int Interval { get; private set; }

        /// <summary>Reads a response body.</summary>
        /// <param name="body">The body octets (UTF-8 JSON).</param>
        /// <param name="offset">The first octet.</param>
        /// <param name="count">How many octets.</param>
        /// <returns>The response; check <see cref="IsValid"/>.</returns>
        public static OAuthResponse Parse(byte[] body, int offset, int count)
        {
            var response = new OAuthResponse();
            string error = response.Read(new JsonReader(body, offset, count, MaxDepth));
            if (error != null)
            {
                response.Clear();
                response.ParseError = error;
            }

            return response;
        }

        /// <summary>Wipes the tokens and the device code.</summary>
        public void Clear()
        {
            Wipe(AccessToken);
            Wipe(RefreshToken);
            Wipe(DeviceCode);
            AccessToken = null;
            RefreshToken = null;
            DeviceCode = null;
        }

        private string Read(JsonReader reader)
        {
            JsonToken token = reader.Read();
            if (token == JsonToken.Error)
            {
                return "body is not JSON: " + reader.Error;
            }

            if (token != JsonToken.StartObject)
            {
                return "body is not a JSON object";
            }

            int seen = 0;
            while (true)
            {
                token = reader.Read();
                if (token == JsonToken.EndObject)
                {
                    break;
                }

                if (token != JsonToken.PropertyName)
                {
                    return "body is not JSON: " + reader.Error;
                }

                int member = Member(reader);
                token = reader.Read();
                if (token == JsonToken.Error)
                {
                    return "body is not JSON: " + reader.Error;
                }

                if (member == 0)
                {
                    if (!reader.Skip())
                    {
                        return "body is not JSON: " + reader.Error;
                    }

                    continue;
                }

                if ((seen & (1 << member)) != 0)
                {
                    return "member " + s_names[member] + " appears twice";
                }

                seen |= 1 << member;
                string problem = Take(member, reader, token);
                if (problem != null)
                {
                    return problem;
                }
            }

            token = reader.Read();
            if (token != JsonToken.EndOfDocument)
            {
                return "body is not JSON: " + reader.Error;
            }

            return null;
        }

        private static int Member(JsonReader reader)
        {
            for (int i = 1; i < s_names.Length; i++)
            {
                if (reader.ValueEquals(s_names[i]))
                {
                    return i;
                }
            }

            return 0;
        }

        private string Take(int member, JsonReader reader, JsonToken token)
        {
            if (member == ExpiresInMember || member == IntervalMember)
            {
                int seconds = Seconds(reader, token);
                if (seconds < 0)
                {
                    return "member " + s_names[member] + " is not a number of seconds";
                }

                if (member == ExpiresInMember)
                {
                    ExpiresIn = seconds;
                }
                else
                {
                    Interval = seconds;
                }

                return null;
            }

            if (token != JsonToken.String)
            {
                return "member " + s_names[member] + " is not a string";
            }

            if (member == AccessTokenMember || member == RefreshTokenMember || member == DeviceCodeMember)
            {
                if (reader.ValueLength > MaxTokenLength)
                {
                    return "member " + s_names[member] + " longer than " + MaxTokenLength.ToString() + " octets";
                }

                byte[] value = reader.GetValueBytes();
                if (value.Length == 0 || !IsVisibleText(value))
                {
                    Wipe(value);
                    return "member " + s_names[member] + " is not a token";
                }

                if (member == AccessTokenMember)
                {
                    AccessToken = value;
                }
                else if (member == RefreshTokenMember)
                {
                    RefreshToken = value;
                }
                else
                {
                    DeviceCode = value;
                }

                return null;
            }

            if (member == ErrorDescriptionMember)
            {
                string description = reader.GetString();
                ErrorDescription = description.Length > MaxDescriptionLength ? description.Substring(0, MaxDescriptionLength) : description;
                return null;
            }

            if (reader.ValueLength > MaxTextLength)
            {
                return "member " + s_names[member] + " longer than " + MaxTextLength.ToString() + " octets";
            }

            string text = reader.GetString();
            switch (member)
            {
                case TokenTypeMember:
                    TokenType = text;
                    break;
                case ScopeMember:
                    Scope = text;
                    break;
                case UserCodeMember:
                    UserCode = text;
                    break;
                case VerificationUriMember:
                    VerificationUri = text;
                    break;
                case VerificationUriCompleteMember:
                    VerificationUriComplete = text;
                    break;
                default:
                    Error = text;
                    break;
            }

            return null;
        }

        /// <summary>A whole number of seconds from a number or a digit string; -1 when it is neither or out of range.</summary>
        private static int Seconds(JsonReader reader, JsonToken token)
        {
            int value;
            if (token == JsonToken.Number)
            {
                return reader.TryGetInt32(out value) && value >= 0 ? value : -1;
            }

            if (token != JsonToken.String || reader.ValueLength == 0 || reader.ValueLength > 10)
            {
                return -1;
            }

            string text = reader.GetString();
            long seconds = 0;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c < '0' || c > '9')
                {
                    return -1;
                }

                seconds = (seconds * 10) + (c - '0');
            }

            return seconds > int.MaxValue ? -1 : (int)seconds;
        }

        /// <summary>RFC 6749 appendix A: tokens and codes are VSCHAR, %x20-7E.</summary>
        private static bool IsVisibleText(byte[] value)
        {
            for (int i = 0; i < value.Length; i++)
            {
                if (value[i] < 0x20 || value[i] > 0x7E)
                {
                    return false;
                }
            }

            return true;
        }

        private static void Wipe(byte[] value)
        {
            if (value != null)
            {
                Array.Clear(value, 0, value.Length);
            }
        }
    }
}
