using System;
using System.Collections.Generic;
using System.Linq;
using NetBoard.Firmware.Panel;
using NetBoard.Firmware.Settings;
using NetBoard.Hal;

namespace NetBoard.Firmware.Tests.Panel
{
    public sealed class PanelControllerTests
    {
        public static IEnumerable<object[]> EveryKeyOnEveryDisplay()
        {
            foreach (int[] size in new[] { new[] { 16, 2 }, new[] { 20, 4 }, new[] { 8, 2 } })
            {
                foreach (SettingDefinition definition in SettingsSchema.All)
                {
                    yield return new object[] { definition.Key, size[0], size[1] };
                }
            }
        }

        [Theory]
        [MemberData(nameof(EveryKeyOnEveryDisplay))]
        public void EverySetting_CanBeChangedWithKeys(string key, int columns, int rows)
        {
            PanelDriver panel = new PanelDriver(columns, rows);
            SettingDefinition definition = SettingsSchema.All[SettingsSchema.IndexOf(key)];
            string before = panel.Settings.Get(key);

            panel.Open(key);
            string expected;
            if (definition.Kind == SettingKind.Choice)
            {
                int current = Array.IndexOf(definition.Choices, before);
                expected = definition.Choices[(current + 1) % definition.Choices.Length];
                panel.Press(PanelKey.Up);
            }
            else
            {
                expected = ValidValue(definition);
                panel.Replace(expected);
            }

            panel.Press(PanelKey.Set);

            Assert.NotEqual(before, expected);
            Assert.Equal(expected, panel.Settings.Get(key));
            Assert.Equal(1, panel.ChangedCount);
            Assert.Contains(panel.Screen, line => line.StartsWith(">" + PanelText.Fit(panel.Controller.Root.Find(key).Label, columns - 1), StringComparison.Ordinal));

            // Every other key kept its value.
            DeviceSettings untouched = new DeviceSettings();
            foreach (SettingDefinition other in SettingsSchema.All)
            {
                if (other.Key != key)
                {
                    Assert.Equal(untouched.Get(other.Key), panel.Settings.Get(other.Key));
                }
            }
        }

        [Theory]
        [InlineData(SettingKeys.SmtpPort, "0")]
        [InlineData(SettingKeys.SmtpPort, "70000")]
        [InlineData(SettingKeys.PopPort, "0")]
        [InlineData(SettingKeys.SmtpHost, "bad host")]
        [InlineData(SettingKeys.PopHost, "bad host")]
        [InlineData(SettingKeys.DeviceEmail, "no-at-sign")]
        [InlineData(SettingKeys.PopBeforeSmtpDelayMs, "20000")]
        [InlineData(SettingKeys.NetLocalAddress, "10.0.0.300")]
        public void InvalidEntry_ShowsTheValidatorsMessageAndKeepsTheOldValue(string key, string bad)
        {
            SettingDefinition definition = SettingsSchema.All[SettingsSchema.IndexOf(key)];
            string message = SettingValidator.Check(definition, bad);
            Assert.NotNull(message);
            PanelDriver panel = new PanelDriver(20, 4);
            string before = panel.Settings.Get(key);

            panel.Open(key);
            panel.Replace(bad);
            panel.Press(PanelKey.Set);

            Assert.Equal(message, panel.ScreenText);
            Assert.Equal(before, panel.Settings.Get(key));
            Assert.Equal(0, panel.ChangedCount);

            // Any key leaves the message for the entry as typed; Back then gives up.
            panel.Press(PanelKey.Right);
            Assert.Equal(bad, panel.Screen[1]);
            panel.Press(PanelKey.Back);
            Assert.Equal(before, panel.Settings.Get(key));
            Assert.Equal(0, panel.ChangedCount);
        }

        [Fact]
        public void InvalidEntry_CanBeCorrectedAndStored()
        {
            PanelDriver panel = new PanelDriver(16, 2);
            panel.Open(SettingKeys.SmtpPort);
            panel.Replace("70000");
            panel.Press(PanelKey.Set);
            Assert.Equal(new[] { "must be a number", "from 1 to 65535" }, panel.Screen);

            panel.Press(PanelKey.Back);
            Assert.Equal("70000", panel.Screen[1]);
            panel.Repeat(PanelKey.Backspace, 2);
            panel.Press(PanelKey.Set);

            Assert.Equal("700", panel.Settings.Get(SettingKeys.SmtpPort));
        }

