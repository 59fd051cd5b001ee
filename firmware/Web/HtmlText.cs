namespace NetBoard.Firmware.Web
{
    /// <summary>Escapes text for HTML element content and quoted attribute values.</summary>
    public static class HtmlText
    {
        /// <summary>
        /// Returns <paramref name="text"/> with &amp;, &lt;, &gt;, " and ' replaced by character
        /// references, so it can stand in element content or a quoted attribute. Null becomes empty.
        /// </summary>
        public static string Escape(string text)
        {
            if (text == null)
            {
                return string.Empty;
            }

            int length = 0;
            for (int i = 0; i < text.Length; i++)
            {
                string reference = Reference(text[i]);
                length += reference == null ? 1 : reference.Length;
            }

            if (length == text.Length)
            {
                return text;
            }

            char[] result = new char[length];
            int at = 0;
            for (int i = 0; i < text.Length; i++)
            {
                string reference = Reference(text[i]);
                if (reference == null)
                {
                    result[at++] = text[i];
                    continue;
                }

                for (int k = 0; k < reference.Length; k++)
                {
                    result[at++] = reference[k];
                }
            }

            return new string(result);
        }

        /// <summary>The character reference for <paramref name="c"/>, or null when it stands as it is.</summary>
        private static string Reference(char c)
        {
            switch (c)
            {
                case '&':
                    return "&amp;";
                case '<':
                    return "&lt;";
                case '>':
                    return "&gt;";
                case '"':
                    return "&quot;";
                case '\'':
                    return "&#39;";
                default:
                    return null;
            }
        }
    }
}
