using System;
using System.Collections;

namespace NetBoard.Firmware.Settings
{
    /// <summary>
    /// The device's settings: one value per key of <see cref="SettingsSchema"/>, stored as
    /// "key=value" lines. Every value held is valid; a bad one is refused with a message.
    /// The settings in force are frozen (<see cref="SettingsKeeper"/>): an editor changes a
    /// <see cref="Copy"/> and commits it whole.
    /// </summary>
    public sealed class DeviceSettings
    {
        private readonly string[] _values;
        private bool _frozen;

        /// <summary>Creates the factory settings.</summary>
        public DeviceSettings()
        {
            SettingDefinition[] all = SettingsSchema.All;
            _values = new string[all.Length];
            for (int i = 0; i < all.Length; i++)
            {
                _values[i] = all[i].DefaultValue;
            }
        }

        private DeviceSettings(string[] values)
        {
            _values = values;
        }

        /// <summary>True once <see cref="Freeze"/> was called: <see cref="Set"/> then throws.</summary>
        public bool IsFrozen
        {
            get { return _frozen; }
        }

        /// <summary>
        /// Reads settings text. Blank lines and lines starting with '#' are skipped; keys not in the
        /// file keep their factory value. Each bad line gives one error naming the line.
        /// </summary>
        public static SettingsParseResult Parse(string text)
        {
            DeviceSettings settings = new DeviceSettings();
            ArrayList errors = new ArrayList();
            bool[] seen = new bool[SettingsSchema.All.Length];
            int lineNumber = 0;
            int start = 0;
            while (start < text.Length)
            {
                int end = text.IndexOf('\n', start);
                if (end < 0)
                {
                    end = text.Length;
                }

                lineNumber++;
                string line = text.Substring(start, end - start).Trim();
                start = end + 1;
                if (line.Length == 0 || line[0] == '#')
                {
                    continue;
                }

                string prefix = "line " + lineNumber.ToString() + ": ";
                int equals = line.IndexOf('=');
                if (equals <= 0)
                {
                    errors.Add(prefix + "expected key=value");
                    continue;
                }

                string key = line.Substring(0, equals).Trim();
                string value = line.Substring(equals + 1).Trim();
                int index = SettingsSchema.IndexOf(key);
                if (index < 0)
                {
                    errors.Add(prefix + "unknown key '" + key + "'");
                    continue;
                }

                if (seen[index])
                {
                    errors.Add(prefix + key + " is set twice");
                    continue;
                }

                seen[index] = true;
                string error = settings.Set(key, value);
                if (error != null)
                {
                    errors.Add(prefix + key + ": " + error);
                }
            }

            string[] list = new string[errors.Count];
            errors.CopyTo(list, 0);
            return new SettingsParseResult(list.Length == 0 ? settings : null, list);
        }

        /// <summary>The value of <paramref name="key"/> (its factory value if never set).</summary>
        public string Get(string key)
        {
            return _values[Index(key)];
        }

        /// <summary>The value of a Number key.</summary>
        public int GetInt(string key)
        {
            string value = Get(key);
            int number = 0;
            for (int i = 0; i < value.Length; i++)
            {
                number = (number * 10) + (value[i] - '0');
            }

            return number;
        }

        /// <summary>True when an on/off key is "on".</summary>
        public bool IsOn(string key)
        {
            return Get(key) == "on";
        }

        /// <summary>Sets <paramref name="key"/>; returns null, or why the value was refused (the old value stays).</summary>
        /// <exception cref="InvalidOperationException">The settings are frozen (in force): change a <see cref="Copy"/>.</exception>
        public string Set(string key, string value)
        {
            if (_frozen)
            {
                throw new InvalidOperationException("settings in force are changed through a copy");
            }

            int index = SettingsSchema.IndexOf(key);
            if (index < 0)
            {
                return "unknown key '" + key + "'";
            }

            string error = SettingValidator.Check(SettingsSchema.All[index], value);
            if (error == null)
            {
                _values[index] = value;
            }

            return error;
        }

        /// <summary>A copy that can be changed, whatever this one is.</summary>
        public DeviceSettings Copy()
        {
            string[] values = new string[_values.Length];
            Array.Copy(_values, values, values.Length);
            return new DeviceSettings(values);
        }

        /// <summary>Makes these settings read-only for good.</summary>
        public void Freeze()
        {
            _frozen = true;
        }

        /// <summary>Checks every value against the schema; returns one "key: why" per bad value (none when all are good).</summary>
        public string[] Validate()
        {
            SettingDefinition[] all = SettingsSchema.All;
            ArrayList errors = new ArrayList();
            for (int i = 0; i < all.Length; i++)
            {
                string error = SettingValidator.Check(all[i], _values[i]);
                if (error != null)
                {
                    errors.Add(all[i].Key + ": " + error);
                }
            }

            string[] list = new string[errors.Count];
            errors.CopyTo(list, 0);
            return list;
        }

        /// <summary>Every key as "key=value" lines, in schema order, each ending with LF.</summary>
        public string Serialize()
        {
            SettingDefinition[] all = SettingsSchema.All;
            string[] lines = new string[all.Length];
            for (int i = 0; i < all.Length; i++)
            {
                lines[i] = all[i].Key + "=" + _values[i] + "\n";
            }

            return string.Concat(lines);
        }

        private static int Index(string key)
        {
            int index = SettingsSchema.IndexOf(key);
            if (index < 0)
            {
                throw new ArgumentException("unknown settings key", "key");
            }

            return index;
        }
    }
}