        [Theory]
        [InlineData(SettingKeys.SmtpPassword)]
        [InlineData(SettingKeys.PopPassword)]
        public void Password_IsNeverShown(string key)
        {
            const string password = "Secr3t pass";
            PanelDriver panel = new PanelDriver(24, 4);

            panel.Open(key);
            panel.Type(password);
            panel.Press(PanelKey.Set);
            Assert.Equal(password, panel.Settings.Get(key));
            string listed = Array.Find(panel.Screen, line => line.StartsWith(">", StringComparison.Ordinal));

            panel.Press(PanelKey.Set);
            string editing = panel.Screen[1];
            panel.Press(PanelKey.Set);

            Assert.EndsWith(PanelController.SecretMask, listed);
            Assert.Equal(string.Empty, editing);
            Assert.Equal(password, panel.Settings.Get(key));
            Assert.Equal(1, panel.ChangedCount);
            foreach (string[] frame in panel.Frames)
            {
                foreach (string line in frame)
                {
                    Assert.DoesNotContain("Secr", line);
                    Assert.DoesNotContain("pass", line);
                    Assert.DoesNotContain("3t", line);
                }
            }
        }

        [Fact]
        public void Password_EditingStartsEmptyAndClearingNeedsAnEdit()
        {
            PanelDriver panel = new PanelDriver(20, 4, With(SettingKeys.SmtpPassword, "old"));

            panel.Open(SettingKeys.SmtpPassword);
            panel.Type("x");
            panel.Press(PanelKey.Backspace, PanelKey.Set);

            Assert.Equal(string.Empty, panel.Settings.Get(SettingKeys.SmtpPassword));
            Assert.Equal(1, panel.ChangedCount);
        }

        [Fact]
        public void Password_PickerShowsOnlyThePickedCharacter()
        {
            PanelDriver panel = new PanelDriver(20, 4);
            panel.Open(SettingKeys.PopPassword);
            panel.Type("ab");
            panel.Press(PanelKey.Up);
            Assert.Equal("**a", panel.Screen[1]);

            panel.Press(PanelKey.Up);
            Assert.Equal("**b", panel.Screen[1]);

            panel.Press(PanelKey.Right);
            Assert.Equal("***", panel.Screen[1]);
            panel.Press(PanelKey.Set);
            Assert.Equal("abb", panel.Settings.Get(SettingKeys.PopPassword));
        }

        [Fact]
        public void Picker_CyclesTheCharacterAtTheCursor()
        {
            PanelDriver panel = new PanelDriver(16, 2);
            panel.Open(SettingKeys.SmtpPort);
            Assert.True(panel.Controller.CursorVisible);
            Assert.Equal(2, panel.Controller.CursorColumn);

            panel.Press(PanelKey.Left);
            Assert.Equal(1, panel.Controller.CursorColumn);
            panel.Press(PanelKey.Up);
            Assert.Equal("26", panel.Screen[1]);
            panel.Press(PanelKey.Left, PanelKey.Down, PanelKey.Down);
            Assert.Equal("06", panel.Screen[1]);
            panel.Press(PanelKey.Down);
            Assert.Equal("96", panel.Screen[1]);

            // At the end of the text Up adds the alphabet's first character.
            panel.Press(PanelKey.Right, PanelKey.Right, PanelKey.Up, PanelKey.Up, PanelKey.Set);
            Assert.Equal("961", panel.Settings.Get(SettingKeys.SmtpPort));
        }

        [Fact]
        public void Picker_OffersHostCharactersOnly()
        {
            PanelDriver panel = new PanelDriver(16, 2);
            panel.Open(SettingKeys.SmtpHost);
            List<string> seen = new List<string>();
            for (int i = 0; i < 40; i++)
            {
                panel.Press(PanelKey.Up);
                seen.Add(panel.Screen[1]);
            }

            Assert.Equal("abcdefghijklmnopqrstuvwxyz0123456789.-ab", string.Concat(seen));
            panel.Press(PanelKey.Down, PanelKey.Down, PanelKey.Down);
            Assert.Equal(".", panel.Screen[1]);
        }

        [Fact]
        public void CursorEditing_InsertsAndDeletesInTheMiddle()
        {
            PanelDriver panel = new PanelDriver(20, 4);
            panel.Open(SettingKeys.DeviceName);
            panel.Press(PanelKey.Left, PanelKey.Left);
            panel.Type("x");
            panel.Press(PanelKey.Right, PanelKey.Backspace, PanelKey.Set);

            Assert.Equal("MxP", panel.Settings.Get(SettingKeys.DeviceName));
        }

