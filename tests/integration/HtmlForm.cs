using System.Net;
using System.Text.RegularExpressions;

namespace NetBoard.Integration.Tests
{
    /// <summary>
    /// A form of a server-rendered page as a browser would submit it: method, action, the name/value of every input
    /// (hidden ones included) and the submit buttons by name. Enough for the plain forms of the lab's sign-in pages.
    /// </summary>
    internal sealed class HtmlForm
    {
        private static readonly Regex FormElement = new Regex("<form(?<attrs>[^>]*)>(?<body>.*?)</form>", RegexOptions.Singleline | RegexOptions.IgnoreCase);
        private static readonly Regex Input = new Regex("<input(?<attrs>[^>]*)>", RegexOptions.IgnoreCase);
        private static readonly Regex Button = new Regex("<button(?<attrs>[^>]*)>", RegexOptions.IgnoreCase);
        private static readonly Regex Attribute = new Regex("(?<name>[a-zA-Z_:][-a-zA-Z0-9_:.]*)=\"(?<value>[^\"]*)\"");

        private HtmlForm(string method, string action)
        {
            Method = method;
            Action = action;
        }

        public string Method { get; }

        public string Action { get; }

        /// <summary>Field values by name, in page order; set or change them before submitting.</summary>
        public Dictionary<string, string> Fields { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

        /// <summary>Submit buttons: name to value.</summary>
        public Dictionary<string, string> Buttons { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

        /// <summary>The form with the given id in <paramref name="html"/>, or null.</summary>
        public static HtmlForm Find(string html, string id)
        {
            foreach (Match form in FormElement.Matches(html))
            {
                Dictionary<string, string> attrs = Attributes(form.Groups["attrs"].Value);
                if (!attrs.TryGetValue("id", out string formId) || formId != id)
                {
                    continue;
                }

                HtmlForm result = new HtmlForm(attrs.GetValueOrDefault("method", "get"), attrs.GetValueOrDefault("action", string.Empty));
                string body = form.Groups["body"].Value;
                foreach (Match input in Input.Matches(body))
                {
                    Dictionary<string, string> a = Attributes(input.Groups["attrs"].Value);
                    if (a.TryGetValue("name", out string name))
                    {
                        result.Fields[name] = a.GetValueOrDefault("value", string.Empty);
                    }
                }

                foreach (Match button in Button.Matches(body))
                {
                    Dictionary<string, string> a = Attributes(button.Groups["attrs"].Value);
                    if (a.TryGetValue("name", out string name))
                    {
                        result.Buttons[name] = a.GetValueOrDefault("value", string.Empty);
                    }
                }

                return result;
            }

            return null;
        }

        private static Dictionary<string, string> Attributes(string text)
        {
            Dictionary<string, string> attrs = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (Match m in Attribute.Matches(text))
            {
                attrs[m.Groups["name"].Value] = WebUtility.HtmlDecode(m.Groups["value"].Value);
            }

            return attrs;
        }
    }
}
