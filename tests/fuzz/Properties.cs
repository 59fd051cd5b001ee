using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using CsCheck;
using NetBoard.Firmware.Diagnostics;
using NetBoard.Firmware.Mime;
using NetBoard.Firmware.Pop;
using NetBoard.Firmware.Settings;
using NetBoard.Firmware.Smtp;
using NetBoard.Firmware.Text;
using NetBoard.Hal;

namespace NetBoard.Fuzz.Tests
{
    /// <summary>
    /// The properties, each run for a number of iterations: by the xunit tests with a bound that keeps CI short,
    /// by Program with whatever the command line asks. A failing property throws with CsCheck's shrunk example
    /// and the seed to replay it.
    /// </summary>
    public static class Properties
    {
        public static readonly (string Name, Action<long> Run)[] All =
        {
            ("smtp-reply-reader", SmtpReplyReader),
            ("smtp-reply-reader-valid", SmtpReplyReaderValid),
            ("smtp-reply-reader-resume", SmtpReplyReaderResume),
            ("ehlo-capabilities", EhloCapabilities),
            ("pop-line-reader", PopLineReader),
            ("pop-body-decoder", PopBodyDecoder),
            ("base64", Base64Decode),
            ("sasl-challenges", SaslChallenges),
            ("mime-composer", MimeComposer),
            ("mime-extractor", MimeExtractor),
            ("settings-parser", SettingsParser),
            ("sha", CryptoProperties.Sha),
            ("hmac-sha", CryptoProperties.HmacSha),
            ("pbkdf2", CryptoProperties.Pbkdf2),
            ("scram-exchange", ScramProperties.Exchange),
            ("scram-server-first", ScramProperties.ServerFirst),
            ("http-response-parser", HttpProperties.ResponseParser),
            ("http-response-parser-valid", HttpProperties.ResponseParserValid),
            ("form-encoding", HttpProperties.FormEncodingRoundTrip),
            ("json-reader", HttpProperties.JsonReaderAgainstReference),
            ("json-reader-noise", HttpProperties.JsonReaderNoise),
            ("oauth-response", HttpProperties.OAuthResponseMembers),
            ("oauth-sasl-status", HttpProperties.OAuthSaslStatus),
            ("http-request-parser", WebProperties.HttpRequestParserAnyBytes),
            ("http-request-parser-valid", WebProperties.HttpRequestParserValid),
            ("http-response-writer", WebProperties.HttpResponseWriterBytes),
            ("form-fields", WebProperties.FormFieldsRoundTrip),
            ("html-escape", WebProperties.HtmlEscapeRoundTrip),
            ("web-settings-posts", WebSiteProperties.SettingsPosts),
            ("web-sign-in-posts", WebSiteProperties.SignInPosts),
        };

        /// <summary>Allocation bound per extracted message (its buffers, the few result strings, the documents' names).</summary>
        public const long ExtractorAllocationBound = 256 * 1024;

        // ---- generators -----------------------------------------------------------------------------------

        /// <summary>Bytes that look like SMTP replies often enough to reach the parser's deeper branches.</summary>
        private static readonly Gen<byte[]> ReplyishBytes = Gen.OneOf(
            Gen.Byte.Array[0, 700],
            Gen.OneOf("250", "250-", "250 ", "220 ", "334 ", "354", "5", "-", " ", "\r", "\n", "\r\n", "x", "AUTH PLAIN", "999 ", "25")
                .Array[0, 60].Select(parts => Encoding.ASCII.GetBytes(string.Concat(parts))),
            Gen.Int[0, 1200].Select(n => Encoding.ASCII.GetBytes("250-" + new string('a', n) + "\r\n250 ok\r\n")));

        /// <summary>Cut points: how a byte stream is split into reads.</summary>
        private static readonly Gen<int[]> Pieces = Gen.Int[1, 64].Array[1, 40];