        [Fact]
        public void LongText_ScrollsSoTheCursorStaysVisible()
        {
            PanelDriver panel = new PanelDriver(8, 2);
            panel.Open(SettingKeys.SmtpHost);
            panel.Type("mail.example.org");

            Assert.Equal("ple.org", panel.Screen[1]);
            Assert.Equal(7, panel.Controller.CursorColumn);
            panel.Repeat(PanelKey.Left, 16);
            Assert.Equal("mail.exa", panel.Screen[1]);
            Assert.Equal(0, panel.Controller.CursorColumn);
        }

        [Fact]
        public void Choice_ShowsDisplayWordsAndStoresSettingWords()
        {
            PanelDriver panel = new PanelDriver(16, 2);
            panel.Open(SettingKeys.SmtpSecurity);
            Assert.Equal(new[] { "SMTP Encryption", "Off" }, panel.Screen);

            panel.Press(PanelKey.Up);
            Assert.Equal("STARTTLS", panel.Screen[1]);
            panel.Press(PanelKey.Up);
            Assert.Equal("SSL/TLS", panel.Screen[1]);
            panel.Press(PanelKey.Set);

            Assert.Equal("tls", panel.Settings.Get(SettingKeys.SmtpSecurity));
            panel.Press(PanelKey.Set, PanelKey.Down, PanelKey.Down, PanelKey.Back);
            Assert.Equal("tls", panel.Settings.Get(SettingKeys.SmtpSecurity));
            Assert.Equal(1, panel.ChangedCount);
        }

        [Fact]
        public void StoredValue_ChangesACopyAndLeavesTheSettingsAnAttemptTookAlone()
        {
            PanelDriver panel = new PanelDriver(20, 4);
            DeviceSettings taken = panel.Settings;

            panel.Open(SettingKeys.SmtpSecurity);
            panel.Press(PanelKey.Up, PanelKey.Set);

            Assert.Equal("starttls", panel.Settings.Get(SettingKeys.SmtpSecurity));
            Assert.Equal("none", taken.Get(SettingKeys.SmtpSecurity));
            Assert.NotSame(taken, panel.Settings);
            Assert.True(panel.Settings.IsFrozen);
        }

        [Fact]
        public void FailedSave_IsShownAndTheSettingsInForceStay()
        {
            var storage = new Doubles.MemoryStorage();
            var keeper = new SettingsKeeper(new DeviceSettings(), new SettingsStore(storage));
            PanelDriver panel = new PanelDriver(20, 4, keeper: keeper);
            storage.FailCreate = _ => true;

            panel.Open(SettingKeys.SmtpHost);
            panel.Type("mail.example.org");
            panel.Press(PanelKey.Set);

            Assert.StartsWith("Settings not saved", panel.ScreenText);
            Assert.Equal(string.Empty, panel.Settings.Get(SettingKeys.SmtpHost));
            Assert.Equal(0, panel.ChangedCount);

            // Once the flash works again the same entry is stored.
            storage.FailCreate = null;
            panel.Press(PanelKey.Right);
            panel.Press(PanelKey.Set);
            Assert.Equal("mail.example.org", panel.Settings.Get(SettingKeys.SmtpHost));
            Assert.Equal(1, panel.ChangedCount);
        }

        [Fact]
        public void SameValueStoredAgain_IsNoChange()
        {
            PanelDriver panel = new PanelDriver();
            panel.Open(SettingKeys.SmtpPort);
            panel.Press(PanelKey.Set);

            Assert.Equal(0, panel.ChangedCount);
        }

        [Fact]
        public void Menu_ListsEntriesWithValuesAndMovesTheMarker()
        {
            PanelDriver panel = new PanelDriver(20, 4);
            panel.Open(panel.Controller.Root.Find(SettingKeys.SmtpHost).Parent);

            Assert.Equal(new[] { "SMTP Server", ">SMTP Server", " SMTP Port        25", string.Empty }, panel.Screen);
            panel.Press(PanelKey.Down, PanelKey.Down);
            Assert.Equal(" SMTP Server", panel.Screen[1]);
            Assert.StartsWith(">SMTP Port", panel.Screen[2]);
        }

