using System.IO;

namespace NetBoard.Hal.Esp32
{
    /// <summary>A document read sequentially from the flash file system.</summary>
    public sealed class FlashDocumentSource : IDocumentSource
    {
        private readonly FileStream _stream;
        private readonly long _length;

        /// <summary>Opens <paramref name="path"/> (a full path such as "I:\\docs\\scan.pdf") for reading.</summary>
        public FlashDocumentSource(string path)
        {
            _stream = new FileStream(path, FileMode.Open, FileAccess.Read);
            _length = _stream.Length;
        }

        /// <inheritdoc />
        public long Length
        {
            get { return _length; }
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
