using System.IO;

namespace NetBoard.Hal.Esp32
{
    /// <summary>A file being written on the flash file system.</summary>
    internal sealed class FlashStorageWriter : IStorageWriter
    {
        private readonly FileStream _stream;

        internal FlashStorageWriter(string path)
        {
            _stream = new FileStream(path, FileMode.Create, FileAccess.Write);
        }

        /// <inheritdoc />
        public void Write(byte[] buffer, int offset, int count)
        {
            _stream.Write(buffer, offset, count);
        }

        /// <inheritdoc />
        public void Commit()
        {
            // Flush hands the data to the flash file system; closing the file completes its metadata.
            _stream.Flush();
            _stream.Close();
        }

        /// <summary>Closes the file, keeping what was written so far.</summary>
        public void Dispose()
        {
            _stream.Dispose();
        }
    }
}
