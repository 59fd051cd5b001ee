using System.IO;
using System.Linq;
using System.Reflection;
using NetBoard.Firmware.Jobs;

namespace NetBoard.Boards.Host.Tests
{
    /// <summary>The README is what users read when a code appears on the panel: it must list every one.</summary>
    public sealed class ReadmeTests
    {
        [Fact]
        public void The_troubleshooting_table_lists_every_user_error_code()
        {
            string dir = System.AppContext.BaseDirectory;
            while (dir != null && !File.Exists(Path.Combine(dir, "NetBoard.Host.sln")))
            {
                dir = Path.GetDirectoryName(dir);
            }

            Assert.NotNull(dir);
            string readme = File.ReadAllText(Path.Combine(dir, "README.md"));
            int[] codes = typeof(UserErrorCode).GetFields(BindingFlags.Public | BindingFlags.Static)
                .Where(f => f.IsLiteral && f.FieldType == typeof(int))
                .Select(f => (int)f.GetRawConstantValue())
                .Where(c => c != UserErrorCode.None)
                .ToArray();
            Assert.True(codes.Length >= 20);
            foreach (int code in codes)
            {
                Assert.Contains("| #" + code + " | ", readme);
            }
        }
    }
}
