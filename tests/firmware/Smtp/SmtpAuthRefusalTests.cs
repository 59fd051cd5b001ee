using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Smtp;
using Xunit.Abstractions;

namespace NetBoard.Firmware.Tests.Smtp
{
    /// <summary>
    /// No password downgrade: a server (or whoever sits in the path) that refuses CRAM-MD5 gets nothing more,
    /// for every order in which the mechanisms are announced, every refusal code, a refusal of the AUTH command
    /// itself or of the CRAM-MD5 response, on a clear link and on TLS without a verified certificate. The bytes
    /// the client sent are searched for the password in every form PLAIN and LOGIN would carry it. Only on TLS
    /// with a verified certificate may 534 or 535 be followed by one plaintext mechanism.
    /// </summary>
    public class SmtpAuthRefusalTests
    {
        private const string User = "scan@lab.test";
        private const string Password = "Refused-pa55word!";

        private readonly ITestOutputHelper _output;

        public SmtpAuthRefusalTests(ITestOutputHelper output)
        {
            _output = output;
        }

        public enum Link
        {
            Clear,
            TlsUnverified,
            StartTlsUnverified,
            TlsVerified,
            StartTlsVerified,
        }

        /// <summary>Every order of the three mechanisms (and of CRAM-MD5 with one of the others), with and without an unknown one, in both announcement forms.</summary>
        internal static IEnumerable<string> Offers()
        {
            var sets = new List<string[]>();
            foreach (string[] set in new[] { new[] { "CRAM-MD5", "PLAIN", "LOGIN" }, new[] { "CRAM-MD5", "PLAIN" }, new[] { "CRAM-MD5", "LOGIN" } })
            {
                sets.AddRange(Permutations(set));
            }

            foreach (string[] order in sets)
            {
                string words = string.Join(" ", order);
                yield return "AUTH " + words;
                yield return "AUTH=" + words;
                yield return "AUTH GSSAPI " + words.ToLowerInvariant() + " XOAUTH2";
            }
        }

        private static IEnumerable<string[]> Permutations(string[] items)
        {
            if (items.Length <= 1)
            {
                yield return items;
                yield break;
            }

            for (int i = 0; i < items.Length; i++)
            {
                string[] rest = items.Where((_, k) => k != i).ToArray();
                foreach (string[] tail in Permutations(rest))
                {
                    yield return new[] { items[i] }.Concat(tail).ToArray();
                }
            }
        }

        /// <summary>The refusals and the user error code each ends the job with.</summary>
        internal static readonly (string Reply, int Code)[] Refusals =
        {
            ("535 5.7.8 Authentication credentials invalid", UserErrorCode.SmtpAuthFailed),
            ("534 5.7.9 Authentication mechanism is too weak", UserErrorCode.SmtpAuthTooWeak),
            ("538 5.7.11 Encryption required for requested authentication mechanism", UserErrorCode.SmtpAuthNeedsEncryption),
            ("530 5.7.0 Authentication required", UserErrorCode.SmtpAuthRequired),
            ("500 5.5.6 Authentication Exchange line is too long", UserErrorCode.SmtpAuthExchangeFailed),
            ("501 5.5.2 Cannot decode response", UserErrorCode.SmtpAuthExchangeFailed),
            ("502 5.5.1 Command not implemented", UserErrorCode.SmtpAuthExchangeFailed),
            ("504 5.5.4 Unrecognized authentication type", UserErrorCode.SmtpAuthExchangeFailed),
            ("535-5.7.8 Authentication credentials invalid\r\n535 5.7.8 see the help desk", UserErrorCode.SmtpAuthFailed),
            ("550 5.7.1 Go away", UserErrorCode.SmtpAuthExchangeFailed),
            ("554 5.7.0 Too many failures", UserErrorCode.SmtpAuthExchangeFailed),
            ("454 4.7.0 Temporary authentication failure", UserErrorCode.SmtpAuthTemporaryFailure),
            ("432 4.7.12 A password transition is needed", UserErrorCode.SmtpAuthTemporaryFailure),
            ("421 4.7.0 Too many failures, closing", UserErrorCode.SmtpTemporaryFailure),
        };

        /// <summary>The password as it could cross the wire: raw, its base64, the PLAIN tokens, and its base64 inside a longer blob at each alignment.</summary>
        internal static IEnumerable<string> PasswordForms(string user, string password)
        {
            yield return password;
            yield return B64(password);
            yield return B64("\0" + user + "\0" + password);
            yield return B64(user + "\0" + user + "\0" + password);
            byte[] raw = Encoding.UTF8.GetBytes(password);
            for (int pad = 0; pad < 3; pad++)
            {
                byte[] shifted = new byte[pad + raw.Length];
                Array.Copy(raw, 0, shifted, pad, raw.Length);
                string encoded = Convert.ToBase64String(shifted);
                int skip = pad == 0 ? 0 : 4;
                int usable = ((pad + raw.Length) / 3 * 4) - skip;
                yield return encoded.Substring(skip, usable);
            }
        }

