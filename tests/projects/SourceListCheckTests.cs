using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace NetBoard.Projects.Tests
{
    /// <summary>
    /// The device projects list their source files one by one (nanoFramework's test adapter and
    /// project system need that), and the lists cannot drift from the folders or from the host build.
    /// </summary>
    public sealed class SourceListCheckTests
    {
        private static readonly SdkProject[] s_none = new SdkProject[0];

        [Fact]
        public void Every_device_project_lists_exactly_its_source_files_and_the_host_builds_agree()
        {
            string root = RepositoryRoot.Path;
            IReadOnlyList<string> problems = SourceListCheck.CheckRepository(root);

            if (problems.Count > 0)
            {
                var message = new StringBuilder();
                message.Append(problems.Count).Append(" problem(s) in the device projects' Compile lists:\n");
                foreach (string problem in problems)
                {
                    message.Append("  ").Append(problem).Append('\n');
                }

                foreach (string path in SolutionFile.ProjectPaths(Path.Combine(root, "nanoFramework.sln"), ".nfproj").Where(File.Exists))
                {
                    NfprojFile project = NfprojFile.Load(path);
                    string name = Path.GetRelativePath(root, path).Replace('\\', '/');
                    if (problems.Any(p => p.StartsWith(name, StringComparison.Ordinal) && !p.Contains(" leaves out:", StringComparison.Ordinal)))
                    {
                        message.Append("The Compile list of ").Append(name).Append(" should read:\n").Append(SourceListCheck.SuggestedItemGroup(project));
                    }
                }

                Assert.Fail(message.ToString());
            }
        }

        [Fact]
        public void The_check_covers_all_seven_device_projects_and_every_file_of_the_core()
        {
            string root = RepositoryRoot.Path;
            IReadOnlyList<string> projects = SolutionFile.ProjectPaths(Path.Combine(root, "nanoFramework.sln"), ".nfproj");
            Assert.Equal(7, projects.Count);

            NfprojFile firmware = NfprojFile.Load(Path.Combine(root, "firmware", "NetBoard.Firmware.nfproj"));
            var listed = firmware.CompileItems.Select(i => firmware.Resolve(i.Include)).ToList();
            Assert.True(listed.Count > 50, "the core has " + listed.Count + " listed files");
            Assert.Equal(SourceListCheck.SourceFiles(firmware.Folder).OrderBy(f => f, StringComparer.Ordinal), listed.OrderBy(f => f, StringComparer.Ordinal));
        }

        [Fact]
        public void The_host_build_of_the_core_compiles_the_same_files_but_the_device_AssemblyInfo()
        {
            string root = RepositoryRoot.Path;
            NfprojFile firmware = NfprojFile.Load(Path.Combine(root, "firmware", "NetBoard.Firmware.nfproj"));
            var host = new SdkProject(Path.Combine(root, "firmware", "NetBoard.Firmware.csproj"));

            Assert.True(host.MayCompileIn(new[] { firmware.Folder }));
            var expected = firmware.CompileItems
                .Where(i => i.Include != SourceListCheck.AssemblyInfoInclude)
                .Select(i => firmware.Resolve(i.Include))
                .OrderBy(f => f, StringComparer.Ordinal);
            Assert.Equal(expected, host.CompiledFiles().OrderBy(f => f, StringComparer.Ordinal));
        }

        [Fact]
        public void A_source_file_left_out_of_the_list_is_named_with_its_project()
        {
            using (var copy = new TempCopy())
            {
                string folder = copy.CopyFolder("firmware");
                string nfproj = Path.Combine(folder, "NetBoard.Firmware.nfproj");
                Assert.Empty(SourceListCheck.CheckProject(NfprojFile.Load(nfproj), s_none, copy.Root));

                copy.Edit("firmware/NetBoard.Firmware.nfproj", "    <Compile Include=\"Smtp\\SmtpSession.cs\" />\n", string.Empty);

                string problem = Assert.Single(SourceListCheck.CheckProject(NfprojFile.Load(nfproj), s_none, copy.Root));
                Assert.StartsWith("firmware/NetBoard.Firmware.nfproj does not list firmware/Smtp/SmtpSession.cs", problem);
                Assert.Contains("<Compile Include=\"Smtp\\SmtpSession.cs\" />", problem);
            }
        }

        [Fact]
        public void A_listed_file_that_does_not_exist_is_named_with_its_project()
        {
            using (var copy = new TempCopy())
            {
                string folder = copy.CopyFolder("hal/interfaces");
                File.Delete(Path.Combine(folder, "INetConnection.cs"));

                string problem = Assert.Single(SourceListCheck.CheckProject(NfprojFile.Load(Path.Combine(folder, "NetBoard.Hal.nfproj")), s_none, copy.Root));
                Assert.StartsWith("hal/interfaces/NetBoard.Hal.nfproj lists INetConnection.cs, which does not exist", problem);
            }
        }

        [Fact]
        public void A_wildcard_Compile_item_is_refused()
        {
            using (var copy = new TempCopy())
            {
                string folder = copy.CopyFolder("tests/device");
                copy.Edit("tests/device/NFUnitTest.nfproj", "    <Compile Include=\"Md5Tests.cs\" />\n", "    <Compile Include=\"**\\*.cs\" Exclude=\"bin\\**;obj\\**\" />\n");

                IReadOnlyList<string> problems = SourceListCheck.CheckProject(NfprojFile.Load(Path.Combine(folder, "NFUnitTest.nfproj")), s_none, copy.Root);
                Assert.Contains(problems, p => p.StartsWith("tests/device/NFUnitTest.nfproj: <Compile Include=\"**\\*.cs\"> is a pattern", StringComparison.Ordinal));
                Assert.Contains(problems, p => p.StartsWith("tests/device/NFUnitTest.nfproj does not list tests/device/Md5Tests.cs", StringComparison.Ordinal));
            }
        }

        [Fact]
        public void A_file_the_host_build_leaves_out_is_named_with_both_projects()
        {
            using (var copy = new TempCopy())
            {
                string folder = copy.CopyFolder("hal/interfaces");
                copy.Edit("hal/interfaces/NetBoard.Hal.csproj", "</Project>", "  <ItemGroup>\n    <Compile Remove=\"TlsPolicy.cs\" />\n  </ItemGroup>\n</Project>");
                var host = new SdkProject(Path.Combine(folder, "NetBoard.Hal.csproj"));

                string problem = Assert.Single(SourceListCheck.CheckProject(NfprojFile.Load(Path.Combine(folder, "NetBoard.Hal.nfproj")), new[] { host }, copy.Root));
                Assert.Equal("hal/interfaces/NetBoard.Hal.nfproj lists TlsPolicy.cs, which hal/interfaces/NetBoard.Hal.csproj (compiling the same folder) leaves out: the device and host builds would differ", problem);
            }
        }

        [Fact]
        public void A_file_from_a_shared_folder_needs_a_Link_and_brings_the_whole_folder()
        {
            using (var copy = new TempCopy())
            {
                string app = Path.Combine(copy.Root, "app");
                string shared = Path.Combine(copy.Root, "shared");
                Directory.CreateDirectory(app);
                Directory.CreateDirectory(shared);
                File.WriteAllText(Path.Combine(app, "Program.cs"), "class Program { }\n");
                File.WriteAllText(Path.Combine(shared, "One.cs"), "class One { }\n");
                File.WriteAllText(Path.Combine(shared, "Two.cs"), "class Two { }\n");
                string nfproj = Path.Combine(app, "App.nfproj");
                File.WriteAllText(nfproj,
                    "<Project xmlns=\"http://schemas.microsoft.com/developer/msbuild/2003\">\n" +
                    "  <ItemGroup>\n" +
                    "    <Compile Include=\"Program.cs\" />\n" +
                    "    <Compile Include=\"..\\shared\\One.cs\"><Link>One.cs</Link></Compile>\n" +
                    "    <Compile Include=\"..\\shared\\Two.cs\" />\n" +
                    "  </ItemGroup>\n" +
                    "</Project>\n");

                IReadOnlyList<string> problems = SourceListCheck.CheckProject(NfprojFile.Load(nfproj), s_none, copy.Root);
                Assert.Equal(new[] { "app/App.nfproj compiles ..\\shared\\Two.cs from outside its folder without a <Link> element (the project system shows such a file only with one)" }, problems);

                File.WriteAllText(Path.Combine(shared, "Three.cs"), "class Three { }\n");
                problems = SourceListCheck.CheckProject(NfprojFile.Load(nfproj), s_none, copy.Root);
                Assert.Contains("app/App.nfproj does not list shared/Three.cs, a source file of a shared folder it compiles from: add <Compile Include=\"..\\shared\\Three.cs\"><Link>Three.cs</Link></Compile>", problems);
            }
        }
    }
}
