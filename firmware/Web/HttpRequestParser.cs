using System;
using NetBoard.Firmware.Text;

namespace NetBoard.Firmware.Web
{
    /// <summary>
    /// An HTTP/1.1 request parser (RFC 9112) fed with bytes as they arrive: request line, header
    /// lines, then a Content-Length body. Memory is fixed at construction: one line buffer and one
    /// body buffer. Only the headers the board uses are kept (Host, Content-Length, Content-Type,
    /// Cookie); the others are checked for syntax and dropped. A request over a limit or malformed
    /// ends in <see cref="HttpParseState.Failed"/> with the status to answer.
    /// </summary>
    public sealed class HttpRequestParser
    {
        /// <summary>Default longest request line or header line, in bytes without CRLF.</summary>
        public const int DefaultMaxLineBytes = 1024;

        /// <summary>Default longest header block (all header lines with their line ends), in bytes.</summary>
        public const int DefaultMaxHeaderBytes = 4096;

        /// <summary>Default largest body, in bytes: a settings form fits several times over.</summary>
        public const int DefaultMaxBodyBytes = 2048;

        /// <summary>Most header lines in one request.</summary>
        public const int MaxHeaderCount = 40;

        /// <summary>Empty lines tolerated before the request line (RFC 9112 section 2.2).</summary>
        public const int MaxLeadingEmptyLines = 2;

        private const byte Cr = 13;
        private const byte Lf = 10;
        private const byte Space = 32;
        private const byte Tab = 9;

        private readonly byte[] _line;
        private readonly byte[] _body;
        private readonly int _maxHeaderBytes;
        private int _lineLength;
        private bool _sawCr;
        private int _headerBytes;
        private int _headerCount;
        private int _emptyLines;
        private int _bodyLength;

        /// <summary>Creates a parser with the default limits.</summary>
        public HttpRequestParser()
            : this(DefaultMaxLineBytes, DefaultMaxHeaderBytes, DefaultMaxBodyBytes)
        {
        }

        /// <summary>Creates a parser with the given limits (all in bytes).</summary>
        public HttpRequestParser(int maxLineBytes, int maxHeaderBytes, int maxBodyBytes)
        {
            if (maxLineBytes < 16)
            {
                throw new ArgumentOutOfRangeException("maxLineBytes");
            }

            if (maxHeaderBytes < maxLineBytes)
            {
                throw new ArgumentOutOfRangeException("maxHeaderBytes");
            }

            if (maxBodyBytes < 0)
            {
                throw new ArgumentOutOfRangeException("maxBodyBytes");
            }

            _line = new byte[maxLineBytes];
            _body = new byte[maxBodyBytes];
            _maxHeaderBytes = maxHeaderBytes;
            Reset();
        }

        /// <summary>Bytes this parser holds whatever the requests: its line and body buffers.</summary>
        public int BufferBytes
        {
            get { return _line.Length + _body.Length; }
        }

        /// <summary>Where the parser is.</summary>
        public HttpParseState State { get; private set; }

        /// <summary>The status to answer when <see cref="State"/> is Failed (400, 408, 413, 414, 431, 501, 505), else 0.</summary>
        public int ErrorStatus { get; private set; }

        /// <summary>Why the request was refused, in a few words (no request bytes), or empty.</summary>
        public string ErrorReason { get; private set; }

        /// <summary>The method, e.g. "GET" (case-sensitive, as RFC 9110 says).</summary>
        public string Method { get; private set; }

        /// <summary>The request target's path, e.g. "/settings" (still percent-encoded).</summary>
        public string Path { get; private set; }

        /// <summary>The request target's query without the '?', or empty.</summary>
        public string Query { get; private set; }

        /// <summary>True for HTTP/1.0.</summary>
        public bool IsHttp10 { get; private set; }

        /// <summary>The Host header, or empty.</summary>
        public string Host { get; private set; }

        /// <summary>The Content-Type header, or empty.</summary>
        public string ContentType { get; private set; }

        /// <summary>The Cookie header (several joined with "; "), or empty.</summary>
        public string Cookie { get; private set; }

