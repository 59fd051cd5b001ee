namespace NetBoard.Firmware.Settings
{
    /// <summary>The settings found at boot, where they came from, and what to tell the user about it.</summary>
    public sealed class SettingsLoadResult
    {
        /// <summary>Creates a result.</summary>
        public SettingsLoadResult(DeviceSettings settings, SettingsSource source, string message)
        {
            Settings = settings;
            Source = source;
            Message = message;
        }

        /// <summary>The settings to run with; never null.</summary>
        public DeviceSettings Settings { get; private set; }

        /// <summary>The copy they came from.</summary>
        public SettingsSource Source { get; private set; }

        /// <summary>A short notice for the panel (e.g. "Settings restored from backup"), or null when all is well.</summary>
        public string Message { get; private set; }
    }
}
