using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CsCheck;
using NetBoard.Firmware.Http;
using NetBoard.Firmware.OAuth;
using NetBoard.Firmware.Sasl;
using FirmwareJson = NetBoard.Firmware.Text.JsonReader;
using FirmwareJsonToken = NetBoard.Firmware.Text.JsonToken;

namespace NetBoard.Fuzz.Tests
{
    /// <summary>Properties of the HTTP response parser, form encoding, the JSON reader and what reads token responses and SASL error challenges.</summary>
    public static class HttpProperties
    {
        private const int MaxHeader = 512;
        private const int MaxBody = 700;

        private static readonly Gen<int[]> Pieces = Gen.Int[1, 64].Array[1, 40];

        // ---- HTTP response parser ------------------------------------------------------------------------

        private static readonly Gen<byte[]> ResponseishBytes = Gen.OneOf(
            Gen.Byte.Array[0, 900],
            Gen.OneOf(
                "HTTP/1.1 200 OK\r\n", "HTTP/1.0 404 x\r\n", "HTTP/1.1 100 Continue\r\n", "HTTP/1.1 204 \r\n", "HTTP/1.1 101 Up\r\n",
                "Content-Length: 5\r\n", "Content-Length: 0\r\n", "content-length:  12 \r\n", "Transfer-Encoding: chunked\r\n", "Transfer-Encoding: gzip\r\n",
                "Connection: close\r\n", "X: y\r\n", " folded\r\n", "\r\n", "\n", "\r", "5\r\n", "0\r\n", "a;x=y\r\n", "hello", "0123456789", ":", "HTTP/", " ", "FFFFFFFF\r\n")
                .Array[0, 40].Select(parts => Encoding.ASCII.GetBytes(string.Concat(parts))));

        private static string Outcome(byte[] data, int[] pieces, bool close, out byte[] body)
        {
            var parser = new HttpResponseParser(MaxHeader, MaxBody, false);
            var collected = new List<byte>();
            string result = null;
            foreach (var (offset, count) in Split(data.Length, pieces))
            {
                int at = offset;
                int left = count;
                while (result == null)
                {
                    HttpParseEvent ev = parser.Feed(data, at, left, out int used);
                    if (used < 0 || used > left)
                    {
                        throw new InvalidOperationException("Feed consumed " + used + " of " + left);
                    }

                    at += used;
                    left -= used;
                    if (ev == HttpParseEvent.Body)
                    {
                        collected.AddRange(new ArraySegment<byte>(data, parser.BodyOffset, parser.BodyCount));
                    }
                    else if (ev == HttpParseEvent.NeedMore)
                    {
                        if (left != 0)
                        {
                            throw new InvalidOperationException("NeedMore with bytes left");
                        }

                        break;
                    }
                    else if (ev == HttpParseEvent.Complete)
                    {
                        result = "complete";
                    }
                    else if (ev == HttpParseEvent.Error)
                    {
                        result = "error " + parser.Error + " " + parser.ErrorDetail;
                    }
                }
            }

            if (result == null)
            {
                result = close ? (parser.OnClosed() == HttpParseEvent.Complete ? "complete" : "error " + parser.Error + " " + parser.ErrorDetail) : "needmore";
            }

            if (collected.Count > MaxBody || collected.Count != parser.BodyReceived)
            {
                throw new InvalidOperationException("body over the limit or miscounted");
            }

            body = collected.ToArray();
            return result + " " + parser.StatusCode + " " + parser.Framing + " " + Convert.ToHexString(body);
        }

        /// <summary>Any bytes, split anyhow, closed or not: no exception, body within the limit, the same outcome as in one piece.</summary>
        public static void ResponseParser(long iter) =>
            Gen.Select(ResponseishBytes, Pieces, Gen.Bool).Sample((data, pieces, close) =>
            {
                string whole = Outcome(data, new[] { int.MaxValue }, close, out _);
                string split = Outcome(data, pieces, close, out _);
                return whole == split;
            }, iter: iter, threads: 1);