        [Fact]
        public void BackAndLeft_ClimbToTheFolderCameFrom()
        {
            PanelDriver panel = new PanelDriver(20, 4);
            panel.Open(SettingKeys.SmtpTimeoutFinal);
            panel.Press(PanelKey.Back);
            Assert.Equal("Advanced", panel.Screen[0]);

            panel.Press(PanelKey.Left);
            Assert.Equal("E-Mail/I-Fax", panel.Screen[0]);
            Assert.Contains(">Advanced", panel.Screen);

            panel.Press(PanelKey.Left, PanelKey.Left, PanelKey.Left, PanelKey.Left);
            Assert.Equal(new[] { "MFP", "Ready", string.Empty, string.Empty }, panel.Screen);
        }

        [Fact]
        public void MenuKey_LeavesEditingWithoutStoring()
        {
            PanelDriver panel = new PanelDriver(20, 4);
            panel.Open(SettingKeys.SmtpHost);
            panel.Type("mail.example.org");
            panel.Press(PanelKey.Menu);
            Assert.Equal("Ready", panel.Screen[1]);

            panel.Press(PanelKey.Menu);
            Assert.Equal("Menu", panel.Screen[0]);
            Assert.Equal(string.Empty, panel.Settings.Get(SettingKeys.SmtpHost));
            Assert.Equal(0, panel.ChangedCount);
        }

        [Fact]
        public void FactoryReset_AsksFirstAndBackKeepsEverything()
        {
            PanelDriver panel = new PanelDriver(16, 2, With(SettingKeys.SmtpHost, "mail.example.org"));

            panel.Open(MenuNodeKind.FactoryReset);
            Assert.Equal(new[] { "Reset all?", "Set=Yes Back=No" }, panel.Screen);
            panel.Press(PanelKey.Up, PanelKey.Down, PanelKey.Back);

            Assert.Equal("mail.example.org", panel.Settings.Get(SettingKeys.SmtpHost));
            Assert.Equal(0, panel.ChangedCount);
            Assert.Equal(">Factory Reset", panel.Screen[1]);
        }

        [Fact]
        public void FactoryReset_SetRestoresEveryDefault()
        {
            PanelDriver panel = new PanelDriver(16, 2, SettingsFromAnotherDevice());

            panel.Open(MenuNodeKind.FactoryReset);
            panel.Press(PanelKey.Set);

            Assert.Equal(new DeviceSettings().Serialize(), panel.Settings.Serialize());
            Assert.Equal(1, panel.ChangedCount);
            Assert.Contains("Factory settings", panel.ScreenText);
            panel.Press(PanelKey.Set);
            Assert.Equal(">Factory Reset", panel.Screen[1]);
        }

        [Fact]
        public void SendTestEmail_CallsTheActionAndShowsItsReply()
        {
            PanelDriver panel = new PanelDriver(20, 4) { TestEmailReply = "Test mail queued to scan@example.org" };

            panel.Open(MenuNodeKind.SendTestEmail);

            Assert.Equal(1, panel.TestEmailCount);
            Assert.Equal(new[] { "Test mail queued to", "scan@example.org", string.Empty, string.Empty }, panel.Screen);
            panel.Press(PanelKey.Back);
            Assert.Equal(">Send Test E-mail", panel.Screen[3]);
        }

        [Fact]
        public void Journal_UpAndDownPickALineAndScroll()
        {
            PanelDriver panel = new PanelDriver(16, 3)
            {
                Journal = new[] { "j1 OK", "j2 #839", "j3 OK", "j4 #802" },
            };

            panel.Open(MenuNodeKind.Journal);
            Assert.Equal(new[] { "Journal", ">j1 OK", " j2 #839" }, panel.Screen);
            panel.Press(PanelKey.Down);
            Assert.Equal(new[] { "Journal", " j1 OK", ">j2 #839" }, panel.Screen);
            panel.Press(PanelKey.Down, PanelKey.Down);
            Assert.Equal(new[] { "Journal", " j3 OK", ">j4 #802" }, panel.Screen);
            panel.Press(PanelKey.Down);
            Assert.Equal(new[] { "Journal", " j3 OK", ">j4 #802" }, panel.Screen);
            panel.Press(PanelKey.Up);
            Assert.Equal(new[] { "Journal", " j2 #839", ">j3 OK" }, panel.Screen);
            panel.Press(PanelKey.Back);
            Assert.Equal(">Journal", panel.Screen[2]);
        }

