namespace NetBoard.Firmware.Panel
{
    /// <summary>Fitting text to the panel's columns.</summary>
    internal static class PanelText
    {
        /// <summary><paramref name="text"/> cut at <paramref name="columns"/> characters.</summary>
        public static string Fit(string text, int columns)
        {
            if (text == null)
            {
                return string.Empty;
            }

            return text.Length <= columns ? text : text.Substring(0, columns);
        }

        /// <summary><paramref name="left"/> and <paramref name="right"/> on one line of <paramref name="columns"/>, right aligned; null when they do not fit.</summary>
        public static string Spread(string left, string right, int columns)
        {
            int gap = columns - left.Length - right.Length;
            if (gap < 1)
            {
                return null;
            }

            return left + new string(' ', gap) + right;
        }

        /// <summary>Breaks <paramref name="text"/> at spaces into lines of at most <paramref name="columns"/>; a longer word is split.</summary>
        public static string[] Wrap(string text, int columns)
        {
            System.Collections.ArrayList lines = new System.Collections.ArrayList();
            string line = string.Empty;
            int start = 0;
            text = text == null ? string.Empty : text;
            while (start < text.Length)
            {
                int end = text.IndexOf(' ', start);
                if (end < 0)
                {
                    end = text.Length;
                }

                string word = text.Substring(start, end - start);
                start = end + 1;
                if (word.Length == 0)
                {
                    continue;
                }

                if (line.Length > 0 && line.Length + 1 + word.Length <= columns)
                {
                    line = line + " " + word;
                    continue;
                }

                if (line.Length > 0)
                {
                    lines.Add(line);
                }

                while (word.Length > columns)
                {
                    lines.Add(word.Substring(0, columns));
                    word = word.Substring(columns);
                }

                line = word;
            }

            if (line.Length > 0 || lines.Count == 0)
            {
                lines.Add(line);
            }

            string[] result = new string[lines.Count];
            lines.CopyTo(result, 0);
            return result;
        }
    }
}
