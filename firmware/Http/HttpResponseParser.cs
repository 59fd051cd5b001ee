using NetBoard.Firmware.Text;

namespace NetBoard.Firmware.Http
{
    /// <summary>
    /// Parses one HTTP/1.1 response (RFC 9112) fed in pieces of any size: status line, header fields, then a body
    /// framed by Content-Length, chunked transfer coding (extensions and trailer fields accepted and ignored) or the
    /// connection's close. Memory is fixed: one line buffer, whatever the server sends. Header lines longer than the
    /// buffer are counted but only their start is kept, which is enough for the fields read here; the status line
    /// and header fields together are bounded by the header block limit, the body by the body limit.
    /// </summary>
    /// <remarks>
    /// Body octets are not copied: a <see cref="HttpParseEvent.Body"/> event points into the buffer that was fed.
    /// Interim 1xx responses (100 Continue, 103 Early Hints) are skipped.
    /// </remarks>
    public sealed class HttpResponseParser
    {
        /// <summary>Octets of each header line kept for parsing.</summary>
        public const int MaxLineLength = 1024;

        /// <summary>The header block limit unless the caller sets one.</summary>
        public const int DefaultMaxHeaderBlockSize = 16384;

        /// <summary>Longest chunk-size line, extensions included.</summary>
        public const int MaxChunkLineLength = 1024;

        /// <summary>How many interim 1xx responses may come before the final one.</summary>
        public const int MaxInterimResponses = 8;

        private const int MaxReasonLength = 128;
        private const int MaxContentTypeLength = 128;
        private const long MaxContentLengthValue = 999999999999999L;

        private const int StatusLine = 0;
        private const int HeaderLines = 1;
        private const int BodyLength = 2;
        private const int BodyUntilClose = 3;
        private const int ChunkSize = 4;
        private const int ChunkLineRest = 5;
        private const int ChunkData = 6;
        private const int ChunkDataEnd = 7;
        private const int Trailers = 8;
        private const int CompletePending = 9;
        private const int Done = 10;
        private const int Failed = 11;

        private readonly int _maxHeaderBlockSize;
        private readonly int _maxBodySize;
        private readonly bool _responseToHead;
        private readonly byte[] _line = new byte[MaxLineLength];

        private int _state = StatusLine;
        private int _lineLength;
        private bool _lineTruncated;
        private bool _sawCr;
        private int _blockBytes;
        private int _interim;
        private bool _lastFieldRead;
        private bool _chunkedSeen;
        private long _remaining;
        private long _chunkSize;
        private int _chunkDigits;
        private int _chunkLineBytes;
        private bool _chunkExtension;

        /// <summary>Creates a parser for one response.</summary>
        /// <param name="maxHeaderBlockSize">Most octets of status line plus header fields (and, separately, of trailer fields).</param>
        /// <param name="maxBodySize">Most body octets accepted.</param>
        /// <param name="responseToHead">True when the request was HEAD: the response has no body whatever its fields say.</param>
        public HttpResponseParser(int maxHeaderBlockSize, int maxBodySize, bool responseToHead)
        {
            if (maxHeaderBlockSize < 16)
            {
                throw new System.ArgumentOutOfRangeException("maxHeaderBlockSize");
            }

            if (maxBodySize < 0)
            {
                throw new System.ArgumentOutOfRangeException("maxBodySize");
            }

            _maxHeaderBlockSize = maxHeaderBlockSize;
            _maxBodySize = maxBodySize;
            _responseToHead = responseToHead;
            Reason = string.Empty;
            ContentType = string.Empty;
            ErrorDetail = string.Empty;
            ContentLength = -1;
        }

        /// <summary>The final response's status code (100 to 599) once the status line is in, else 0.</summary>
        public int StatusCode { get; private set; }

        /// <summary>The reason phrase (at most 128 characters), or empty.</summary>
        public string Reason { get; private set; }

        /// <summary>The minor version of the status line's HTTP/1.x.</summary>
        public int MinorVersion { get; private set; }

        /// <summary>The Content-Length field's value, or -1 when there is none.</summary>
        public long ContentLength { get; private set; }

