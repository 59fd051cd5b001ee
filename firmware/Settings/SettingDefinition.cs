using System;

namespace NetBoard.Firmware.Settings
{
    /// <summary>One settings key: its kind, default, limits, panel label and the words the panel shows for its choices.</summary>
    public sealed class SettingDefinition
    {
        private readonly string[] _choiceLabels;

        /// <summary>Creates a definition.</summary>
        /// <param name="key">The key as written in the settings file.</param>
        /// <param name="kind">How the value is validated.</param>
        /// <param name="defaultValue">The factory value.</param>
        /// <param name="label">The front-panel label.</param>
        /// <param name="min">The smallest number (Number kind).</param>
        /// <param name="max">The largest number (Number kind).</param>
        /// <param name="choices">The allowed words (Choice kind), else null.</param>
        /// <param name="choiceLabels">The panel's word for each choice, in the same order, or null to show the values themselves.</param>
        /// <param name="required">True when sending needs a non-empty value.</param>
        public SettingDefinition(string key, SettingKind kind, string defaultValue, string label, int min, int max, string[] choices, string[] choiceLabels, bool required)
        {
            int count = choices == null ? 0 : choices.Length;
            if (choiceLabels != null && choiceLabels.Length != count)
            {
                throw new ArgumentException("one label per choice is needed", "choiceLabels");
            }

            Key = key;
            Kind = kind;
            DefaultValue = defaultValue;
            Label = label;
            Min = min;
            Max = max;
            Choices = choices;
            Required = required;
            _choiceLabels = choiceLabels;
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

        /// <summary>The word the panel shows for a choice ("STARTTLS" for "starttls"); the value itself when it has no label.</summary>
        public string ChoiceLabel(string value)
        {
            if (Choices != null && _choiceLabels != null)
            {
                for (int i = 0; i < Choices.Length; i++)
                {
                    if (Choices[i] == value)
                    {
                        return _choiceLabels[i];
                    }
                }
            }

            return value;
        }

        /// <summary>The value a shown word stands for ("tls" for "SSL/TLS"), or null when the word is not one of them.</summary>
        public string ChoiceValue(string label)
        {
            if (Choices == null)
            {
                return null;
            }

            for (int i = 0; i < Choices.Length; i++)
            {
                if (ChoiceLabel(Choices[i]) == label)
                {
                    return Choices[i];
                }
            }

            return null;
        }
    }
}
