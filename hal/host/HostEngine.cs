using System;
using System.Collections.Concurrent;
using System.IO;
using NetBoard.Hal;

namespace NetBoard.Hal.Host
{
    /// <summary>
    /// The virtual board's engine: scans are queued by the board's commands, and a printed document
    /// is copied from storage into a "printed" folder, where a person (or a test) can look at it.
    /// </summary>
    public sealed class HostEngine : IEngine
    {
        private readonly ConcurrentQueue<ScanRequest> _scans = new ConcurrentQueue<ScanRequest>();
        private readonly FileStorage _storage;
        private readonly string _printedFolder;

        /// <summary>Creates the engine printing into <paramref name="printedFolder"/>.</summary>
        public HostEngine(FileStorage storage, string printedFolder)
        {
            _storage = storage;
            _printedFolder = printedFolder;
        }

        /// <summary>The folder printed documents are copied to.</summary>
        public string PrintedFolder
        {
            get { return _printedFolder; }
        }

        /// <summary>Documents printed so far.</summary>
        public int PrintedCount { get; private set; }

        /// <summary>Queues a finished scan (thread-safe; the scheduler takes it on its next pass).</summary>
        public void QueueScan(ScanRequest scan)
        {
            _scans.Enqueue(scan);
        }

        /// <inheritdoc />
        public ScanRequest TakeScan()
        {
            ScanRequest scan;
            return _scans.TryDequeue(out scan) ? scan : null;
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

            PrintedCount++;
            return true;
        }
    }
}