        /// <summary>The Content-Type field's value (at most 128 characters), or empty.</summary>
        public string ContentType { get; private set; }

        /// <summary>True when a Connection field says close.</summary>
        public bool ConnectionClose { get; private set; }

        /// <summary>How the body ends; known from <see cref="HttpParseEvent.HeadersComplete"/> on.</summary>
        public HttpBodyFraming Framing { get; private set; }

        /// <summary>Body octets delivered so far.</summary>
        public long BodyReceived { get; private set; }

        /// <summary>After a <see cref="HttpParseEvent.Body"/> event: where its octets start in the fed buffer.</summary>
        public int BodyOffset { get; private set; }

        /// <summary>After a <see cref="HttpParseEvent.Body"/> event: how many octets it has.</summary>
        public int BodyCount { get; private set; }

        /// <summary>After <see cref="HttpParseEvent.Error"/>: the kind of failure; otherwise None.</summary>
        public HttpError Error { get; private set; }

        /// <summary>After <see cref="HttpParseEvent.Error"/>: what was wrong, in a few words; otherwise empty.</summary>
        public string ErrorDetail { get; private set; }

        /// <summary>True once the response is complete.</summary>
        public bool IsComplete
        {
            get { return _state == Done || _state == CompletePending; }
        }

        /// <summary>True once the final response's header fields are in.</summary>
        public bool HeadersDone
        {
            get { return Framing != HttpBodyFraming.Unknown; }
        }

        /// <summary>
        /// Consumes bytes up to the next event. Call again with the rest (even none) until it returns
        /// <see cref="HttpParseEvent.NeedMore"/>, <see cref="HttpParseEvent.Complete"/> or <see cref="HttpParseEvent.Error"/>.
        /// </summary>
        /// <param name="buffer">Received bytes.</param>
        /// <param name="offset">First byte to read.</param>
        /// <param name="count">Bytes available (may be 0).</param>
        /// <param name="consumed">How many bytes were consumed; bytes after a complete response are left alone.</param>
        /// <returns>What happened.</returns>
        public HttpParseEvent Feed(byte[] buffer, int offset, int count, out int consumed)
        {
            consumed = 0;
            if (buffer == null)
            {
                throw new System.ArgumentNullException("buffer");
            }

            if (offset < 0 || count < 0 || offset > buffer.Length - count)
            {
                throw new System.ArgumentOutOfRangeException("count");
            }

            BodyCount = 0;
            int i = offset;
            int end = offset + count;
            while (true)
            {
                HttpParseEvent ev = Step(buffer, ref i, end);
                if (ev != HttpParseEvent.NeedMore || (i == end && _state != CompletePending))
                {
                    consumed = i - offset;
                    return ev;
                }
            }
        }

        /// <summary>The server closed the connection: completes a body that runs until the close, else the response came short.</summary>
        /// <returns>Complete or Error (<see cref="HttpError.ClosedEarly"/>).</returns>
        public HttpParseEvent OnClosed()
        {
            switch (_state)
            {
                case Done:
                case CompletePending:
                case BodyUntilClose:
                    _state = Done;
                    return HttpParseEvent.Complete;
                case Failed:
                    return HttpParseEvent.Error;
                case StatusLine:
                    return Fail(HttpError.ClosedEarly, _blockBytes == 0 && _interim == 0 ? "connection closed before any response" : "connection closed in the status line");
                case HeaderLines:
                    return Fail(HttpError.ClosedEarly, "connection closed in the header fields");
                case BodyLength:
                    return Fail(HttpError.ClosedEarly, "connection closed after " + BodyReceived.ToString() + " of " + ContentLength.ToString() + " body octets");
                default:
                    return Fail(HttpError.ClosedEarly, "connection closed inside the chunked body");
            }
        }

