using System;
using NetBoard.Firmware.Settings;
using NetBoard.Firmware.Tests.Doubles;

namespace NetBoard.Firmware.Tests.Settings
{
    /// <summary>Editors change a copy; a commit checks, saves and swaps it in whole; the settings in force never change in place.</summary>
    public sealed class SettingsKeeperTests
    {
        private static DeviceSettings With(string key, string value)
        {
            var settings = new DeviceSettings();
            Assert.Null(settings.Set(key, value));
            return settings;
        }

        [Fact]
        public void The_settings_in_force_are_frozen_and_refuse_a_change_in_place()
        {
            var keeper = new SettingsKeeper(With(SettingKeys.SmtpHost, "mail.lab.test"), null);

            Assert.True(keeper.Current.IsFrozen);
            Assert.Throws<InvalidOperationException>(() => keeper.Current.Set(SettingKeys.SmtpHost, "other.lab.test"));
            Assert.Equal("mail.lab.test", keeper.Current.Get(SettingKeys.SmtpHost));
        }

        [Fact]
        public void An_edit_is_a_changeable_copy_that_leaves_the_settings_in_force_alone()
        {
            var keeper = new SettingsKeeper(With(SettingKeys.SmtpHost, "mail.lab.test"), null);
            DeviceSettings edited = keeper.Edit();

            Assert.False(edited.IsFrozen);
            Assert.NotSame(keeper.Current, edited);
            Assert.Null(edited.Set(SettingKeys.SmtpHost, "other.lab.test"));
            Assert.Equal("mail.lab.test", keeper.Current.Get(SettingKeys.SmtpHost));
            Assert.Equal(0, keeper.Version);
        }

        [Fact]
        public void A_commit_saves_and_swaps_in_a_frozen_copy_while_a_snapshot_taken_before_keeps_its_values()
        {
            var storage = new MemoryStorage();
            var store = new SettingsStore(storage);
            var keeper = new SettingsKeeper(With(SettingKeys.SmtpSecurity, "none"), store);
            DeviceSettings snapshot = keeper.Current;
            DeviceSettings edited = keeper.Edit();
            Assert.Null(edited.Set(SettingKeys.SmtpSecurity, "tls"));
            Assert.Null(edited.Set(SettingKeys.SmtpPassword, "n3w-secret"));

            Assert.Null(keeper.Commit(edited));

            Assert.Equal(1, keeper.Version);
            Assert.Equal("tls", keeper.Current.Get(SettingKeys.SmtpSecurity));
            Assert.True(keeper.Current.IsFrozen);
            Assert.NotSame(edited, keeper.Current);
            Assert.Equal("none", snapshot.Get(SettingKeys.SmtpSecurity));
            Assert.Equal(string.Empty, snapshot.Get(SettingKeys.SmtpPassword));
            Assert.Equal(keeper.Current.Serialize(), store.Load().Settings.Serialize());

            // The editor's own object stays its own: changing it later changes nothing in force.
            Assert.Null(edited.Set(SettingKeys.SmtpSecurity, "starttls"));
            Assert.Equal("tls", keeper.Current.Get(SettingKeys.SmtpSecurity));
        }

        [Fact]
        public void A_commit_that_cannot_be_saved_is_not_put_in_force()
        {
            var storage = new MemoryStorage();
            var keeper = new SettingsKeeper(With(SettingKeys.SmtpHost, "mail.lab.test"), new SettingsStore(storage));
            DeviceSettings before = keeper.Current;
            storage.FailCreate = _ => true;
            DeviceSettings edited = keeper.Edit();
            Assert.Null(edited.Set(SettingKeys.SmtpHost, "other.lab.test"));

            string error = keeper.Commit(edited);

            Assert.StartsWith("Settings not saved: ", error);
            Assert.Same(before, keeper.Current);
            Assert.Equal(0, keeper.Version);
            Assert.Equal("mail.lab.test", keeper.Current.Get(SettingKeys.SmtpHost));
        }

        [Fact]
        public void Validate_checks_every_value_and_a_copy_carries_every_value()
        {
            DeviceSettings settings = With(SettingKeys.PopPort, "995");
            Assert.Null(settings.Set(SettingKeys.DeviceName, "Front Desk"));

            Assert.Empty(settings.Validate());
            DeviceSettings copy = settings.Copy();
            Assert.Equal(settings.Serialize(), copy.Serialize());
            Assert.Empty(copy.Validate());
        }
    }
}
