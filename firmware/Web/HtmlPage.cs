using System;

namespace NetBoard.Firmware.Web
{
    /// <summary>
    /// A page being made: its text pieces kept in an array and joined once at the end (the core has no
    /// StringBuilder). <see cref="Text"/> escapes; <see cref="Raw"/> is for the page's own markup only.
    /// </summary>
    internal sealed class HtmlPage
    {
        private string[] _parts = new string[128];
        private int _count;

        /// <summary>Adds markup as it is.</summary>
        internal void Raw(string markup)
        {
            if (markup == null || markup.Length == 0)
            {
                return;
            }

            if (_count == _parts.Length)
            {
                string[] larger = new string[_parts.Length * 2];
                Array.Copy(_parts, larger, _count);
                _parts = larger;
            }

            _parts[_count++] = markup;
        }

        /// <summary>Adds text, escaped for element content or a quoted attribute.</summary>
        internal void Text(string text)
        {
            Raw(HtmlText.Escape(text));
        }

        /// <summary>Adds a hidden field holding the session's CSRF token.</summary>
        internal void Csrf(WebSession session)
        {
            Raw("<input type=\"hidden\" name=\"" + WebSite.CsrfField + "\" value=\"");
            Text(session.CsrfToken);
            Raw("\">");
        }

        /// <summary>The page's text.</summary>
        public override string ToString()
        {
            string[] parts = new string[_count];
            Array.Copy(_parts, parts, _count);
            return string.Concat(parts);
        }
    }
}
