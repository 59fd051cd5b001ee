namespace NetBoard.Firmware.Pop
{
    /// <summary>
    /// Undoes the byte-stuffing of a multi-line POP3 response (RFC 1939 section 3) octet by octet: a line
    /// starting with "." loses that ".", and a line of just "." ends the response. Lines of any length pass
    /// straight through, since no line is ever held.
    /// </summary>
    public sealed class PopBodyDecoder
    {
        /// <summary>The most octets one input octet can produce: a held CR and the octet itself.</summary>
        public const int MaxOutputPerInput = 2;

        // Decoder states; a line starts only after CRLF, as the server stuffs only such lines.
        private const int LineStart = 0;
        private const int Middle = 1;
        private const int AfterCr = 2;
        private const int AfterDot = 3;
        private const int AfterDotCr = 4;

        private int _state = LineStart;

        /// <summary>True once the terminating "." line has been consumed.</summary>
        public bool IsComplete { get; private set; }

        /// <summary>Starts a new response; its first octet begins a line.</summary>
        public void Reset()
        {
            _state = LineStart;
            IsComplete = false;
        }

        /// <summary>
        /// Decodes octets from <paramref name="src"/> into <paramref name="dst"/>, stopping right after the
        /// terminating line, when the input is used up, or when fewer than <see cref="MaxOutputPerInput"/>
        /// octets of room are left.
        /// </summary>
        /// <param name="src">Received octets.</param>
        /// <param name="offset">The first octet to decode.</param>
        /// <param name="count">How many octets are available.</param>
        /// <param name="dst">Where the message octets go.</param>
        /// <param name="dstOffset">The first free octet of <paramref name="dst"/>.</param>
        /// <param name="dstCount">How much room <paramref name="dst"/> has from <paramref name="dstOffset"/>.</param>
        /// <param name="written">How many octets were written to <paramref name="dst"/>.</param>
        /// <returns>How many octets of <paramref name="src"/> were consumed.</returns>
        public int Decode(byte[] src, int offset, int count, byte[] dst, int dstOffset, int dstCount, out int written)
        {
            int used = 0;
            int w = dstOffset;
            int limit = dstOffset + dstCount - MaxOutputPerInput;
            while (used < count && !IsComplete && w <= limit)
            {
                byte b = src[offset + used];
                used++;
                switch (_state)
                {
                    case LineStart:
                        if (b == (byte)'.')
                        {
                            _state = AfterDot;
                        }
                        else
                        {
                            dst[w++] = b;
                            _state = Next(Middle, b);
                        }

                        break;

                    case AfterDot:
                        if (b == (byte)'\r')
                        {
                            _state = AfterDotCr;
                        }
                        else
                        {
                            // A stuffed line: the leading "." is dropped, the rest is data.
                            dst[w++] = b;
                            _state = Next(Middle, b);
                        }

                        break;

                    case AfterDotCr:
                        if (b == (byte)'\n')
                        {
                            IsComplete = true;
                        }
                        else
                        {
                            dst[w++] = (byte)'\r';
                            dst[w++] = b;
                            _state = Next(AfterCr, b);
                        }

                        break;

                    default:
                        dst[w++] = b;
                        _state = Next(_state, b);
                        break;
                }
            }

            written = w - dstOffset;
            return used;
        }

        private static int Next(int state, byte b)
        {
            if (b == (byte)'\r')
            {
                return AfterCr;
            }

            return state == AfterCr && b == (byte)'\n' ? LineStart : Middle;
        }
    }
}