        private static readonly Gen<string> Token = Gen.String[Gen.OneOf(Gen.Char['a', 'z'], Gen.Char['A', 'Z'], Gen.Char['0', '9'], Gen.OneOf('-', '_', '.', '!', '~')), 1, 12];

        private static readonly Gen<string> FieldValue = Gen.String[Gen.Char[' ', '~'], 0, 40].Select(v => v.Trim());

        /// <summary>Well-formed responses of each framing, split anyhow: complete, with the status and exactly the body sent.</summary>
        public static void ResponseParserValid(long iter) =>
            Gen.Select(
                Gen.Int[200, 599].Where(c => c != 204 && c != 304),
                Gen.Select(Token, FieldValue).Array[0, 6],
                Gen.Byte.Array[0, MaxBody],
                Gen.Int[0, 2],
                Gen.Int[1, 300].Array[1, 8],
                Gen.Select(Token, FieldValue).Array[0, 3],
                Pieces).Sample((status, fields, body, framing, chunkSizes, trailers, pieces) =>
            {
                var head = new StringBuilder("HTTP/1.1 " + status + " Reason " + status + "\r\n");
                foreach (var (name, value) in fields)
                {
                    if (IsFramingField(name))
                    {
                        continue;
                    }

                    head.Append(name).Append(": ").Append(value).Append("\r\n");
                }

                var wire = new MemoryStream();
                if (framing == 0)
                {
                    head.Append("Content-Length: ").Append(body.Length).Append("\r\n\r\n");
                    Write(wire, head.ToString());
                    wire.Write(body);
                }
                else if (framing == 1)
                {
                    head.Append("Transfer-Encoding: chunked\r\n\r\n");
                    Write(wire, head.ToString());
                    int at = 0;
                    for (int i = 0; at < body.Length; i++)
                    {
                        int n = Math.Min(chunkSizes[i % chunkSizes.Length], body.Length - at);
                        string size = i % 2 == 0 ? n.ToString("x") : n.ToString("X4");
                        Write(wire, size + (i % 3 == 0 ? ";ext=\"v\"" : string.Empty) + "\r\n");
                        wire.Write(body, at, n);
                        Write(wire, "\r\n");
                        at += n;
                    }

                    Write(wire, "0\r\n");
                    foreach (var (name, value) in trailers)
                    {
                        Write(wire, name + ": " + value + "\r\n");
                    }

                    Write(wire, "\r\n");
                }
                else
                {
                    head.Append("\r\n");
                    Write(wire, head.ToString());
                    wire.Write(body);
                }

                byte[] data = wire.ToArray();
                if (head.Length > MaxHeader)
                {
                    return true;
                }

                string outcome = Outcome(data, pieces, framing == 2, out byte[] received);
                return outcome.StartsWith("complete " + status + " ", StringComparison.Ordinal) && received.AsSpan().SequenceEqual(body);
            }, iter: iter, threads: 1);

        private static bool IsFramingField(string name)
        {
            string lower = name.ToLowerInvariant();
            return lower == "content-length" || lower == "transfer-encoding" || lower == "connection";
        }

        // ---- form encoding -------------------------------------------------------------------------------

        /// <summary>Any octets: only safe characters come out, and the reference decoder gives the octets back.</summary>
        public static void FormEncodingRoundTrip(long iter) =>
            Gen.Byte.Array[0, 300].Sample(value =>
            {
                byte[] encoded = new byte[FormEncoding.EncodedLength(value, 0, value.Length)];
                FormEncoding.Encode(value, 0, value.Length, encoded, 0);
                string text = Encoding.ASCII.GetString(encoded);
                return text.All(c => char.IsAsciiLetterOrDigit(c) || "*-._+%".IndexOf(c) >= 0)
                    && System.Web.HttpUtility.UrlDecodeToBytes(text).AsSpan().SequenceEqual(value);
            }, iter: iter, threads: 1);

        // ---- JSON reader ---------------------------------------------------------------------------------

