using System;
using System.Collections.Generic;
using NetBoard.Firmware.Panel;
using NetBoard.Firmware.Settings;
using NetBoard.Hal;

namespace NetBoard.Firmware.Tests.Panel
{
    /// <summary>
    /// A controller with recording collaborators over a settings keeper (no store); every key it presses is
    /// followed by a check of the frame size. <see cref="ChangedCount"/> counts the commits the panel made.
    /// </summary>
    internal sealed class PanelDriver : IPanelInfo, IPanelActions
    {
        private readonly int _firstVersion;

        public PanelDriver(int columns = 20, int rows = 4, DeviceSettings settings = null, SettingsKeeper keeper = null)
        {
            Keeper = keeper ?? new SettingsKeeper(settings ?? new DeviceSettings(), null);
            _firstVersion = Keeper.Version;
            Controller = new PanelController(Keeper, columns, rows, this, this);
            Frames.Add(CheckedRender());
        }

        public PanelController Controller { get; }

        public SettingsKeeper Keeper { get; }

        /// <summary>The settings in force.</summary>
        public DeviceSettings Settings => Keeper.Current;

        public int ChangedCount => Keeper.Version - _firstVersion;

        public int TestEmailCount { get; private set; }

        public string TestEmailReply { get; set; } = "Test e-mail queued";

        public string[] Jobs { get; set; } = Array.Empty<string>();

        public string[] Journal { get; set; } = Array.Empty<string>();

        /// <summary>Every frame rendered so far, one after each key.</summary>
        public List<string[]> Frames { get; } = new List<string[]>();

        public string[] Screen => Controller.Render();

        public string ScreenText => string.Join(" ", Controller.Render()).Trim();

        public string[] JobStatusLines() => Jobs;

        public string[] JournalLines() => Journal;

        public int ForgetWebPasswordCount { get; private set; }

        public string ForgetWebPassword()
        {
            ForgetWebPasswordCount++;
            return null;
        }

        public string SendTestEmail()
        {
            TestEmailCount++;
            return TestEmailReply;
        }

        public void Press(params PanelKey[] keys)
        {
            foreach (PanelKey key in keys)
            {
                Controller.OnKey(key, '\0');
                Frames.Add(CheckedRender());
            }
        }

        public void Repeat(PanelKey key, int times)
        {
            for (int i = 0; i < times; i++)
            {
                Press(key);
            }
        }

        public void Type(string text)
        {
            foreach (char c in text)
            {
                Controller.OnKey(PanelKey.Character, c);
                Frames.Add(CheckedRender());
            }
        }

        /// <summary>From the ready screen, walks the menu to <paramref name="node"/> and enters it.</summary>
        public void Open(MenuNode node)
        {
            Stack<int> path = new Stack<int>();
            for (MenuNode n = node; n.Parent != null; n = n.Parent)
            {
                path.Push(n.IndexInParent);
            }

            Press(PanelKey.Menu);
            while (path.Count > 0)
            {
                Repeat(PanelKey.Down, path.Pop());
                Press(PanelKey.Set);
            }
        }

        public void Open(string key)
        {
            MenuNode node = Controller.Root.Find(key);
            Assert.NotNull(node);
            Open(node);
        }

        public void Open(MenuNodeKind kind)
        {
            MenuNode node = Controller.Root.Find(kind);
            Assert.NotNull(node);
            Open(node);
        }

        /// <summary>Deletes the text being edited (the cursor starts at its end) and types <paramref name="text"/>.</summary>
        public void Replace(string text)
        {
            Repeat(PanelKey.Backspace, SettingsSchema.MaxValueLength);
            Type(text);
        }

        private string[] CheckedRender()
        {
            string[] frame = Controller.Render();
            Assert.Equal(Controller.Rows, frame.Length);
            foreach (string line in frame)
            {
                Assert.NotNull(line);
                Assert.True(line.Length <= Controller.Columns, "line longer than the display: '" + line + "'");
            }

            return frame;
        }
    }
}
