namespace NetBoard.Firmware.Panel
{
    /// <summary>The lines the panel's status screens show; asked again at every redraw, so they may change.</summary>
    public interface IPanelInfo
    {
        /// <summary>The jobs waiting or running, one line each (the ready screen shows the first ones; a longer line than the display is read whole on Set).</summary>
        string[] JobStatusLines();

        /// <summary>The communication journal, newest first, one line per entry (read whole on Set when longer than the display).</summary>
        string[] JournalLines();
    }
}
