using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;

namespace NetBoard.Projects.Tests
{
    /// <summary>
    /// A nanoFramework project file (.nfproj, the MSBuild 2003 schema) read as XML, the way
    /// nanoFramework's project system and test adapter see it: literal item values, no evaluation.
    /// </summary>
    public sealed class NfprojFile
    {
        /// <summary>The MSBuild 2003 namespace every element of an .nfproj is in.</summary>
        public static readonly XNamespace MsBuild = "http://schemas.microsoft.com/developer/msbuild/2003";

        private readonly XDocument _document;

        private NfprojFile(string path, XDocument document)
        {
            FullPath = path;
            _document = document;
        }

        /// <summary>The project file's full path.</summary>
        public string FullPath { get; }

        /// <summary>The project's folder: the base of every relative Include.</summary>
        public string Folder
        {
            get { return Path.GetDirectoryName(FullPath); }
        }

        /// <summary>The project file's name, e.g. NetBoard.Firmware.nfproj.</summary>
        public string FileName
        {
            get { return Path.GetFileName(FullPath); }
        }

        /// <summary>The project's Compile items in file order.</summary>
        public IReadOnlyList<CompileItem> CompileItems
        {
            get
            {
                return _document.Descendants(MsBuild + "Compile")
                    .Select(e => new CompileItem(
                        (string)e.Attribute("Include") ?? string.Empty,
                        (string)e.Element(MsBuild + "Link"),
                        e.Attribute("Exclude") != null || e.Attribute("Remove") != null))
                    .ToList();
            }
        }

        /// <summary>Reads the project file at <paramref name="path"/>.</summary>
        public static NfprojFile Load(string path)
        {
            string full = Path.GetFullPath(path);
            return new NfprojFile(full, XDocument.Load(full));
        }

        /// <summary>The literal values of <paramref name="name"/> in every PropertyGroup, in file order.</summary>
        public IReadOnlyList<string> PropertyValues(string name)
        {
            return _document.Descendants(MsBuild + name)
                .Where(e => e.Parent != null && e.Parent.Name == MsBuild + "PropertyGroup")
                .Select(e => e.Value)
                .ToList();
        }

        /// <summary>The Include values of every item of type <paramref name="itemType"/>.</summary>
        public IReadOnlyList<string> ItemIncludes(string itemType)
        {
            return _document.Descendants(MsBuild + itemType)
                .Where(e => e.Parent != null && e.Parent.Name == MsBuild + "ItemGroup")
                .Select(e => (string)e.Attribute("Include") ?? string.Empty)
                .ToList();
        }

        /// <summary>
        /// The full path an Include value names: relative to the project folder, with the
        /// project system's backslashes.
        /// </summary>
        public string Resolve(string include)
        {
            string relative = include.Replace('\\', Path.DirectorySeparatorChar).Replace('/', Path.DirectorySeparatorChar);
            return Path.GetFullPath(Path.Combine(Folder, relative));
        }

        /// <summary>The Include value that names <paramref name="fullPath"/> from the project folder.</summary>
        public string IncludeFor(string fullPath)
        {
            return Path.GetRelativePath(Folder, fullPath).Replace(Path.DirectorySeparatorChar, '\\');
        }
    }
}
