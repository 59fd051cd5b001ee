namespace NetBoard.Hal
{
    /// <summary>
    /// A hardware one-shot timer. Its expiry only sets <see cref="HasFired"/>; the scheduler
    /// notices it on its next pass, so no work runs in the timer's context.
    /// </summary>
    public interface IOneShotTimer
    {
        /// <summary>Arms the timer to fire once after <paramref name="delayMicroseconds"/>; re-arming restarts it.</summary>
        void Start(long delayMicroseconds);

        /// <summary>Disarms the timer and clears <see cref="HasFired"/>.</summary>
        void Cancel();

        /// <summary>True once the armed delay has passed.</summary>
        bool HasFired { get; }
    }
}