        private static IEnumerable<(int Offset, int Count)> Split(int length, int[] pieces)
        {
            int offset = 0;
            for (int i = 0; offset < length; i++)
            {
                int n = Math.Min(pieces[i % pieces.Length], length - offset);
                yield return (offset, n);
                offset += n;
            }
        }

        // ---- SMTP reply reader ----------------------------------------------------------------------------

        private static List<string> ReadReplies(byte[] data, int[] pieces, bool resume = false)
        {
            var reader = new NetBoard.Firmware.Smtp.SmtpReplyReader();
            var events = new List<string>();
            foreach (var (offset, count) in Split(data.Length, pieces))
            {
                int at = offset;
                int left = count;
                while (left > 0)
                {
                    SmtpReplyEvent ev = reader.Feed(data, at, left, out int used);
                    if (used < 0 || used > left || (used == 0 && ev == SmtpReplyEvent.NeedMore))
                    {
                        throw new InvalidOperationException("Feed consumed " + used + " of " + left);
                    }

                    at += used;
                    left -= used;
                    if (ev == SmtpReplyEvent.Error)
                    {
                        events.Add("error " + reader.Error + " " + reader.BrokenReplyCode + " " + reader.Text);
                        if (!resume)
                        {
                            return events;
                        }

                        // As after the final dot: read on past the broken line.
                        reader.Resume();
                        continue;
                    }

                    if (ev != SmtpReplyEvent.NeedMore)
                    {
                        if (reader.TextLength > NetBoard.Firmware.Smtp.SmtpReplyReader.MaxLineLength)
                        {
                            throw new InvalidOperationException("line longer than the buffer");
                        }

                        events.Add(ev + " " + reader.Code + " " + reader.Text);
                    }
                }
            }

            return events;
        }

        /// <summary>Any bytes, split anyhow: no exception, and the same events as the bytes in one piece.</summary>
        public static void SmtpReplyReader(long iter) =>
            Gen.Select(ReplyishBytes, Pieces).Sample((data, pieces) =>
            {
                List<string> whole = ReadReplies(data, new[] { int.MaxValue });
                List<string> split = ReadReplies(data, pieces);
                return whole.SequenceEqual(split);
            }, iter: iter, threads: 1);

        /// <summary>Any bytes, split anyhow, reading on after every error: no exception, all bytes consumed, the same events as in one piece.</summary>
        public static void SmtpReplyReaderResume(long iter) =>
            Gen.Select(ReplyishBytes, Pieces).Sample((data, pieces) =>
            {
                List<string> whole = ReadReplies(data, new[] { int.MaxValue }, resume: true);
                List<string> split = ReadReplies(data, pieces, resume: true);
                return whole.SequenceEqual(split);
            }, iter: iter, threads: 1);

        /// <summary>Well-formed multi-line replies: the reader gives back exactly the code and the lines (the reference).</summary>
        public static void SmtpReplyReaderValid(long iter) =>
            Gen.Select(Gen.Int[200, 599], Gen.String[Gen.Char['!', '~'], 0, 80].Array[1, 10], Pieces).Sample((code, lines, pieces) =>
            {
                var wire = new StringBuilder();
                var expected = new List<string>();
                for (int i = 0; i < lines.Length; i++)
                {
                    bool last = i == lines.Length - 1;
                    wire.Append(code).Append(last ? ' ' : '-').Append(lines[i]).Append("\r\n");
                    expected.Add((last ? "Reply " : "Line ") + code + " " + lines[i]);
                }

                return ReadReplies(Encoding.ASCII.GetBytes(wire.ToString()), pieces).SequenceEqual(expected);
            }, iter: iter, threads: 1);

        // ---- EHLO capabilities ----------------------------------------------------------------------------

        private static readonly Gen<string> Mechanism = Gen.OneOf("PLAIN", "LOGIN", "CRAM-MD5", "plain", "cram-md5", "GSSAPI", "XOAUTH2", "OAUTHBEARER", "xoauth", "SCRAM-SHA-1", "scram-sha-256", "SCRAM-SHA-256-PLUS", "CRAM-MD55", "LOGINX", "");