        [Fact]
        public void Journal_SetShowsALongLineWholeOverTheDisplay_UpAndDownScrollIt_BackReturns()
        {
            const string Long = "13:33:40Z job 3 email to=x@example.net NG #839 SMTP authentication failed at AUTH [535 5.7.8 Error: authentication failed]";
            PanelDriver panel = new PanelDriver(20, 4)
            {
                Journal = new[] { "13:31:23Z job 1 OK", Long, "13:30:00Z job 0 OK" },
            };

            panel.Open(MenuNodeKind.Journal);
            Assert.Equal("Journal", panel.Screen[0]);
            panel.Press(PanelKey.Down);
            Assert.Equal(new[] { "Journal     Set=more", " 13:31:23Z job 1 OK", ">13:33:40Z job 3 ema", " 13:30:00Z job 0 OK" }, panel.Screen);

            panel.Press(PanelKey.Set);
            string[] first = panel.Screen;
            Assert.Equal(new[] { "13:33:40Z job 3", "email", "to=x@example.net NG", "#839 SMTP" }, first);

            // Down until the frame stops moving: every part of the line has been on the display.
            var seen = new List<string>(first);
            for (int i = 0; i < 20; i++)
            {
                string[] before = panel.Screen;
                panel.Press(PanelKey.Down);
                string[] after = panel.Screen;
                if (after.SequenceEqual(before))
                {
                    break;
                }

                Assert.Equal(before.Skip(1), after.Take(3));
                seen.Add(after[3]);
            }

            Assert.Equal(Long, string.Join(" ", seen));
            Assert.All(seen, line => Assert.True(line.Length <= 20, line));
            panel.Press(PanelKey.Up);
            Assert.Equal(seen.Skip(seen.Count - 5).Take(4), panel.Screen);

            panel.Press(PanelKey.Back);
            Assert.Equal(">13:33:40Z job 3 ema", panel.Screen[2]);
            panel.Press(PanelKey.Set, PanelKey.Set);
            Assert.Equal(">13:33:40Z job 3 ema", panel.Screen[2]);
            panel.Press(PanelKey.Back);
            Assert.Equal(">Journal", panel.Screen[2]);
        }

        [Fact]
        public void Journal_Empty_SetDoesNothing()
        {
            PanelDriver panel = new PanelDriver(20, 4);

            panel.Open(MenuNodeKind.Journal);
            panel.Press(PanelKey.Set);

            Assert.Equal(new[] { "Journal", "(empty)", string.Empty, string.Empty }, panel.Screen);
        }

        [Fact]
        public void JobStatus_LongLineIsShownWholeOnSet_AndKeptWhileTheQueueChanges()
        {
            PanelDriver panel = new PanelDriver(20, 4) { Jobs = new[] { "Send: idle", "POP: idle", "#7 queued #805 someone@example.net" } };

            panel.Open(MenuNodeKind.JobStatus);
            panel.Press(PanelKey.Down, PanelKey.Down, PanelKey.Set);
            panel.Jobs = new[] { "Send: idle", "POP: idle" };

            Assert.Equal(new[] { "#7 queued #805", "someone@example.net", string.Empty, string.Empty }, panel.Screen);
            panel.Press(PanelKey.Back);
            Assert.Equal(new[] { "Job Status", " Send: idle", ">POP: idle", string.Empty }, panel.Screen);
        }

        [Fact]
        public void JobStatus_ShowsTheCurrentLinesAndTheReadyScreenToo()
        {
            PanelDriver panel = new PanelDriver(16, 2) { Jobs = new[] { "Sending 1/3" } };
            Assert.Equal(new[] { "MFP", "Sending 1/3" }, panel.Screen);

            panel.Open(MenuNodeKind.JobStatus);
            Assert.Equal(new[] { "Job Status", ">Sending 1/3" }, panel.Screen);
            panel.Jobs = Array.Empty<string>();
            Assert.Equal(new[] { "Job Status", "(empty)" }, panel.Screen);
        }

        [Fact]
        public void Notice_ShowsUntilAKeyWhichItSwallows()
        {
            PanelDriver panel = new PanelDriver(16, 2);
            panel.Controller.ShowNotice("Settings restored from backup");
            Assert.Equal(new[] { "Settings", "restored from" }, panel.Screen);

            panel.Press(PanelKey.Menu);
            Assert.Equal(new[] { "MFP", "Ready" }, panel.Screen);
            panel.Press(PanelKey.Menu);
            Assert.Equal("Menu", panel.Screen[0]);
        }