        private HttpParseEvent Step(byte[] buffer, ref int i, int end)
        {
            switch (_state)
            {
                case Done:
                    return HttpParseEvent.Complete;

                case Failed:
                    return HttpParseEvent.Error;

                case CompletePending:
                    _state = Done;
                    return HttpParseEvent.Complete;

                case StatusLine:
                case HeaderLines:
                case Trailers:
                    return StepLine(buffer, ref i, end);

                case BodyLength:
                case ChunkData:
                    return StepCounted(ref i, end);

                case BodyUntilClose:
                    if (i == end)
                    {
                        return HttpParseEvent.NeedMore;
                    }

                    long allowed = _maxBodySize - BodyReceived;
                    if (allowed == 0)
                    {
                        return Fail(HttpError.BodyTooLarge, "body larger than " + _maxBodySize.ToString() + " octets");
                    }

                    // Up to the limit the octets are body like any other; the one after it fails on the next step.
                    return Deliver(ref i, end - i < allowed ? end - i : (int)allowed);

                case ChunkSize:
                    return StepChunkSize(buffer, ref i, end);

                case ChunkLineRest:
                    return StepChunkLineRest(buffer, ref i, end);

                default:
                    return StepChunkDataEnd(buffer, ref i, end);
            }
        }

        private HttpParseEvent StepLine(byte[] buffer, ref int i, int end)
        {
            while (i < end)
            {
                byte b = buffer[i++];
                if (++_blockBytes > _maxHeaderBlockSize)
                {
                    return Fail(HttpError.HeaderTooLarge, _state == Trailers ? "trailer fields too large" : "header fields larger than " + _maxHeaderBlockSize.ToString() + " octets");
                }

                if (_sawCr && b != (byte)'\n')
                {
                    return Fail(HttpError.Malformed, "CR without LF in the header fields");
                }

                if (b == (byte)'\n')
                {
                    _sawCr = false;
                    HttpParseEvent ev = OnLine();
                    _lineLength = 0;
                    _lineTruncated = false;
                    return ev;
                }

                if (b == (byte)'\r')
                {
                    _sawCr = true;
                    continue;
                }

                if (b == 0)
                {
                    return Fail(HttpError.Malformed, "NUL in the header fields");
                }

                if (_lineLength < MaxLineLength)
                {
                    _line[_lineLength++] = b;
                }
                else
                {
                    _lineTruncated = true;
                }
            }

            return HttpParseEvent.NeedMore;
        }

        private HttpParseEvent StepCounted(ref int i, int end)
        {
            if (i == end)
            {
                return HttpParseEvent.NeedMore;
            }

            long available = end - i;
            int n = (int)(available < _remaining ? available : _remaining);
            _remaining -= n;
            if (_remaining == 0)
            {
                _state = _state == BodyLength ? CompletePending : ChunkDataEnd;
            }

            return Deliver(ref i, n);
        }

        private HttpParseEvent Deliver(ref int i, int n)
        {
            BodyOffset = i;
            BodyCount = n;
            BodyReceived += n;
            i += n;
            return HttpParseEvent.Body;
        }

        private HttpParseEvent StepChunkSize(byte[] buffer, ref int i, int end)
        {
            while (i < end)
            {
                byte b = buffer[i];
                int digit = HexValue(b);
                if (digit < 0)
                {
                    if (_chunkDigits == 0)
                    {
                        return Fail(HttpError.Malformed, "chunk size expected");
                    }

                    _state = ChunkLineRest;
                    _chunkExtension = false;
                    _sawCr = false;
                    return HttpParseEvent.NeedMore;
                }

                i++;
                _chunkDigits++;
                if (++_chunkLineBytes > MaxChunkLineLength)
                {
                    return Fail(HttpError.Malformed, "chunk size line too long");
                }

                _chunkSize = (_chunkSize << 4) | (long)digit;
                if (_chunkSize > _maxBodySize - BodyReceived)
                {
                    return Fail(HttpError.BodyTooLarge, "body larger than " + _maxBodySize.ToString() + " octets");
                }
            }

            return HttpParseEvent.NeedMore;
        }

