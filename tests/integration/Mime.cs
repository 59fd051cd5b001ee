using MimeKit;

namespace NetBoard.Integration.Tests
{
    internal static class Mime
    {
        /// <summary>The decoded content of a MIME part (base64 undone).</summary>
        public static byte[] Decode(MimePart part)
        {
            using MemoryStream decoded = new MemoryStream();
            if (part.Content != null)
            {
                part.Content.DecodeTo(decoded);
            }

            return decoded.ToArray();
        }
    }
}
