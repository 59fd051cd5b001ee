using NetBoard.Firmware.Settings;

namespace NetBoard.Firmware.Panel
{
    /// <summary>Told when the panel has changed the settings, so the board can save them and apply them.</summary>
    public interface ISettingsChanged
    {
        /// <summary>Called after a value was stored or the settings were reset; <paramref name="settings"/> is the changed object itself.</summary>
        void OnSettingsChanged(DeviceSettings settings);
    }
}
