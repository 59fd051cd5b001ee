namespace NetBoard.Firmware.Panel
{
    /// <summary>What the panel can ask the device to do.</summary>
    public interface IPanelActions
    {
        /// <summary>Queues (or sends) a test e-mail to the device's own address; returns a short message for the display.</summary>
        string SendTestEmail();
    }
}