        [Fact]
        public void RandomKeys_NeverOverflowTheDisplayOrThrow()
        {
            PanelKey[] keys = (PanelKey[])Enum.GetValues(typeof(PanelKey));
            string typed = "a1.@ -Z~\u00e9";
            foreach (int[] size in new[] { new[] { 8, 2 }, new[] { 16, 2 }, new[] { 20, 4 } })
            {
                Random random = new Random(size[0] * 100 + size[1]);
                PanelDriver panel = new PanelDriver(size[0], size[1]) { Journal = new[] { "a journal line longer than any display" } };
                panel.Controller.ShowNotice("A notice much longer than the display can hold on two rows");
                for (int i = 0; i < 20000; i++)
                {
                    PanelKey key = keys[random.Next(keys.Length)];
                    if (key == PanelKey.Character)
                    {
                        panel.Type(typed[random.Next(typed.Length)].ToString());
                    }
                    else if (key != PanelKey.Menu || random.Next(10) == 0)
                    {
                        panel.Press(key);
                    }
                }

                Assert.True(DeviceSettings.Parse(panel.Settings.Serialize()).Ok);
            }
        }

        [Fact]
        public void Service_RedrawsOnlyWhenTheFrameChanges()
        {
            DeviceSettings settings = new DeviceSettings();
            PanelController controller = new PanelController(new SettingsKeeper(settings, null), 16, 2, null, null);
            RecordingDisplay display = new RecordingDisplay();
            QueuedKeys keys = new QueuedKeys();

            Assert.True(controller.Service(keys, display));
            Assert.False(controller.Service(keys, display));
            Assert.Single(display.Frames);

            keys.Queue.Enqueue(PanelKey.Menu);
            keys.Queue.Enqueue(PanelKey.Down);
            keys.Queue.Enqueue(PanelKey.Down);
            keys.Queue.Enqueue(PanelKey.Set);
            Assert.True(controller.Service(keys, display));
            Assert.Equal(new[] { "System Settings", ">Network Setting" }, display.Frames[display.Frames.Count - 1]);
            Assert.Equal(2, display.Frames.Count);
            Assert.False(display.CursorVisible);
        }

        [Fact]
        public void Service_ShowsTheCursorWhileTyping()
        {
            PanelController controller = new PanelController(new SettingsKeeper(new DeviceSettings(), null), 16, 2, null, null);
            RecordingDisplay display = new RecordingDisplay();
            QueuedKeys keys = new QueuedKeys();
            MenuNode node = controller.Root.Find(SettingKeys.DeviceName);
            keys.Queue.Enqueue(PanelKey.Menu);
            for (Stack<int> path = PathTo(node); path.Count > 0;)
            {
                for (int i = path.Pop(); i > 0; i--)
                {
                    keys.Queue.Enqueue(PanelKey.Down);
                }

                keys.Queue.Enqueue(PanelKey.Set);
            }

            while (keys.Queue.Count > 0)
            {
                controller.Service(keys, display);
            }

            Assert.True(display.CursorVisible);
            Assert.Equal(1, display.CursorRow);
            Assert.Equal(3, display.CursorColumn);
            keys.Queue.Enqueue(PanelKey.Left);
            Assert.False(controller.Service(keys, display));
            Assert.Equal(2, display.CursorColumn);
        }

        [Fact]
        public void Service_TellsTheDisplayAboutTypingBeforeTheNextKey()
        {
            var settings = new SettingsKeeper(new DeviceSettings(), null);
            PanelController controller = new PanelController(settings, 16, 2, null, null);
            KeyboardPanel keyboard = new KeyboardPanel();
            keyboard.Typed.Enqueue('m');
            foreach (int step in PathTo(controller.Root.Find(SettingKeys.DeviceName)))
            {
                for (int i = 0; i < step; i++)
                {
                    keyboard.Keys.Enqueue(PanelKey.Down);
                    keyboard.Typed.Enqueue('\0');
                }

                keyboard.Keys.Enqueue(PanelKey.Set);
                keyboard.Typed.Enqueue('\0');
            }

            keyboard.Keys.Enqueue(PanelKey.Character);
            keyboard.Typed.Enqueue('m');
            keyboard.Keys.Enqueue(PanelKey.Character);
            keyboard.Typed.Enqueue('s');
            keyboard.Keys.Enqueue(PanelKey.Set);
            keyboard.Typed.Enqueue('\0');

            // One Service call takes all the keys: 'm' opens the menu, but is a letter once the name is being typed.
            controller.Service(keyboard, keyboard);

            Assert.Equal("MFPms", settings.Current.Get(SettingKeys.DeviceName));
        }

