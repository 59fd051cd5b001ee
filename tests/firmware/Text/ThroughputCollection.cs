namespace NetBoard.Firmware.Tests.Text
{
    /// <summary>Runs throughput measurements alone so parallel tests do not skew them.</summary>
    [CollectionDefinition(nameof(ThroughputCollection), DisableParallelization = true)]
    public class ThroughputCollection
    {
    }
}