        /// <summary>Text with quotes, backslashes, controls, non-ASCII and characters outside the BMP (never a lone surrogate).</summary>
        private static string RandomText(Random random)
        {
            int length = random.Next(0, 12);
            var text = new StringBuilder();
            for (int i = 0; i < length; i++)
            {
                switch (random.Next(6))
                {
                    case 0:
                        text.Append("\"\\/\b\f\n\r\t\u0000\u001f<>&'"[random.Next(14)]);
                        break;
                    case 1:
                        text.Append((char)random.Next(0xA0, 0xD7FF));
                        break;
                    case 2:
                        text.Append(char.ConvertFromUtf32(random.Next(0x10000, 0x10FFFF)));
                        break;
                    default:
                        text.Append((char)random.Next(' ', '~' + 1));
                        break;
                }
            }

            return text.ToString();
        }

        private static void WriteValue(Utf8JsonWriter writer, Random random, int depth)
        {
            int kind = depth >= 6 ? random.Next(4) : random.Next(6);
            switch (kind)
            {
                case 0:
                    writer.WriteStringValue(RandomText(random));
                    break;
                case 1:
                    switch (random.Next(3))
                    {
                        case 0:
                            writer.WriteNumberValue(random.Next(int.MinValue, int.MaxValue));
                            break;
                        case 1:
                            writer.WriteNumberValue(random.NextDouble() * Math.Pow(10, random.Next(-30, 30)));
                            break;
                        default:
                            writer.WriteNumberValue((long)random.Next() * random.Next());
                            break;
                    }

                    break;
                case 2:
                    writer.WriteBooleanValue(random.Next(2) == 0);
                    break;
                case 3:
                    writer.WriteNullValue();
                    break;
                case 4:
                    writer.WriteStartArray();
                    for (int i = random.Next(4); i > 0; i--)
                    {
                        WriteValue(writer, random, depth + 1);
                    }

                    writer.WriteEndArray();
                    break;
                default:
                    writer.WriteStartObject();
                    for (int i = random.Next(4); i > 0; i--)
                    {
                        writer.WritePropertyName(RandomText(random));
                        WriteValue(writer, random, depth + 1);
                    }

                    writer.WriteEndObject();
                    break;
            }
        }

        private static byte[] RandomJson(int seed)
        {
            var random = new Random(seed);
            var options = new JsonWriterOptions
            {
                Indented = random.Next(2) == 0,
                Encoder = random.Next(2) == 0 ? JavaScriptEncoder.UnsafeRelaxedJsonEscaping : JavaScriptEncoder.Default,
                SkipValidation = false,
            };
            var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream, options))
            {
                WriteValue(writer, random, 0);
            }

