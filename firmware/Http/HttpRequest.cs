using System;

namespace NetBoard.Firmware.Http
{
    /// <summary>
    /// One HTTP/1.1 request as data: method, origin server, target, a few header fields, optional HTTP Basic
    /// credentials and an optional form body. <see cref="HttpRequestWriter"/> turns it into octets. Text fields
    /// are checked here (a CR or LF would let a value inject fields), so a bad value fails at once, not on the wire.
    /// </summary>
    public sealed class HttpRequest
    {
        /// <summary>The most extra header fields a request carries.</summary>
        public const int MaxHeaders = 4;

        private readonly string[] _headerNames = new string[MaxHeaders];
        private readonly string[] _headerValues = new string[MaxHeaders];
        private int _headerCount;

        /// <summary>Creates a request.</summary>
        /// <param name="method">The method, e.g. "POST".</param>
        /// <param name="host">The server's name or address, as in the URL (the Host field and the TLS name).</param>
        /// <param name="port">The TCP port.</param>
        /// <param name="secure">True for https (TLS from the first byte; default port 443), false for http (80).</param>
        /// <param name="target">The path and query, starting with "/".</param>
        public HttpRequest(string method, string host, int port, bool secure, string target)
        {
            if (method == null || method.Length == 0 || !IsToken(method))
            {
                throw new ArgumentException("invalid method", "method");
            }

            if (host == null || host.Length == 0 || !IsVisible(host) || host.IndexOf('/') >= 0)
            {
                throw new ArgumentException("invalid host", "host");
            }

            if (port < 1 || port > 65535)
            {
                throw new ArgumentOutOfRangeException("port");
            }

            if (target == null || target.Length == 0 || target[0] != '/' || !IsVisible(target))
            {
                throw new ArgumentException("invalid target", "target");
            }

            Method = method;
            Host = host;
            Port = port;
            Secure = secure;
            Target = target;
        }

        /// <summary>The method.</summary>
        public string Method { get; private set; }

        /// <summary>The server's name or address.</summary>
        public string Host { get; private set; }

        /// <summary>The TCP port.</summary>
        public int Port { get; private set; }

        /// <summary>True for https.</summary>
        public bool Secure { get; private set; }

        /// <summary>The path and query.</summary>
        public string Target { get; private set; }

        /// <summary>True when the request is HEAD (its response has no body).</summary>
        public bool IsHead
        {
            get { return Method == "HEAD"; }
        }

        /// <summary>The form body, or null for none.</summary>
        public HttpForm Form { get; set; }

        /// <summary>False (the default) to send "Connection: close": one request per connection.</summary>
        public bool KeepAlive { get; set; }

        /// <summary>The Basic user (RFC 6749 2.3.1: the client id), referenced, or null.</summary>
        public byte[] BasicUser { get; private set; }

        /// <summary>The Basic password (the client secret), referenced, or null.</summary>
        public byte[] BasicPassword { get; private set; }

        /// <summary>How many extra header fields were added.</summary>
        public int HeaderCount
        {
            get { return _headerCount; }
        }

        /// <summary>Adds a header field, e.g. "Accept: application/json".</summary>
        /// <param name="name">The field name (a token).</param>
        /// <param name="value">The value: printable ASCII, spaces and tabs.</param>
        public void AddHeader(string name, string value)
        {
            if (name == null || name.Length == 0 || !IsToken(name))
            {
                throw new ArgumentException("invalid header name", "name");
            }

            if (value == null || !IsFieldValue(value))
            {
                throw new ArgumentException("invalid header value", "value");
            }

            if (_headerCount == MaxHeaders)
            {
                throw new InvalidOperationException("too many header fields");
            }

            _headerNames[_headerCount] = name;
            _headerValues[_headerCount] = value;
            _headerCount++;
        }

        /// <summary>The name of extra header field <paramref name="index"/>.</summary>
        public string HeaderName(int index)
        {
            return _headerNames[index];
        }

        /// <summary>The value of extra header field <paramref name="index"/>.</summary>
        public string HeaderValue(int index)
        {
            return _headerValues[index];
        }

        /// <summary>
        /// Sends HTTP Basic credentials as RFC 6749 2.3.1 asks for client_secret_basic: user and password each
        /// form-encoded, then joined by ":" and base64-encoded. Only references are kept; the caller wipes its arrays.
        /// </summary>
        /// <param name="user">The user (client id) as UTF-8.</param>
        /// <param name="password">The password (client secret) as UTF-8.</param>
        public void SetBasicAuthorization(byte[] user, byte[] password)
        {
            if (user == null)
            {
                throw new ArgumentNullException("user");
            }

            if (password == null)
            {
                throw new ArgumentNullException("password");
            }

            BasicUser = user;
            BasicPassword = password;
        }

        /// <summary>Drops the references to the credentials and the form (the caller's arrays are its own to wipe).</summary>
        public void Clear()
        {
            BasicUser = null;
            BasicPassword = null;
            if (Form != null)
            {
                Form.Clear();
            }
        }

        internal static bool IsToken(string s)
        {
            for (int i = 0; i < s.Length; i++)
            {
                char c = s[i];
                bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".IndexOf(c) >= 0;
                if (!ok)
                {
                    return false;
                }
            }

            return true;
        }

        private static bool IsVisible(string s)
        {
            for (int i = 0; i < s.Length; i++)
            {
                if (s[i] <= ' ' || s[i] >= (char)0x7F)
                {
                    return false;
                }
            }

            return true;
        }

        private static bool IsFieldValue(string s)
        {
            for (int i = 0; i < s.Length; i++)
            {
                char c = s[i];
                if ((c < ' ' && c != '\t') || c >= (char)0x7F)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
