using System;

namespace NetBoard.Hal
{
    /// <summary>A document read sequentially in chunks (a scanned file, a fax image) without loading it whole.</summary>
    public interface IDocumentSource : IDisposable
    {
        /// <summary>The document's length in bytes.</summary>
        long Length { get; }

        /// <summary>Copies up to <paramref name="count"/> next bytes; returns 0 at the end.</summary>
        int Read(byte[] buffer, int offset, int count);
    }
}
