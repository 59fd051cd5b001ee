namespace NetBoard.Firmware.Panel
{
    /// <summary>The lines the panel's status screens show; asked again at every redraw, so they may change.</summary>
    public interface IPanelInfo
    {
        /// <summary>The jobs waiting or running, one short line each (the ready screen shows the first ones).</summary>
        string[] JobStatusLines();

        /// <summary>The communication journal, newest first, one short line per entry.</summary>
        string[] JournalLines();
    }
}