        private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

        /// <summary>A session at the point where it has sent AUTH CRAM-MD5 (everything it sent so far in <paramref name="wire"/>).</summary>
        private static ScriptedSmtp ToCramMd5(Link link, string offer, StringBuilder wire)
        {
            SmtpSessionOptions options = ScriptedSmtp.Options(SmtpAuthMode.Auto, User, Password);
            options.Security = link == Link.Clear ? SmtpSecurity.None : (link == Link.TlsUnverified || link == Link.TlsVerified ? SmtpSecurity.Implicit : SmtpSecurity.StartTls);
            options.CertificateVerified = link == Link.TlsVerified || link == Link.StartTlsVerified;
            var smtp = new ScriptedSmtp(options);
            if (options.Security == SmtpSecurity.StartTls)
            {
                wire.Append(smtp.Hello("STARTTLS", offer));
                Assert.Equal("STARTTLS\r\n", wire.ToString());
                smtp.Reply("220 2.0.0 Ready to start TLS");
                smtp.Session.OnTlsStarted(smtp.Now);
                wire.Append(smtp.Sent());
                smtp.Reply("250-mail.lab.test", "250 " + offer);
            }
            else
            {
                smtp.Reply("220 mail.lab.test ESMTP");
                wire.Append(smtp.Sent());
                smtp.Reply("250-mail.lab.test", "250-PIPELINING", "250 " + offer);
            }

            string auth = smtp.Sent();
            wire.Append(auth);
            Assert.Equal("AUTH CRAM-MD5\r\n", auth);
            return smtp;
        }

        /// <summary>Refuses CRAM-MD5 (at once, or after its response); returns what the client sent after the refusal.</summary>
        private static string Refuse(ScriptedSmtp smtp, string reply, bool afterResponse, StringBuilder wire)
        {
            if (afterResponse)
            {
                smtp.Reply("334 " + B64("<7.1700000000@mail.lab.test>"));
                wire.Append(smtp.Sent());
            }

            smtp.Reply(reply.Split("\r\n"));
            string after = smtp.Sent();
            wire.Append(after);
            return after;
        }

        [Fact]
        public void No_password_follows_a_refused_cram_md5_without_verified_tls_for_any_offer_and_refusal()
        {
            var problems = new List<string>();
            int sessions = 0;
            string[] forms = PasswordForms(User, Password).ToArray();
            foreach (Link link in new[] { Link.Clear, Link.TlsUnverified, Link.StartTlsUnverified, Link.TlsVerified, Link.StartTlsVerified })
            {
                foreach (string offer in Offers())
                {
                    foreach (var (reply, code) in Refusals)
                    {
                        bool verified = link == Link.TlsVerified || link == Link.StartTlsVerified;
                        if (verified && (reply.StartsWith("535", StringComparison.Ordinal) || reply.StartsWith("534", StringComparison.Ordinal)))
                        {
                            // The one case with a fallback: Verified_tls_allows_one_plaintext_mechanism_after_534_or_535.
                            continue;
                        }

                        foreach (bool afterResponse in new[] { false, true })
                        {
                            sessions++;
                            var wire = new StringBuilder();
                            string what = link + " / " + offer + " / " + reply.Split("\r\n")[0] + (afterResponse ? " after the response" : " to AUTH");
                            ScriptedSmtp smtp = ToCramMd5(link, offer, wire);
                            string after = Refuse(smtp, reply, afterResponse, wire);
                            bool closing = reply.StartsWith("421", StringComparison.Ordinal);
                            if (!closing)
                            {
                                smtp.Reply("221 2.0.0 Bye");
                            }

                            string sent = wire.ToString();
                            string leak = forms.FirstOrDefault(f => sent.Contains(f, StringComparison.Ordinal));
                            if (leak != null)
                            {
                                problems.Add(what + ": the password went out as " + leak);
                            }

                            int auths = sent.Split("\r\n").Count(l => l.StartsWith("AUTH ", StringComparison.Ordinal));
                            if (auths != 1)
                            {
                                problems.Add(what + ": " + auths + " AUTH commands");
                            }

                            // After the refusal: QUIT and nothing else; after 421 not even that (the server is closing).
                            if (after != (closing ? string.Empty : "QUIT\r\n"))
                            {
                                problems.Add(what + ": sent '" + after.TrimEnd() + "' after the refusal");
                            }

                            if (sent.Contains("MAIL FROM", StringComparison.Ordinal))
                            {
                                problems.Add(what + ": went on to MAIL FROM");
                            }

                            SmtpResult result = smtp.Session.Result;
                            if (!smtp.Session.IsDone || result.ErrorCode != code)
                            {
                                problems.Add(what + ": done=" + smtp.Session.IsDone + " code " + result.ErrorCode + ", expected " + code);
                            }

                            if (result.AuthMechanism != null)
                            {
                                problems.Add(what + ": authenticated with " + result.AuthMechanism);
                            }
                        }
                    }
                }
            }

            _output.WriteLine(sessions + " refused sessions, " + Offers().Count() + " announcements, " + Refusals.Length + " refusals");
            Assert.True(sessions > 1500, "the table is as large as intended: " + sessions);
            Assert.True(problems.Count == 0, problems.Count + " of " + sessions + " sessions:\n" + string.Join("\n", problems.Take(20)));
        }

