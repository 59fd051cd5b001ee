using System;
using System.IO;
using System.Runtime.Versioning;
using System.Text;
using NetBoard.Hal.Host;

namespace NetBoard.Hal.Tests
{
    /// <summary>The host HAL's files are for their owner alone: settings with passwords, jobs, the journal, received mail.</summary>
    [UnsupportedOSPlatform("windows")]
    public sealed class OwnerOnlyTests : IDisposable
    {
        private readonly string _root;
        private readonly FileStorage _storage;

        public OwnerOnlyTests()
        {
            _root = Path.Combine(Path.GetTempPath(), "netboard-modes-" + Guid.NewGuid().ToString("N"));
            _storage = new FileStorage(_root);
        }

        public void Dispose()
        {
            Directory.Delete(_root, true);
        }

        [Fact]
        public void Files_AreOwnerOnly_AndFoldersCreatedOwnerOnly()
        {
            string root = Path.Combine(_root, "new-root");
            FileStorage storage = new FileStorage(root);

            using (IStorageWriter writer = storage.Create("jobs/inbox/1.job"))
            {
                writer.Write(new byte[] { 1, 2, 3 }, 0, 3);
                writer.Commit();
            }

            Assert.Equal(OwnerOnly.FolderMode, File.GetUnixFileMode(root));
            Assert.Equal(OwnerOnly.FolderMode, File.GetUnixFileMode(Path.Combine(root, "jobs")));
            Assert.Equal(OwnerOnly.FolderMode, File.GetUnixFileMode(Path.Combine(root, "jobs", "inbox")));
            Assert.Equal(OwnerOnly.FileMode, File.GetUnixFileMode(Path.Combine(root, "jobs", "inbox", "1.job")));
        }

        [Fact]
        public void Create_OverAFileOthersCouldRead_MakesItOwnerOnly()
        {
            string path = Path.Combine(_root, "settings.new");
            File.WriteAllText(path, "left over");
            File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32("644", 8));

            using (IStorageWriter writer = _storage.Create("settings.new"))
            {
                writer.Write(Encoding.ASCII.GetBytes("smtp.password=x"), 0, 15);
                writer.Commit();
            }

            Assert.Equal(OwnerOnly.FileMode, File.GetUnixFileMode(path));
            Assert.Equal("smtp.password=x", File.ReadAllText(path));
        }

        [Fact]
        public void Replace_AFileWrittenByHand_MakesItOwnerOnly()
        {
            // A settings file written by hand becomes the backup when the panel saves: it holds the old passwords.
            string path = Path.Combine(_root, "board.settings");
            File.WriteAllText(path, "smtp.password=old");
            File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32("664", 8));

            _storage.Replace("board.settings", "board.settings.bak");

            Assert.Equal(OwnerOnly.FileMode, File.GetUnixFileMode(Path.Combine(_root, "board.settings.bak")));
        }

        [Fact]
        public void New_OnAnExistingFolder_KeepsItsMode()
        {
            // The folder of a settings file is the user's: only what the storage writes in it is owner-only.
            string folder = Path.Combine(_root, "home");
            Directory.CreateDirectory(folder);
            File.SetUnixFileMode(folder, (UnixFileMode)Convert.ToInt32("755", 8));

            new FileStorage(folder);

            Assert.Equal((UnixFileMode)Convert.ToInt32("755", 8), File.GetUnixFileMode(folder));
        }

        [Fact]
        public void CreateOrRestrictFolder_TakesAccessAwayFromOthers()
        {
            string folder = Path.Combine(_root, "board.data");
            Directory.CreateDirectory(folder);
            File.SetUnixFileMode(folder, (UnixFileMode)Convert.ToInt32("775", 8));

            OwnerOnly.CreateOrRestrictFolder(folder);
            OwnerOnly.CreateOrRestrictFolder(Path.Combine(_root, "other.data"));

            Assert.Equal(OwnerOnly.FolderMode, File.GetUnixFileMode(folder));
            Assert.Equal(OwnerOnly.FolderMode, File.GetUnixFileMode(Path.Combine(_root, "other.data")));
        }

        [Theory]
        [InlineData("600", false)]
        [InlineData("400", false)]
        [InlineData("700", false)]
        [InlineData("644", true)]
        [InlineData("640", true)]
        [InlineData("604", true)]
        [InlineData("620", true)]
        public void IsOpenToOthers_TellsByTheGroupAndOtherBits(string octal, bool open)
        {
            string path = Path.Combine(_root, "s.settings");
            File.WriteAllText(path, "x");
            File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32(octal, 8));

            Assert.Equal(open, OwnerOnly.IsOpenToOthers(path, out string mode));
            Assert.Equal("0" + octal, mode);
            Assert.False(OwnerOnly.IsOpenToOthers(Path.Combine(_root, "missing"), out _));
        }
    }
}
