using System.Threading;

namespace NetBoard.Hal.Esp32
{
    /// <summary>Idle time on the device: the scheduler thread sleeps, so worker threads and the CLR's event dispatch run.</summary>
    public sealed class SleepIdle : ISystemIdle
    {
        /// <inheritdoc />
        public void Wait(int maxMs)
        {
            Thread.Sleep(maxMs > 0 ? maxMs : 0);
        }
    }
}
