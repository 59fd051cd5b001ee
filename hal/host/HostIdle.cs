using System.Threading;
using NetBoard.Hal;

namespace NetBoard.Hal.Host
{
    /// <summary>Idle on the host: the scheduler thread sleeps (Linux sleeps at about millisecond granularity).</summary>
    public sealed class HostIdle : ISystemIdle
    {
        /// <inheritdoc />
        public void Wait(int maxMs)
        {
            Thread.Sleep(maxMs <= 0 ? 0 : maxMs);
        }
    }
}
