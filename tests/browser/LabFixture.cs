namespace NetBoard.Browser.Tests
{
    /// <summary>Starts (or finds) the shared mail lab once for a test class.</summary>
    public sealed class LabFixture
    {
        public LabFixture()
        {
            Lab = MailLab.Start();
        }

        public MailLab Lab { get; }
    }
}
