using System;
using System.IO;
using NetBoard.Hal;

namespace NetBoard.Hal.Host
{
    /// <summary>
    /// The virtual board's engine: it has no scanner (the board's commands submit jobs themselves), and
    /// a printed document is copied from storage into a "printed" folder, where a person (or a test)
    /// can look at it.
    /// </summary>
    public sealed class HostEngine : IEngine
    {
        private readonly FileStorage _storage;
        private readonly string _printedFolder;

        /// <summary>Creates the engine printing into <paramref name="printedFolder"/>.</summary>
        public HostEngine(FileStorage storage, string printedFolder)
        {
            _storage = storage;
            _printedFolder = printedFolder;
        }

        /// <inheritdoc />
        public ScanRequest TakeScan()
        {
            return null;
        }

        /// <inheritdoc />
        public bool Print(string documentName, string contentType)
        {
            OwnerOnly.CreateFolder(_printedFolder);
            string source = Path.Combine(_storage.RootFolder, documentName.Replace('/', Path.DirectorySeparatorChar));
            string target = Path.Combine(_printedFolder, Path.GetFileName(source));
            try
            {
                File.Copy(source, target, true);
                OwnerOnly.RestrictFile(target);
            }
            catch (IOException)
            {
                return false;
            }
            catch (UnauthorizedAccessException)
            {
                return false;
            }

            return true;
        }
    }
}
