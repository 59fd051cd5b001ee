using System;

namespace NetBoard.Hal.Host
{
    /// <summary>
    /// Maps terminal keys to panel keys: arrows move, Enter is Set, Escape is Back, Backspace deletes,
    /// Tab is Menu. Outside text entry 'm' is Menu and 's' is Start; while typing they are characters.
    /// </summary>
    public static class TerminalKeyMap
    {
        /// <summary>The key legend shown while not typing.</summary>
        public const string MenuLegend = "m Menu  \u2191\u2193\u2190\u2192  Enter Set  Esc Back  s Start";

        /// <summary>The key legend shown while typing a value.</summary>
        public const string TextLegend = "type text  \u2190\u2192 cursor  \u2191\u2193 pick  Enter Set  Esc Back  Tab Menu";

        /// <summary>
        /// The panel key for <paramref name="info"/>; false for keys the panel has no use for.
        /// <paramref name="textEntry"/> is true while the panel shows a text cursor.
        /// </summary>
        public static bool TryMap(ConsoleKeyInfo info, bool textEntry, out PanelKey key, out char character)
        {
            character = '\0';
            key = Special(info.Key);
            if (key == PanelKey.None)
            {
                key = FromChar(info.KeyChar, textEntry, out character);
            }

            return key != PanelKey.None;
        }

        private static PanelKey Special(ConsoleKey key)
        {
            switch (key)
            {
                case ConsoleKey.UpArrow:
                    return PanelKey.Up;
                case ConsoleKey.DownArrow:
                    return PanelKey.Down;
                case ConsoleKey.LeftArrow:
                    return PanelKey.Left;
                case ConsoleKey.RightArrow:
                    return PanelKey.Right;
                case ConsoleKey.Enter:
                    return PanelKey.Set;
                case ConsoleKey.Escape:
                    return PanelKey.Back;
                case ConsoleKey.Backspace:
                    return PanelKey.Backspace;
                case ConsoleKey.Tab:
                    return PanelKey.Menu;
                default:
                    return PanelKey.None;
            }
        }

        private static PanelKey FromChar(char c, bool textEntry, out char character)
        {
            character = '\0';
            switch (c)
            {
                case '\r':
                case '\n':
                    return PanelKey.Set;
                case '\u001B':
                    return PanelKey.Back;
                case '\b':
                case '\u007F':
                    return PanelKey.Backspace;
                case '\t':
                    return PanelKey.Menu;
            }

            if (c < ' ' || char.IsControl(c) || char.IsSurrogate(c))
            {
                return PanelKey.None;
            }

            if (!textEntry && (c == 'm' || c == 'M'))
            {
                return PanelKey.Menu;
            }

            if (!textEntry && (c == 's' || c == 'S'))
            {
                return PanelKey.Start;
            }

            character = c;
            return PanelKey.Character;
        }
    }
}
