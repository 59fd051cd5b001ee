using System;
using NetBoard.Firmware.Text;
using NetBoard.Hal;

namespace NetBoard.Firmware.Web
{
    /// <summary>
    /// Sends a <see cref="HttpResponse"/> through a fixed chunk buffer: the head, then the body
    /// encoded to UTF-8 a chunk at a time, taking only what the connection's send buffer accepts per
    /// call. Every response carries the security headers, Cache-Control: no-store, its
    /// Content-Length and Connection: close.
    /// </summary>
    public sealed class HttpResponseWriter
    {
        /// <summary>Size of the chunk buffer, in bytes.</summary>
        public const int ChunkBytes = 512;

        /// <summary>The Content-Security-Policy of every answer: nothing but this board's own style sheet and forms, never in a frame.</summary>
        public const string ContentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

        private const int MaxUtf8BytesPerChar = 4;

        private readonly byte[] _chunk = new byte[ChunkBytes];
        private string _head;
        private string _body;
        private bool _inBody;
        private int _charIndex;
        private int _chunkLength;
        private int _chunkSent;
        private bool _done = true;

        /// <summary>True when nothing is left to send.</summary>
        public bool IsDone
        {
            get { return _done; }
        }

        /// <summary>Bytes handed to the connection since <see cref="Start"/>.</summary>
        public long BytesSent { get; private set; }

        /// <summary>The head text of <paramref name="response"/> (status line and headers, ending with the empty line).</summary>
        public static string FormatHead(HttpResponse response)
        {
            if (response == null)
            {
                throw new ArgumentNullException("response");
            }

            string head = "HTTP/1.1 " + response.Status.ToString() + " " + HttpStatus.ReasonPhrase(response.Status) + "\r\n"
                + "Content-Type: " + response.ContentType + "\r\n"
                + "Content-Length: " + Utf8.GetByteCount(response.Body).ToString() + "\r\n"
                + "Content-Security-Policy: " + ContentSecurityPolicy + "\r\n"
                + "X-Frame-Options: DENY\r\n"
                + "X-Content-Type-Options: nosniff\r\n"
                + "Referrer-Policy: no-referrer\r\n"
                + "Cache-Control: no-store\r\n";
            if (response.Location != null)
            {
                head += "Location: " + response.Location + "\r\n";
            }

            if (response.SetCookie != null)
            {
                head += "Set-Cookie: " + response.SetCookie + "\r\n";
            }

            return head + "Connection: close\r\n\r\n";
        }

        /// <summary>Starts sending <paramref name="response"/>; with <paramref name="headOnly"/> (a HEAD request) the body is left out.</summary>
        public void Start(HttpResponse response, bool headOnly)
        {
            _head = FormatHead(response);
            _body = headOnly ? string.Empty : response.Body;
            _inBody = false;
            _charIndex = 0;
            _chunkLength = 0;
            _chunkSent = 0;
            BytesSent = 0;
            _done = false;
        }

        /// <summary>
        /// Writes up to <paramref name="maxChunks"/> chunks, stopping early when the connection takes
        /// no more. Returns the bytes the connection took.
        /// </summary>
        public int Pump(INetConnection connection, int maxChunks)
        {
            if (connection == null)
            {
                throw new ArgumentNullException("connection");
            }

            int written = 0;
            int chunks = 0;
            while (!_done)
            {
                if (_chunkSent == _chunkLength)
                {
                    if (chunks == maxChunks)
                    {
                        break;
                    }

                    Fill();
                    chunks++;
                    if (_chunkLength == 0)
                    {
                        _done = true;
                        break;
                    }
                }

                int taken = connection.Write(_chunk, _chunkSent, _chunkLength - _chunkSent);
                if (taken <= 0)
                {
                    break;
                }

                _chunkSent += taken;
                written += taken;
                BytesSent += taken;
            }

            return written;
        }

        /// <summary>Refills the chunk from the head, then the body; empty at the end.</summary>
        private void Fill()
        {
            _chunkLength = 0;
            _chunkSent = 0;
            while (_chunkLength <= ChunkBytes - MaxUtf8BytesPerChar)
            {
                string source = _inBody ? _body : _head;
                if (_charIndex == source.Length)
                {
                    if (_inBody)
                    {
                        return;
                    }

                    _inBody = true;
                    _charIndex = 0;
                    continue;
                }

                EncodeNext(source);
            }
        }

        /// <summary>Encodes the character at the index; a lone surrogate becomes U+FFFD, as Utf8.GetByteCount counts it.</summary>
        private void EncodeNext(string source)
        {
            int c = source[_charIndex++];
            if (c >= 0xD800 && c <= 0xDBFF && _charIndex < source.Length && source[_charIndex] >= 0xDC00 && source[_charIndex] <= 0xDFFF)
            {
                int low = source[_charIndex++];
                c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
            }
            else if (c >= 0xD800 && c <= 0xDFFF)
            {
                c = 0xFFFD;
            }

            if (c < 0x80)
            {
                _chunk[_chunkLength++] = (byte)c;
            }
            else if (c < 0x800)
            {
                _chunk[_chunkLength++] = (byte)(0xC0 | (c >> 6));
                _chunk[_chunkLength++] = (byte)(0x80 | (c & 0x3F));
            }
            else if (c < 0x10000)
            {
                _chunk[_chunkLength++] = (byte)(0xE0 | (c >> 12));
                _chunk[_chunkLength++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                _chunk[_chunkLength++] = (byte)(0x80 | (c & 0x3F));
            }
            else
            {
                _chunk[_chunkLength++] = (byte)(0xF0 | (c >> 18));
                _chunk[_chunkLength++] = (byte)(0x80 | ((c >> 12) & 0x3F));
                _chunk[_chunkLength++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                _chunk[_chunkLength++] = (byte)(0x80 | (c & 0x3F));
            }
        }
    }
}
