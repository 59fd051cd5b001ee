using System;
using System.IO;
using Microsoft.Win32.SafeHandles;

namespace NetBoard.Hal.Host
{
    /// <summary>
    /// File modes for what the virtual board keeps: settings with passwords, queued jobs with
    /// addresses and documents, the journal, received mail. On Unix every file it writes is 0600 and
    /// every folder it creates 0700, whatever the process umask. On Windows the folder's own access
    /// rules apply and these calls do nothing.
    /// </summary>
    public static class OwnerOnly
    {
        /// <summary>Read and write for the owner alone (0600).</summary>
        public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

        /// <summary>Read, write and search for the owner alone (0700).</summary>
        public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

        private const UnixFileMode OthersBits =
            UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

        /// <summary>Creates <paramref name="folder"/> and any missing parent as 0700; folders that exist keep their mode.</summary>
        public static void CreateFolder(string folder)
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(folder);
                return;
            }

            // Directory.CreateDirectory(path, mode) gives the mode to the last folder only: create each missing one.
            string full = Path.GetFullPath(folder);
            string parent = Path.GetDirectoryName(full);
            if (parent != null && !Directory.Exists(parent))
            {
                CreateFolder(parent);
            }

            Directory.CreateDirectory(full, FolderMode);
        }

        /// <summary>
        /// Creates <paramref name="folder"/> as 0700, or takes the group's and others' access away from
        /// it when it exists: for a folder that belongs to the board alone (its data folder).
        /// </summary>
        public static void CreateOrRestrictFolder(string folder)
        {
            CreateFolder(folder);
            if (!OperatingSystem.IsWindows())
            {
                UnixFileMode mode = File.GetUnixFileMode(folder);
                if ((mode & OthersBits) != 0)
                {
                    File.SetUnixFileMode(folder, mode & ~OthersBits);
                }
            }
        }

        /// <summary>Opens <paramref name="path"/> for writing, created or truncated, as 0600 even when it existed with another mode.</summary>
        public static FileStream CreateFile(string path, int bufferSizeBytes)
        {
            FileStreamOptions options = new FileStreamOptions
            {
                Mode = System.IO.FileMode.Create,
                Access = FileAccess.Write,
                Share = FileShare.Read,
                BufferSize = bufferSizeBytes,
            };
            if (OperatingSystem.IsWindows())
            {
                return new FileStream(path, options);
            }

            options.UnixCreateMode = FileMode;
            FileStream stream = new FileStream(path, options);
            try
            {
                Restrict(stream.SafeFileHandle);
            }
            catch
            {
                stream.Dispose();
                throw;
            }

            return stream;
        }

        /// <summary>Sets an existing file to 0600 (a file the board takes over, such as a settings file becoming the backup).</summary>
        public static void RestrictFile(string path)
        {
            if (!OperatingSystem.IsWindows() && File.GetUnixFileMode(path) != FileMode)
            {
                File.SetUnixFileMode(path, FileMode);
            }
        }

        /// <summary>
        /// True when the group or others may read or change <paramref name="path"/>; <paramref name="mode"/>
        /// is its mode as octal text ("0644"). False on Windows and for a missing file.
        /// </summary>
        public static bool IsOpenToOthers(string path, out string mode)
        {
            mode = null;
            if (OperatingSystem.IsWindows() || !File.Exists(path))
            {
                return false;
            }

            UnixFileMode bits = File.GetUnixFileMode(path);
            mode = "0" + Convert.ToString((int)bits & 0x1FF, 8).PadLeft(3, '0');
            return (bits & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0;
        }

        [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
        private static void Restrict(SafeFileHandle handle)
        {
            // The create mode applies to a new file only; one being truncated keeps its old mode.
            if (File.GetUnixFileMode(handle) != FileMode)
            {
                File.SetUnixFileMode(handle, FileMode);
            }
        }
    }
}
