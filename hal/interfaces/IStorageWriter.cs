using System;

namespace NetBoard.Hal
{
    /// <summary>A file being written; nothing is durable until <see cref="Commit"/> returns.</summary>
    public interface IStorageWriter : IDisposable
    {
        /// <summary>Appends bytes.</summary>
        void Write(byte[] buffer, int offset, int count);

        /// <summary>Flushes everything written to the medium and closes the file.</summary>
        void Commit();
    }
}
