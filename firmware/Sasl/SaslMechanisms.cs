using System;

namespace NetBoard.Firmware.Sasl
{
    /// <summary>SASL mechanisms the mail client can use, as a set (e.g. what an SMTP server offers in its EHLO AUTH line).</summary>
    [Flags]
    public enum SaslMechanisms
    {
        /// <summary>No mechanism.</summary>
        None = 0,

        /// <summary>LOGIN: user name and password, each in its own step, in clear.</summary>
        Login = 1,

        /// <summary>PLAIN (RFC 4616): user name and password in one message, in clear.</summary>
        Plain = 2,

        /// <summary>CRAM-MD5 (RFC 2195): challenge-response; the password never crosses the wire.</summary>
        CramMd5 = 4,

        /// <summary>SCRAM-SHA-1 (RFC 5802): salted challenge-response; the password never crosses the wire and the server proves itself.</summary>
        ScramSha1 = 8,

        /// <summary>SCRAM-SHA-256 (RFC 7677): SCRAM with SHA-256.</summary>
        ScramSha256 = 16,

        /// <summary>XOAUTH2 (Google's and Microsoft's): user name and OAuth 2.0 bearer token, in clear.</summary>
        XOAuth2 = 0x100,

        /// <summary>OAUTHBEARER (RFC 7628): GS2 header and OAuth 2.0 bearer token, in clear.</summary>
        OAuthBearer = 0x200,
    }
}
