using System;

namespace NetBoard.Hal
{
    /// <summary>Time for the core: a monotonic counter for timeouts and the wall clock for mail headers and the journal.</summary>
    public interface IClock
    {
        /// <summary>Milliseconds since an arbitrary start; never goes backwards.</summary>
        long NowMs { get; }

        /// <summary>The current date and time in UTC.</summary>
        DateTime UtcNow { get; }
    }
}
