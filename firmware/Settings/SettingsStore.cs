using System;
using NetBoard.Firmware.Storage;
using NetBoard.Firmware.Text;
using NetBoard.Hal;

namespace NetBoard.Firmware.Settings
{
    /// <summary>
    /// Keeps <see cref="DeviceSettings"/> in storage so that a power cut at any moment leaves either the
    /// old or the new settings. The file is the "key=value" text (UTF-8) followed by a trailer line
    /// "#crc32=xxxxxxxx" over every byte before it. A save writes settings.new, then renames
    /// settings.txt to settings.bak and settings.new to settings.txt.
    /// </summary>
    public sealed class SettingsStore
    {
        /// <summary>The settings in use.</summary>
        public const string CurrentFileName = "settings.txt";

        /// <summary>The settings before the last save.</summary>
        public const string BackupFileName = "settings.bak";

        /// <summary>A save being written (or cut short between its renames).</summary>
        public const string PendingFileName = "settings.new";

        /// <summary>Largest settings file read, in bytes; anything longer is damaged.</summary>
        public const int MaxFileBytes = 16384;

        private readonly IStorage _storage;
        private readonly string _current;
        private readonly string _backup;
        private readonly string _pending;

        /// <summary>Uses <paramref name="storage"/> for the three settings files, with the device's names.</summary>
        public SettingsStore(IStorage storage)
            : this(storage, CurrentFileName, BackupFileName, PendingFileName)
        {
        }

        /// <summary>Keeps the settings in <paramref name="fileName"/>, with FILE.bak and FILE.new beside it.</summary>
        public SettingsStore(IStorage storage, string fileName)
            : this(storage, fileName, fileName + ".bak", fileName + ".new")
        {
        }

        private SettingsStore(IStorage storage, string current, string backup, string pending)
        {
            if (storage == null)
            {
                throw new ArgumentNullException("storage");
            }

            _storage = storage;
            _current = current;
            _backup = backup;
            _pending = pending;
        }

        /// <summary>
        /// Loads the settings at boot: settings.txt when intact, else settings.bak, else settings.new, else
        /// the factory settings. Never throws.
        /// </summary>
        public SettingsLoadResult Load()
        {
            DeviceSettings settings = ReadFile(_current);
            if (settings != null)
            {
                return new SettingsLoadResult(settings, SettingsSource.Current, null);
            }

            settings = ReadFile(_backup);
            if (settings != null)
            {
                return new SettingsLoadResult(settings, SettingsSource.Backup, "Settings restored from backup");
            }

            settings = ReadFile(_pending);
            if (settings != null)
            {
                return new SettingsLoadResult(settings, SettingsSource.Pending, "Settings restored from last save");
            }

            // No file at all is a first boot, not a loss worth a notice.
            bool anyFile = FileExists(_current) || FileExists(_backup) || FileExists(_pending);
            string message = anyFile ? "Settings damaged, factory settings loaded" : null;
            return new SettingsLoadResult(new DeviceSettings(), SettingsSource.Defaults, message);
        }

        /// <summary>Saves <paramref name="settings"/>; returns null, or why they were not saved (the previous settings then stay).</summary>
        public string Save(DeviceSettings settings)
        {
            if (settings == null)
            {
                throw new ArgumentNullException("settings");
            }

            byte[] data = Encode(settings);
            try
            {
                IStorageWriter writer = _storage.Create(_pending);
                try
                {
                    writer.Write(data, 0, data.Length);
                    writer.Commit();
                }
                finally
                {
                    writer.Dispose();
                }

                // A damaged current file must not push the good backup out.
                if (ReadFile(_current) != null)
                {
                    _storage.Replace(_current, _backup);
                }

                _storage.Replace(_pending, _current);
                return null;
            }
            catch (Exception e)
            {
                // A copy left behind would come back at the next boot as if the save had worked.
                DeleteQuietly(_pending);
                return "Settings not saved: " + e.Message;
            }
        }

        /// <summary>The file content for <paramref name="settings"/>: the settings text and the checksum trailer, UTF-8.</summary>
        public static byte[] Encode(DeviceSettings settings)
        {
            return RecordFile.Seal(settings.Serialize());
        }

        /// <summary>The settings in a file's first <paramref name="count"/> bytes, or null when the checksum or any line is bad.</summary>
        public static DeviceSettings Decode(byte[] data, int count)
        {
            if (data == null || count < 0 || count > data.Length)
            {
                return null;
            }

            byte[] file = data;
            if (count != data.Length)
            {
                file = new byte[count];
                Array.Copy(data, file, count);
            }

            string text = RecordFile.Unseal(file);
            return text == null ? null : DeviceSettings.Parse(text).Settings;
        }

        private DeviceSettings ReadFile(string name)
        {
            try
            {
                if (!_storage.Exists(name))
                {
                    return null;
                }

                IDocumentSource source = _storage.OpenRead(name);
                try
                {
                    long length = source.Length;
                    if (length < 0 || length > MaxFileBytes)
                    {
                        return null;
                    }

                    byte[] data = new byte[(int)length];
                    int count = 0;
                    while (count < data.Length)
                    {
                        int n = source.Read(data, count, data.Length - count);
                        if (n <= 0)
                        {
                            break;
                        }

                        count += n;
                    }

                    return Decode(data, count);
                }
                finally
                {
                    source.Dispose();
                }
            }
            catch (Exception)
            {
                // Unreadable is as good as missing: the caller falls back to the next copy.
                return null;
            }
        }

        private void DeleteQuietly(string name)
        {
            try
            {
                _storage.Delete(name);
            }
            catch (Exception)
            {
                // Nothing more to do: Load tells a damaged or stale copy from a good one by its checksum and order.
            }
        }

        private bool FileExists(string name)
        {
            try
            {
                return _storage.Exists(name);
            }
            catch (Exception)
            {
                return false;
            }
        }
    }
}
