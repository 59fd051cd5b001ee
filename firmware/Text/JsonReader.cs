using System;

namespace NetBoard.Firmware.Text
{
    /// <summary>
    /// A pull reader of one JSON text (RFC 8259) held in a byte range, validating as it goes: strict grammar
    /// (no trailing commas, no comments, no leading zeros, one top-level value), UTF-8 checked, control
    /// characters in strings refused, escapes checked (a lone surrogate is an error), nesting bounded.
    /// It allocates nothing while reading; string values are decoded only when asked for.
    /// </summary>
    /// <remarks>
    /// The reader never changes the buffer. A token's value stays readable until the next <see cref="Read"/>.
    /// </remarks>
    public sealed class JsonReader
    {
        /// <summary>Nesting allowed unless the caller says otherwise.</summary>
        public const int DefaultMaxDepth = 16;

        /// <summary>The deepest nesting a reader can track (one bit per level).</summary>
        public const int MaxDepthLimit = 31;

        private const int ExpectValue = 0;
        private const int ExpectValueOrEndArray = 1;
        private const int ExpectNameOrEndObject = 2;
        private const int ExpectName = 3;
        private const int ExpectColon = 4;
        private const int ExpectCommaOrEnd = 5;
        private const int ExpectEndOfDocument = 6;
        private const int Finished = 7;
        private const int Failed = 8;

        private readonly byte[] _buffer;
        private readonly int _start;
        private readonly int _end;
        private readonly int _maxDepth;
        private int _pos;
        private int _expect;
        private int _depth;

        // Bit n set: nesting level n + 1 is an object; clear: an array.
        private int _objects;
        private JsonToken _token;
        private int _valueStart;
        private int _valueEnd;
        private int _decodedLength;
        private bool _hasEscapes;

        /// <summary>Reads the JSON text in <paramref name="buffer"/> from <paramref name="offset"/> for <paramref name="count"/> octets.</summary>
        /// <param name="buffer">The text, UTF-8.</param>
        /// <param name="offset">Its first octet.</param>
        /// <param name="count">Its length in octets.</param>
        /// <param name="maxDepth">The deepest nesting of objects and arrays accepted, 1 to <see cref="MaxDepthLimit"/>.</param>
        public JsonReader(byte[] buffer, int offset, int count, int maxDepth)
        {
            if (buffer == null)
            {
                throw new ArgumentNullException("buffer");
            }

            if (offset < 0 || count < 0 || offset > buffer.Length - count)
            {
                throw new ArgumentOutOfRangeException("count");
            }

            if (maxDepth < 1 || maxDepth > MaxDepthLimit)
            {
                throw new ArgumentOutOfRangeException("maxDepth");
            }

            _buffer = buffer;
            _start = offset;
            _end = offset + count;
            _pos = offset;
            _maxDepth = maxDepth;
            _expect = ExpectValue;

            // RFC 8259 8.1: a reader may ignore a byte order mark.
            if (count >= 3 && buffer[offset] == 0xEF && buffer[offset + 1] == 0xBB && buffer[offset + 2] == 0xBF)
            {
                _pos += 3;
            }
        }

        /// <summary>Reads with <see cref="DefaultMaxDepth"/>.</summary>
        /// <param name="buffer">The text, UTF-8.</param>
        /// <param name="offset">Its first octet.</param>
        /// <param name="count">Its length in octets.</param>
        public JsonReader(byte[] buffer, int offset, int count)
            : this(buffer, offset, count, DefaultMaxDepth)
        {
        }

        /// <summary>The token the last <see cref="Read"/> returned.</summary>
        public JsonToken Token
        {
            get { return _token; }
        }

        /// <summary>How many objects and arrays are open.</summary>
        public int Depth
        {
            get { return _depth; }
        }

        /// <summary>After <see cref="JsonToken.Error"/>: what is wrong, in a few words; otherwise null.</summary>
        public string Error { get; private set; }

        /// <summary>After <see cref="JsonToken.Error"/>: the octet position of the fault, counted from the start of the text.</summary>
        public int ErrorOffset { get; private set; }

        /// <summary>
        /// For <see cref="JsonToken.PropertyName"/> and <see cref="JsonToken.String"/>: the decoded value's length in
        /// UTF-8 octets; for <see cref="JsonToken.Number"/>: the number's length as written; otherwise 0.
        /// </summary>
        public int ValueLength
        {
            get { return _decodedLength; }
        }