        /// <summary>Random keyword lines (and random bytes): no exception; AUTH mechanisms and SIZE match the reference.</summary>
        public static void EhloCapabilities(long iter) =>
            Gen.Select(Mechanism.Array[0, 6], Gen.Long[0, 99_999_999_999L], Gen.Byte.Array[0, 600], Gen.Bool).Sample((mechanisms, size, noise, legacy) =>
            {
                var caps = new SmtpCapabilities();
                caps.ParseLine(noise, 0, noise.Length);
                caps.Clear();
                byte[] auth = Encoding.ASCII.GetBytes((legacy ? "AUTH=" : "AUTH ") + string.Join(" ", mechanisms));
                caps.ParseLine(auth, 0, auth.Length);
                byte[] sizeLine = Encoding.ASCII.GetBytes("SIZE " + size);
                caps.ParseLine(sizeLine, 0, sizeLine.Length);
                var want = NetBoard.Firmware.Sasl.SaslMechanisms.None;
                foreach (string m in mechanisms)
                {
                    switch (m.ToUpperInvariant())
                    {
                        case "PLAIN": want |= NetBoard.Firmware.Sasl.SaslMechanisms.Plain; break;
                        case "LOGIN": want |= NetBoard.Firmware.Sasl.SaslMechanisms.Login; break;
                        case "CRAM-MD5": want |= NetBoard.Firmware.Sasl.SaslMechanisms.CramMd5; break;
                        case "SCRAM-SHA-1": want |= NetBoard.Firmware.Sasl.SaslMechanisms.ScramSha1; break;
                        case "SCRAM-SHA-256": want |= NetBoard.Firmware.Sasl.SaslMechanisms.ScramSha256; break;
                        case "XOAUTH2": want |= NetBoard.Firmware.Sasl.SaslMechanisms.XOAuth2; break;
                        case "OAUTHBEARER": want |= NetBoard.Firmware.Sasl.SaslMechanisms.OAuthBearer; break;
                    }
                }

                return caps.Has(SmtpExtensions.Auth) && caps.Has(SmtpExtensions.Size) && caps.AuthMechanisms == want && caps.SizeLimit == size;
            }, iter: iter, threads: 1);

        // ---- POP3 line reader and body decoder ------------------------------------------------------------

        /// <summary>Any bytes in any pieces: the lines are the bytes split at LF (CR before LF dropped), until a line passes 511 octets.</summary>
        public static void PopLineReader(long iter) =>
            Gen.Select(Gen.OneOf(Gen.Byte.Array[0, 1500], Gen.OneOf("+OK", "-ERR", ".", "\r\n", "\n", "\r", "x", "..").Array[0, 80].Select(p => Encoding.ASCII.GetBytes(string.Concat(p)))), Pieces).Sample((data, pieces) =>
            {
                // The reference.
                var expected = new List<string>();
                var line = new List<byte>();
                bool failed = false;
                foreach (byte b in data)
                {
                    if (b == '\n')
                    {
                        if (line.Count > 0 && line[^1] == '\r')
                        {
                            line.RemoveAt(line.Count - 1);
                        }

                        expected.Add(Convert.ToHexString(line.ToArray()));
                        line.Clear();
                    }
                    else if (line.Count == NetBoard.Firmware.Pop.PopLineReader.MaxLineLength - 1)
                    {
                        failed = true;
                        break;
                    }
                    else
                    {
                        line.Add(b);
                    }
                }

                var reader = new NetBoard.Firmware.Pop.PopLineReader();
                var actual = new List<string>();
                bool actualFailed = false;
                foreach (var (offset, count) in Split(data.Length, pieces))
                {
                    int at = offset;
                    int left = count;
                    while (left > 0 && !actualFailed)
                    {
                        PopLineEvent ev = reader.Feed(data, at, left, out int used);
                        at += used;
                        left -= used;
                        if (ev == PopLineEvent.Error)
                        {
                            actualFailed = true;
                        }
                        else if (ev == PopLineEvent.Line)
                        {
                            actual.Add(Convert.ToHexString(reader.LineBuffer, 0, reader.Length));
                        }
                    }
                }

                return failed == actualFailed && expected.SequenceEqual(actual);
            }, iter: iter, threads: 1);