            return stream.ToArray();
        }

        private static List<string> ReferenceTokens(byte[] json)
        {
            var tokens = new List<string>();
            var reader = new Utf8JsonReader(json);
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        tokens.Add("name:" + reader.GetString());
                        break;
                    case JsonTokenType.String:
                        tokens.Add("str:" + reader.GetString());
                        break;
                    case JsonTokenType.Number:
                        tokens.Add("num:" + (reader.TryGetInt32(out int n) && reader.ValueSpan.IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0 ? n.ToString() : "len" + reader.ValueSpan.Length));
                        break;
                    default:
                        tokens.Add(reader.TokenType.ToString());
                        break;
                }
            }

            return tokens;
        }

        private static List<string> FirmwareTokens(byte[] json, int offset, int count, out string error)
        {
            var tokens = new List<string>();
            var reader = new FirmwareJson(json, offset, count, FirmwareJson.MaxDepthLimit);
            error = null;
            for (int guard = 0; guard <= count + 2; guard++)
            {
                FirmwareJsonToken token = reader.Read();
                switch (token)
                {
                    case FirmwareJsonToken.PropertyName:
                        tokens.Add("name:" + reader.GetString());
                        break;
                    case FirmwareJsonToken.String:
                        tokens.Add("str:" + reader.GetString());
                        if (reader.GetValueBytes().Length != reader.ValueLength)
                        {
                            throw new InvalidOperationException("decoded length differs");
                        }

                        break;
                    case FirmwareJsonToken.Number:
                        tokens.Add("num:" + (reader.TryGetInt32(out int n) ? n.ToString() : "len" + reader.ValueLength));
                        break;
                    case FirmwareJsonToken.EndOfDocument:
                        return tokens;
                    case FirmwareJsonToken.Error:
                        error = reader.Error;
                        return tokens;
                    case FirmwareJsonToken.True:
                    case FirmwareJsonToken.False:
                    case FirmwareJsonToken.Null:
                    case FirmwareJsonToken.StartObject:
                    case FirmwareJsonToken.EndObject:
                    case FirmwareJsonToken.StartArray:
                    case FirmwareJsonToken.EndArray:
                        tokens.Add(token.ToString());
                        break;
                    default:
                        throw new InvalidOperationException("unexpected token " + token);
                }
            }

            throw new InvalidOperationException("the reader did not end");
        }

        /// <summary>Random JSON written by System.Text.Json (escaped or raw UTF-8, indented or not): the same tokens and decoded text as its reader.</summary>
        public static void JsonReaderAgainstReference(long iter) =>
            Gen.Int.Sample(seed =>
            {
                byte[] json = RandomJson(seed);
                List<string> expected = ReferenceTokens(json);
                List<string> actual = FirmwareTokens(json, 0, json.Length, out string error);
                return error == null && actual.SequenceEqual(expected);
            }, iter: iter, threads: 1);

        /// <summary>
        /// Mutated JSON and random bytes: no exception; what the reader accepts, System.Text.Json accepts with the same
        /// tokens; what it refuses and System.Text.Json accepts is only a lone surrogate escape.
        /// </summary>
        public static void JsonReaderNoise(long iter) =>
            Gen.Select(Gen.Int, Gen.Int[0, 4].Select(Gen.Int, Gen.Byte).Array[0, 4], Gen.Byte.Array[0, 64], Gen.Bool).Sample((seed, mutations, noise, useNoise) =>
            {
                byte[] json = useNoise ? noise : RandomJson(seed);
                var bytes = new List<byte>(json);
                foreach (var (kind, at, value) in mutations)
                {
                    int position = bytes.Count == 0 ? 0 : (int)((uint)at % (uint)bytes.Count);
                    if (kind == 0 && bytes.Count > 0)
                    {
                        bytes.RemoveAt(position);
                    }
                    else if (kind == 1)
                    {
                        bytes.Insert(position, value);
                    }
                    else if (bytes.Count > 0)
                    {
                        bytes[position] = kind == 2 ? value : (byte)"{}[]\",:\\u0"[value % 10];
                    }
                }

                byte[] data = bytes.ToArray();
                List<string> actual = FirmwareTokens(data, 0, data.Length, out string error);

                // The reader skips a byte order mark (RFC 8259 8.1); System.Text.Json's reader does not.
                byte[] unmarked = data.AsSpan().StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }) ? data[3..] : data;
                List<string> reference;
                try
                {
                    var options = new JsonReaderOptions { MaxDepth = 64 };
                    var reader = new Utf8JsonReader(unmarked, options);
                    while (reader.Read())
                    {
                        if (reader.TokenType == JsonTokenType.String || reader.TokenType == JsonTokenType.PropertyName)
                        {
                            reader.GetString();
                        }
                    }

                    reference = unmarked.Length == 0 ? null : ReferenceTokens(unmarked);
                }
                catch (Exception ex) when (ex is JsonException || ex is InvalidOperationException)
                {
                    reference = null;
                }

                if (error == null)
                {
                    return reference != null && actual.SequenceEqual(reference);
                }

                return reference == null || error.Contains("surrogate", StringComparison.Ordinal);
            }, iter: iter, threads: 1);

        // ---- OAuth token response and SASL error challenge ---------------------------------------------------

        private static readonly Gen<string> Vschar = Gen.String[Gen.Char[' ', '~'], 1, 300];

        /// <summary>Token responses with the members in any order among unknown ones: every member read back exactly; random bytes never throw.</summary>
        public static void OAuthResponseMembers(long iter) =>
            Gen.Select(Vschar, Vschar, Gen.Int[0, int.MaxValue], Gen.Int[0, 3600], Gen.Int, Gen.Bool, Gen.Byte.Array[0, 200]).Sample((access, refresh, expires, interval, seed, asString, noise) =>
            {
                OAuthResponse.Parse(noise, 0, noise.Length);
                var random = new Random(seed);
                var members = new List<Action<Utf8JsonWriter>>
                {
                    w => w.WriteString("access_token", access),
                    w => w.WriteString("refresh_token", refresh),
                    w => { if (asString) { w.WriteString("expires_in", expires.ToString()); } else { w.WriteNumber("expires_in", expires); } },
                    w => w.WriteNumber("interval", interval),
                    w => w.WriteString("token_type", "Bearer"),
                    w => { w.WritePropertyName("error_codes"); WriteValue(w, random, 1); },
                    w => { w.WritePropertyName(RandomText(random) + "_x"); WriteValue(w, random, 2); },
                };
                var stream = new MemoryStream();
                using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = random.Next(2) == 0 ? JavaScriptEncoder.Default : JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
                {
                    writer.WriteStartObject();
                    foreach (var member in members.OrderBy(_ => random.Next()))
                    {
                        member(writer);
                    }

                    writer.WriteEndObject();
                }

                byte[] body = stream.ToArray();
                OAuthResponse response = OAuthResponse.Parse(body, 0, body.Length);
                return response.IsValid
                    && Encoding.ASCII.GetString(response.AccessToken) == access
                    && Encoding.ASCII.GetString(response.RefreshToken) == refresh
                    && response.ExpiresIn == expires
                    && response.Interval == interval
                    && response.TokenType == "Bearer";
            }, iter: iter, threads: 1);

        /// <summary>Any challenge after the initial response gets exactly the dummy answer; a JSON status is read back (bounded).</summary>
        public static void OAuthSaslStatus(long iter) =>
            Gen.Select(Gen.String[Gen.Char[' ', '~'], 0, 100], Gen.Byte.Array[0, 200], Gen.Bool, Gen.Int).Sample((status, noise, bearer, seed) =>
            {
                OAuthSaslMechanism mechanism = bearer
                    ? new OAuthBearer(Encoding.ASCII.GetBytes("u@lab.test"), Encoding.ASCII.GetBytes("tok"), "mail.lab.test", 587)
                    : new XOAuth2(Encoding.ASCII.GetBytes("u@lab.test"), Encoding.ASCII.GetBytes("tok"));
                mechanism.InitialResponse();
                byte[] challenge;
                bool json = seed % 2 == 0;
                if (json)
                {
                    var random = new Random(seed);
                    var stream = new MemoryStream();
                    using (var writer = new Utf8JsonWriter(stream))
                    {
                        writer.WriteStartObject();
                        writer.WritePropertyName("schemes");
                        WriteValue(writer, random, 3);
                        writer.WriteString("status", status);
                        writer.WriteString("scope", "https://mail.lab.test/");
                        writer.WriteEndObject();
                    }

                    challenge = stream.ToArray();
                }
                else
                {
                    challenge = noise;
                }

                byte[] answer = mechanism.Respond(challenge, 0, challenge.Length);
                bool answered = bearer ? answer.Length == 1 && answer[0] == 1 : answer.Length == 0;
                bool statusRead = !json || (mechanism.ErrorStatusText == (status.Length > OAuthSaslMechanism.MaxStatusLength ? status.Substring(0, OAuthSaslMechanism.MaxStatusLength) : status)
                    && mechanism.ErrorScope == "https://mail.lab.test/");
                return answered && statusRead && mechanism.IsComplete && mechanism.ErrorStatus != NetBoard.Firmware.Sasl.OAuthSaslStatus.None;
            }, iter: iter, threads: 1);

        private static void Write(MemoryStream stream, string ascii)
        {
            byte[] bytes = Encoding.ASCII.GetBytes(ascii);
            stream.Write(bytes, 0, bytes.Length);
        }

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
    }
}
