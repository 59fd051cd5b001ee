using System;
using System.Collections.Generic;
using System.Text;
using NetBoard.Firmware.Text;

namespace NetBoard.Firmware.Tests.Text
{
    public class JsonReaderTests
    {
        /// <summary>The tokens of <paramref name="json"/> as one line: names and strings decoded, numbers as written.</summary>
        internal static string Tokens(byte[] json, int maxDepth = JsonReader.DefaultMaxDepth)
        {
            var reader = new JsonReader(json, 0, json.Length, maxDepth);
            var parts = new List<string>();
            for (int guard = 0; guard < 100000; guard++)
            {
                JsonToken token = reader.Read();
                switch (token)
                {
                    case JsonToken.PropertyName:
                        parts.Add("name:" + reader.GetString());
                        break;
                    case JsonToken.String:
                        parts.Add("str:" + reader.GetString());
                        break;
                    case JsonToken.Number:
                        parts.Add("num:" + NumberText(reader));
                        break;
                    case JsonToken.Error:
                        parts.Add("error:" + reader.Error);
                        return string.Join(" ", parts);
                    case JsonToken.EndOfDocument:
                        return string.Join(" ", parts);
                    default:
                        parts.Add(token.ToString());
                        break;
                }
            }

            throw new InvalidOperationException("reader did not end");
        }

        private static string NumberText(JsonReader reader)
        {
            return reader.TryGetInt32(out int value) ? value.ToString() : "len" + reader.ValueLength;
        }

        private static string Tokens(string json) => Tokens(Encoding.UTF8.GetBytes(json));

        [Theory]
        [InlineData("{}", "StartObject EndObject")]
        [InlineData("[]", "StartArray EndArray")]
        [InlineData(" \t\r\n{ \"a\" : 1 , \"b\":[true,false,null],\"c\":{}} \n", "StartObject name:a num:1 name:b StartArray True False Null EndArray name:c StartObject EndObject EndObject")]
        [InlineData("\"top\"", "str:top")]
        [InlineData("-0", "num:0")]
        [InlineData("2147483647", "num:2147483647")]
        [InlineData("-2147483648", "num:-2147483648")]
        [InlineData("2147483648", "num:len10")]
        [InlineData("1.5e-3", "num:len6")]
        [InlineData("[0,-1,10E+2,0.0]", "StartArray num:0 num:-1 num:len5 num:len3 EndArray")]
        [InlineData("\"\"", "str:")]
        public void Valid_texts_give_their_tokens(string json, string expected)
        {
            Assert.Equal(expected, Tokens(json));
        }

        [Theory]
        [InlineData("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"", "a\"b\\c/d\b\f\n\r\t")]
        [InlineData("\"\\u0041\\u00e9\\u20AC\"", "A\u00e9\u20ac")]
        [InlineData("\"\\ud83d\\ude00\"", "\U0001F600")]
        [InlineData("\"\\uD834\\uDD1E clef\"", "\U0001D11E clef")]
        [InlineData("\"\\u0000\"", "\0")]
        [InlineData("\"caf\u00e9 \u20ac \U0001F600\"", "caf\u00e9 \u20ac \U0001F600")]
        public void Escapes_and_utf8_decode_to_the_same_text_as_the_reference(string json, string expected)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(json);
            var reader = new JsonReader(bytes, 0, bytes.Length);

            Assert.Equal(JsonToken.String, reader.Read());
            Assert.Equal(expected, reader.GetString());
            Assert.Equal(Encoding.UTF8.GetBytes(expected), reader.GetValueBytes());
            Assert.Equal(Encoding.UTF8.GetByteCount(expected), reader.ValueLength);
            Assert.Equal(expected, System.Text.Json.JsonSerializer.Deserialize<string>(json));
        }

