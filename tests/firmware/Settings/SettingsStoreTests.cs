using System;
using System.Text;
using NetBoard.Firmware.Settings;
using NetBoard.Firmware.Storage;
using FaultyStorage = NetBoard.Firmware.Tests.Settings.SettingsStoreFaultTests.FaultyStorage;

namespace NetBoard.Firmware.Tests.Settings
{
    public sealed class SettingsStoreTests
    {
        [Theory]
        [InlineData("", 0x00000000u)]
        [InlineData("123456789", 0xCBF43926u)]
        [InlineData("The quick brown fox jumps over the lazy dog", 0x414FA339u)]
        public void Checksum_MatchesCrc32CheckValues(string text, uint expected)
        {
            byte[] data = Encoding.ASCII.GetBytes("xx" + text);
            Assert.Equal(expected, Crc32.Update(0, data, 2, data.Length - 2));
        }

        [Fact]
        public void Encode_IsSettingsTextThenChecksumTrailer()
        {
            DeviceSettings settings = SettingsStoreFaultTests.Generation(1);
            string text = settings.Serialize();
            byte[] body = Encoding.UTF8.GetBytes(text);

            string file = Encoding.UTF8.GetString(SettingsStore.Encode(settings));

            Assert.Equal(text + "#crc32=" + Crc32.Update(0, body, 0, body.Length).ToString("x8") + "\n", file);
        }

        [Fact]
        public void Decode_RoundTripsEncode()
        {
            DeviceSettings settings = SettingsStoreFaultTests.Generation(2);
            byte[] data = SettingsStore.Encode(settings);

            Assert.Equal(settings.Serialize(), SettingsStore.Decode(data, data.Length).Serialize());
        }

        [Fact]
        public void Decode_AnyFlippedBitOrMissingByte_IsRefused()
        {
            byte[] data = SettingsStore.Encode(SettingsStoreFaultTests.Generation(2));
            for (int i = 0; i < data.Length; i++)
            {
                byte[] flipped = (byte[])data.Clone();
                flipped[i] ^= 0x04;
                Assert.Null(SettingsStore.Decode(flipped, flipped.Length));
                Assert.Null(SettingsStore.Decode(data, i));
            }
        }

        [Fact]
        public void Decode_WithoutTrailer_IsRefused()
        {
            byte[] data = Encoding.UTF8.GetBytes(new DeviceSettings().Serialize());

            Assert.Null(SettingsStore.Decode(data, data.Length));
        }

        [Fact]
        public void Decode_GoodChecksumOverBadLine_IsRefused()
        {
            byte[] body = Encoding.UTF8.GetBytes("smtp.port=70000\n");
            string trailer = "#crc32=" + Crc32.Update(0, body, 0, body.Length).ToString("x8") + "\n";
            byte[] data = Encoding.UTF8.GetBytes("smtp.port=70000\n" + trailer);

            Assert.Null(SettingsStore.Decode(data, data.Length));
        }

        [Fact]
        public void Load_EmptyStorage_IsDefaultsWithoutNotice()
        {
            SettingsLoadResult loaded = new SettingsStore(new FaultyStorage()).Load();

            Assert.Equal(SettingsSource.Defaults, loaded.Source);
            Assert.Null(loaded.Message);
            Assert.Equal(new DeviceSettings().Serialize(), loaded.Settings.Serialize());
        }

        [Fact]
        public void SaveThenLoad_GivesCurrentWithoutNotice()
        {
            FaultyStorage storage = new FaultyStorage();
            DeviceSettings settings = SettingsStoreFaultTests.Generation(3);

            Assert.Null(new SettingsStore(storage).Save(settings));
            SettingsLoadResult loaded = new SettingsStore(storage).Load();

            Assert.Equal(SettingsSource.Current, loaded.Source);
            Assert.Null(loaded.Message);
            Assert.Equal(settings.Serialize(), loaded.Settings.Serialize());
            Assert.Equal(new[] { SettingsStore.CurrentFileName }, storage.List("settings."));
        }