        /// <summary>A message of CRLF lines, byte-stuffed and terminated as a server sends it, comes back unchanged through the decoder in any pieces and any room.</summary>
        public static void PopBodyDecoder(long iter) =>
            Gen.Select(
                Gen.OneOf(Gen.String[Gen.Char[' ', '~'], 0, 90], Gen.OneOf(".", "..", ".\r", "...x", ". ", "", "-ERR", "+OK")).Array[0, 30],
                Pieces,
                Gen.Int[NetBoard.Firmware.Pop.PopBodyDecoder.MaxOutputPerInput, 40],
                Gen.Byte.Array[0, 20]).Sample((lines, pieces, room, after) =>
            {
                byte[] message = Encoding.Latin1.GetBytes(string.Concat(lines.Select(l => l + "\r\n")));
                var wire = new List<byte>();
                foreach (string l in lines)
                {
                    if (l.StartsWith('.'))
                    {
                        wire.Add((byte)'.');
                    }

                    wire.AddRange(Encoding.Latin1.GetBytes(l + "\r\n"));
                }

                wire.AddRange(".\r\n"u8.ToArray());
                int terminatorEnd = wire.Count;
                wire.AddRange(after);
                byte[] src = wire.ToArray();
                var decoder = new NetBoard.Firmware.Pop.PopBodyDecoder();
                var output = new List<byte>();
                byte[] dst = new byte[room];
                int consumed = 0;
                foreach (var (offset, count) in Split(src.Length, pieces))
                {
                    int at = offset;
                    int left = count;
                    while (left > 0 && !decoder.IsComplete)
                    {
                        int used = decoder.Decode(src, at, left, dst, 0, room, out int written);
                        if (used == 0 && written == 0)
                        {
                            throw new InvalidOperationException("no progress");
                        }

                        output.AddRange(dst.Take(written));
                        at += used;
                        left -= used;
                        consumed += used;
                    }

                    if (decoder.IsComplete)
                    {
                        break;
                    }
                }

                return decoder.IsComplete && consumed == terminatorEnd && output.SequenceEqual(message);
            }, iter: iter, threads: 1);

        // ---- base64 -------------------------------------------------------------------------------------

        private static readonly Gen<string> Base64ish = Gen.OneOf(
            Gen.Byte.Array[0, 200].Select(Convert.ToBase64String),
            Gen.OneOf("A", "Q", "w", "/", "+", "=", "==", "z", "0", " ", "\r\n", "-", "_", "AAAA", "QQ==", "Qg==").Array[0, 40].Select(parts => string.Concat(parts)));

        /// <summary>Encoding agrees with Convert; decoding accepts exactly canonical base64 and gives Convert's bytes.</summary>
        public static void Base64Decode(long iter) =>
            Gen.Select(Base64ish, Gen.Byte.Array[0, 300]).Sample((text, raw) =>
            {
                byte[] encoded = new byte[Base64.EncodedLength(raw.Length)];
                int n = Base64.Encode(raw, 0, raw.Length, encoded, 0);
                if (Encoding.ASCII.GetString(encoded, 0, n) != Convert.ToBase64String(raw))
                {
                    return false;
                }

                byte[] src = Encoding.ASCII.GetBytes(text);
                byte[] dst = new byte[Base64.DecodedMaxLength(src.Length)];
                int decoded = Base64.Decode(src, 0, src.Length, dst, 0);
                byte[] reference = null;
                try
                {
                    reference = Convert.FromBase64String(text);
                }
                catch (FormatException)
                {
                }

                bool canonical = reference != null && Convert.ToBase64String(reference) == text;
                if (canonical)
                {
                    return decoded == reference.Length && dst.AsSpan(0, decoded).SequenceEqual(reference);
                }

                return decoded == -1;
            }, iter: iter, threads: 1);

