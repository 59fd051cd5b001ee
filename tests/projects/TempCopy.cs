using System;
using System.IO;

namespace NetBoard.Projects.Tests
{
    /// <summary>A throw-away folder with copies of repository folders, for checks that must fail.</summary>
    public sealed class TempCopy : IDisposable
    {
        /// <summary>Creates an empty folder under the system's temporary folder.</summary>
        public TempCopy()
        {
            Root = Path.Combine(Path.GetTempPath(), "netboard-projects-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Root);
        }

        /// <summary>The folder's full path.</summary>
        public string Root { get; }

        /// <summary>
        /// Copies the repository folder <paramref name="relative"/> (e.g. "firmware") with its files
        /// and subfolders, bin and obj left out; returns the copy's full path.
        /// </summary>
        public string CopyFolder(string relative)
        {
            string source = Path.Combine(RepositoryRoot.Path, relative);
            string target = Path.Combine(Root, relative);
            Copy(source, target);
            return target;
        }

        /// <summary>Replaces <paramref name="oldText"/>, which must occur once, in a file of the copy.</summary>
        public void Edit(string relativeFile, string oldText, string newText)
        {
            string path = Path.Combine(Root, relativeFile);
            string text = File.ReadAllText(path);
            int at = text.IndexOf(oldText, StringComparison.Ordinal);
            Assert.True(at >= 0 && text.IndexOf(oldText, at + 1, StringComparison.Ordinal) < 0, "expected '" + oldText + "' once in " + relativeFile);
            File.WriteAllText(path, text.Substring(0, at) + newText + text.Substring(at + oldText.Length));
        }

        /// <summary>Deletes the folder.</summary>
        public void Dispose()
        {
            Directory.Delete(Root, true);
        }

        private static void Copy(string source, string target)
        {
            Directory.CreateDirectory(target);
            foreach (string file in Directory.EnumerateFiles(source))
            {
                File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
            }

            foreach (string sub in Directory.EnumerateDirectories(source))
            {
                string leaf = Path.GetFileName(sub);
                if (leaf != "bin" && leaf != "obj")
                {
                    Copy(sub, Path.Combine(target, leaf));
                }
            }
        }
    }
}
