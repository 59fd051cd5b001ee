using System;
using NetBoard.Hal.Host;

namespace NetBoard.Hal.Tests
{
    public sealed class TerminalKeyMapTests
    {
        [Theory]
        [InlineData(ConsoleKey.UpArrow, '\0', PanelKey.Up)]
        [InlineData(ConsoleKey.DownArrow, '\0', PanelKey.Down)]
        [InlineData(ConsoleKey.LeftArrow, '\0', PanelKey.Left)]
        [InlineData(ConsoleKey.RightArrow, '\0', PanelKey.Right)]
        [InlineData(ConsoleKey.Enter, '\r', PanelKey.Set)]
        [InlineData(ConsoleKey.Escape, '\u001B', PanelKey.Back)]
        [InlineData(ConsoleKey.Backspace, '\b', PanelKey.Backspace)]
        [InlineData(ConsoleKey.Tab, '\t', PanelKey.Menu)]
        [InlineData(ConsoleKey.NoName, '\n', PanelKey.Set)]
        [InlineData(ConsoleKey.NoName, '\u007F', PanelKey.Backspace)]
        public void SpecialKeys_MapTheSameWhetherTypingOrNot(ConsoleKey consoleKey, char keyChar, PanelKey expected)
        {
            foreach (bool textEntry in new[] { false, true })
            {
                Assert.True(TerminalKeyMap.TryMap(Info(keyChar, consoleKey), textEntry, out PanelKey key, out char c));
                Assert.Equal(expected, key);
                Assert.Equal('\0', c);
            }
        }

        [Theory]
        [InlineData('m', PanelKey.Menu)]
        [InlineData('M', PanelKey.Menu)]
        [InlineData('s', PanelKey.Start)]
        [InlineData('S', PanelKey.Start)]
        public void MenuAndStartLetters_AreKeysOnlyWhenNotTyping(char letter, PanelKey expected)
        {
            Assert.True(TerminalKeyMap.TryMap(Info(letter, ConsoleKey.NoName), false, out PanelKey key, out char c));
            Assert.Equal(expected, key);
            Assert.Equal('\0', c);

            Assert.True(TerminalKeyMap.TryMap(Info(letter, ConsoleKey.NoName), true, out key, out c));
            Assert.Equal(PanelKey.Character, key);
            Assert.Equal(letter, c);
        }

        [Theory]
        [InlineData('a')]
        [InlineData('7')]
        [InlineData(' ')]
        [InlineData('@')]
        [InlineData('\u00e9')]
        public void PrintableCharacters_AreCharacters(char typed)
        {
            foreach (bool textEntry in new[] { false, true })
            {
                Assert.True(TerminalKeyMap.TryMap(Info(typed, ConsoleKey.NoName), textEntry, out PanelKey key, out char c));
                Assert.Equal(PanelKey.Character, key);
                Assert.Equal(typed, c);
            }
        }

        [Theory]
        [InlineData('\u0001', ConsoleKey.A)]
        [InlineData('\0', ConsoleKey.F5)]
        [InlineData('\0', ConsoleKey.Home)]
        [InlineData('\u0085', ConsoleKey.NoName)]
        [InlineData('\ud800', ConsoleKey.NoName)]
        public void OtherKeys_AreNoPanelKey(char keyChar, ConsoleKey consoleKey)
        {
            Assert.False(TerminalKeyMap.TryMap(Info(keyChar, consoleKey), true, out PanelKey key, out char c));
            Assert.Equal(PanelKey.None, key);
            Assert.Equal('\0', c);
        }

        [Fact]
        public void RealConsoleLetterKeys_UseTheirCharacter()
        {
            Assert.True(TerminalKeyMap.TryMap(Info('x', ConsoleKey.X), true, out PanelKey key, out char c));
            Assert.Equal(PanelKey.Character, key);
            Assert.Equal('x', c);
        }

        private static ConsoleKeyInfo Info(char c, ConsoleKey key)
        {
            return new ConsoleKeyInfo(c, key, false, false, false);
        }
    }
}
