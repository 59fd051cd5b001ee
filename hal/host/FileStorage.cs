using System;
using System.Collections.Generic;
using System.IO;

namespace NetBoard.Hal.Host
{
    /// <summary>
    /// <see cref="IStorage"/> in a folder on the host. Names are relative to the folder, use '/'
    /// between parts, and may name files in subfolders, which are created as needed. Files are
    /// written owner-only (0600) and folders created owner-only (0700): they hold passwords,
    /// addresses and documents.
    /// </summary>
    public sealed class FileStorage : IStorage
    {
        private const char NameSeparator = '/';

        private readonly string _root;

        /// <summary>Uses <paramref name="rootFolder"/> as the storage, creating it (0700) when missing; an existing folder keeps its mode.</summary>
        /// <param name="rootFolder">The folder that holds the files.</param>
        public FileStorage(string rootFolder)
        {
            if (string.IsNullOrEmpty(rootFolder))
            {
                throw new ArgumentException("A root folder is required.", nameof(rootFolder));
            }

            _root = Path.GetFullPath(rootFolder);
            OwnerOnly.CreateFolder(_root);
        }

        /// <summary>The full path of the root folder.</summary>
        public string RootFolder
        {
            get
            {
                return _root;
            }
        }

        /// <inheritdoc />
        public bool Exists(string name)
        {
            return File.Exists(ToPath(name));
        }

        /// <inheritdoc />
        /// <exception cref="FileNotFoundException">The file does not exist.</exception>
        public IDocumentSource OpenRead(string name)
        {
            string path = ToPath(name);
            try
            {
                return new FileDocumentSource(path);
            }
            catch (DirectoryNotFoundException)
            {
                // A missing folder is a missing file to the caller.
                throw new FileNotFoundException("File not found: " + name, name);
            }
        }

        /// <inheritdoc />
        public IStorageWriter Create(string name)
        {
            string path = ToPath(name);
            CreateParent(path);
            return new FileStorageWriter(path);
        }

        /// <inheritdoc />
        /// <exception cref="FileNotFoundException"><paramref name="from"/> does not exist.</exception>
        public void Replace(string from, string to)
        {
            string fromPath = ToPath(from);
            string toPath = ToPath(to);
            CreateParent(toPath);

            // A file this storage did not write (a settings file written by hand, now the backup) is taken over owner-only.
            OwnerOnly.RestrictFile(fromPath);

            // On one file system this is a rename, which replaces the target atomically.
            File.Move(fromPath, toPath, true);
        }

        /// <inheritdoc />
        public void Delete(string name)
        {
            string path = ToPath(name);
            try
            {
                File.Delete(path);
            }
            catch (DirectoryNotFoundException)
            {
                // No folder means no file, which is what the caller wants.
            }
        }

        /// <inheritdoc />
        public string[] List(string prefix)
        {
            if (prefix == null)
            {
                prefix = string.Empty;
            }

            // Only the folder named by the prefix's last '/' can hold matches.
            int lastSeparator = prefix.LastIndexOf(NameSeparator);
            string folder = _root;
            if (lastSeparator > 0)
            {
                folder = ToPath(prefix.Substring(0, lastSeparator));
            }

            var names = new List<string>();
            if (!Directory.Exists(folder))
            {
                return names.ToArray();
            }

            foreach (string path in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            {
                string name = Path.GetRelativePath(_root, path);
                if (Path.DirectorySeparatorChar != NameSeparator)
                {
                    name = name.Replace(Path.DirectorySeparatorChar, NameSeparator);
                }

                if (name.StartsWith(prefix, StringComparison.Ordinal))
                {
                    names.Add(name);
                }
            }

            names.Sort(StringComparer.Ordinal);
            return names.ToArray();
        }

        private static void CreateParent(string path)
        {
            string parent = Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(parent))
            {
                OwnerOnly.CreateFolder(parent);
            }
        }

        private string ToPath(string name)
        {
            if (name == null)
            {
                throw new ArgumentNullException(nameof(name));
            }

            if (name.Length == 0)
            {
                throw new ArgumentException("A name is required.", nameof(name));
            }

            if (name.IndexOf('\\') >= 0 || name.IndexOf('\0') >= 0)
            {
                throw new ArgumentException("Names use '/' as their only separator: " + name, nameof(name));
            }

            if (name[0] == NameSeparator || Path.IsPathRooted(name))
            {
                throw new ArgumentException("Names are relative: " + name, nameof(name));
            }

            foreach (string part in name.Split(NameSeparator))
            {
                if (part.Length == 0 || part == "." || part == "..")
                {
                    throw new ArgumentException("Names may not hold empty, '.' or '..' parts: " + name, nameof(name));
                }
            }

            string relative = name;
            if (Path.DirectorySeparatorChar != NameSeparator)
            {
                relative = relative.Replace(NameSeparator, Path.DirectorySeparatorChar);
            }

            return Path.Combine(_root, relative);
        }
    }
}
