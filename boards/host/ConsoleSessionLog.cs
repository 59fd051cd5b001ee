using System.IO;
using NetBoard.Firmware.Diagnostics;

namespace NetBoard.Boards.Host
{
    /// <summary>Prints the protocol dialogue (already masked by the core) for --verbose.</summary>
    internal sealed class ConsoleSessionLog : ISessionLog
    {
        private readonly TextWriter _writer;

        public ConsoleSessionLog(TextWriter writer)
        {
            _writer = writer;
        }

        public void Line(bool sent, string text)
        {
            _writer.WriteLine((sent ? "C: " : "S: ") + text);
        }
    }
}