        // ---- SASL challenges -----------------------------------------------------------------------------

        private sealed class TextLog : ISessionLog
        {
            public StringBuilder Text { get; } = new StringBuilder();

            public void Line(bool sent, string text) => Text.Append(sent ? "C: " : "S: ").Append(text).Append('\n');
        }

        private sealed class OneLineMessage : IMessageReader
        {
            private bool _done;

            public long Length => 8;

            public int Read(byte[] buffer, int offset, int count)
            {
                if (_done)
                {
                    return 0;
                }

                _done = true;
                "x: y\r\n\r\n"u8.CopyTo(buffer.AsSpan(offset));
                return 8;
            }
        }

        /// <summary>
        /// AUTH with each mechanism against a server that answers random 334 payloads (base64 of random bytes, or
        /// not base64 at all), any number of times: the session ends, never throws, and neither the log nor the
        /// result shows the password or its base64.
        /// </summary>
        public static void SaslChallenges(long iter) =>
            Gen.Select(
                Gen.OneOf(SmtpAuthMode.CramMd5, SmtpAuthMode.Plain, SmtpAuthMode.Login, SmtpAuthMode.ScramSha256, SmtpAuthMode.ScramSha1),
                Gen.OneOf(Gen.Byte.Array[0, 120].Select(Convert.ToBase64String), Gen.String[Gen.Char[' ', '~'], 0, 120], Gen.Const(ScramServerFirst)).Array[1, 6],
                Gen.String[Gen.Char['!', '~'], 6, 24]).Sample((mode, payloads, secret) =>
            {
                string password = "Pw" + secret;
                var options = new SmtpSessionOptions
                {
                    AuthMode = mode,
                    User = Encoding.UTF8.GetBytes("scan"),
                    Password = Encoding.UTF8.GetBytes(password),
                    Sender = "mfp@lab.test",
                    Recipients = new[] { "a@lab.test" },
                    Random = new OsRandom(),
                };
                byte[] given = options.Password;
                var log = new TextLog();
                var session = new SmtpSession(options, new OneLineMessage(), log);
                var wire = new StringBuilder();
                long now = 0;
                session.Start(now);
                session.OnConnected("192.0.2.7", now);
                Feed(session, "220 ok\r\n");
                Take(session, wire);
                Feed(session, "250-x\r\n250 AUTH CRAM-MD5 PLAIN LOGIN SCRAM-SHA-1 SCRAM-SHA-256\r\n");
                foreach (string payload in payloads)
                {
                    Take(session, wire);
                    if (session.IsDone)
                    {
                        break;
                    }

                    Feed(session, "334 " + (payload == ScramServerFirst ? ServerFirstFor(wire.ToString()) : payload) + "\r\n");
                }

                for (int i = 0; i < 4 && !session.IsDone; i++)
                {
                    Take(session, wire);
                    Feed(session, session.State == SmtpState.Quit ? "221 bye\r\n" : "535 5.7.8 no\r\n");
                }

                if (!session.IsDone)
                {
                    session.OnConnectionEnded(NetError.None, "closed");
                }

                string shown = log.Text + "\n" + session.Result.Detail + "\n" + session.Result.ReplyText;
                return session.IsDone && given.All(b => b == 0) && Secrets.Forms("scan", password).All(f => !shown.Contains(f, StringComparison.Ordinal));
            }, iter: iter, threads: 1);

        private static void Feed(SmtpSession session, string text)
        {
            byte[] bytes = Encoding.ASCII.GetBytes(text);
            session.Receive(bytes, 0, bytes.Length, 0);
        }

