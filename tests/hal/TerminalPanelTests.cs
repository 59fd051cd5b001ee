using System;
using System.IO;
using System.Text;
using System.Threading;
using NetBoard.Hal.Host;

namespace NetBoard.Hal.Tests
{
    public sealed class TerminalPanelTests
    {
        [Fact]
        public void Compose_BoxesPaddedLinesAboveTheLegend()
        {
            string[] frame = TerminalFrame.Compose(new[] { "Menu", "a line that is too long" }, 8, 3, "legend");

            Assert.Equal(new[]
            {
                "\u250C\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2510",
                "\u2502Menu    \u2502",
                "\u2502a line t\u2502",
                "\u2502        \u2502",
                "\u2514\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2518",
                "legend",
            }, frame);
        }

        [Fact]
        public void Compose_ReplacesControlCharacters()
        {
            string[] frame = TerminalFrame.Compose(new[] { "x\u001B[2Jy" }, 6, 1, string.Empty);

            Assert.Equal("\u2502x?[2Jy\u2502", frame[1]);
        }

        [Fact]
        public void Show_DrawsOnlyWhatChanged()
        {
            StringWriter output = new StringWriter();
            using TerminalPanel panel = new TerminalPanel(16, 2, output, new MemoryStream(), 3);

            panel.Show(new[] { "MFP", "Ready" });
            string first = Take(output);
            panel.Show(new[] { "MFP", "Ready" });
            string same = Take(output);
            panel.Show(new[] { "MFP", "Sending" });
            string changed = Take(output);

            Assert.Contains("\u001B[3;1H\u250C", first);
            Assert.Contains("\u001B[4;1H\u2502MFP", first);
            Assert.Contains("\u001B[7;1H" + TerminalKeyMap.MenuLegend, first);
            Assert.Equal(string.Empty, same);
            Assert.Contains("\u001B[5;1H\u2502Sending", changed);
            Assert.DoesNotContain("MFP", changed);
            Assert.DoesNotContain(TerminalKeyMap.MenuLegend, changed);
        }

        [Fact]
        public void SetCursor_PlacesItInTheBoxAndSwitchesTheLegend()
        {
            StringWriter output = new StringWriter();
            using TerminalPanel panel = new TerminalPanel(16, 2, output, new MemoryStream(), 1);
            panel.Show(new[] { "Device Name", "MFP" });
            Take(output);

            panel.SetCursor(1, 3, true);
            string shown = Take(output);
            panel.SetCursor(1, 3, true);
            string again = Take(output);

            Assert.Contains(TerminalKeyMap.TextLegend, shown);
            Assert.EndsWith("\u001B[3;5H\u001B[?25h", shown);
            Assert.Equal(string.Empty, again);
        }

        [Fact]
        public void RedirectedInput_GivesPanelKeysAndEnds()
        {
            byte[] bytes = Encoding.UTF8.GetBytes("\u001B[Bm\rx\u001B");
            using TerminalPanel panel = new TerminalPanel(16, 2, new StringWriter(), new MemoryStream(bytes), 1);

            WaitForEnd(panel, out PanelKey[] keys, out string typed);

            Assert.Equal(new[] { PanelKey.Down, PanelKey.Menu, PanelKey.Set, PanelKey.Character, PanelKey.Back }, keys);
            Assert.Equal("x", typed);
        }

        [Fact]
        public void RedirectedInput_WhileTyping_LettersAreCharacters()
        {
            byte[] bytes = Encoding.UTF8.GetBytes("ms");
            using TerminalPanel panel = new TerminalPanel(16, 2, new StringWriter(), new MemoryStream(bytes), 1);
            panel.SetCursor(1, 0, true);

            WaitForEnd(panel, out PanelKey[] keys, out string typed);

            Assert.Equal(new[] { PanelKey.Character, PanelKey.Character }, keys);
            Assert.Equal("ms", typed);
        }

        private static void WaitForEnd(TerminalPanel panel, out PanelKey[] keys, out string typed)
        {
            var list = new System.Collections.Generic.List<PanelKey>();
            StringBuilder text = new StringBuilder();

            // The reader thread runs on its own; wait (generously) for it to reach the end of the input.
            DateTime giveUp = DateTime.UtcNow.AddSeconds(30);
            while (!panel.InputEnded && DateTime.UtcNow < giveUp)
            {
                while (panel.TryReadKey(out PanelKey key, out char c))
                {
                    list.Add(key);
                    if (key == PanelKey.Character)
                    {
                        text.Append(c);
                    }
                }

                Thread.Sleep(1);
            }

            Assert.True(panel.InputEnded);
            keys = list.ToArray();
            typed = text.ToString();
        }

        private static string Take(StringWriter output)
        {
            string text = output.ToString();
            output.GetStringBuilder().Clear();
            return text;
        }
    }
}
