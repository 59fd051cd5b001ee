using System.Diagnostics;
using NetBoard.Hal.Host;

namespace NetBoard.Hal.Tests
{
    /// <summary>Drives a connection the way a host idle loop would, bounded by a timeout.</summary>
    internal static class ConnectionWait
    {
        public const int TimeoutMs = 20000;

        public static void UntilSettled(TcpConnection connection)
        {
            var watch = Stopwatch.StartNew();
            while (connection.State == NetState.Connecting && watch.ElapsedMilliseconds < TimeoutMs)
            {
                connection.WaitReadable(50);
            }
        }

        public static byte[] ReadUntilNotOpen(TcpConnection connection)
        {
            var received = new System.IO.MemoryStream();
            var buffer = new byte[4096];
            var watch = Stopwatch.StartNew();
            while (connection.State == NetState.Open && watch.ElapsedMilliseconds < TimeoutMs)
            {
                int count = connection.Read(buffer, 0, buffer.Length);
                if (count > 0)
                {
                    received.Write(buffer, 0, count);
                }
                else
                {
                    connection.WaitReadable(50);
                }
            }

            return received.ToArray();
        }
    }
}
