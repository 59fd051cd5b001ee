using System;
using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;

namespace NetBoard.Projects.Tests
{
    /// <summary>Reads the project entries of a Visual Studio solution file.</summary>
    public static class SolutionFile
    {
        private static readonly Regex s_projectLine = new Regex(
            "^Project\\(\"\\{[0-9A-Fa-f-]+\\}\"\\)\\s*=\\s*\"[^\"]*\",\\s*\"(?<path>[^\"]+)\"",
            RegexOptions.CultureInvariant);

        /// <summary>
        /// The full paths of the projects in <paramref name="solutionPath"/> whose file name ends with
        /// <paramref name="extension"/> (".nfproj", ".csproj"); solution folders are left out.
        /// </summary>
        public static IReadOnlyList<string> ProjectPaths(string solutionPath, string extension)
        {
            string folder = Path.GetDirectoryName(Path.GetFullPath(solutionPath));
            var paths = new List<string>();
            foreach (string line in File.ReadAllLines(solutionPath))
            {
                Match match = s_projectLine.Match(line);
                if (!match.Success)
                {
                    continue;
                }

                string relative = match.Groups["path"].Value.Replace('\\', '/');
                if (relative.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
                {
                    paths.Add(Path.GetFullPath(Path.Combine(folder, relative)));
                }
            }

            return paths;
        }
    }
}