        [Fact]
        public void TooSmallDisplay_IsRefused()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new PanelController(new SettingsKeeper(new DeviceSettings(), null), 7, 2, null, null));
            Assert.Throws<ArgumentOutOfRangeException>(() => new PanelController(new SettingsKeeper(new DeviceSettings(), null), 16, 1, null, null));
        }

        private static Stack<int> PathTo(MenuNode node)
        {
            Stack<int> path = new Stack<int>();
            for (MenuNode n = node; n.Parent != null; n = n.Parent)
            {
                path.Push(n.IndexInParent);
            }

            return path;
        }

        private static DeviceSettings With(string key, string value)
        {
            DeviceSettings settings = new DeviceSettings();
            Assert.Null(settings.Set(key, value));
            return settings;
        }

        private static DeviceSettings SettingsFromAnotherDevice()
        {
            DeviceSettings settings = new DeviceSettings();
            foreach (SettingDefinition definition in SettingsSchema.All)
            {
                string value = definition.Kind == SettingKind.Choice ? definition.Choices[definition.Choices.Length - 1] : ValidValue(definition);
                Assert.Null(settings.Set(definition.Key, value));
            }

            return settings;
        }

        /// <summary>A valid value other than the factory one, of the key's kind.</summary>
        private static string ValidValue(SettingDefinition definition)
        {
            switch (definition.Kind)
            {
                case SettingKind.Number:
                    string max = definition.Max.ToString();
                    return max == definition.DefaultValue ? definition.Min.ToString() : max;
                case SettingKind.Host:
                    return "mail.example.org";
                case SettingKind.Email:
                    return "scan.desk+1@example.org";
                case SettingKind.Address:
                    return "192.168.10.20";
                case SettingKind.Secret:
                    return "s3cret pw!";
                case SettingKind.Url:
                    return "https://login.example.org/t?x=1";
                default:
                    return "Front Desk \u00e9 2";
            }
        }

        private sealed class RecordingDisplay : IPanelDisplay
        {
            public int Columns => 16;

            public int Rows => 2;

            public List<string[]> Frames { get; } = new List<string[]>();

            public bool CursorVisible { get; private set; }

            public int CursorRow { get; private set; }

            public int CursorColumn { get; private set; }

            public void Show(string[] lines)
            {
                Frames.Add((string[])lines.Clone());
            }

            public void SetCursor(int row, int column, bool visible)
            {
                CursorRow = row;
                CursorColumn = column;
                CursorVisible = visible;
            }
        }

        /// <summary>A keyboard that, like the terminal panel, reads 'm' as Menu unless the display shows a text cursor.</summary>
        private sealed class KeyboardPanel : IPanelKeys, IPanelDisplay
        {
            private bool _typing;

            public Queue<PanelKey> Keys { get; } = new Queue<PanelKey>(new[] { PanelKey.Character });

            public Queue<char> Typed { get; } = new Queue<char>();

            public int Columns => 16;

            public int Rows => 2;

            public bool TryReadKey(out PanelKey key, out char character)
            {
                key = PanelKey.None;
                character = '\0';
                if (Keys.Count == 0)
                {
                    return false;
                }

                key = Keys.Dequeue();
                character = Typed.Dequeue();
                if (key == PanelKey.Character && character == 'm' && !_typing)
                {
                    key = PanelKey.Menu;
                    character = '\0';
                }

                return true;
            }

            public void Show(string[] lines)
            {
            }

            public void SetCursor(int row, int column, bool visible)
            {
                _typing = visible;
            }
        }

        private sealed class QueuedKeys : IPanelKeys
        {
            public Queue<PanelKey> Queue { get; } = new Queue<PanelKey>();

            public bool TryReadKey(out PanelKey key, out char character)
            {
                character = '\0';
                if (Queue.Count == 0)
                {
                    key = PanelKey.None;
                    return false;
                }

                key = Queue.Dequeue();
                return true;
            }
        }
    }
}
