using System.Collections.Generic;
using NetBoard.Firmware.Panel;
using NetBoard.Firmware.Settings;

namespace NetBoard.Firmware.Tests.Panel
{
    public sealed class PanelMenuTests
    {
        [Fact]
        public void EverySchemaKey_HasExactlyOneEntry()
        {
            List<string> keys = new List<string>();
            Collect(PanelMenu.Build(), keys);

            foreach (SettingDefinition definition in SettingsSchema.All)
            {
                Assert.Single(keys.FindAll(k => k == definition.Key));
            }

            Assert.Equal(SettingsSchema.All.Length, keys.Count);
        }

        [Theory]
        [InlineData(SettingKeys.SmtpHost, "Menu/System Settings/Network Settings/E-Mail/I-Fax/SMTP Server")]
        [InlineData(SettingKeys.PopBeforeSmtp, "Menu/System Settings/Network Settings/E-Mail/I-Fax/Authent./Encryption")]
        [InlineData(SettingKeys.SmtpTimeoutData, "Menu/System Settings/Network Settings/E-Mail/I-Fax/Advanced")]
        [InlineData(SettingKeys.SmtpEhloName, "Menu/System Settings/Network Settings/E-Mail/I-Fax/Advanced")]
        [InlineData(SettingKeys.NetLocalAddress, "Menu/System Settings/Network Settings")]
        [InlineData(SettingKeys.DeviceEmail, "Menu/System Settings/Network Settings/E-Mail/I-Fax")]
        public void Keys_SitInTheirFolders(string key, string folders)
        {
            MenuNode node = PanelMenu.Build().Find(key);
            string path = node.Parent.Label;
            for (MenuNode n = node.Parent.Parent; n != null; n = n.Parent)
            {
                path = n.Label + "/" + path;
            }

            Assert.Equal(folders, path);
        }

        [Theory]
        [InlineData(SettingKeys.SmtpSecurity, "STARTTLS", "starttls")]
        [InlineData(SettingKeys.SmtpSecurity, "SSL/TLS", "tls")]
        [InlineData(SettingKeys.SmtpSecurity, "Off", "none")]
        [InlineData(SettingKeys.PopSecurity, "SSL/TLS", "tls")]
        [InlineData(SettingKeys.PopBeforeSmtp, "ON", "on")]
        [InlineData(SettingKeys.PopReceive, "OFF", "off")]
        [InlineData(SettingKeys.SmtpAuth, "CRAM-MD5", "cram-md5")]
        public void ChoiceWords_MapBothWays(string key, string shown, string value)
        {
            MenuNode node = PanelMenu.Build().Find(key);

            Assert.Equal(shown, node.Definition.ChoiceLabel(value));
            Assert.Equal(value, node.Definition.ChoiceValue(shown));
        }

        [Fact]
        public void EveryChoice_HasItsOwnWord()
        {
            MenuNode root = PanelMenu.Build();
            foreach (SettingDefinition definition in SettingsSchema.All)
            {
                if (definition.Kind != SettingKind.Choice)
                {
                    continue;
                }

                MenuNode node = root.Find(definition.Key);
                foreach (string choice in definition.Choices)
                {
                    Assert.Equal(choice, node.Definition.ChoiceValue(node.Definition.ChoiceLabel(choice)));
                }
            }
        }

        [Fact]
        public void Setting_WrongNumberOfChoiceWords_IsRefused()
        {
            Assert.Throws<System.ArgumentException>(() => new SettingDefinition(SettingKeys.PopReceive, SettingKind.Choice, "off", "POP Receive", 0, 0, new[] { "off", "on" }, new[] { "ON" }, true));
            Assert.Throws<System.ArgumentException>(() => MenuNode.Setting("no.such.key"));
        }

        [Fact]
        public void Actions_AreInTheMenu()
        {
            MenuNode root = PanelMenu.Build();
            foreach (MenuNodeKind kind in new[] { MenuNodeKind.JobStatus, MenuNodeKind.Journal, MenuNodeKind.SendTestEmail, MenuNodeKind.FactoryReset })
            {
                Assert.NotNull(root.Find(kind));
            }
        }

        private static void Collect(MenuNode node, List<string> keys)
        {
            if (node.Kind == MenuNodeKind.Setting)
            {
                keys.Add(node.Definition.Key);
            }

            for (int i = 0; i < node.Count; i++)
            {
                Assert.Same(node, node.Child(i).Parent);
                Assert.Equal(i, node.Child(i).IndexInParent);
                Collect(node.Child(i), keys);
            }
        }
    }
}
