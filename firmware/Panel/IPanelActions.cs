namespace NetBoard.Firmware.Panel
{
    /// <summary>What the panel can ask the device to do.</summary>
    public interface IPanelActions
    {
        /// <summary>Queues (or sends) a test e-mail to the device's own address; returns a short message for the display.</summary>
        string SendTestEmail();

        /// <summary>
        /// Forgets the web page's administrator password (part of the factory reset), so the page asks for a
        /// new one with a new setup code; returns a short message naming that code for the display, or null.
        /// </summary>
        string ForgetWebPassword();
    }
}
