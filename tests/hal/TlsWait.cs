using System.Diagnostics;
using NetBoard.Hal.Host;

namespace NetBoard.Hal.Tests
{
    /// <summary>Waits for a TLS handshake the way a host idle loop would, bounded by a timeout.</summary>
    internal static class TlsWait
    {
        public static void UntilHandshakeEnds(TcpConnection connection)
        {
            var watch = Stopwatch.StartNew();
            while (connection.State == NetState.Open
                && connection.Tls == TlsState.Handshaking
                && watch.ElapsedMilliseconds < ConnectionWait.TimeoutMs)
            {
                connection.WaitReadable(50);
            }
        }
    }
}