        private static void Take(SmtpSession session, StringBuilder wire)
        {
            // SCRAM's key derivation runs between network events, as SessionTransfer runs it.
            while (session.IsComputing)
            {
                session.Compute(0);
            }

            while (session.OutputCount > 0)
            {
                wire.Append(Encoding.ASCII.GetString(session.Output, session.OutputOffset, session.OutputCount));
                session.OnSent(session.OutputCount, 0);
            }
        }

        // Stands for a well-formed SCRAM server-first message with the client's nonce, so the derivation and the
        // later steps are reached too.
        private const string ScramServerFirst = "<scram server-first>";

        private static string ServerFirstFor(string wire)
        {
            int auth = wire.LastIndexOf("AUTH SCRAM-SHA-", StringComparison.Ordinal);
            if (auth < 0)
            {
                return "c29tZXRoaW5n";
            }

            string line = wire.Substring(auth, wire.IndexOf("\r\n", auth, StringComparison.Ordinal) - auth);
            string first = Encoding.ASCII.GetString(Convert.FromBase64String(line.Substring(line.LastIndexOf(' ') + 1)));
            string nonce = first.Substring(first.IndexOf(",r=", StringComparison.Ordinal) + 3);
            return Convert.ToBase64String(Encoding.ASCII.GetBytes("r=" + nonce + "srv,s=QSXCR+Q6sek8bf92,i=4096"));
        }

        private sealed class OsRandom : IRandomSource
        {
            public void NextBytes(byte[] buffer, int offset, int count) => System.Security.Cryptography.RandomNumberGenerator.Fill(buffer.AsSpan(offset, count));
        }

        // ---- MIME composer --------------------------------------------------------------------------------

        private sealed class BytesDocument : IDocumentSource
        {
            private readonly byte[] _data;
            private readonly int _piece;
            private int _position;

            public BytesDocument(byte[] data, int piece = int.MaxValue)
            {
                _data = data;
                _piece = piece;
            }

            public long Length => _data.Length;

            public int Read(byte[] buffer, int offset, int count)
            {
                int n = Math.Min(Math.Min(count, _piece), _data.Length - _position);
                Array.Copy(_data, _position, buffer, offset, n);
                _position += n;
                return n;
            }

            public void Dispose()
            {
            }
        }

        private static readonly Gen<string> Unicode = Gen.String[Gen.OneOf(Gen.Char[' ', '~'], Gen.Char['\u00a0', '\u024f'], Gen.Char['\u3040', '\u30ff'], Gen.OneOf('é', 'ß', '€', '\t')), 0, 120];

        /// <summary>Random subjects, names, bodies and documents: MimeKit parses the composed message back to the same values.</summary>
        public static void MimeComposer(long iter) =>
            Gen.Select(Unicode, Gen.String[Gen.OneOf(Gen.Char['a', 'z'], Gen.Char['\u00c0', '\u00ff'], Gen.OneOf(' ', '-', '_', '.')), 1, 40], Unicode, Gen.Byte.Array[0, 3000], Unicode).Sample((subject, name, body, document, fromName) =>
            {
                string trimmedSubject = subject.Trim();
                string fileName = name.Trim('.', ' ') + ".pdf";
                var info = new MessageInfo
                {
                    FromAddress = "mfp@lab.test",
                    FromName = fromName.Trim().Length == 0 ? "MFP" : fromName.Trim(),
                    To = new[] { "alice@lab.test" },
                    Subject = trimmedSubject,
                    Date = new DateTime(2026, 11, 29, 9, 0, 0, DateTimeKind.Utc),
                    MessageId = "fuzz.1@lab.test",
                    Boundary = "=_fuzz_boundary_1",
                    BodyText = body,
                    AttachmentName = fileName,
                    AttachmentType = "application/pdf",
                };
                var composer = new MessageComposer(info, new BytesDocument(document, 1000), false);

                var wire = new MemoryStream();
                byte[] buffer = new byte[1400];
                int n;
                while ((n = composer.Read(buffer, 0, buffer.Length)) > 0)
                {
                    wire.Write(buffer, 0, n);
                }

                if (wire.Length != composer.Length)
                {
                    return false;
                }

                wire.Position = 0;
                MimeKit.MimeMessage parsed = MimeKit.MimeMessage.Load(wire);
                MimeKit.MimePart attachment = parsed.Attachments.OfType<MimeKit.MimePart>().Single();
                var content = new MemoryStream();
                attachment.Content.DecodeTo(content);
                string text = parsed.TextBody ?? string.Empty;
                return parsed.Subject == trimmedSubject
                    && attachment.FileName == fileName
                    && content.ToArray().SequenceEqual(document)
                    && Normalize(text) == Normalize(body)
                    && ((MimeKit.MailboxAddress)parsed.From[0]).Name == info.FromName;
            }, iter: iter, threads: 1);

