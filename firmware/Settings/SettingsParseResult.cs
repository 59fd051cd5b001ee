namespace NetBoard.Firmware.Settings
{
    /// <summary>The settings read from a file, or the errors that kept them from being read.</summary>
    public sealed class SettingsParseResult
    {
        /// <summary>Creates a result.</summary>
        public SettingsParseResult(DeviceSettings settings, string[] errors)
        {
            Settings = settings;
            Errors = errors;
        }

        /// <summary>The settings, or null when any line was bad.</summary>
        public DeviceSettings Settings { get; private set; }

        /// <summary>One message per bad line ("line 3: unknown key 'smtp.hots'").</summary>
        public string[] Errors { get; private set; }

        /// <summary>True when every line was good.</summary>
        public bool Ok
        {
            get { return Errors.Length == 0; }
        }
    }
}