        /// <summary>The Content-Length, or -1 when the request has none.</summary>
        public int ContentLength { get; private set; }

        /// <summary>The body buffer; bytes 0 to <see cref="BodyLength"/> are the body once Complete.</summary>
        public byte[] Body
        {
            get { return _body; }
        }

        /// <summary>Body bytes received so far.</summary>
        public int BodyLength
        {
            get { return _bodyLength; }
        }

        /// <summary>True when the request is finished one way or the other.</summary>
        public bool IsDone
        {
            get { return State == HttpParseState.Complete || State == HttpParseState.Failed; }
        }

        /// <summary>Forgets the request and waits for a new one; the buffers are kept.</summary>
        public void Reset()
        {
            State = HttpParseState.RequestLine;
            ErrorStatus = 0;
            ErrorReason = string.Empty;
            Method = string.Empty;
            Path = string.Empty;
            Query = string.Empty;
            IsHttp10 = false;
            Host = null;
            ContentType = string.Empty;
            Cookie = string.Empty;
            ContentLength = -1;
            _lineLength = 0;
            _sawCr = false;
            _headerBytes = 0;
            _headerCount = 0;
            _emptyLines = 0;
            _bodyLength = 0;
        }

        /// <summary>Whether the request carries a form body (application/x-www-form-urlencoded).</summary>
        public bool HasFormBody
        {
            get
            {
                const string Form = "application/x-www-form-urlencoded";
                string type = ContentType;
                int end = type.IndexOf(';');
                if (end < 0)
                {
                    end = type.Length;
                }

                while (end > 0 && (type[end - 1] == ' ' || type[end - 1] == '\t'))
                {
                    end--;
                }

                if (end != Form.Length)
                {
                    return false;
                }

                for (int i = 0; i < end; i++)
                {
                    char c = type[i];
                    if (c >= 'A' && c <= 'Z')
                    {
                        c = (char)(c + ('a' - 'A'));
                    }

                    if (c != Form[i])
                    {
                        return false;
                    }
                }

                return true;
            }
        }

        /// <summary>Ends the request because the client was too slow: Failed with 408, unless it is already done.</summary>
        public void TimeOut()
        {
            if (!IsDone)
            {
                Fail(HttpStatus.RequestTimeout, "request not received in time");
            }
        }

        /// <summary>
        /// Takes received bytes. Stops at the end of the request or at the first error, so bytes
        /// after it are left unconsumed.
        /// </summary>
        /// <returns>How many bytes were consumed.</returns>
        public int Feed(byte[] data, int offset, int count)
        {
            if (data == null)
            {
                throw new ArgumentNullException("data");
            }

            if (offset < 0 || count < 0 || offset > data.Length - count)
            {
                throw new ArgumentOutOfRangeException("count");
            }

            int i = offset;
            int end = offset + count;
            while (i < end && !IsDone)
            {
                if (State == HttpParseState.Body)
                {
                    int take = ContentLength - _bodyLength;
                    if (take > end - i)
                    {
                        take = end - i;
                    }

                    Array.Copy(data, i, _body, _bodyLength, take);
                    _bodyLength += take;
                    i += take;
                    if (_bodyLength == ContentLength)
                    {
                        State = HttpParseState.Complete;
                    }

                    continue;
                }

                byte b = data[i++];
                if (State == HttpParseState.Headers)
                {
                    _headerBytes++;
                    if (_headerBytes > _maxHeaderBytes)
                    {
                        Fail(HttpStatus.HeaderFieldsTooLarge, "header block too large");
                        break;
                    }
                }

                if (_sawCr)
                {
                    _sawCr = false;
                    if (b != Lf)
                    {
                        Fail(HttpStatus.BadRequest, "CR without LF");
                        break;
                    }

                    EndLine();
                    continue;
                }

                if (b == Cr)
                {
                    _sawCr = true;
                }
                else if (b == Lf)
                {
                    EndLine();
                }
                else if (_lineLength == _line.Length)
                {
                    if (State == HttpParseState.RequestLine)
                    {
                        Fail(HttpStatus.UriTooLong, "request line too long");
                    }
                    else
                    {
                        Fail(HttpStatus.HeaderFieldsTooLarge, "header line too long");
                    }
                }
                else
                {
                    _line[_lineLength++] = b;
                }
            }

            return i - offset;
        }

