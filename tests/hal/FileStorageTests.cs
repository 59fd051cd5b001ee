using System;
using System.IO;
using System.Text;
using NetBoard.Hal.Host;

namespace NetBoard.Hal.Tests
{
    public sealed class FileStorageTests : IDisposable
    {
        private readonly string _root;
        private readonly FileStorage _storage;

        public FileStorageTests()
        {
            _root = Path.Combine(Path.GetTempPath(), "netboard-storage-" + Guid.NewGuid().ToString("N"));
            _storage = new FileStorage(_root);
        }

        public void Dispose()
        {
            Directory.Delete(_root, true);
        }

        [Fact]
        public void New_CreatesRootFolder()
        {
            Assert.True(Directory.Exists(_root));
            Assert.Equal(Path.GetFullPath(_root), _storage.RootFolder);
        }

        [Fact]
        public void CreateCommitOpenRead_RoundTripsContent()
        {
            byte[] content = Encoding.ASCII.GetBytes("queued job 1\n");

            using (IStorageWriter writer = _storage.Create("jobs/1.job"))
            {
                writer.Write(content, 0, 5);
                writer.Write(content, 5, content.Length - 5);
                writer.Commit();
            }

            Assert.True(_storage.Exists("jobs/1.job"));
            Assert.Equal(content, ReadAll("jobs/1.job"));
            Assert.Equal(content, File.ReadAllBytes(Path.Combine(_root, "jobs", "1.job")));
        }

        [Fact]
        public void Create_Existing_Truncates()
        {
            WriteFile("a", "a much longer first content");

            WriteFile("a", "short");

            Assert.Equal("short", ReadText("a"));
        }

        [Fact]
        public void Dispose_WithoutCommit_KeepsWhatWasWritten()
        {
            byte[] content = Encoding.ASCII.GetBytes("partial");
            IStorageWriter writer = _storage.Create("partial.tmp");
            writer.Write(content, 0, content.Length);

            writer.Dispose();

            Assert.Equal("partial", ReadText("partial.tmp"));
        }

        [Fact]
        public void OpenRead_ReadsSequentiallyInChunks()
        {
            var content = new byte[10000];
            new Random(3).NextBytes(content);
            File.WriteAllBytes(Path.Combine(_root, "scan.pdf"), content);

            using IDocumentSource source = _storage.OpenRead("scan.pdf");
            Assert.Equal(content.Length, source.Length);
            var copy = new MemoryStream();
            var chunk = new byte[777];
            int count;
            while ((count = source.Read(chunk, 0, chunk.Length)) > 0)
            {
                copy.Write(chunk, 0, count);
            }

            Assert.Equal(content, copy.ToArray());
            Assert.Equal(0, source.Read(chunk, 0, chunk.Length));
        }

        [Fact]
        public void OpenRead_Missing_ThrowsFileNotFound()
        {
            Assert.Throws<FileNotFoundException>(() => _storage.OpenRead("missing"));
            Assert.Throws<FileNotFoundException>(() => _storage.OpenRead("no-folder/missing"));
        }

        [Fact]
        public void Exists_Missing_IsFalse()
        {
            Assert.False(_storage.Exists("missing"));
            Assert.False(_storage.Exists("no-folder/missing"));
        }

        [Fact]
        public void Replace_OverwritesTargetAndRemovesSource()
        {
            WriteFile("config", "old");
            WriteFile("config.new", "new");

            _storage.Replace("config.new", "config");

            Assert.Equal("new", ReadText("config"));
            Assert.False(_storage.Exists("config.new"));
            Assert.Equal(new[] { "config" }, _storage.List(string.Empty));
        }

        [Fact]
        public void Replace_OpenReaderKeepsOldContent()
        {
            // The rename swaps the name in one step: a reader of the old file is not disturbed.
            WriteFile("config", "old");
            WriteFile("config.new", "new");
            using IDocumentSource reader = _storage.OpenRead("config");

            _storage.Replace("config.new", "config");

            var buffer = new byte[16];
            int count = reader.Read(buffer, 0, buffer.Length);
            Assert.Equal("old", Encoding.ASCII.GetString(buffer, 0, count));
            Assert.Equal("new", ReadText("config"));
        }

