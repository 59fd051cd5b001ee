namespace NetBoard.Hal
{
    /// <summary>What the scheduler thread does when no task is due: sleep (device) or wait on the host.</summary>
    public interface ISystemIdle
    {
        /// <summary>Returns after at most <paramref name="maxMs"/> milliseconds, or earlier.</summary>
        void Wait(int maxMs);
    }
}
