using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text;
using CsCheck;
using NetBoard.Firmware.Web;
using NetBoard.Hal;

namespace NetBoard.Fuzz.Tests
{
    /// <summary>Properties of the web server's parser, writer, form decoding and escaping.</summary>
    public static class WebProperties
    {
        private static readonly int[] RefusalStatuses = { 400, 408, 413, 414, 431, 501, 505 };

        /// <summary>Bytes that look like HTTP requests often enough to reach the deeper states.</summary>
        private static readonly Gen<byte[]> RequestishBytes = Gen.OneOf(
            Gen.Byte.Array[0, 900],
            Gen.OneOf("GET", "POST", " ", "/", "/a?b=c", "HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "\r\n", "\n", "\r", ":", "Host: b", "Content-Length: ", "5", "12", "-",
                    "Cookie: s=1", "Transfer-Encoding: chunked", "\t", "\u0001", "x", "\r\n\r\n", "content-length:3")
                .Array[0, 80].Select(parts => Encoding.Latin1.GetBytes(string.Concat(parts))),
            Gen.Int[0, 6000].Select(n => Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: b\r\nX: " + new string('v', n) + "\r\n\r\n")));

        private static readonly Gen<int[]> Pieces = Gen.Int[1, 64].Array[1, 40];

        private static readonly Gen<string> Token = Gen.String[Gen.OneOf(Gen.Char['a', 'z'], Gen.Char['A', 'Z'], Gen.Char['0', '9'], Gen.OneOf('-', '_', '.', '!', '~')), 1, 12];

        /// <summary>Text without unpaired surrogates, so it survives UTF-8 both ways.</summary>
        private static readonly Gen<string> Text = Gen.OneOf(
            Gen.String[Gen.Char[' ', '~'], 0, 60],
            Gen.String[Gen.OneOf(Gen.Char[' ', '~'], Gen.Char['\u00a0', '\u07ff'], Gen.Char['\u0800', '\ud7ff'], Gen.Char['\ue000', '\uffff']), 0, 40],
            Gen.OneOf("\U0001F600", "\u00e9", "&", "=", "+", "%", "<", ">", "\"", "'", " ", "a").Array[0, 20].Select(p => string.Concat(p)));

        private sealed class Snapshot
        {
            public HttpParseState State;
            public int Status;
            public string Method, Path, Query, Host, Cookie, ContentType;
            public int ContentLength;
            public byte[] Body;
            public int Consumed;

            public static Snapshot Of(HttpRequestParser p, int consumed) => new Snapshot
            {
                State = p.State, Status = p.ErrorStatus, Method = p.Method, Path = p.Path, Query = p.Query, Host = p.Host, Cookie = p.Cookie,
                ContentType = p.ContentType, ContentLength = p.ContentLength, Body = p.Body.Take(p.BodyLength).ToArray(), Consumed = consumed,
            };

            public override string ToString() => $"{State} {Status} {Method} {Path}?{Query} host={Host} cl={ContentLength} body={Body.Length} used={Consumed}";
        }

        private static Snapshot ParseInPieces(byte[] data, int[] pieces)
        {
            var parser = new HttpRequestParser();
            int consumed = 0;
            int offset = 0;
            for (int i = 0; offset < data.Length && !parser.IsDone; i++)
            {
                int n = Math.Min(pieces[i % pieces.Length], data.Length - offset);
                int used = parser.Feed(data, offset, n);
                if (used < 0 || used > n || (used < n && !parser.IsDone))
                {
                    throw new InvalidOperationException("Feed took " + used + " of " + n + " in state " + parser.State);
                }

                consumed += used;
                offset += n;
            }

            return Snapshot.Of(parser, consumed);
        }

        private static void Check(bool condition, string what)
        {
            if (!condition)
            {
                throw new InvalidOperationException(what);
            }
        }

        /// <summary>Any bytes, split anyhow: no exception, the same outcome as one read, a refusal status from the known set, the body within its bound.</summary>
        public static void HttpRequestParserAnyBytes(long iter) =>
            Gen.Select(RequestishBytes, Pieces).Sample((data, pieces) =>
            {
                Snapshot whole = ParseInPieces(data, new[] { int.MaxValue });
                Snapshot split = ParseInPieces(data, pieces);
                Check(whole.ToString() == split.ToString() && whole.Body.SequenceEqual(split.Body), whole + " vs " + split);
                Check(whole.Body.Length <= HttpRequestParser.DefaultMaxBodyBytes, "body over its bound");
                if (whole.State == HttpParseState.Failed)
                {
                    Check(Array.IndexOf(RefusalStatuses, whole.Status) >= 0 && whole.Status != 408, "status " + whole.Status);
                }
                else
                {
                    Check(whole.Status == 0, "status without failure");
                    Check(whole.Consumed == data.Length, "stopped early without finishing");
                }

                if (whole.State == HttpParseState.Complete)
                {
                    Check(whole.Path.StartsWith('/'), "path " + whole.Path);
                    Check(whole.Body.Length == Math.Max(0, whole.ContentLength), "body length");
                }
            }, iter: iter);

        /// <summary>Well-formed requests, split anyhow, come out with exactly their parts.</summary>
        public static void HttpRequestParserValid(long iter) =>
            Gen.Select(
                Gen.OneOf("GET", "POST", "HEAD", "PUT", "X-Custom"),
                Gen.String[Gen.OneOf(Gen.Char['a', 'z'], Gen.OneOf('/', '%', '2', '0', '-', '.', '=', '&')), 0, 40],
                Gen.Select(Token, Gen.String[Gen.Char[' ', '~'], 0, 60]).Array[0, 12],
                Gen.Byte.Array[0, 300],
                Pieces).Sample((method, path, headers, body, pieces) =>
            {
                string query = path.Length % 3 == 0 ? string.Empty : "q=" + path.Length;
                var text = new StringBuilder(method + " /" + path + (query.Length > 0 ? "?" + query : string.Empty) + " HTTP/1.1\r\nHost: board\r\n");
                foreach (var (name, value) in headers)
                {
                    string lower = name.ToLowerInvariant();
                    if (lower == "host" || lower == "content-length" || lower == "transfer-encoding" || lower == "content-type" || lower == "cookie")
                    {
                        continue;
                    }

                    text.Append(name).Append(": ").Append(value).Append("\r\n");
                }

                text.Append("Content-Length: ").Append(body.Length).Append("\r\n\r\n");
                byte[] data = Encoding.ASCII.GetBytes(text.ToString()).Concat(body).ToArray();
                Snapshot s = ParseInPieces(data, pieces);
                Check(s.State == HttpParseState.Complete, s.ToString());
                Check(s.Method == method && s.Path == "/" + path && s.Query == query && s.Host == "board", s.ToString());
                Check(s.Body.SequenceEqual(body) && s.Consumed == data.Length, s.ToString());
            }, iter: iter);

        private sealed class TrickleConnection : INetConnection
        {
            private readonly int[] _limits;
            private int _calls;

            public TrickleConnection(int[] limits) => _limits = limits;

            public List<byte> Written { get; } = new List<byte>();

            public NetState State => NetState.Open;
            public NetError Error => NetError.None;
            public string ErrorText => string.Empty;
            public string LocalAddress => "127.0.0.1";
            public int Available => 0;
            public bool IsReadable => false;
            public TlsState Tls => TlsState.None;
            public string TlsDescription => string.Empty;

            public int Read(byte[] buffer, int offset, int count) => 0;

            public int Write(byte[] buffer, int offset, int count)
            {
                int n = Math.Min(count, _limits[_calls++ % _limits.Length]);
                Written.AddRange(buffer.Skip(offset).Take(n));
                return n;
            }

            public void StartTls(string targetHost, TlsPolicy policy) => throw new NotSupportedException();

            public void Close()
            {
            }

            public void Dispose()
            {
            }
        }

        /// <summary>Any text (lone surrogates too) through any pattern of partial writes: the body is its UTF-8 and Content-Length counts it.</summary>
        public static void HttpResponseWriterBytes(long iter) =>
            Gen.Select(Gen.OneOf(Text, Gen.String), Gen.Int[0, 700].Array[1, 10], Gen.Int[1, 5]).Sample((body, limits, chunks) =>
            {
                var connection = new TrickleConnection(limits.Any(l => l > 0) ? limits : new[] { 1 });
                var writer = new HttpResponseWriter();
                writer.Start(new HttpResponse(200, HttpResponse.TextType, body), false);
                for (int rounds = 0; !writer.IsDone; rounds++)
                {
                    writer.Pump(connection, chunks);
                    Check(rounds < 1_000_000, "writer does not finish");
                }

                byte[] sent = connection.Written.ToArray();
                string all = Encoding.Latin1.GetString(sent);
                int end = all.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;
                byte[] expected = new UTF8Encoding(false, false).GetBytes(body);
                Check(sent.Skip(end).SequenceEqual(expected), "body bytes differ");
                Check(all.Contains("\r\nContent-Length: " + expected.Length + "\r\n"), "Content-Length");
            }, iter: iter);

        /// <summary>Fields encoded as a browser does come back unchanged, and any bytes parse without an exception.</summary>
        public static void FormFieldsRoundTrip(long iter) =>
            Gen.Select(Gen.Select(Text, Text).Array[0, FormFields.MaxFields], Gen.Byte.Array[0, 300]).Sample((fields, noise) =>
            {
                string body = string.Join("&", fields.Select(f => WebUtility.UrlEncode(f.Item1) + "=" + WebUtility.UrlEncode(f.Item2)));
                var form = new FormFields();
                byte[] bytes = Encoding.ASCII.GetBytes(body);
                Check(form.Parse(bytes, 0, bytes.Length), "refused " + body);
                // Every pair has at least its "=", so none is skipped.
                var kept = fields;
                Check(form.Count == kept.Length, "count " + form.Count + " of " + kept.Length);
                for (int i = 0; i < kept.Length; i++)
                {
                    Check(form.NameAt(i) == kept[i].Item1 && form.ValueAt(i) == kept[i].Item2, "field " + i + " of " + body);
                }

                form.Parse(noise, 0, noise.Length);
                Check(form.Count <= FormFields.MaxFields, "too many fields");
            }, iter: iter);

        /// <summary>Escaped text holds no markup character outside a reference and decodes back to the text.</summary>
        public static void HtmlEscapeRoundTrip(long iter) =>
            Gen.OneOf(Text, Gen.String).Sample(text =>
            {
                string escaped = HtmlText.Escape(text);
                Check(escaped.IndexOfAny(new[] { '<', '>', '"', '\'' }) < 0, "markup left in " + escaped);
                Check(WebUtility.HtmlDecode(escaped) == text, "round trip of " + text);
            }, iter: iter);
    }
}
