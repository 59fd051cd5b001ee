using System.Net;
using System.Net.Http;
using System.Text.RegularExpressions;
using System.Threading.Tasks;

namespace NetBoard.Integration.Tests
{
    /// <summary>A page of the authorization server as a browser ends on it: final address, status, HTML and its forms.</summary>
    internal sealed class VerificationPage
    {
        private static readonly Regex ById = new Regex("<(?:p|b|span|code)[^>]*\\bid=\"(?<id>[^\"]+)\"[^>]*>(?<text>.*?)</", RegexOptions.Singleline);

        private VerificationPage(Uri address, HttpStatusCode status, string html)
        {
            Address = address;
            Status = status;
            Html = html;
        }

        /// <summary>The address after redirects.</summary>
        public Uri Address { get; }

        public HttpStatusCode Status { get; }

        public string Html { get; }

        /// <summary>The text of the element with id "result" (the approved/denied page), or null.</summary>
        public string Result => Text("result");

        /// <summary>The text of the element with id "error" (wrong code, wrong password), or null.</summary>
        public string Error => Text("error");

        public static async Task<VerificationPage> ReadAsync(HttpResponseMessage response)
        {
            return new VerificationPage(response.RequestMessage.RequestUri, response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        /// <summary>The form with this id, or null.</summary>
        public HtmlForm Form(string id)
        {
            return HtmlForm.Find(Html, id);
        }

        /// <summary>The decoded text of the element with this id, or null.</summary>
        public string Text(string id)
        {
            foreach (Match m in ById.Matches(Html))
            {
                if (m.Groups["id"].Value == id)
                {
                    return WebUtility.HtmlDecode(Regex.Replace(m.Groups["text"].Value, "<[^>]*>", string.Empty));
                }
            }

            return null;
        }
    }
}
