using System;
using NetBoard.Firmware.Crypto;

namespace NetBoard.Firmware.Sasl
{
    /// <summary>Maps mechanism names to <see cref="SaslMechanisms"/>, picks the strongest common one and creates it.</summary>
    public static class SaslFactory
    {
        internal const string CramMd5Name = "CRAM-MD5";
        internal const string PlainName = "PLAIN";
        internal const string LoginName = "LOGIN";
        internal const string ScramSha1Name = "SCRAM-SHA-1";
        internal const string ScramSha256Name = "SCRAM-SHA-256";
        internal const string XOAuth2Name = "XOAUTH2";
        internal const string OAuthBearerName = "OAUTHBEARER";

        // Strongest first: SCRAM proves both sides and lets the server store only salted keys; CRAM-MD5 keeps the
        // password off the wire; PLAIN and LOGIN send it.
        private static readonly SaslMechanisms[] s_ranking =
        {
            SaslMechanisms.ScramSha256, SaslMechanisms.ScramSha1, SaslMechanisms.CramMd5, SaslMechanisms.Plain, SaslMechanisms.Login,
        };

        /// <summary>The mechanism with the given name, compared case-insensitively; None for an unknown name or null.</summary>
        /// <param name="name">A mechanism name such as "cram-md5".</param>
        public static SaslMechanisms FromName(string name)
        {
            if (name == null)
            {
                return SaslMechanisms.None;
            }

            for (int i = 0; i < s_ranking.Length; i++)
            {
                if (NameEquals(name, NameOf(s_ranking[i])))
                {
                    return s_ranking[i];
                }
            }

            if (NameEquals(name, XOAuth2Name))
            {
                return SaslMechanisms.XOAuth2;
            }

            if (NameEquals(name, OAuthBearerName))
            {
                return SaslMechanisms.OAuthBearer;
            }

            return SaslMechanisms.None;
        }

        /// <summary>Like <see cref="FromName(string)"/> on ASCII bytes, e.g. one word of an EHLO AUTH line; allocates nothing.</summary>
        /// <param name="buffer">Array holding the name.</param>
        /// <param name="offset">Index of the first name byte.</param>
        /// <param name="count">Name length in bytes.</param>
        public static SaslMechanisms FromName(byte[] buffer, int offset, int count)
        {
            RangeCheck.Check(buffer, offset, count, "buffer");

            for (int i = 0; i < s_ranking.Length; i++)
            {
                if (NameEquals(buffer, offset, count, NameOf(s_ranking[i])))
                {
                    return s_ranking[i];
                }
            }

            if (NameEquals(buffer, offset, count, XOAuth2Name))
            {
                return SaslMechanisms.XOAuth2;
            }

            if (NameEquals(buffer, offset, count, OAuthBearerName))
            {
                return SaslMechanisms.OAuthBearer;
            }

            return SaslMechanisms.None;
        }

        /// <summary>
        /// The strongest password mechanism in both sets, ranked SCRAM-SHA-256, SCRAM-SHA-1, CRAM-MD5, PLAIN, LOGIN; None
        /// when they share none. The OAuth mechanisms are never picked here: they need a token, not a password.
        /// </summary>
        /// <param name="offered">Mechanisms the server offers.</param>
        /// <param name="allowed">Mechanisms the configuration permits (e.g. no clear-text ones without TLS).</param>
        public static SaslMechanisms Strongest(SaslMechanisms offered, SaslMechanisms allowed)
        {
            SaslMechanisms common = offered & allowed;
            for (int i = 0; i < s_ranking.Length; i++)
            {
                if ((common & s_ranking[i]) != 0)
                {
                    return s_ranking[i];
                }
            }

            return SaslMechanisms.None;
        }

        /// <summary>Creates the mechanism for exactly one flag; the credentials are copied. SCRAM needs the other overload.</summary>
        /// <param name="kind">A single mechanism other than SCRAM; None or a combination is a caller bug.</param>
        /// <param name="user">User name as UTF-8 bytes.</param>
        /// <param name="password">Password as UTF-8 bytes; for XOAUTH2 and OAUTHBEARER the access token.</param>
        public static SaslMechanism Create(SaslMechanisms kind, byte[] user, byte[] password)
        {
            return Create(kind, user, password, null, null);
        }

        /// <summary>Creates the mechanism for exactly one flag; the credentials are copied.</summary>
        /// <param name="kind">A single mechanism; None or a combination is a caller bug.</param>
        /// <param name="user">User name as UTF-8 bytes.</param>
        /// <param name="password">Password as UTF-8 bytes; for XOAUTH2 and OAUTHBEARER the access token.</param>
        /// <param name="random">The nonce source SCRAM needs; may be null for the other mechanisms.</param>
        /// <param name="cache">Where SCRAM keeps salted passwords between logins; null for none.</param>
        public static SaslMechanism Create(SaslMechanisms kind, byte[] user, byte[] password, NetBoard.Hal.IRandomSource random, ISaltedPasswordCache cache)
        {
            switch (kind)
            {
                case SaslMechanisms.ScramSha256:
                case SaslMechanisms.ScramSha1:
                    return new Scram(kind, user, password, random, cache);
                case SaslMechanisms.CramMd5:
                    return new CramMd5(user, password);
                case SaslMechanisms.Plain:
                    return new Plain(user, password);
                case SaslMechanisms.Login:
                    return new Login(user, password);
                case SaslMechanisms.XOAuth2:
                    return new XOAuth2(user, password);
                case SaslMechanisms.OAuthBearer:
                    return new OAuthBearer(user, password);
                default:
                    throw new ArgumentException("not a single SASL mechanism", "kind");
            }
        }

        /// <summary>The name used in the AUTH command for a single mechanism; null for None or a combination.</summary>
        /// <param name="single">A single mechanism flag.</param>
        public static string NameOf(SaslMechanisms single)
        {
            switch (single)
            {
                case SaslMechanisms.ScramSha256:
                    return ScramSha256Name;
                case SaslMechanisms.ScramSha1:
                    return ScramSha1Name;
                case SaslMechanisms.CramMd5:
                    return CramMd5Name;
                case SaslMechanisms.Plain:
                    return PlainName;
                case SaslMechanisms.Login:
                    return LoginName;
                case SaslMechanisms.XOAuth2:
                    return XOAuth2Name;
                case SaslMechanisms.OAuthBearer:
                    return OAuthBearerName;
                default:
                    return null;
            }
        }

        // Names are upper-case ASCII, so folding the candidate's a-z is enough.
        private static bool NameEquals(string candidate, string upperName)
        {
            if (candidate.Length != upperName.Length)
            {
                return false;
            }

            for (int i = 0; i < upperName.Length; i++)
            {
                if (ToUpperAscii(candidate[i]) != upperName[i])
                {
                    return false;
                }
            }

            return true;
        }

        private static bool NameEquals(byte[] buffer, int offset, int count, string upperName)
        {
            if (count != upperName.Length)
            {
                return false;
            }

            for (int i = 0; i < count; i++)
            {
                if (ToUpperAscii((char)buffer[offset + i]) != upperName[i])
                {
                    return false;
                }
            }

            return true;
        }

        private static char ToUpperAscii(char c)
        {
            return c >= 'a' && c <= 'z' ? (char)(c - ('a' - 'A')) : c;
        }
    }
}
