namespace NetBoard.Hal
{
    /// <summary>The printer's scan and print engine as the network board sees it.</summary>
    public interface IEngine
    {
        /// <summary>The next finished scan waiting to be sent, or null; never waits.</summary>
        ScanRequest TakeScan();

        /// <summary>Hands a received document in storage to the printer; false when the engine refuses it now.</summary>
        bool Print(string documentName, string contentType);
    }
}
