using System;
using NetBoard.Hal;

namespace NetBoard.Firmware.Mime
{
    /// <summary>
    /// Splits a document into lines, reading it in fixed chunks. A line longer than the line buffer comes out in
    /// several segments; only the first has <see cref="StartsLine"/> set. The line break (CRLF or a bare LF) is not
    /// part of a segment; <see cref="LineBreak"/> tells which one ended it.
    /// </summary>
    internal sealed class IncomingLineReader
    {
        /// <summary>No line break: the segment is a piece of a longer line, or the document's last line.</summary>
        public const int BreakNone = 0;

        /// <summary>The segment ended in a bare LF.</summary>
        public const int BreakLf = 1;

        /// <summary>The segment ended in CRLF.</summary>
        public const int BreakCrLf = 2;

        private const byte Cr = (byte)'\r';
        private const byte Lf = (byte)'\n';

        private readonly IDocumentSource _source;
        private readonly byte[] _chunk;
        private readonly byte[] _line;
        private int _chunkPosition;
        private int _chunkLength;
        private bool _sourceEnded;
        private bool _carryCr;
        private bool _atLineStart = true;
        private int _length;
        private int _lineBreak;
        private bool _startsLine;
        private bool _endsLine;

        /// <summary>Creates a reader over <paramref name="source"/>, read from its current position.</summary>
        /// <param name="source">The document; not disposed here.</param>
        /// <param name="chunkBytes">The size of each read from the source in bytes.</param>
        /// <param name="lineBytes">The longest segment in bytes.</param>
        public IncomingLineReader(IDocumentSource source, int chunkBytes, int lineBytes)
        {
            if (source == null)
            {
                throw new ArgumentNullException("source");
            }

            if (chunkBytes < 1 || lineBytes < 2)
            {
                throw new ArgumentOutOfRangeException("lineBytes");
            }

            _source = source;
            _chunk = new byte[chunkBytes];
            _line = new byte[lineBytes];
        }

        /// <summary>The current segment's bytes, from index 0.</summary>
        public byte[] Buffer
        {
            get { return _line; }
        }

        /// <summary>The current segment's length in bytes.</summary>
        public int Length
        {
            get { return _length; }
        }

        /// <summary>True when the current segment is the start of a line.</summary>
        public bool StartsLine
        {
            get { return _startsLine; }
        }

        /// <summary>True when the current segment is the end of a line: a line break or the document's end followed it.</summary>
        public bool EndsLine
        {
            get { return _endsLine; }
        }

        /// <summary>The line break after the current segment: <see cref="BreakNone"/>, <see cref="BreakLf"/> or <see cref="BreakCrLf"/>.</summary>
        public int LineBreak
        {
            get { return _lineBreak; }
        }

        /// <summary>Reads the next segment.</summary>
        /// <returns>False at the end of the document.</returns>
        public bool Next()
        {
            int n = 0;
            _startsLine = _atLineStart;
            if (_carryCr)
            {
                _line[n++] = Cr;
                _carryCr = false;
            }

            while (true)
            {
                if (_chunkPosition == _chunkLength && !Fill())
                {
                    if (n == 0)
                    {
                        _length = 0;
                        return false;
                    }

                    return Emit(n, BreakNone, true);
                }

                byte b = _chunk[_chunkPosition];
                if (b == Lf)
                {
                    _chunkPosition++;
                    if (n > 0 && _line[n - 1] == Cr)
                    {
                        return Emit(n - 1, BreakCrLf, true);
                    }

                    return Emit(n, BreakLf, true);
                }

                if (n == _line.Length)
                {
                    // A full buffer ends the segment; a CR at its end may be half of a CRLF, so it waits for the next one.
                    if (_line[n - 1] == Cr)
                    {
                        _carryCr = true;
                        n--;
                    }

                    return Emit(n, BreakNone, false);
                }

                _line[n++] = b;
                _chunkPosition++;
            }
        }

        private bool Emit(int length, int lineBreak, bool endsLine)
        {
            _length = length;
            _lineBreak = lineBreak;
            _endsLine = endsLine;
            _atLineStart = endsLine;
            return true;
        }

        private bool Fill()
        {
            if (_sourceEnded)
            {
                return false;
            }

            int n = _source.Read(_chunk, 0, _chunk.Length);
            if (n <= 0)
            {
                _sourceEnded = true;
                _chunkPosition = 0;
                _chunkLength = 0;
                return false;
            }

            _chunkPosition = 0;
            _chunkLength = n > _chunk.Length ? _chunk.Length : n;
            return true;
        }
    }
}
