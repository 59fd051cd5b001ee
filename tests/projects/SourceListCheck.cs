using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace NetBoard.Projects.Tests
{
    /// <summary>
    /// Checks that each device project (.nfproj) lists exactly its C# source files: every file of its
    /// folder and of the shared folders it links from, nothing that does not exist, no pattern; and
    /// that the SDK-style projects compiling the same folders (host build, nano compile check)
    /// compile the same files, except the device build's Properties/AssemblyInfo.cs.
    /// </summary>
    public static class SourceListCheck
    {
        /// <summary>The device build's assembly attributes, which SDK-style builds generate themselves.</summary>
        public const string AssemblyInfoInclude = "Properties\\AssemblyInfo.cs";

        private static readonly StringComparer s_paths = OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

        /// <summary>
        /// Checks every project of the repository's nanoFramework.sln against the projects of
        /// NetBoard.Host.sln and the nano compile check. Returns one line per problem; none when the
        /// lists are right.
        /// </summary>
        public static IReadOnlyList<string> CheckRepository(string root)
        {
            var problems = new List<string>();
            IReadOnlyList<string> deviceProjects = SolutionFile.ProjectPaths(Path.Combine(root, "nanoFramework.sln"), ".nfproj");
            var inSolution = new HashSet<string>(deviceProjects, s_paths);
            foreach (string path in EnumerateFiles(root, "*.nfproj"))
            {
                if (!inSolution.Contains(path))
                {
                    problems.Add(Display(root, path) + " is not in nanoFramework.sln, so nothing checks or builds it");
                }
            }

            var sdkProjects = SolutionFile.ProjectPaths(Path.Combine(root, "NetBoard.Host.sln"), ".csproj")
                .Select(p => new SdkProject(p))
                .ToList();
            string nanoCheck = Path.Combine(root, "tests", "nano", "NanoCompileCheck.csproj");
            if (File.Exists(nanoCheck))
            {
                sdkProjects.Add(new SdkProject(nanoCheck));
            }

            foreach (string path in deviceProjects)
            {
                if (!File.Exists(path))
                {
                    problems.Add("nanoFramework.sln names " + Display(root, path) + ", which does not exist");
                    continue;
                }

                problems.AddRange(CheckProject(NfprojFile.Load(path), sdkProjects, root));
            }

            return problems;
        }

        /// <summary>
        /// Checks one device project against its folders and against <paramref name="sdkProjects"/>
        /// (only those that can compile a file of its folders are evaluated). Paths in the messages
        /// are relative to <paramref name="displayRoot"/>.
        /// </summary>
        public static IReadOnlyList<string> CheckProject(NfprojFile project, IEnumerable<SdkProject> sdkProjects, string displayRoot)
        {
            string name = Display(displayRoot, project.FullPath);
            var problems = new List<string>();
            var listed = new Dictionary<string, string>(s_paths);
            var sharedFolders = new List<string>();

            foreach (CompileItem item in project.CompileItems)
            {
                if (item.IsWildcard || item.HasExcludeOrRemove)
                {
                    problems.Add(name + ": <Compile Include=\"" + item.Include + "\"> is a pattern; nanoFramework's test adapter and project system read each Include as one file path: list the files one by one");
                    continue;
                }

                string full = project.Resolve(item.Include);
                if (listed.ContainsKey(full))
                {
                    problems.Add(name + " lists " + item.Include + " twice");
                    continue;
                }

                listed.Add(full, item.Include);
                if (!File.Exists(full))
                {
                    problems.Add(name + " lists " + item.Include + ", which does not exist (" + Display(displayRoot, full) + "): remove the line or restore the file");
                }

                if (!SdkProject.IsSameOrBelow(full, project.Folder))
                {
                    if (item.Link == null)
                    {
                        problems.Add(name + " compiles " + item.Include + " from outside its folder without a <Link> element (the project system shows such a file only with one)");
                    }

                    string folder = Path.GetDirectoryName(full);
                    if (!sharedFolders.Contains(folder, s_paths))
                    {
                        sharedFolders.Add(folder);
                    }
                }
            }

            var reported = new HashSet<string>(s_paths);
            foreach (string file in ExpectedFiles(project, sharedFolders))
            {
                if (!listed.ContainsKey(file))
                {
                    reported.Add(file);
                    problems.Add(name + " does not list " + Display(displayRoot, file) + ", a source file "
                        + (SdkProject.IsSameOrBelow(file, project.Folder) ? "in its folder" : "of a shared folder it compiles from")
                        + ": add " + CompileElement(project, file));
                }
            }

            var folders = new List<string> { project.Folder };
            folders.AddRange(sharedFolders);
            foreach (SdkProject sdk in sdkProjects)
            {
                if (!sdk.MayCompileIn(folders))
                {
                    continue;
                }

                List<string> compiled = sdk.CompiledFiles().Where(f => InRegion(project, sharedFolders, f)).ToList();
                if (compiled.Count == 0)
                {
                    continue;
                }

                string sdkName = Display(displayRoot, sdk.FullPath);
                var compiledSet = new HashSet<string>(compiled, s_paths);
                foreach (string file in compiled)
                {
                    if (!listed.ContainsKey(file) && reported.Add(file))
                    {
                        problems.Add(name + " does not list " + Display(displayRoot, file) + ", which " + sdkName + " compiles: add " + CompileElement(project, file));
                    }
                }

                foreach (string file in listed.Keys.Where(f => SharesFolderWith(project, sharedFolders, f, compiled)))
                {
                    if (!compiledSet.Contains(file) && !IsAssemblyInfo(project, file))
                    {
                        problems.Add(name + " lists " + listed[file] + ", which " + sdkName + " (compiling the same folder) leaves out: the device and host builds would differ");
                    }
                }
            }

            return problems;
        }

        /// <summary>The Compile ItemGroup <paramref name="project"/> should have, for a failure message.</summary>
        public static string SuggestedItemGroup(NfprojFile project)
        {
            var sharedFolders = project.CompileItems
                .Where(i => !i.IsWildcard)
                .Select(i => project.Resolve(i.Include))
                .Where(f => !SdkProject.IsSameOrBelow(f, project.Folder))
                .Select(Path.GetDirectoryName)
                .Distinct(s_paths)
                .ToList();
            var text = new StringBuilder("  <ItemGroup>\n");
            foreach (string element in ExpectedFiles(project, sharedFolders).Select(f => CompileElement(project, f)).OrderBy(e => e, StringComparer.Ordinal))
            {
                text.Append("    ").Append(element).Append('\n');
            }

            return text.Append("  </ItemGroup>\n").ToString();
        }

        /// <summary>
        /// The C# files <paramref name="folder"/> holds, below it too, leaving out bin and obj and
        /// any subfolder that has a project file of its own.
        /// </summary>
        public static IReadOnlyList<string> SourceFiles(string folder)
        {
            var files = new List<string>();
            var pending = new Stack<string>();
            pending.Push(folder);
            while (pending.Count > 0)
            {
                string current = pending.Pop();
                files.AddRange(Directory.EnumerateFiles(current, "*.cs").Select(Path.GetFullPath));
                foreach (string sub in Directory.EnumerateDirectories(current))
                {
                    if (!IsOutputOrHidden(sub) && !HasProjectFile(sub))
                    {
                        pending.Push(sub);
                    }
                }
            }

            files.Sort(s_paths);
            return files;
        }

        private static IEnumerable<string> ExpectedFiles(NfprojFile project, IEnumerable<string> sharedFolders)
        {
            var files = new List<string>(SourceFiles(project.Folder));
            foreach (string folder in sharedFolders)
            {
                if (Directory.Exists(folder))
                {
                    files.AddRange(Directory.EnumerateFiles(folder, "*.cs").Select(Path.GetFullPath));
                }
            }

            return files.Distinct(s_paths);
        }

        private static string CompileElement(NfprojFile project, string file)
        {
            string include = project.IncludeFor(file);
            if (SdkProject.IsSameOrBelow(file, project.Folder))
            {
                return "<Compile Include=\"" + include + "\" />";
            }

            return "<Compile Include=\"" + include + "\"><Link>" + Path.GetFileName(file) + "</Link></Compile>";
        }

        private static bool InRegion(NfprojFile project, IEnumerable<string> sharedFolders, string file)
        {
            if (SdkProject.IsSameOrBelow(file, project.Folder))
            {
                return IsProjectSource(project.Folder, file);
            }

            return sharedFolders.Contains(Path.GetDirectoryName(file), s_paths);
        }

        private static bool SharesFolderWith(NfprojFile project, IReadOnlyList<string> sharedFolders, string file, IReadOnlyList<string> compiled)
        {
            if (SdkProject.IsSameOrBelow(file, project.Folder))
            {
                return compiled.Any(c => SdkProject.IsSameOrBelow(c, project.Folder));
            }

            string folder = Path.GetDirectoryName(file);
            return compiled.Any(c => s_paths.Equals(Path.GetDirectoryName(c), folder));
        }

        private static bool IsProjectSource(string folder, string file)
        {
            string dir = Path.GetDirectoryName(file);
            while (dir != null && !s_paths.Equals(dir, folder))
            {
                if (IsOutputOrHidden(dir) || HasProjectFile(dir))
                {
                    return false;
                }

                dir = Path.GetDirectoryName(dir);
            }

            return dir != null;
        }

        private static bool IsAssemblyInfo(NfprojFile project, string file)
        {
            return s_paths.Equals(file, project.Resolve(AssemblyInfoInclude));
        }

        private static bool IsOutputOrHidden(string folder)
        {
            string leaf = Path.GetFileName(folder);
            return leaf == "bin" || leaf == "obj" || leaf.StartsWith(".", StringComparison.Ordinal);
        }

        private static bool HasProjectFile(string folder)
        {
            return Directory.EnumerateFiles(folder, "*.csproj").Any() || Directory.EnumerateFiles(folder, "*.nfproj").Any();
        }

        private static IEnumerable<string> EnumerateFiles(string root, string pattern)
        {
            var pending = new Stack<string>();
            pending.Push(root);
            while (pending.Count > 0)
            {
                string current = pending.Pop();
                foreach (string file in Directory.EnumerateFiles(current, pattern))
                {
                    yield return Path.GetFullPath(file);
                }

                foreach (string sub in Directory.EnumerateDirectories(current))
                {
                    if (!IsOutputOrHidden(sub))
                    {
                        pending.Push(sub);
                    }
                }
            }
        }

        private static string Display(string root, string path)
        {
            return Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/');
        }
    }
}