        private HttpParseEvent StepChunkLineRest(byte[] buffer, ref int i, int end)
        {
            while (i < end)
            {
                byte b = buffer[i++];
                if (++_chunkLineBytes > MaxChunkLineLength)
                {
                    return Fail(HttpError.Malformed, "chunk extension too long");
                }

                if (_sawCr && b != (byte)'\n')
                {
                    return Fail(HttpError.Malformed, "CR without LF in a chunk size line");
                }

                if (b == (byte)'\n')
                {
                    return EndChunkLine();
                }

                if (b == (byte)'\r')
                {
                    _sawCr = true;
                }
                else if (b == (byte)';')
                {
                    _chunkExtension = true;
                }
                else if (b == (byte)' ' || b == (byte)'\t')
                {
                    // Whitespace is allowed around the extension's ";" and "=".
                }
                else if (!_chunkExtension || b < 0x20 || b == 0x7F)
                {
                    return Fail(HttpError.Malformed, "malformed chunk size line");
                }
            }

            return HttpParseEvent.NeedMore;
        }

        private HttpParseEvent EndChunkLine()
        {
            _sawCr = false;
            _chunkDigits = 0;
            _chunkLineBytes = 0;
            if (_chunkSize == 0)
            {
                _state = Trailers;
                _blockBytes = 0;
                _lineLength = 0;
                _lineTruncated = false;
                return HttpParseEvent.NeedMore;
            }

            _remaining = _chunkSize;
            _chunkSize = 0;
            _state = ChunkData;
            return HttpParseEvent.NeedMore;
        }

        private HttpParseEvent StepChunkDataEnd(byte[] buffer, ref int i, int end)
        {
            while (i < end)
            {
                byte b = buffer[i++];
                if (b == (byte)'\n')
                {
                    _sawCr = false;
                    _state = ChunkSize;
                    return HttpParseEvent.NeedMore;
                }

                if (b != (byte)'\r' || _sawCr)
                {
                    return Fail(HttpError.Malformed, "chunk data longer than its size");
                }

                _sawCr = true;
            }

            return HttpParseEvent.NeedMore;
        }

        private HttpParseEvent OnLine()
        {
            if (_state == StatusLine)
            {
                return OnStatusLine();
            }

            if (_lineLength == 0)
            {
                return _state == Trailers ? Complete() : OnHeadersEnd();
            }

            if (_line[0] == (byte)' ' || _line[0] == (byte)'\t')
            {
                // Obsolete line folding continues the previous field; only the fields read here must not be folded.
                if (_state == HeaderLines && _lastFieldRead)
                {
                    return Fail(HttpError.Malformed, "folded header field");
                }

                return HttpParseEvent.NeedMore;
            }

            int colon = -1;
            for (int k = 0; k < _lineLength; k++)
            {
                if (_line[k] == (byte)':')
                {
                    colon = k;
                    break;
                }

                if (!IsTokenChar(_line[k]))
                {
                    return Fail(HttpError.Malformed, "malformed header field name");
                }
            }

            if (colon <= 0)
            {
                return Fail(HttpError.Malformed, "header line without a field name");
            }

            _lastFieldRead = false;
            if (_state == Trailers)
            {
                return HttpParseEvent.NeedMore;
            }

            int valueStart = colon + 1;
            int valueEnd = _lineLength;
            while (valueStart < valueEnd && IsSpace(_line[valueStart]))
            {
                valueStart++;
            }

            while (valueEnd > valueStart && IsSpace(_line[valueEnd - 1]))
            {
                valueEnd--;
            }

            if (NameIs(colon, "content-length"))
            {
                _lastFieldRead = true;
                return OnContentLength(valueStart, valueEnd);
            }

            if (NameIs(colon, "transfer-encoding"))
            {
                _lastFieldRead = true;
                return OnTransferEncoding(valueStart, valueEnd);
            }

            if (NameIs(colon, "connection"))
            {
                _lastFieldRead = true;
                if (_lineTruncated)
                {
                    return Fail(HttpError.HeaderTooLarge, "Connection field too long");
                }

                if (ListHas(valueStart, valueEnd, "close"))
                {
                    ConnectionClose = true;
                }

                return HttpParseEvent.NeedMore;
            }

            if (NameIs(colon, "content-type"))
            {
                _lastFieldRead = true;
                int length = valueEnd - valueStart;
                ContentType = Ascii.GetString(_line, valueStart, length < MaxContentTypeLength ? length : MaxContentTypeLength);
            }

            return HttpParseEvent.NeedMore;
        }