        [Fact]
        public void Verified_tls_allows_one_plaintext_mechanism_after_534_or_535_and_no_third()
        {
            var problems = new List<string>();
            foreach (Link link in new[] { Link.TlsVerified, Link.StartTlsVerified })
            {
                foreach (string offer in Offers())
                {
                    string expected = offer.Contains("PLAIN", StringComparison.OrdinalIgnoreCase) ? "PLAIN" : "LOGIN";
                    foreach (string reply in new[] { "535 5.7.8 Authentication credentials invalid", "534 5.7.9 Authentication mechanism is too weak" })
                    {
                        foreach (bool afterResponse in new[] { false, true })
                        {
                            var wire = new StringBuilder();
                            string what = link + " / " + offer + " / " + reply + (afterResponse ? " after the response" : " to AUTH");
                            ScriptedSmtp smtp = ToCramMd5(link, offer, wire);
                            if (afterResponse)
                            {
                                smtp.Reply("334 " + B64("<7.1700000000@mail.lab.test>"));
                                smtp.Sent();
                            }

                            smtp.Reply(reply);
                            string next = smtp.Sent();
                            if (!next.StartsWith("AUTH " + expected, StringComparison.Ordinal))
                            {
                                problems.Add(what + ": sent '" + next.TrimEnd() + "'");
                                continue;
                            }

                            if (expected == "LOGIN")
                            {
                                smtp.Reply("334 VXNlcm5hbWU6");
                                smtp.Sent();
                                smtp.Reply("334 UGFzc3dvcmQ6");
                                smtp.Sent();
                            }

                            smtp.Reply("535 5.7.8 Authentication credentials invalid");
                            string last = smtp.Sent();
                            if (last != "QUIT\r\n" || smtp.Session.Result.ErrorCode != UserErrorCode.SmtpAuthFailed)
                            {
                                problems.Add(what + ": after the second refusal sent '" + last.TrimEnd() + "', code " + smtp.Session.Result.ErrorCode);
                            }
                        }
                    }
                }
            }

            Assert.True(problems.Count == 0, string.Join("\n", problems.Take(20)));
        }

        [Fact]
        public void The_table_catches_a_downgrade_when_there_is_one()
        {
            // The fallback on verified TLS does send the password: the search of the wire must see it.
            var wire = new StringBuilder();
            ScriptedSmtp smtp = ToCramMd5(Link.TlsVerified, "AUTH LOGIN CRAM-MD5 PLAIN", wire);
            Refuse(smtp, "535 5.7.8 no", true, wire);
            string sent = wire.ToString();
            Assert.Contains(PasswordForms(User, Password), f => sent.Contains(f, StringComparison.Ordinal));
        }

        [Fact]
        public void Plaintext_mechanisms_chosen_first_are_unaffected()
        {
            // Without CRAM-MD5 on offer, smtp.auth=auto with plaintext allowed uses PLAIN as before.
            var smtp = new ScriptedSmtp(ScriptedSmtp.Options(SmtpAuthMode.Auto, User, Password));
            Assert.Equal("AUTH PLAIN " + B64("\0" + User + "\0" + Password) + "\r\n", smtp.Hello("AUTH LOGIN PLAIN"));
            smtp.Reply("535 5.7.8 no");
            Assert.Equal("QUIT\r\n", smtp.Sent());
            Assert.Equal(UserErrorCode.SmtpAuthFailed, smtp.Session.Result.ErrorCode);
        }
    }
}