        [Theory]
        [InlineData("", "JSON text ends too early")]
        [InlineData("   ", "JSON text ends too early")]
        [InlineData("{", "JSON text ends too early")]
        [InlineData("{\"a\":1,}", "member name expected")]
        [InlineData("[1,]", "value expected")]
        [InlineData("[1 2]", "',' or ']' expected")]
        [InlineData("{\"a\" 1}", "':' expected after a member name")]
        [InlineData("{a:1}", "member name expected")]
        [InlineData("{\"a\":1]", "',' or '}' expected")]
        [InlineData("[1}", "',' or ']' expected")]
        [InlineData("01", "number with a leading zero")]
        [InlineData("1.", "digit expected after '.'")]
        [InlineData(".5", "value expected")]
        [InlineData("1e", "digit expected in exponent")]
        [InlineData("-", "digit expected in number")]
        [InlineData("+1", "value expected")]
        [InlineData("1x", "malformed number")]
        [InlineData("tru", "unknown literal")]
        [InlineData("trues", "unknown literal")]
        [InlineData("nul", "unknown literal")]
        [InlineData("NaN", "value expected")]
        [InlineData("\"abc", "unterminated string")]
        [InlineData("\"a\\", "unterminated string")]
        [InlineData("\"\\x\"", "unknown escape in string")]
        [InlineData("\"\\u12\"", "malformed \\u escape")]
        [InlineData("\"\\u12G4\"", "malformed \\u escape")]
        [InlineData("\"a\tb\"", "control character in string")]
        [InlineData("\"a\nb\"", "control character in string")]
        [InlineData("{} {}", "data after the JSON value")]
        [InlineData("1 2", "data after the JSON value")]
        [InlineData("// c\n{}", "value expected")]
        [InlineData("'a'", "value expected")]
        public void Malformed_texts_are_refused_with_a_clear_error(string json, string error)
        {
            string tokens = Tokens(json);

            Assert.EndsWith("error:" + error, tokens);
            Assert.ThrowsAny<System.Text.Json.JsonException>(() => System.Text.Json.JsonDocument.Parse(json).Dispose());
        }

        [Theory]
        [InlineData("\"\\ud83d\"", "lone high surrogate in string")]
        [InlineData("\"\\ud83d\\u0041\"", "lone high surrogate in string")]
        [InlineData("\"\\ud83d\\ud83d\"", "lone high surrogate in string")]
        [InlineData("\"\\ude00\"", "lone low surrogate in string")]
        [InlineData("\"\\ud83d", "lone high surrogate in string")]
        public void Lone_surrogate_escapes_are_refused_since_they_cannot_become_utf8(string json, string error)
        {
            // Stricter than System.Text.Json's reader, which lets them through.
            Assert.EndsWith("error:" + error, Tokens(json));
        }

        [Theory]
        [InlineData(new byte[] { 0x22, 0xC3, 0x28, 0x22 })]             // bad continuation
        [InlineData(new byte[] { 0x22, 0xC0, 0x80, 0x22 })]             // overlong NUL
        [InlineData(new byte[] { 0x22, 0xE0, 0x80, 0x80, 0x22 })]       // overlong
        [InlineData(new byte[] { 0x22, 0xED, 0xA0, 0x80, 0x22 })]       // encoded surrogate
        [InlineData(new byte[] { 0x22, 0xF4, 0x90, 0x80, 0x80, 0x22 })] // above U+10FFFF
        [InlineData(new byte[] { 0x22, 0xFF, 0x22 })]
        [InlineData(new byte[] { 0x22, 0xE2, 0x82, 0x22 })]             // cut short
        [InlineData(new byte[] { 0x22, 0xF0, 0x9F, 0x98 })]             // cut short at the end
        public void Invalid_utf8_in_a_string_is_refused(byte[] json)
        {
            Assert.EndsWith("error:invalid UTF-8 in string", Tokens(json));
        }

        [Fact]
        public void A_leading_byte_order_mark_is_ignored()
        {
            byte[] json = { 0xEF, 0xBB, 0xBF, (byte)'[', (byte)']' };

            Assert.Equal("StartArray EndArray", Tokens(json));
        }

        [Fact]
        public void Nesting_is_bounded()
        {
            string deep = new string('[', 16) + new string(']', 16);
            string deeper = new string('[', 17) + new string(']', 17);

            Assert.DoesNotContain("error", Tokens(deep));
            Assert.EndsWith("error:JSON nested too deeply", Tokens(deeper));
            Assert.EndsWith("error:JSON nested too deeply", Tokens(Encoding.ASCII.GetBytes("{\"a\":{\"b\":[1]}}"), 2));
            Assert.DoesNotContain("error", Tokens(Encoding.ASCII.GetBytes("{\"a\":{\"b\":1}}"), 2));
        }