        private HttpParseEvent OnStatusLine()
        {
            // HTTP-version SP status-code SP [ reason-phrase ]; "HTTP/1.1 200" without the second space is accepted.
            if (_lineLength < 12 || _line[0] != (byte)'H' || _line[1] != (byte)'T' || _line[2] != (byte)'T' || _line[3] != (byte)'P' || _line[4] != (byte)'/'
                || !IsDigit(_line[5]) || _line[6] != (byte)'.' || !IsDigit(_line[7]) || _line[8] != (byte)' ')
            {
                return Fail(HttpError.Malformed, "malformed status line");
            }

            if (_line[5] != (byte)'1')
            {
                return Fail(HttpError.Unsupported, "not an HTTP/1.x response");
            }

            if (!IsDigit(_line[9]) || !IsDigit(_line[10]) || !IsDigit(_line[11]) || (_lineLength > 12 && _line[12] != (byte)' '))
            {
                return Fail(HttpError.Malformed, "malformed status code");
            }

            int code = ((_line[9] - '0') * 100) + ((_line[10] - '0') * 10) + (_line[11] - '0');
            if (code < 100 || code > 599)
            {
                return Fail(HttpError.Malformed, "status code out of range");
            }

            for (int k = 13; k < _lineLength; k++)
            {
                byte b = _line[k];
                if ((b < 0x20 && b != (byte)'\t') || b == 0x7F)
                {
                    return Fail(HttpError.Malformed, "control character in the reason phrase");
                }
            }

            StatusCode = code;
            MinorVersion = _line[7] - '0';
            if (code < 200)
            {
                // Interim responses carry no reason worth keeping.
                Reason = string.Empty;
            }
            else
            {
                int reasonLength = _lineLength > 13 ? _lineLength - 13 : 0;
                Reason = Ascii.GetString(_line, 13 < _lineLength ? 13 : _lineLength, reasonLength < MaxReasonLength ? reasonLength : MaxReasonLength);
            }

            _state = HeaderLines;
            return HttpParseEvent.NeedMore;
        }

        private HttpParseEvent OnHeadersEnd()
        {
            if (StatusCode < 200)
            {
                if (StatusCode == 101)
                {
                    return Fail(HttpError.Unsupported, "unexpected protocol switch (101)");
                }

                if (++_interim > MaxInterimResponses)
                {
                    return Fail(HttpError.Malformed, "too many interim responses");
                }

                // An interim response's fields say nothing about the final one.
                ContentLength = -1;
                _chunkedSeen = false;
                ConnectionClose = false;
                ContentType = string.Empty;
                _lastFieldRead = false;
                StatusCode = 0;
                _state = StatusLine;
                return HttpParseEvent.NeedMore;
            }

            if (_responseToHead || StatusCode == 204 || StatusCode == 304)
            {
                Framing = HttpBodyFraming.None;
                _state = CompletePending;
            }
            else if (_chunkedSeen)
            {
                // RFC 9112 6.3: Transfer-Encoding overrides Content-Length.
                Framing = HttpBodyFraming.Chunked;
                _state = ChunkSize;
                _chunkSize = 0;
                _chunkDigits = 0;
                _chunkLineBytes = 0;
            }
            else if (ContentLength >= 0)
            {
                if (ContentLength > _maxBodySize)
                {
                    return Fail(HttpError.BodyTooLarge, "announced body of " + ContentLength.ToString() + " octets is larger than " + _maxBodySize.ToString());
                }

                Framing = HttpBodyFraming.Length;
                _remaining = ContentLength;
                _state = ContentLength == 0 ? CompletePending : BodyLength;
            }
            else
            {
                Framing = HttpBodyFraming.UntilClose;
                _state = BodyUntilClose;
            }

            _blockBytes = 0;
            return HttpParseEvent.HeadersComplete;
        }

