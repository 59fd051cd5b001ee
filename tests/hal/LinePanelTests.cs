using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;
using NetBoard.Hal.Host;

namespace NetBoard.Hal.Tests
{
    public sealed class LinePanelTests
    {
        [Fact]
        public void Show_WritesOnePlainLinePerChange()
        {
            StringWriter output = new StringWriter();
            LinePanel panel = new LinePanel(16, 4, output, PanelKeyInput.None());

            panel.Show(new[] { "MFP", "Send: idle", "POP: idle", string.Empty });
            panel.Show(new[] { "MFP", "Send: idle", "POP: idle", string.Empty });
            panel.Show(new[] { "Menu", ">Job Status", string.Empty, " System Settings and more" });
            panel.Show(new[] { "x\u001B[2Jy" });

            Assert.Equal(
                "panel: MFP | Send: idle | POP: idle\n"
                + "panel: Menu | >Job Status |  |  System Settings\n"
                + "panel: x?[2Jy\n",
                output.ToString().Replace("\r\n", "\n"));
            Assert.DoesNotContain("\u001B", output.ToString(), StringComparison.Ordinal);
        }

        [Fact]
        public void Keys_ComeFromTheStream_AndItsEndIsSaidOnce()
        {
            StringWriter output = new StringWriter();
            byte[] bytes = Encoding.UTF8.GetBytes("m\u001B[B\rms");
            LinePanel panel = new LinePanel(20, 4, output, PanelKeyInput.FromStream(new MemoryStream(bytes)));

            var keys = new List<PanelKey>();
            var typed = new StringBuilder();
            DateTime giveUp = DateTime.UtcNow.AddSeconds(30);
            while (!panel.InputEnded && DateTime.UtcNow < giveUp)
            {
                while (panel.TryReadKey(out PanelKey key, out char c))
                {
                    keys.Add(key);
                    if (key == PanelKey.Set)
                    {
                        // The panel now edits a text: letters are typed, not Menu and Start.
                        panel.SetCursor(1, 0, true);
                    }

                    if (key == PanelKey.Character)
                    {
                        typed.Append(c);
                    }
                }

                Thread.Sleep(1);
            }

            Assert.True(panel.InputEnded);
            Assert.False(panel.TryReadKey(out _, out _));
            Assert.False(panel.TryReadKey(out _, out _));
            Assert.Equal(new[] { PanelKey.Menu, PanelKey.Down, PanelKey.Set, PanelKey.Character, PanelKey.Character }, keys);
            Assert.Equal("ms", typed.ToString());
            Assert.Equal(LinePanel.InputEndedLine + Environment.NewLine, output.ToString());
        }

        [Fact]
        public void NoInput_IsEndedFromTheStart()
        {
            StringWriter output = new StringWriter();
            LinePanel panel = new LinePanel(20, 4, output, PanelKeyInput.None());

            Assert.True(panel.InputEnded);
            Assert.False(panel.TryReadKey(out PanelKey key, out _));
            Assert.Equal(PanelKey.None, key);
            Assert.Contains("keeps running", output.ToString());
        }

        [Fact]
        public void AnOutputThatFails_IsDroppedWithoutAnError()
        {
            LinePanel panel = new LinePanel(20, 4, new FailingWriter(), PanelKeyInput.None());

            panel.Show(new[] { "MFP" });
            panel.WriteLine("journal: x");
            panel.TryReadKey(out _, out _);
        }

        private sealed class FailingWriter : TextWriter
        {
            public override Encoding Encoding => Encoding.UTF8;

            public override void Write(char value)
            {
                throw new IOException("Broken pipe");
            }
        }
    }
}
