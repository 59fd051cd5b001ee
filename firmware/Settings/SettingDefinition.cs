namespace NetBoard.Firmware.Settings
{
    /// <summary>One settings key: its kind, default, limits and panel label.</summary>
    public sealed class SettingDefinition
    {
        /// <summary>Creates a definition.</summary>
        public SettingDefinition(string key, SettingKind kind, string defaultValue, string label, int min, int max, string[] choices, bool required)
        {
            Key = key;
            Kind = kind;
            DefaultValue = defaultValue;
            Label = label;
            Min = min;
            Max = max;
            Choices = choices;
            Required = required;
        }

        /// <summary>The key as written in the settings file, e.g. "smtp.port".</summary>
        public string Key { get; private set; }

        /// <summary>How the value is validated.</summary>
        public SettingKind Kind { get; private set; }

        /// <summary>The factory value.</summary>
        public string DefaultValue { get; private set; }

        /// <summary>The front-panel label.</summary>
        public string Label { get; private set; }

        /// <summary>The smallest number (Number kind).</summary>
        public int Min { get; private set; }

        /// <summary>The largest number (Number kind).</summary>
        public int Max { get; private set; }

        /// <summary>The allowed words (Choice kind), else null.</summary>
        public string[] Choices { get; private set; }

        /// <summary>True when sending needs a non-empty value.</summary>
        public bool Required { get; private set; }
    }
}
