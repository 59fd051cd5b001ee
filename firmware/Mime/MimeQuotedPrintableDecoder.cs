using System;

namespace NetBoard.Firmware.Mime
{
    /// <summary>
    /// Incremental RFC 2045 quoted-printable body decoder. The caller hands over each encoded line's bytes (without
    /// the line break, in pieces of any size) and reports each hard line break with <see cref="LineBreak"/>.
    /// "=XX" becomes the byte XX (either letter case), "=" at the end of a line is a soft break, trailing whitespace
    /// of a line is dropped, and a hard line break becomes CRLF. A stray "=" is kept as it is, as RFC 2045 advises.
    /// </summary>
    internal sealed class MimeQuotedPrintableDecoder
    {
        /// <summary>The whitespace bytes held back at most while it is unknown whether they end the line.</summary>
        public const int MaxHeldWhitespaceBytes = 64;

        private const int StateText = 0;
        private const int StateEquals = 1;
        private const int StateEqualsHex = 2;
        private const int StateEqualsSpace = 3;

        private readonly byte[] _held = new byte[MaxHeldWhitespaceBytes];
        private int _heldCount;
        private int _state;
        private byte _firstHex;

        /// <summary>Returns the room <see cref="Decode"/> may need for <paramref name="count"/> input bytes.</summary>
        /// <param name="count">The encoded input length in bytes.</param>
        /// <returns>The output room in bytes; <see cref="LineBreak"/> and <see cref="Finish"/> need MaxOutputLength(0).</returns>
        public static int MaxOutputLength(int count)
        {
            // Held whitespace and a pending "=X" can come out in addition to this call's input, plus a CRLF.
            return count + MaxHeldWhitespaceBytes + 4;
        }

        /// <summary>Forgets everything, ready for a new body.</summary>
        public void Reset()
        {
            _heldCount = 0;
            _state = StateText;
        }

        /// <summary>Decodes the next piece of the current encoded line.</summary>
        /// <param name="src">The encoded bytes (no line break among them).</param>
        /// <param name="offset">The first input byte.</param>
        /// <param name="count">How many input bytes.</param>
        /// <param name="dst">The destination; needs <see cref="MaxOutputLength"/>(<paramref name="count"/>) bytes of room from <paramref name="dstOffset"/>.</param>
        /// <param name="dstOffset">Where the first decoded byte goes.</param>
        /// <returns>The number of bytes written.</returns>
        public int Decode(byte[] src, int offset, int count, byte[] dst, int dstOffset)
        {
            if (src == null)
            {
                throw new ArgumentNullException("src");
            }

            if (dst == null)
            {
                throw new ArgumentNullException("dst");
            }

            if (offset < 0 || count < 0 || offset > src.Length - count)
            {
                throw new ArgumentOutOfRangeException("count");
            }

            int p = dstOffset;
            int end = offset + count;
            for (int i = offset; i < end; i++)
            {
                byte b = src[i];
                if (_state == StateEquals)
                {
                    if (HexValue(b) >= 0)
                    {
                        _firstHex = b;
                        _state = StateEqualsHex;
                        continue;
                    }

                    if (b == ' ' || b == '\t')
                    {
                        // "=" followed only by whitespace up to the line end is still a soft break.
                        _held[_heldCount++] = b;
                        _state = StateEqualsSpace;
                        continue;
                    }

                    dst[p++] = (byte)'=';
                    _state = StateText;
                }
                else if (_state == StateEqualsHex)
                {
                    int low = HexValue(b);
                    if (low >= 0)
                    {
                        dst[p++] = (byte)((HexValue(_firstHex) << 4) | low);
                        _state = StateText;
                        continue;
                    }

                    dst[p++] = (byte)'=';
                    dst[p++] = _firstHex;
                    _state = StateText;
                }
                else if (_state == StateEqualsSpace)
                {
                    if (b == ' ' || b == '\t')
                    {
                        // Beyond the hold a run after "=" is taken as padding; RFC 2045 lines are far shorter.
                        if (_heldCount < MaxHeldWhitespaceBytes)
                        {
                            _held[_heldCount++] = b;
                        }

                        continue;
                    }

                    // Not a soft break after all: the "=" and the whitespace were data.
                    dst[p++] = (byte)'=';
                    _state = StateText;
                }

                if (b == ' ' || b == '\t')
                {
                    if (_heldCount == MaxHeldWhitespaceBytes)
                    {
                        p += ReleaseHeld(dst, p);
                    }

                    _held[_heldCount++] = b;
                    continue;
                }

                // Whitespace followed by anything else on the line is data.
                p += ReleaseHeld(dst, p);
                if (b == '=')
                {
                    _state = StateEquals;
                }
                else
                {
                    dst[p++] = b;
                }
            }

            return p - dstOffset;
        }

        /// <summary>Ends the current encoded line with a hard line break (one that does not belong to a boundary).</summary>
        /// <param name="dst">The destination; needs <see cref="MaxOutputLength"/>(0) bytes of room.</param>
        /// <param name="dstOffset">Where the first decoded byte goes.</param>
        /// <returns>The number of bytes written.</returns>
        public int LineBreak(byte[] dst, int dstOffset)
        {
            int p = dstOffset + EndLine(dst, dstOffset, out bool soft);
            if (!soft)
            {
                dst[p++] = (byte)'\r';
                dst[p++] = (byte)'\n';
            }

            return p - dstOffset;
        }

        /// <summary>Ends the body; the last line's break belonged to the boundary, so none is written.</summary>
        /// <param name="dst">The destination; needs <see cref="MaxOutputLength"/>(0) bytes of room.</param>
        /// <param name="dstOffset">Where the first decoded byte goes.</param>
        /// <returns>The number of bytes written.</returns>
        public int Finish(byte[] dst, int dstOffset)
        {
            return EndLine(dst, dstOffset, out _);
        }

        private int EndLine(byte[] dst, int dstOffset, out bool soft)
        {
            int p = dstOffset;
            soft = _state == StateEquals || _state == StateEqualsSpace;
            if (_state == StateEqualsHex)
            {
                dst[p++] = (byte)'=';
                dst[p++] = _firstHex;
            }

            // Trailing whitespace was added in transport (RFC 2045 rule 3); encoders protect real spaces as "=20".
            _heldCount = 0;
            _state = StateText;
            return p - dstOffset;
        }

        private int ReleaseHeld(byte[] dst, int dstOffset)
        {
            int n = _heldCount;
            Array.Copy(_held, 0, dst, dstOffset, n);
            _heldCount = 0;
            return n;
        }

        private static int HexValue(byte b)
        {
            if (b >= '0' && b <= '9')
            {
                return b - '0';
            }

            if (b >= 'A' && b <= 'F')
            {
                return b - 'A' + 10;
            }

            if (b >= 'a' && b <= 'f')
            {
                return b - 'a' + 10;
            }

            return -1;
        }
    }
}
