namespace NetBoard.Firmware.Settings
{
    /// <summary>Which copy the settings were loaded from at boot.</summary>
    public enum SettingsSource
    {
        /// <summary>The current file, settings.txt.</summary>
        Current,

        /// <summary>The previous file, settings.bak (the current one was missing or damaged).</summary>
        Backup,

        /// <summary>The file of a save cut short between its two renames, settings.new.</summary>
        Pending,

        /// <summary>No usable file: the factory settings.</summary>
        Defaults,
    }
}
