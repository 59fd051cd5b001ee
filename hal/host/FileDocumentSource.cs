using System;
using System.IO;

namespace NetBoard.Hal.Host
{
    /// <summary>A document read sequentially from a file.</summary>
    public sealed class FileDocumentSource : IDocumentSource
    {
        // Callers read in chunks of their own, so a small buffer only smooths tiny reads.
        private const int BufferSizeBytes = 4096;

        private readonly FileStream _stream;
        private readonly long _length;

        /// <summary>Opens <paramref name="path"/> for reading.</summary>
        /// <param name="path">Path of the file on the host.</param>
        /// <exception cref="FileNotFoundException">The file does not exist.</exception>
        public FileDocumentSource(string path)
        {
            _stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSizeBytes, FileOptions.SequentialScan);
            _length = _stream.Length;
        }

        /// <inheritdoc />
        public long Length
        {
            get
            {
                return _length;
            }
        }

        /// <inheritdoc />
        public int Read(byte[] buffer, int offset, int count)
        {
            return _stream.Read(buffer, offset, count);
        }

        /// <summary>Closes the file.</summary>
        public void Dispose()
        {
            _stream.Dispose();
        }
    }
}
