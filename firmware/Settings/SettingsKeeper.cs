using System;

namespace NetBoard.Firmware.Settings
{
    /// <summary>
    /// The settings in force, and the one way to change them. An editor (the front panel, and any
    /// later one) takes a copy with <see cref="Edit"/>, changes it, and hands it to <see cref="Commit"/>,
    /// which checks the whole copy against the schema, saves it atomically and puts it in force in one
    /// step. The settings in force are frozen and never change in place, so an attempt that took them
    /// when it began keeps exactly those values until it ends; a change applies from the next attempt.
    /// </summary>
    public sealed class SettingsKeeper
    {
        private readonly SettingsStore _store;
        private DeviceSettings _current;
        private int _version;

        /// <summary>Puts <paramref name="settings"/> in force (freezing them); commits save into <paramref name="store"/>, or nowhere when it is null.</summary>
        public SettingsKeeper(DeviceSettings settings, SettingsStore store)
        {
            if (settings == null)
            {
                throw new ArgumentNullException("settings");
            }

            settings.Freeze();
            _current = settings;
            _store = store;
        }

        /// <summary>The settings in force (frozen).</summary>
        public DeviceSettings Current
        {
            get { return _current; }
        }

        /// <summary>How many commits have put new settings in force.</summary>
        public int Version
        {
            get { return _version; }
        }

        /// <summary>A copy of the settings in force for an editor to change.</summary>
        public DeviceSettings Edit()
        {
            return _current.Copy();
        }

        /// <summary>
        /// Checks every value of <paramref name="edited"/>, saves it and puts (a frozen copy of) it in force.
        /// Returns null, or why not; the settings in force then stay as they were.
        /// </summary>
        public string Commit(DeviceSettings edited)
        {
            if (edited == null)
            {
                throw new ArgumentNullException("edited");
            }

            string[] errors = edited.Validate();
            if (errors.Length > 0)
            {
                return "Settings not saved: " + errors[0];
            }

            // The editor keeps its own object; what goes in force is a copy nobody else holds.
            DeviceSettings next = edited.Copy();
            next.Freeze();
            if (_store != null)
            {
                string error = _store.Save(next);
                if (error != null)
                {
                    return error;
                }
            }

            _current = next;
            _version++;
            return null;
        }
    }
}