        [Fact]
        public void The_deepest_limit_works()
        {
            string deep = new string('[', JsonReader.MaxDepthLimit) + new string(']', JsonReader.MaxDepthLimit);

            Assert.DoesNotContain("error", Tokens(Encoding.ASCII.GetBytes(deep), JsonReader.MaxDepthLimit));
            Assert.Throws<ArgumentOutOfRangeException>(() => new JsonReader(new byte[1], 0, 1, JsonReader.MaxDepthLimit + 1));
            Assert.Throws<ArgumentOutOfRangeException>(() => new JsonReader(new byte[1], 0, 1, 0));
        }

        [Fact]
        public void Objects_and_arrays_nest_in_any_mix()
        {
            Assert.Equal("StartArray StartObject name:a StartArray StartObject EndObject EndArray EndObject EndArray",
                Tokens("[{\"a\":[{}]}]"));
            Assert.EndsWith("error:',' or ']' expected", Tokens("[{\"a\":[{}}]}]"));
        }

        [Fact]
        public void Skip_passes_over_a_nested_value()
        {
            byte[] json = Encoding.ASCII.GetBytes("{\"x\":{\"y\":[1,{\"z\":[]}],\"w\":\"}\"},\"after\":true}");
            var reader = new JsonReader(json, 0, json.Length);
            reader.Read();
            reader.Read();
            Assert.Equal(JsonToken.StartObject, reader.Read());

            Assert.True(reader.Skip());
            Assert.Equal(1, reader.Depth);
            Assert.Equal(JsonToken.PropertyName, reader.Read());
            Assert.True(reader.ValueEquals("after"));
            Assert.Equal(JsonToken.True, reader.Read());
            Assert.Equal(JsonToken.EndObject, reader.Read());
            Assert.Equal(JsonToken.EndOfDocument, reader.Read());
            Assert.Equal(JsonToken.EndOfDocument, reader.Read());
        }

        [Fact]
        public void Skip_reports_a_fault_inside_the_skipped_value()
        {
            byte[] json = Encoding.ASCII.GetBytes("{\"x\":[1,,2]}");
            var reader = new JsonReader(json, 0, json.Length);
            reader.Read();
            reader.Read();
            reader.Read();

            Assert.False(reader.Skip());
            Assert.Equal(JsonToken.Error, reader.Read());
        }

        [Fact]
        public void Value_equals_compares_decoded_text()
        {
            byte[] json = Encoding.ASCII.GetBytes("{\"acc\\u0065ss_token\":1,\"scope\":2}");
            var reader = new JsonReader(json, 0, json.Length);
            reader.Read();
            reader.Read();

            Assert.True(reader.ValueEquals("access_token"));
            Assert.False(reader.ValueEquals("access_tokeN"));
            Assert.False(reader.ValueEquals("access_toke"));
            reader.Read();
            Assert.False(reader.ValueEquals("1"));
            reader.Read();
            Assert.True(reader.ValueEquals("scope"));
        }

        [Fact]
        public void The_error_offset_points_at_the_fault()
        {
            byte[] json = Encoding.ASCII.GetBytes("xx{\"a\":tru}");
            var reader = new JsonReader(json, 2, json.Length - 2);
            reader.Read();
            reader.Read();

            Assert.Equal(JsonToken.Error, reader.Read());
            Assert.Equal(5, reader.ErrorOffset);
            Assert.Equal(JsonToken.Error, reader.Read());
        }

        [Fact]
        public void The_reader_stays_inside_its_range()
        {
            byte[] json = Encoding.ASCII.GetBytes("[1]]]");

            Assert.Equal("StartArray num:1 EndArray", Tokens(json[..3]));
            var reader = new JsonReader(json, 0, 3);
            reader.Read();
            reader.Read();
            reader.Read();
            Assert.Equal(JsonToken.EndOfDocument, reader.Read());
        }

        [Fact]
        public void Copy_value_needs_a_string_token_and_room()
        {
            byte[] json = Encoding.ASCII.GetBytes("[\"abc\",1]");
            var reader = new JsonReader(json, 0, json.Length);
            reader.Read();
            reader.Read();

            Assert.Throws<ArgumentOutOfRangeException>(() => reader.CopyValue(new byte[2], 0));
            byte[] into = new byte[5];
            Assert.Equal(3, reader.CopyValue(into, 2));
            Assert.Equal("abc", Encoding.ASCII.GetString(into, 2, 3));
            reader.Read();
            Assert.Throws<InvalidOperationException>(() => reader.CopyValue(into, 0));
            Assert.Throws<InvalidOperationException>(() => reader.GetString());
        }
    }
}
