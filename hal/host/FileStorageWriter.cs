using System.IO;

namespace NetBoard.Hal.Host
{
    /// <summary>A file being written by <see cref="FileStorage.Create"/>, owner-only (0600).</summary>
    internal sealed class FileStorageWriter : IStorageWriter
    {
        private const int BufferSizeBytes = 4096;

        private readonly FileStream _stream;

        internal FileStorageWriter(string path)
        {
            _stream = OwnerOnly.CreateFile(path, BufferSizeBytes);
        }

        /// <inheritdoc />
        public void Write(byte[] buffer, int offset, int count)
        {
            _stream.Write(buffer, offset, count);
        }

        /// <inheritdoc />
        public void Commit()
        {
            // Flush(true) asks the OS to put the data on the disk, not just into its cache.
            _stream.Flush(true);
            _stream.Dispose();
        }

        /// <summary>Closes the file, keeping what was written so far, durable or not.</summary>
        public void Dispose()
        {
            _stream.Dispose();
        }
    }
}
