using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;

namespace NetBoard.Lab.OAuth
{
    /// <summary>
    /// The verification and sign-in pages: plain HTML forms without scripts, so a browser and a test's HTTP client see
    /// the same thing. Every value written into a page is HTML-encoded.
    /// </summary>
    public static class HtmlPage
    {
        /// <summary>Encodes text for an element body or a quoted attribute value.</summary>
        public static string Encode(string text)
        {
            return HtmlEncoder.Default.Encode(text ?? string.Empty);
        }

        /// <summary>A complete page with a title, an optional error line and the given body markup.</summary>
        public static IResult Render(string title, string error, string body, int status = StatusCodes.Status200OK)
        {
            StringBuilder html = new StringBuilder();
            html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .Append(Encode(title)).Append(" - Lab sign-in</title>\n")
                .Append("<style>body{font-family:sans-serif;max-width:32em;margin:2em auto}.error{color:#a00}code{font-size:1.3em}</style>\n")
                .Append("</head>\n<body>\n<h1>").Append(Encode(title)).Append("</h1>\n");
            if (!string.IsNullOrEmpty(error))
            {
                html.Append("<p class=\"error\" id=\"error\">").Append(Encode(error)).Append("</p>\n");
            }

            html.Append(body).Append("</body>\n</html>\n");
            return Results.Content(html.ToString(), "text/html; charset=utf-8", Encoding.UTF8, status);
        }

        /// <summary>A hidden input.</summary>
        public static string Hidden(string name, string value)
        {
            return "<input type=\"hidden\" name=\"" + Encode(name) + "\" value=\"" + Encode(value) + "\">\n";
        }
    }
}
