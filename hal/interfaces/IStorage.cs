namespace NetBoard.Hal
{
    /// <summary>
    /// Flat file storage (flash file system on the device, a folder on the host).
    /// Names are relative, with '/' as the only separator. Failures throw System.IO.IOException.
    /// </summary>
    public interface IStorage
    {
        /// <summary>True when a file of that name exists.</summary>
        bool Exists(string name);

        /// <summary>Opens a file for sequential reading.</summary>
        IDocumentSource OpenRead(string name);

        /// <summary>Creates (or truncates) a file for writing.</summary>
        IStorageWriter Create(string name);

        /// <summary>Renames <paramref name="from"/> to <paramref name="to"/>, replacing <paramref name="to"/> in one step.</summary>
        void Replace(string from, string to);

        /// <summary>Deletes a file; a missing file is not an error.</summary>
        void Delete(string name);

        /// <summary>The names of the files whose name starts with <paramref name="prefix"/>, in ordinal order.</summary>
        string[] List(string prefix);
    }
}