        [Fact]
        public void Replace_MissingTarget_Renames()
        {
            WriteFile("tmp/1", "data");

            _storage.Replace("tmp/1", "done/1");

            Assert.Equal("data", ReadText("done/1"));
            Assert.False(_storage.Exists("tmp/1"));
        }

        [Fact]
        public void Replace_MissingSource_ThrowsIOException()
        {
            WriteFile("target", "kept");

            Assert.ThrowsAny<IOException>(() => _storage.Replace("missing", "target"));
            Assert.Equal("kept", ReadText("target"));
        }

        [Fact]
        public void Delete_RemovesFile()
        {
            WriteFile("jobs/1", "x");

            _storage.Delete("jobs/1");

            Assert.False(_storage.Exists("jobs/1"));
        }

        [Fact]
        public void Delete_Missing_IsNotAnError()
        {
            _storage.Delete("missing");
            _storage.Delete("no-folder/missing");

            Assert.False(_storage.Exists("missing"));
        }

        [Fact]
        public void List_ReturnsOrdinalOrderWithSubfolders()
        {
            foreach (string name in new[] { "b", "jobs/2", "a", "jobs/10", "B", "jobs/sub/x", "a.tmp" })
            {
                WriteFile(name, name);
            }

            Assert.Equal(new[] { "B", "a", "a.tmp", "b", "jobs/10", "jobs/2", "jobs/sub/x" }, _storage.List(string.Empty));
            Assert.Equal(_storage.List(string.Empty), _storage.List(null));
        }

        [Fact]
        public void List_FiltersByPrefix()
        {
            foreach (string name in new[] { "jobs/2", "jobs/10", "jobs/sub/x", "journal", "a" })
            {
                WriteFile(name, name);
            }

            Assert.Equal(new[] { "jobs/10", "jobs/2", "jobs/sub/x", "journal" }, _storage.List("j"));
            Assert.Equal(new[] { "jobs/10", "jobs/2", "jobs/sub/x" }, _storage.List("jobs/"));
            Assert.Equal(new[] { "jobs/10" }, _storage.List("jobs/1"));
            Assert.Equal(new[] { "jobs/sub/x" }, _storage.List("jobs/sub/"));
            Assert.Empty(_storage.List("nothing/"));
            Assert.Empty(_storage.List("z"));
        }

        [Theory]
        [InlineData("/etc/passwd")]
        [InlineData("../outside")]
        [InlineData("jobs/../../outside")]
        [InlineData("jobs/../a")]
        [InlineData("./a")]
        [InlineData("a//b")]
        [InlineData("a/")]
        [InlineData("a\\b")]
        [InlineData("")]
        public void Names_Invalid_ThrowArgumentException(string name)
        {
            WriteFile("valid", "v");

            Assert.ThrowsAny<ArgumentException>(() => _storage.Exists(name));
            Assert.ThrowsAny<ArgumentException>(() => _storage.OpenRead(name));
            Assert.ThrowsAny<ArgumentException>(() => _storage.Create(name));
            Assert.ThrowsAny<ArgumentException>(() => _storage.Delete(name));
            Assert.ThrowsAny<ArgumentException>(() => _storage.Replace(name, "valid"));
            Assert.ThrowsAny<ArgumentException>(() => _storage.Replace("valid", name));
            Assert.Equal("v", ReadText("valid"));
            Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(_root), "outside")));
        }

        [Fact]
        public void Names_Null_ThrowArgumentException()
        {
            Assert.ThrowsAny<ArgumentException>(() => _storage.Exists(null));
        }

        [Fact]
        public void List_PrefixEscapingRoot_ThrowsArgumentException()
        {
            Assert.ThrowsAny<ArgumentException>(() => _storage.List("../"));
        }

        private void WriteFile(string name, string text)
        {
            byte[] content = Encoding.ASCII.GetBytes(text);
            using IStorageWriter writer = _storage.Create(name);
            writer.Write(content, 0, content.Length);
            writer.Commit();
        }

        private byte[] ReadAll(string name)
        {
            using IDocumentSource source = _storage.OpenRead(name);
            var result = new byte[source.Length];
            int offset = 0;
            int count;
            while (offset < result.Length && (count = source.Read(result, offset, result.Length - offset)) > 0)
            {
                offset += count;
            }

            Assert.Equal(result.Length, offset);
            return result;
        }

        private string ReadText(string name)
        {
            return Encoding.ASCII.GetString(ReadAll(name));
        }
    }
}
