using System;
using NetBoard.Firmware.Net;
using NetBoard.Firmware.Text;

namespace NetBoard.Firmware.Http
{
    /// <summary>
    /// Writes an <see cref="HttpRequest"/> as HTTP/1.1 octets (RFC 9112): request line, Host first, the extra
    /// fields, Authorization, Content-Type and Content-Length for a form, Connection: close, the empty line, the body.
    /// </summary>
    public static class HttpRequestWriter
    {
        private const string Version = " HTTP/1.1";

        /// <summary>The request's length in octets, so the caller can size the output buffer exactly.</summary>
        /// <param name="request">The request.</param>
        public static int Length(HttpRequest request)
        {
            if (request == null)
            {
                throw new ArgumentNullException("request");
            }

            int length = request.Method.Length + 1 + request.Target.Length + Version.Length + 2;
            length += HostField(request).Length + 2;
            for (int i = 0; i < request.HeaderCount; i++)
            {
                length += request.HeaderName(i).Length + 2 + request.HeaderValue(i).Length + 2;
            }

            if (request.BasicUser != null)
            {
                length += "Authorization: Basic ".Length + Base64.EncodedLength(BasicLength(request)) + 2;
            }

            int body = BodyLength(request);
            if (request.Form != null)
            {
                length += "Content-Type: ".Length + HttpForm.ContentType.Length + 2;
            }

            if (request.Form != null || SendsZeroLength(request))
            {
                length += "Content-Length: ".Length + body.ToString().Length + 2;
            }

            if (!request.KeepAlive)
            {
                length += "Connection: close".Length + 2;
            }

            return length + 2 + body;
        }

        /// <summary>Appends the request to <paramref name="output"/>, which needs <see cref="Length"/> octets of room.</summary>
        /// <param name="request">The request.</param>
        /// <param name="output">The session's output buffer.</param>
        public static void Write(HttpRequest request, CommandBuffer output)
        {
            if (output == null)
            {
                throw new ArgumentNullException("output");
            }

            if (output.Room < Length(request))
            {
                throw new InvalidOperationException("request longer than the output buffer");
            }

            output.Put(request.Method);
            output.Put(" ");
            output.Put(request.Target);
            output.Put(Version);
            output.EndLine();
            output.Put(HostField(request));
            output.EndLine();
            for (int i = 0; i < request.HeaderCount; i++)
            {
                output.Put(request.HeaderName(i));
                output.Put(": ");
                output.Put(request.HeaderValue(i));
                output.EndLine();
            }

            if (request.BasicUser != null)
            {
                byte[] credentials = BasicCredentials(request);
                output.Put("Authorization: Basic ");
                output.PutBase64(credentials);
                Array.Clear(credentials, 0, credentials.Length);
                output.EndLine();
            }

            int body = BodyLength(request);
            if (request.Form != null)
            {
                output.Put("Content-Type: ");
                output.Put(HttpForm.ContentType);
                output.EndLine();
            }

            if (request.Form != null || SendsZeroLength(request))
            {
                output.Put("Content-Length: ");
                output.Put(body.ToString());
                output.EndLine();
            }

            if (!request.KeepAlive)
            {
                output.Put("Connection: close");
                output.EndLine();
            }

            output.EndLine();
            if (request.Form != null)
            {
                int at = output.End;
                output.Advance(body);
                request.Form.Write(output.Buffer, at);
            }
        }

        /// <summary>The Host field: RFC 9110 7.2, the port only when it is not the scheme's default, an IPv6 literal in brackets.</summary>
        private static string HostField(HttpRequest request)
        {
            string host = request.Host.IndexOf(':') >= 0 && request.Host[0] != '[' ? "[" + request.Host + "]" : request.Host;
            int defaultPort = request.Secure ? 443 : 80;
            return "Host: " + (request.Port == defaultPort ? host : host + ":" + request.Port.ToString());
        }

        private static int BodyLength(HttpRequest request)
        {
            return request.Form == null ? 0 : request.Form.EncodedLength;
        }

        // RFC 9110 8.6: a POST or PUT without a body still says its length is 0.
        private static bool SendsZeroLength(HttpRequest request)
        {
            return request.Method == "POST" || request.Method == "PUT";
        }

        private static int BasicLength(HttpRequest request)
        {
            return FormEncoding.EncodedLength(request.BasicUser, 0, request.BasicUser.Length) + 1
                + FormEncoding.EncodedLength(request.BasicPassword, 0, request.BasicPassword.Length);
        }

        private static byte[] BasicCredentials(HttpRequest request)
        {
            byte[] credentials = new byte[BasicLength(request)];
            int p = FormEncoding.Encode(request.BasicUser, 0, request.BasicUser.Length, credentials, 0);
            credentials[p++] = (byte)':';
            FormEncoding.Encode(request.BasicPassword, 0, request.BasicPassword.Length, credentials, p);
            return credentials;
        }
    }
}