        private static string Normalize(string text) => text.Replace("\r\n", "\n").TrimEnd('\n', ' ', '\t');

        // ---- MIME extractor -------------------------------------------------------------------------------

        /// <summary>A flash in memory: only what the extractor needs, and a bound on what it may write.</summary>
        private sealed class MemoryFlash : IStorage
        {
            public Dictionary<string, MemoryStream> Files { get; } = new Dictionary<string, MemoryStream>();

            public long Written { get; private set; }

            public bool Exists(string name) => Files.ContainsKey(name);

            public IDocumentSource OpenRead(string name) => new BytesDocument(Files[name].ToArray());

            public IStorageWriter Create(string name)
            {
                var stream = new MemoryStream();
                Files[name] = stream;
                return new Writer(this, stream);
            }

            public void Replace(string from, string to)
            {
                Files[to] = Files[from];
                Files.Remove(from);
            }

            public void Delete(string name) => Files.Remove(name);

            public string[] List(string prefix) => Files.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(k => k, StringComparer.Ordinal).ToArray();

            private sealed class Writer : IStorageWriter
            {
                private readonly MemoryFlash _owner;
                private readonly MemoryStream _stream;

                public Writer(MemoryFlash owner, MemoryStream stream)
                {
                    _owner = owner;
                    _stream = stream;
                }

                public void Write(byte[] buffer, int offset, int count)
                {
                    _owner.Written += count;
                    _stream.Write(buffer, offset, count);
                }

                public void Commit()
                {
                }

                public void Dispose()
                {
                }
            }
        }

        private static readonly string[] s_seedMessage =
        {
            "From: =?UTF-8?B?QnJhbmNoIMOcZmZpY2U=?= <branch@lab.test>", "Subject: =?ISO-8859-1?Q?Fax_f=FCr_Sie?=", "MIME-Version: 1.0",
            "Content-Type: multipart/mixed; boundary=\"b1\"", "", "preamble", "--b1", "Content-Type: text/plain; charset=us-ascii", "", "cover",
            "--b1", "Content-Type: multipart/alternative; boundary=b2", "", "--b2", "Content-Type: text/html", "", "<p>x</p>", "--b2--",
            "--b1", "Content-Type: image/tiff; name*=UTF-8''f%C3%BCr.tif", "Content-Transfer-Encoding: base64", "Content-Disposition: attachment",
            "", "SUkqAAgAAAA=", "SUkqAA==", "--b1", "Content-Type: application/pdf", "Content-Transfer-Encoding: quoted-printable", "",
            "%PDF-1.4 =3D=", "end", "--b1--", "epilogue",
        };

