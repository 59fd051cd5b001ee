namespace NetBoard.Firmware.Http
{
    /// <summary>
    /// An absolute http or https URL split into what a request needs: scheme, host, port and target (path and query).
    /// Only the forms an authorization server's endpoint takes are accepted: no user information, no fragment, no IPv6
    /// literal, printable ASCII only.
    /// </summary>
    public sealed class HttpUrl
    {
        private HttpUrl(bool secure, string host, int port, string target)
        {
            Secure = secure;
            Host = host;
            Port = port;
            Target = target;
        }

        /// <summary>True for https.</summary>
        public bool Secure { get; private set; }

        /// <summary>The host name or IPv4 address.</summary>
        public string Host { get; private set; }

        /// <summary>The TCP port (443 or 80 unless the URL names one).</summary>
        public int Port { get; private set; }

        /// <summary>The path and query, starting with "/".</summary>
        public string Target { get; private set; }

        /// <summary>True when the host is the device itself (localhost or 127.x.x.x).</summary>
        public bool IsLoopback
        {
            get { return IsLoopbackHost(Host); }
        }

        /// <summary>Splits <paramref name="text"/>; null when it is not an absolute http or https URL of the accepted form.</summary>
        /// <param name="text">The URL.</param>
        public static HttpUrl Parse(string text)
        {
            if (text == null)
            {
                return null;
            }

            bool secure;
            int at;
            if (StartsWithIgnoreCase(text, "https://"))
            {
                secure = true;
                at = 8;
            }
            else if (StartsWithIgnoreCase(text, "http://"))
            {
                secure = false;
                at = 7;
            }
            else
            {
                return null;
            }

            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] <= ' ' || text[i] >= (char)0x7F || text[i] == '#')
                {
                    return null;
                }
            }

            int end = at;
            while (end < text.Length && text[end] != '/' && text[end] != '?')
            {
                end++;
            }

            string authority = text.Substring(at, end - at);
            if (authority.IndexOf('@') >= 0 || authority.IndexOf('[') >= 0)
            {
                return null;
            }

            int port = secure ? 443 : 80;
            string host = authority;
            int colon = authority.IndexOf(':');
            if (colon >= 0)
            {
                host = authority.Substring(0, colon);
                port = ParsePort(authority.Substring(colon + 1));
                if (port < 0)
                {
                    return null;
                }
            }

            if (!IsHostName(host))
            {
                return null;
            }

            string target = end == text.Length ? "/" : text.Substring(end);
            if (target[0] == '?')
            {
                target = "/" + target;
            }

            return new HttpUrl(secure, host, port, target);
        }

        /// <summary>True for localhost and 127.0.0.0/8.</summary>
        /// <param name="host">A host name or address.</param>
        public static bool IsLoopbackHost(string host)
        {
            if (host == null)
            {
                return false;
            }

            if (EqualsIgnoreCase(host, "localhost"))
            {
                return true;
            }

            return host.Length > 4 && host.Substring(0, 4) == "127." && Settings.SettingValidator.IsIPv4(host);
        }

        private static int ParsePort(string text)
        {
            if (text.Length == 0 || text.Length > 5)
            {
                return -1;
            }

            int port = 0;
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] < '0' || text[i] > '9')
                {
                    return -1;
                }

                port = (port * 10) + (text[i] - '0');
            }

            return port >= 1 && port <= 65535 ? port : -1;
        }

        private static bool IsHostName(string host)
        {
            return host.Length > 0 && Settings.SettingValidator.IsHost(host);
        }

        private static bool StartsWithIgnoreCase(string text, string prefix)
        {
            return text.Length >= prefix.Length && EqualsIgnoreCase(text.Substring(0, prefix.Length), prefix);
        }

        private static bool EqualsIgnoreCase(string a, string b)
        {
            if (a.Length != b.Length)
            {
                return false;
            }

            for (int i = 0; i < a.Length; i++)
            {
                char x = a[i];
                char y = b[i];
                if (x >= 'A' && x <= 'Z')
                {
                    x = (char)(x + 32);
                }

                if (y >= 'A' && y <= 'Z')
                {
                    y = (char)(y + 32);
                }

                if (x != y)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