        private HttpParseEvent OnContentLength(int start, int end)
        {
            if (_lineTruncated || start == end)
            {
                return Fail(HttpError.Malformed, "invalid Content-Length");
            }

            long value = 0;
            for (int k = start; k < end; k++)
            {
                if (!IsDigit(_line[k]))
                {
                    return Fail(HttpError.Malformed, "invalid Content-Length");
                }

                value = (value * 10) + (_line[k] - '0');
                if (value > MaxContentLengthValue)
                {
                    return Fail(HttpError.BodyTooLarge, "announced body too large");
                }
            }

            if (ContentLength >= 0 && ContentLength != value)
            {
                return Fail(HttpError.Malformed, "conflicting Content-Length fields");
            }

            ContentLength = value;
            return HttpParseEvent.NeedMore;
        }

        private HttpParseEvent OnTransferEncoding(int start, int end)
        {
            if (_lineTruncated)
            {
                return Fail(HttpError.HeaderTooLarge, "Transfer-Encoding field too long");
            }

            int k = start;
            while (k < end)
            {
                int itemStart = k;
                while (k < end && _line[k] != (byte)',')
                {
                    k++;
                }

                int itemEnd = k;
                k++;
                while (itemStart < itemEnd && IsSpace(_line[itemStart]))
                {
                    itemStart++;
                }

                while (itemEnd > itemStart && IsSpace(_line[itemEnd - 1]))
                {
                    itemEnd--;
                }

                if (itemStart == itemEnd)
                {
                    continue;
                }

                if (_chunkedSeen)
                {
                    // RFC 9112 7.1: chunked is applied once, and last.
                    return Fail(HttpError.Malformed, "transfer coding after chunked");
                }

                if (!EqualsIgnoreCase(itemStart, itemEnd, "chunked"))
                {
                    return Fail(HttpError.Unsupported, "unsupported transfer coding");
                }

                _chunkedSeen = true;
            }

            return HttpParseEvent.NeedMore;
        }

        private HttpParseEvent Complete()
        {
            _state = CompletePending;
            return HttpParseEvent.NeedMore;
        }

        private HttpParseEvent Fail(HttpError error, string detail)
        {
            _state = Failed;
            Error = error;
            ErrorDetail = detail;
            BodyCount = 0;
            return HttpParseEvent.Error;
        }

        private bool NameIs(int length, string lowerName)
        {
            return length == lowerName.Length && EqualsIgnoreCase(0, length, lowerName);
        }

        private bool EqualsIgnoreCase(int start, int end, string lower)
        {
            if (end - start != lower.Length)
            {
                return false;
            }

            for (int k = 0; k < lower.Length; k++)
            {
                byte b = _line[start + k];
                if (b >= (byte)'A' && b <= (byte)'Z')
                {
                    b = (byte)(b + 32);
                }

                if (b != (byte)lower[k])
                {
                    return false;
                }
            }

            return true;
        }

        private bool ListHas(int start, int end, string lowerToken)
        {
            int k = start;
            while (k < end)
            {
                int itemStart = k;
                while (k < end && _line[k] != (byte)',')
                {
                    k++;
                }

                int itemEnd = k;
                k++;
                while (itemStart < itemEnd && IsSpace(_line[itemStart]))
                {
                    itemStart++;
                }

                while (itemEnd > itemStart && IsSpace(_line[itemEnd - 1]))
                {
                    itemEnd--;
                }

                if (EqualsIgnoreCase(itemStart, itemEnd, lowerToken))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsSpace(byte b)
        {
            return b == (byte)' ' || b == (byte)'\t';
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

        /// <summary>RFC 9110 5.6.2 tchar.</summary>
        private static bool IsTokenChar(byte b)
        {
            if ((b >= (byte)'a' && b <= (byte)'z') || (b >= (byte)'A' && b <= (byte)'Z') || IsDigit(b))
            {
                return true;
            }

            switch (b)
            {
                case (byte)'!':
                case (byte)'#':
                case (byte)'$':
                case (byte)'%':
                case (byte)'&':
                case (byte)'\'':
                case (byte)'*':
                case (byte)'+':
                case (byte)'-':
                case (byte)'.':
                case (byte)'^':
                case (byte)'_':
                case (byte)'`':
                case (byte)'|':
                case (byte)'~':
                    return true;
                default:
                    return false;
            }
        }
    }
}