        /// <summary>
        /// Random messages (the seed message with lines dropped, repeated, cut or replaced by random bytes, plus
        /// random bytes alone): extraction ends, never throws, writes no more than it read (times the decoders'
        /// bound), and allocates under a bound.
        /// </summary>
        public static void MimeExtractor(long iter) =>
            Gen.OneOf(
                Gen.Select(Gen.Int[0, 4].Array[s_seedMessage.Length], Gen.String[Gen.Char[' ', '~'], 0, 50].Array[s_seedMessage.Length], Gen.Int[0, 2000]).Select((ops, junk, repeat) =>
                {
                    var text = new StringBuilder();
                    for (int i = 0; i < s_seedMessage.Length; i++)
                    {
                        switch (ops[i])
                        {
                            case 0: break;
                            case 1: text.Append(junk[i]).Append("\r\n"); break;
                            case 2: text.Append(s_seedMessage[i], 0, s_seedMessage[i].Length / 2).Append(i % 2 == 0 ? "\n" : "\r\n"); break;
                            case 3: for (int r = 0; r < 1 + (repeat % 40); r++) { text.Append(s_seedMessage[i]).Append("\r\n"); } break;
                            default: text.Append(s_seedMessage[i]).Append("\r\n"); break;
                        }
                    }

                    return Encoding.Latin1.GetBytes(text.ToString());
                }),
                Gen.Byte.Array[0, 3000],
                Gen.Int[0, 60].Select(depth => Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, depth).Select(d => "Content-Type: multipart/mixed; boundary=d" + d + "\r\n\r\n--d" + d + "\r\n")) + "Content-Type: image/tiff\r\n\r\nII*\0")))
            .Sample(message =>
            {
                var flash = new MemoryFlash();
                long before = GC.GetAllocatedBytesForCurrentThread();
                IncomingMessageResult result = IncomingMessageReader.Extract(new BytesDocument(message, 97), flash, "rx/1-");
                long allocated = GC.GetAllocatedBytesForCurrentThread() - before - flash.Written * 2;
                return result != null && allocated < ExtractorAllocationBound && flash.Written <= message.Length + 16;
            }, iter: iter, threads: 1);

        // ---- settings parser ------------------------------------------------------------------------------

        private static readonly Gen<string> SettingsLine = Gen.OneOf(
            Gen.OneOf(SettingsSchema.All.Select(d => d.Key).ToArray()).Select(Gen.String[Gen.Char[' ', '~'], 0, 30], (k, v) => k + "=" + v),
            Gen.OneOf("smtp.port=25", "smtp.port=0", "smtp.port=99999", "pop.interval_min=1441", "# comment", "", "=", "key", " = ", "smtp.auth=cram-md5", "\r", "smtp.host=", "smtp.password=\u00e9\u20ac"),
            Gen.String[0, 60]);

        /// <summary>Any text: no exception; either settings and no error, or errors that each name a line of the text.</summary>
        public static void SettingsParser(long iter) =>
            SettingsLine.Array[0, 25].Sample(lines =>
            {
                string text = string.Join(lines.Length % 2 == 0 ? "\n" : "\r\n", lines);
                SettingsParseResult result = DeviceSettings.Parse(text);
                int lineCount = text.Split('\n').Length;
                if (result.Ok)
                {
                    return result.Settings != null && result.Errors.Length == 0 && DeviceSettings.Parse(result.Settings.Serialize()).Ok;
                }

                return result.Settings == null && result.Errors.Length > 0 && result.Errors.All(e =>
                {
                    if (!e.StartsWith("line ", StringComparison.Ordinal))
                    {
                        return false;
                    }

                    int colon = e.IndexOf(':');
                    return colon > 5 && int.TryParse(e.AsSpan(5, colon - 5), out int n) && n >= 1 && n <= lineCount;
                });
            }, iter: iter, threads: 1);
    }

    /// <summary>The password and the encodings an authentication exchange could carry it in.</summary>
    public static class Secrets
    {
        public static IEnumerable<string> Forms(string user, string password)
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
                if (usable >= 8)
                {
                    yield return encoded.Substring(skip, usable);
                }
            }
        }

        private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
    }
}