        [Fact]
        public void SecondSave_KeepsThePreviousAsBackup()
        {
            FaultyStorage storage = new FaultyStorage();
            SettingsStore store = new SettingsStore(storage);
            Assert.Null(store.Save(SettingsStoreFaultTests.Generation(1)));
            Assert.Null(store.Save(SettingsStoreFaultTests.Generation(2)));

            byte[] backup = storage.Files[SettingsStore.BackupFileName];

            Assert.Equal(SettingsStoreFaultTests.Generation(1).Serialize(), SettingsStore.Decode(backup, backup.Length).Serialize());
            Assert.Equal(new[] { SettingsStore.BackupFileName, SettingsStore.CurrentFileName }, storage.List("settings."));
        }

        [Fact]
        public void Load_DamagedCurrent_RestoresBackupWithNotice()
        {
            FaultyStorage storage = TwoSaves();
            storage.Files[SettingsStore.CurrentFileName][3] ^= 0x01;

            SettingsLoadResult loaded = new SettingsStore(storage).Load();

            Assert.Equal(SettingsSource.Backup, loaded.Source);
            Assert.Equal("Settings restored from backup", loaded.Message);
            Assert.Equal(SettingsStoreFaultTests.Generation(1).Serialize(), loaded.Settings.Serialize());
        }

        [Fact]
        public void Load_CurrentAndBackupDamaged_TakesPending()
        {
            FaultyStorage storage = TwoSaves();
            storage.Files[SettingsStore.PendingFileName] = SettingsStore.Encode(SettingsStoreFaultTests.Generation(5));
            storage.Files[SettingsStore.CurrentFileName] = Array.Empty<byte>();
            storage.Files.Remove(SettingsStore.BackupFileName);

            SettingsLoadResult loaded = new SettingsStore(storage).Load();

            Assert.Equal(SettingsSource.Pending, loaded.Source);
            Assert.NotNull(loaded.Message);
            Assert.Equal(SettingsStoreFaultTests.Generation(5).Serialize(), loaded.Settings.Serialize());
        }

        [Fact]
        public void Load_EveryCopyDamaged_IsDefaultsWithNotice()
        {
            FaultyStorage storage = TwoSaves();
            storage.Files[SettingsStore.CurrentFileName][0] ^= 0x01;
            storage.Files[SettingsStore.BackupFileName][0] ^= 0x01;

            SettingsLoadResult loaded = new SettingsStore(storage).Load();

            Assert.Equal(SettingsSource.Defaults, loaded.Source);
            Assert.NotNull(loaded.Message);
            Assert.Equal(new DeviceSettings().Serialize(), loaded.Settings.Serialize());
        }

        [Fact]
        public void Load_OversizedFile_IsRefused()
        {
            FaultyStorage storage = new FaultyStorage();
            byte[] data = SettingsStore.Encode(new DeviceSettings());
            byte[] padded = new byte[SettingsStore.MaxFileBytes + 1];
            for (int i = 0; i < padded.Length; i++)
            {
                padded[i] = (byte)'\n';
            }

            Array.Copy(data, 0, padded, padded.Length - data.Length, data.Length);
            storage.Files[SettingsStore.CurrentFileName] = padded;

            Assert.Equal(SettingsSource.Defaults, new SettingsStore(storage).Load().Source);
        }

        [Fact]
        public void Save_OverDamagedCurrent_KeepsTheGoodBackup()
        {
            FaultyStorage storage = TwoSaves();
            storage.Files[SettingsStore.CurrentFileName][0] ^= 0x01;

            Assert.Null(new SettingsStore(storage).Save(SettingsStoreFaultTests.Generation(3)));
            byte[] backup = storage.Files[SettingsStore.BackupFileName];

            Assert.Equal(SettingsStoreFaultTests.Generation(1).Serialize(), SettingsStore.Decode(backup, backup.Length).Serialize());
        }

        private static FaultyStorage TwoSaves()
        {
            FaultyStorage storage = new FaultyStorage();
            SettingsStore store = new SettingsStore(storage);
            Assert.Null(store.Save(SettingsStoreFaultTests.Generation(1)));
            Assert.Null(store.Save(SettingsStoreFaultTests.Generation(2)));
            return storage;
        }
    }
}