        /// <summary>Reads the next token.</summary>
        /// <returns>The token; <see cref="JsonToken.Error"/> for text that is not JSON.</returns>
        public JsonToken Read()
        {
            _decodedLength = 0;
            _hasEscapes = false;
            if (_expect == Failed)
            {
                return JsonToken.Error;
            }

            if (_expect == Finished)
            {
                return JsonToken.EndOfDocument;
            }

            while (true)
            {
                SkipWhitespace();
                if (_pos == _end)
                {
                    if (_expect == ExpectEndOfDocument)
                    {
                        _expect = Finished;
                        return Set(JsonToken.EndOfDocument);
                    }

                    return Fail("JSON text ends too early");
                }

                byte b = _buffer[_pos];
                switch (_expect)
                {
                    case ExpectColon:
                        if (b != (byte)':')
                        {
                            return Fail("':' expected after a member name");
                        }

                        _pos++;
                        _expect = ExpectValue;
                        continue;

                    case ExpectCommaOrEnd:
                        if (b == (byte)',')
                        {
                            _pos++;
                            _expect = InObject ? ExpectName : ExpectValue;
                            continue;
                        }

                        if (b == (byte)'}' && InObject)
                        {
                            return Close(JsonToken.EndObject);
                        }

                        if (b == (byte)']' && !InObject)
                        {
                            return Close(JsonToken.EndArray);
                        }

                        return Fail(InObject ? "',' or '}' expected" : "',' or ']' expected");

                    case ExpectNameOrEndObject:
                        if (b == (byte)'}')
                        {
                            return Close(JsonToken.EndObject);
                        }

                        return ReadName(b);

                    case ExpectName:
                        return ReadName(b);

                    case ExpectValueOrEndArray:
                        if (b == (byte)']')
                        {
                            return Close(JsonToken.EndArray);
                        }

                        return ReadValue(b);

                    case ExpectValue:
                        return ReadValue(b);

                    default:
                        return Fail("data after the JSON value");
                }
            }
        }

        /// <summary>
        /// After <see cref="JsonToken.StartObject"/> or <see cref="JsonToken.StartArray"/>: reads up to and including
        /// the matching end, so the next <see cref="Read"/> continues after the whole value. Does nothing after any other token.
        /// </summary>
        /// <returns>False when the skipped part is not JSON.</returns>
        public bool Skip()
        {
            if (_token != JsonToken.StartObject && _token != JsonToken.StartArray)
            {
                return _token != JsonToken.Error;
            }

            int outer = _depth - 1;
            while (true)
            {
                JsonToken token = Read();
                if (token == JsonToken.Error)
                {
                    return false;
                }

                if ((token == JsonToken.EndObject || token == JsonToken.EndArray) && _depth == outer)
                {
                    return true;
                }
            }
        }