        private static bool IsTokenChar(byte b)
        {
            if ((b >= (byte)'a' && b <= (byte)'z') || (b >= (byte)'A' && b <= (byte)'Z') || (b >= (byte)'0' && b <= (byte)'9'))
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

        private void Fail(int status, string reason)
        {
            State = HttpParseState.Failed;
            ErrorStatus = status;
            ErrorReason = reason;
        }

        private void EndLine()
        {
            int length = _lineLength;
            _lineLength = 0;
            if (State == HttpParseState.RequestLine)
            {
                if (length == 0)
                {
                    _emptyLines++;
                    if (_emptyLines > MaxLeadingEmptyLines)
                    {
                        Fail(HttpStatus.BadRequest, "empty lines instead of a request");
                    }

                    return;
                }

                ParseRequestLine(length);
                return;
            }

            if (length == 0)
            {
                EndHeaders();
                return;
            }

            _headerCount++;
            if (_headerCount > MaxHeaderCount)
            {
                Fail(HttpStatus.HeaderFieldsTooLarge, "too many header lines");
                return;
            }

            ParseHeader(length);
        }

        private void ParseRequestLine(int length)
        {
            int firstSpace = -1;
            int secondSpace = -1;
            for (int i = 0; i < length; i++)
            {
                if (_line[i] == Space)
                {
                    if (firstSpace < 0)
                    {
                        firstSpace = i;
                    }
                    else if (secondSpace < 0)
                    {
                        secondSpace = i;
                    }
                    else
                    {
                        Fail(HttpStatus.BadRequest, "malformed request line");
                        return;
                    }
                }
            }

            if (firstSpace <= 0 || secondSpace <= firstSpace + 1 || secondSpace == length - 1)
            {
                Fail(HttpStatus.BadRequest, "malformed request line");
                return;
            }

            for (int i = 0; i < firstSpace; i++)
            {
                if (!IsTokenChar(_line[i]))
                {
                    Fail(HttpStatus.BadRequest, "malformed method");
                    return;
                }
            }

            // Origin form only (RFC 9112 section 3.2.1): a path that starts with '/', visible ASCII, no fragment.
            if (_line[firstSpace + 1] != (byte)'/')
            {
                Fail(HttpStatus.BadRequest, "request target is not a path");
                return;
            }

            int question = -1;
            for (int i = firstSpace + 1; i < secondSpace; i++)
            {
                byte b = _line[i];
                if (b <= Space || b >= 127 || b == (byte)'#')
                {
                    Fail(HttpStatus.BadRequest, "malformed request target");
                    return;
                }

                if (b == (byte)'?' && question < 0)
                {
                    question = i;
                }
            }

            // HTTP-version = "HTTP/" DIGIT "." DIGIT
            int v = secondSpace + 1;
            if (length - v != 8 || _line[v] != (byte)'H' || _line[v + 1] != (byte)'T' || _line[v + 2] != (byte)'T' || _line[v + 3] != (byte)'P'
                || _line[v + 4] != (byte)'/' || !IsDigit(_line[v + 5]) || _line[v + 6] != (byte)'.' || !IsDigit(_line[v + 7]))
            {
                Fail(HttpStatus.BadRequest, "malformed HTTP version");
                return;
            }

            if (_line[v + 5] != (byte)'1')
            {
                Fail(HttpStatus.HttpVersionNotSupported, "not HTTP/1.x");
                return;
            }

            IsHttp10 = _line[v + 7] == (byte)'0';
            Method = Ascii.GetString(_line, 0, firstSpace);
            if (question < 0)
            {
                Path = Ascii.GetString(_line, firstSpace + 1, secondSpace - firstSpace - 1);
            }
            else
            {
                Path = Ascii.GetString(_line, firstSpace + 1, question - firstSpace - 1);
                Query = Ascii.GetString(_line, question + 1, secondSpace - question - 1);
            }

            State = HttpParseState.Headers;
        }

        private static bool IsDigit(byte b)
        {
            return b >= (byte)'0' && b <= (byte)'9';
        }

        private void ParseHeader(int length)
        {
            if (_line[0] == Space || _line[0] == Tab)
            {
                // Obsolete line folding (RFC 9112 section 5.2): refused rather than guessed at.
                Fail(HttpStatus.BadRequest, "folded header line");
                return;
            }

            int colon = -1;
            for (int i = 0; i < length; i++)
            {
                byte b = _line[i];
                if (b == (byte)':')
                {
                    colon = i;
                    break;
                }

                if (!IsTokenChar(b))
                {
                    Fail(HttpStatus.BadRequest, "malformed header name");
                    return;
                }
            }

            if (colon <= 0)
            {
                Fail(HttpStatus.BadRequest, "malformed header line");
                return;
            }

            int start = colon + 1;
            int end = length;
            while (start < end && (_line[start] == Space || _line[start] == Tab))
            {
                start++;
            }

            while (end > start && (_line[end - 1] == Space || _line[end - 1] == Tab))
            {
                end--;
            }

            for (int i = start; i < end; i++)
            {
                byte b = _line[i];
                if ((b < Space && b != Tab) || b == 127)
                {
                    Fail(HttpStatus.BadRequest, "control character in a header value");
                    return;
                }
            }

            if (NameIs(colon, "content-length"))
            {
                SetContentLength(start, end);
            }
            else if (NameIs(colon, "host"))
            {
                if (Host != null)
                {
                    Fail(HttpStatus.BadRequest, "more than one Host header");
                    return;
                }

                Host = Utf8.GetString(_line, start, end - start);
            }
            else if (NameIs(colon, "content-type"))
            {
                ContentType = Utf8.GetString(_line, start, end - start);
            }
            else if (NameIs(colon, "cookie"))
            {
                string value = Utf8.GetString(_line, start, end - start);
                Cookie = Cookie.Length == 0 ? value : Cookie + "; " + value;
            }
            else if (NameIs(colon, "transfer-encoding"))
            {
                Fail(HttpStatus.NotImplemented, "transfer codings are not supported");
            }
        }

        private bool NameIs(int nameLength, string lowerName)
        {
            if (nameLength != lowerName.Length)
            {
                return false;
            }

            for (int i = 0; i < nameLength; i++)
            {
                int c = _line[i];
                if (c >= 'A' && c <= 'Z')
                {
                    c += 'a' - 'A';
                }

                if (c != lowerName[i])
                {
                    return false;
                }
            }

            return true;
        }

        private void SetContentLength(int start, int end)
        {
            if (start == end)
            {
                Fail(HttpStatus.BadRequest, "empty Content-Length");
                return;
            }

            long value = 0;
            for (int i = start; i < end; i++)
            {
                if (!IsDigit(_line[i]))
                {
                    Fail(HttpStatus.BadRequest, "malformed Content-Length");
                    return;
                }

                if (value <= _body.Length)
                {
                    value = (value * 10) + (_line[i] - (byte)'0');
                }
            }

            if (ContentLength >= 0 && ContentLength != value)
            {
                Fail(HttpStatus.BadRequest, "conflicting Content-Length headers");
                return;
            }

            if (value > _body.Length)
            {
                Fail(HttpStatus.ContentTooLarge, "body too large");
                return;
            }

            ContentLength = (int)value;
        }

        private void EndHeaders()
        {
            if (Host == null)
            {
                if (!IsHttp10)
                {
                    // RFC 9112 section 3.2: an HTTP/1.1 request without Host is answered 400.
                    Fail(HttpStatus.BadRequest, "no Host header");
                    return;
                }

                Host = string.Empty;
            }

            if (ContentLength > 0)
            {
                State = HttpParseState.Body;
            }
            else
            {
                State = HttpParseState.Complete;
            }
        }
    }
}
