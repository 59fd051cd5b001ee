using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Xml.Linq;

namespace NetBoard.Projects.Tests
{
    /// <summary>
    /// An SDK-style project (host build or the nano compile check) and the source files MSBuild
    /// evaluates it to compile: default globs, Include and Remove items, Directory.Build.props and all.
    /// </summary>
    public sealed class SdkProject
    {
        private IReadOnlyList<string> _compiledFiles;

        /// <summary>Creates the project at <paramref name="path"/>; nothing is evaluated yet.</summary>
        public SdkProject(string path)
        {
            FullPath = Path.GetFullPath(path);
        }

        /// <summary>The project file's full path.</summary>
        public string FullPath { get; }

        /// <summary>The project file's name, e.g. NetBoard.Firmware.csproj.</summary>
        public string FileName
        {
            get { return Path.GetFileName(FullPath); }
        }

        /// <summary>
        /// Whether the project can compile a file in one of <paramref name="folders"/>: its default
        /// globs reach its own folder and every folder below, and only an explicit Compile item
        /// reaches anywhere else.
        /// </summary>
        public bool MayCompileIn(IEnumerable<string> folders)
        {
            string own = Path.GetDirectoryName(FullPath);
            if (folders.Any(f => IsSameOrBelow(f, own)))
            {
                return true;
            }

            XDocument document = XDocument.Load(FullPath);
            return document.Descendants().Any(e => e.Name.LocalName == "Compile" && e.Attribute("Include") != null);
        }

        /// <summary>
        /// The full paths of the C# files the project compiles, from
        /// <c>dotnet msbuild -getItem:Compile</c> (evaluation only: nothing is built or restored).
        /// </summary>
        public IReadOnlyList<string> CompiledFiles()
        {
            if (_compiledFiles == null)
            {
                _compiledFiles = Evaluate();
            }

            return _compiledFiles;
        }

        /// <summary>Whether <paramref name="path"/> is <paramref name="folder"/> or lies below it.</summary>
        public static bool IsSameOrBelow(string path, string folder)
        {
            string relative = Path.GetRelativePath(folder, path);
            return relative == "." || (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative));
        }

        private IReadOnlyList<string> Evaluate()
        {
            string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (string.IsNullOrEmpty(dotnet) || !File.Exists(dotnet))
            {
                dotnet = "dotnet";
            }

            var start = new ProcessStartInfo(dotnet)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = Path.GetDirectoryName(FullPath),
            };
            start.ArgumentList.Add("msbuild");
            start.ArgumentList.Add(FullPath);
            start.ArgumentList.Add("-getItem:Compile");
            start.ArgumentList.Add("-nologo");
            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            start.Environment["DOTNET_NOLOGO"] = "1";

            using (Process process = Process.Start(start))
            {
                var error = process.StandardError.ReadToEndAsync();
                string output = process.StandardOutput.ReadToEnd();
                process.WaitForExit();
                if (process.ExitCode != 0)
                {
                    throw new InvalidOperationException(
                        "dotnet msbuild -getItem:Compile failed for " + FullPath + " (exit code " + process.ExitCode + "):\n" + output + error.Result);
                }

                using (JsonDocument json = JsonDocument.Parse(output))
                {
                    var files = new List<string>();
                    JsonElement items = json.RootElement.GetProperty("Items");
                    if (items.TryGetProperty("Compile", out JsonElement compile))
                    {
                        foreach (JsonElement item in compile.EnumerateArray())
                        {
                            files.Add(Path.GetFullPath(item.GetProperty("FullPath").GetString()));
                        }
                    }

                    return files;
                }
            }
        }
    }
}