        /// <summary>True when the current name or string, decoded, equals the ASCII text <paramref name="ascii"/>; allocates only for escaped values.</summary>
        /// <param name="ascii">The text to compare with (ASCII).</param>
        public bool ValueEquals(string ascii)
        {
            if (!IsText || ascii == null || _decodedLength != ascii.Length)
            {
                return false;
            }

            byte[] source = _buffer;
            int at = _valueStart;
            if (_hasEscapes)
            {
                source = new byte[_decodedLength];
                CopyValue(source, 0);
                at = 0;
            }

            for (int i = 0; i < ascii.Length; i++)
            {
                if (source[at + i] != (byte)ascii[i])
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Copies the current name or string, decoded to UTF-8, to <paramref name="destination"/>.</summary>
        /// <param name="destination">Needs <see cref="ValueLength"/> octets of room from <paramref name="offset"/>.</param>
        /// <param name="offset">Where the first octet goes.</param>
        /// <returns>The number of octets written (<see cref="ValueLength"/>).</returns>
        public int CopyValue(byte[] destination, int offset)
        {
            if (!IsText)
            {
                throw new InvalidOperationException("no string value");
            }

            if (destination == null)
            {
                throw new ArgumentNullException("destination");
            }

            if (offset < 0 || offset > destination.Length - _decodedLength)
            {
                throw new ArgumentOutOfRangeException("offset");
            }

            if (!_hasEscapes)
            {
                Array.Copy(_buffer, _valueStart, destination, offset, _decodedLength);
                return _decodedLength;
            }

            int p = offset;
            int i = _valueStart;
            while (i < _valueEnd)
            {
                byte b = _buffer[i];
                if (b != (byte)'\\')
                {
                    destination[p++] = b;
                    i++;
                    continue;
                }

                byte e = _buffer[i + 1];
                if (e != (byte)'u')
                {
                    destination[p++] = Unescape(e);
                    i += 2;
                    continue;
                }

                int code = Hex4(i + 2);
                i += 6;
                if (code >= 0xD800 && code <= 0xDBFF)
                {
                    // Scanning proved a low surrogate escape follows.
                    int low = Hex4(i + 2);
                    i += 6;
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                }

                p += PutUtf8(code, destination, p);
            }

            return p - offset;
        }

        /// <summary>The current name or string decoded, as a new array (for secrets the caller wipes later).</summary>
        public byte[] GetValueBytes()
        {
            byte[] value = new byte[_decodedLength];
            CopyValue(value, 0);
            return value;
        }

        /// <summary>The current name or string as text.</summary>
        public string GetString()
        {
            if (!_hasEscapes)
            {
                if (!IsText)
                {
                    throw new InvalidOperationException("no string value");
                }

                return Utf8.GetString(_buffer, _valueStart, _decodedLength);
            }

            byte[] value = GetValueBytes();
            return Utf8.GetString(value, 0, value.Length);
        }

        /// <summary>
        /// For a <see cref="JsonToken.Number"/> written as an integer (no fraction, no exponent) that fits an
        /// <see cref="int"/>: its value.
        /// </summary>
        /// <param name="value">The value, or 0.</param>
        /// <returns>False for any other token or number.</returns>
        public bool TryGetInt32(out int value)
        {
            value = 0;
            if (_token != JsonToken.Number)
            {
                return false;
            }

            int i = _valueStart;
            bool negative = _buffer[i] == (byte)'-';
            if (negative)
            {
                i++;
            }

            long result = 0;
            for (; i < _valueEnd; i++)
            {
                byte b = _buffer[i];
                if (b < (byte)'0' || b > (byte)'9')
                {
                    return false;
                }

                result = (result * 10) + (b - '0');
                if (result > 2147483648L)
                {
                    return false;
                }
            }

            if (negative)
            {
                result = -result;
            }

            if (result > int.MaxValue)
            {
                return false;
            }

            value = (int)result;
            return true;
        }

        private bool InObject
        {
            get { return _depth > 0 && (_objects & (1 << (_depth - 1))) != 0; }
        }

        private bool IsText
        {
            get { return _token == JsonToken.PropertyName || _token == JsonToken.String; }
        }

        private JsonToken Set(JsonToken token)
        {
            _token = token;
            return token;
        }

        private JsonToken Fail(string error)
        {
            Error = error;
            ErrorOffset = _pos - _start;
            _expect = Failed;
            _decodedLength = 0;
            return Set(JsonToken.Error);
        }

        private void AfterValue()
        {
            _expect = _depth == 0 ? ExpectEndOfDocument : ExpectCommaOrEnd;
        }

        private JsonToken Open(bool isObject, JsonToken token)
        {
            if (_depth == _maxDepth)
            {
                return Fail("JSON nested too deeply");
            }

            if (isObject)
            {
                _objects |= 1 << _depth;
            }
            else
            {
                _objects &= ~(1 << _depth);
            }

            _depth++;
            _pos++;
            _expect = isObject ? ExpectNameOrEndObject : ExpectValueOrEndArray;
            return Set(token);
        }

        private JsonToken Close(JsonToken token)
        {
            _depth--;
            _pos++;
            AfterValue();
            return Set(token);
        }

        private JsonToken ReadName(byte b)
        {
            if (b != (byte)'"')
            {
                return Fail("member name expected");
            }

            if (!ScanString())
            {
                return JsonToken.Error;
            }

            _expect = ExpectColon;
            return Set(JsonToken.PropertyName);
        }

        private JsonToken ReadValue(byte b)
        {
            switch (b)
            {
                case (byte)'{':
                    return Open(true, JsonToken.StartObject);
                case (byte)'[':
                    return Open(false, JsonToken.StartArray);
                case (byte)'"':
                    if (!ScanString())
                    {
                        return JsonToken.Error;
                    }

                    AfterValue();
                    return Set(JsonToken.String);
                case (byte)'t':
                    return ReadLiteral("true", JsonToken.True);
                case (byte)'f':
                    return ReadLiteral("false", JsonToken.False);
                case (byte)'n':
                    return ReadLiteral("null", JsonToken.Null);
                default:
                    if (b == (byte)'-' || (b >= (byte)'0' && b <= (byte)'9'))
                    {
                        return ReadNumber();
                    }

                    return Fail("value expected");
            }
        }

        private JsonToken ReadLiteral(string literal, JsonToken token)
        {
            if (_end - _pos < literal.Length)
            {
                return Fail("unknown literal");
            }

            for (int i = 0; i < literal.Length; i++)
            {
                if (_buffer[_pos + i] != (byte)literal[i])
                {
                    return Fail("unknown literal");
                }
            }

            _pos += literal.Length;
            if (!AtDelimiter())
            {
                return Fail("unknown literal");
            }

            AfterValue();
            return Set(token);
        }

        private JsonToken ReadNumber()
        {
            int begin = _pos;
            if (_buffer[_pos] == (byte)'-')
            {
                _pos++;
            }

            if (_pos == _end || !IsDigit(_buffer[_pos]))
            {
                return Fail("digit expected in number");
            }

            if (_buffer[_pos] == (byte)'0')
            {
                _pos++;
                if (_pos < _end && IsDigit(_buffer[_pos]))
                {
                    return Fail("number with a leading zero");
                }
            }
            else
            {
                SkipDigits();
            }

            if (_pos < _end && _buffer[_pos] == (byte)'.')
            {
                _pos++;
                if (_pos == _end || !IsDigit(_buffer[_pos]))
                {
                    return Fail("digit expected after '.'");
                }

                SkipDigits();
            }

            if (_pos < _end && (_buffer[_pos] == (byte)'e' || _buffer[_pos] == (byte)'E'))
            {
                _pos++;
                if (_pos < _end && (_buffer[_pos] == (byte)'+' || _buffer[_pos] == (byte)'-'))
                {
                    _pos++;
                }

                if (_pos == _end || !IsDigit(_buffer[_pos]))
                {
                    return Fail("digit expected in exponent");
                }

                SkipDigits();
            }

            if (!AtDelimiter())
            {
                return Fail("malformed number");
            }

            _valueStart = begin;
            _valueEnd = _pos;
            _decodedLength = _pos - begin;
            AfterValue();
            return Set(JsonToken.Number);
        }

        /// <summary>At the opening quote: checks the string up to its closing quote, notes its range and decoded length.</summary>
        private bool ScanString()
        {
            _pos++;
            int begin = _pos;
            int decoded = 0;
            bool escapes = false;
            while (true)
            {
                if (_pos == _end)
                {
                    Fail("unterminated string");
                    return false;
                }

                byte b = _buffer[_pos];
                if (b == (byte)'"')
                {
                    break;
                }

                if (b < 0x20)
                {
                    Fail("control character in string");
                    return false;
                }

                if (b == (byte)'\\')
                {
                    escapes = true;
                    int length = ScanEscape();
                    if (length < 0)
                    {
                        return false;
                    }

                    decoded += length;
                    continue;
                }

                if (b < 0x80)
                {
                    _pos++;
                    decoded++;
                    continue;
                }

                int sequence = Utf8SequenceLength(_pos);
                if (sequence < 0)
                {
                    Fail("invalid UTF-8 in string");
                    return false;
                }

                _pos += sequence;
                decoded += sequence;
            }

            _valueStart = begin;
            _valueEnd = _pos;
            _decodedLength = decoded;
            _hasEscapes = escapes;
            _pos++;
            return true;
        }

        /// <summary>At a backslash: checks one escape (a surrogate pair counts as one) and returns its UTF-8 length, or -1.</summary>
        private int ScanEscape()
        {
            if (_end - _pos < 2)
            {
                Fail("unterminated string");
                return -1;
            }

            byte e = _buffer[_pos + 1];
            if (e != (byte)'u')
            {
                if (Unescape(e) == 0)
                {
                    _pos++;
                    Fail("unknown escape in string");
                    return -1;
                }

                _pos += 2;
                return 1;
            }

            int code = _end - _pos >= 6 ? Hex4(_pos + 2) : -1;
            if (code < 0)
            {
                Fail("malformed \\u escape");
                return -1;
            }

            if (code >= 0xDC00 && code <= 0xDFFF)
            {
                Fail("lone low surrogate in string");
                return -1;
            }

            if (code >= 0xD800 && code <= 0xDBFF)
            {
                int low = _end - _pos >= 12 && _buffer[_pos + 6] == (byte)'\\' && _buffer[_pos + 7] == (byte)'u' ? Hex4(_pos + 8) : -1;
                if (low < 0xDC00 || low > 0xDFFF)
                {
                    Fail("lone high surrogate in string");
                    return -1;
                }

                _pos += 12;
                return 4;
            }

            _pos += 6;
            return code < 0x80 ? 1 : (code < 0x800 ? 2 : 3);
        }

        private int Hex4(int at)
        {
            int value = 0;
            for (int i = 0; i < 4; i++)
            {
                int digit = HexValue(_buffer[at + i]);
                if (digit < 0)
                {
                    return -1;
                }

                value = (value << 4) | digit;
            }

            return value;
        }

        /// <summary>The length of the well-formed UTF-8 sequence of two to four octets at <paramref name="at"/>, or -1.</summary>
        private int Utf8SequenceLength(int at)
        {
            byte lead = _buffer[at];
            int length;
            byte low = 0x80;
            byte high = 0xBF;
            if (lead >= 0xC2 && lead <= 0xDF)
            {
                length = 2;
            }
            else if (lead >= 0xE0 && lead <= 0xEF)
            {
                length = 3;
                if (lead == 0xE0)
                {
                    low = 0xA0;
                }
                else if (lead == 0xED)
                {
                    // U+D800..U+DFFF are not characters.
                    high = 0x9F;
                }
            }
            else if (lead >= 0xF0 && lead <= 0xF4)
            {
                length = 4;
                if (lead == 0xF0)
                {
                    low = 0x90;
                }
                else if (lead == 0xF4)
                {
                    high = 0x8F;
                }
            }
            else
            {
                return -1;
            }

            if (_end - at < length)
            {
                return -1;
            }

            byte second = _buffer[at + 1];
            if (second < low || second > high)
            {
                return -1;
            }

            for (int i = 2; i < length; i++)
            {
                byte b = _buffer[at + i];
                if (b < 0x80 || b > 0xBF)
                {
                    return -1;
                }
            }

            return length;
        }

        private void SkipWhitespace()
        {
            while (_pos < _end)
            {
                byte b = _buffer[_pos];
                if (b != (byte)' ' && b != (byte)'\t' && b != (byte)'\n' && b != (byte)'\r')
                {
                    return;
                }

                _pos++;
            }
        }

        private void SkipDigits()
        {
            while (_pos < _end && IsDigit(_buffer[_pos]))
            {
                _pos++;
            }
        }

        private bool AtDelimiter()
        {
            if (_pos == _end)
            {
                return true;
            }

            byte b = _buffer[_pos];
            return b == (byte)',' || b == (byte)']' || b == (byte)'}' || b == (byte)' ' || b == (byte)'\t' || b == (byte)'\n' || b == (byte)'\r';
        }

        private static bool IsDigit(byte b)
        {
            return b >= (byte)'0' && b <= (byte)'9';
        }

        private static int HexValue(byte b)
        {
            if (b >= (byte)'0' && b <= (byte)'9')
            {
                return b - '0';
            }

            if (b >= (byte)'a' && b <= (byte)'f')
            {
                return b - 'a' + 10;
            }

            if (b >= (byte)'A' && b <= (byte)'F')
            {
                return b - 'A' + 10;
            }

            return -1;
        }

        /// <summary>The octet a one-letter escape stands for, or 0 for an unknown escape.</summary>
        private static byte Unescape(byte e)
        {
            switch (e)
            {
                case (byte)'"':
                    return (byte)'"';
                case (byte)'\\':
                    return (byte)'\\';
                case (byte)'/':
                    return (byte)'/';
                case (byte)'b':
                    return 0x08;
                case (byte)'f':
                    return 0x0C;
                case (byte)'n':
                    return 0x0A;
                case (byte)'r':
                    return 0x0D;
                case (byte)'t':
                    return 0x09;
                default:
                    return 0;
            }
        }

        private static int PutUtf8(int code, byte[] destination, int at)
        {
            if (code < 0x80)
            {
                destination[at] = (byte)code;
                return 1;
            }

            if (code < 0x800)
            {
                destination[at] = (byte)(0xC0 | (code >> 6));
                destination[at + 1] = (byte)(0x80 | (code & 0x3F));
                return 2;
            }

            if (code < 0x10000)
            {
                destination[at] = (byte)(0xE0 | (code >> 12));
                destination[at + 1] = (byte)(0x80 | ((code >> 6) & 0x3F));
                destination[at + 2] = (byte)(0x80 | (code & 0x3F));
                return 3;
            }

            destination[at] = (byte)(0xF0 | (code >> 18));
            destination[at + 1] = (byte)(0x80 | ((code >> 12) & 0x3F));
            destination[at + 2] = (byte)(0x80 | ((code >> 6) & 0x3F));
            destination[at + 3] = (byte)(0x80 | (code & 0x3F));
            return 4;
        }
    }
}
