using System;

namespace NetBoard.Hal.Host
{
    /// <summary>The virtual panel as text: the display lines in a box, the key legend below.</summary>
    public static class TerminalFrame
    {
        /// <summary>
        /// The frame's lines: a top border, <paramref name="rows"/> display lines cut or padded to
        /// <paramref name="columns"/>, a bottom border and <paramref name="legend"/>. Control characters
        /// become '?', so text from a server cannot steer the terminal.
        /// </summary>
        public static string[] Compose(string[] lines, int columns, int rows, string legend)
        {
            string[] frame = new string[rows + 3];
            string border = new string('\u2500', columns);
            frame[0] = "\u250C" + border + "\u2510";
            for (int i = 0; i < rows; i++)
            {
                string line = lines != null && i < lines.Length && lines[i] != null ? lines[i] : string.Empty;
                frame[i + 1] = "\u2502" + Cell(line, columns) + "\u2502";
            }

            frame[rows + 1] = "\u2514" + border + "\u2518";
            frame[rows + 2] = legend ?? string.Empty;
            return frame;
        }

        /// <summary>
        /// The display as one plain line: its <paramref name="rows"/> lines cut at <paramref name="columns"/>,
        /// trailing blanks and blank last rows dropped, joined by " | "; control characters become '?'.
        /// </summary>
        public static string OneLine(string[] lines, int columns, int rows)
        {
            string[] cells = new string[rows];
            int used = 0;
            for (int i = 0; i < rows; i++)
            {
                string line = lines != null && i < lines.Length && lines[i] != null ? lines[i] : string.Empty;
                cells[i] = Cell(line.Length > columns ? line.Substring(0, columns) : line, Math.Min(line.Length, columns)).TrimEnd();
                if (cells[i].Length > 0)
                {
                    used = i + 1;
                }
            }

            return string.Join(" | ", cells, 0, used);
        }

        private static string Cell(string line, int columns)
        {
            char[] cell = new char[columns];
            for (int i = 0; i < columns; i++)
            {
                char c = i < line.Length ? line[i] : ' ';
                cell[i] = char.IsControl(c) || char.IsSurrogate(c) ? '?' : c;
            }

            return new string(cell);
        }
    }
}
