using System;
using System.Globalization;
using System.Text;

namespace NetBoard.Bench
{
    /// <summary>
    /// --oauth: what one OAuth 2.0 send allocates, over the in-memory connection (the firmware core alone, as the
    /// device's managed heap sees it), beside the same send without AUTH: a lab-size token (about 1.2 KB, on the AUTH
    /// line) and a Microsoft-size one (3 KB: after the empty 334, the line streamed through the 4 KB output buffer).
    /// </summary>
    internal static class OAuthBench
    {
        public const int AttachmentBytes = 100_000;

        public static string Run(int runs, int warmups, TextWriterLog log)
        {
            byte[] attachment = new byte[AttachmentBytes];
            new Random(20261204).NextBytes(attachment);
            var message = new BenchMessage(attachment);
            var inv = CultureInfo.InvariantCulture;
            var md = new StringBuilder();
            md.AppendLine("| send (100 KB attachment, in-memory connection) | AUTH | allocated per job (median, thread) | max |");
            md.AppendLine("| --- | --- | --- | --- |");
            foreach ((string name, int tokenLength) in new[] { ("no AUTH", 0), ("OAuth, 1.2 KB token", 1200), ("OAuth, 3 KB token", 3000) })
            {
                var connector = new MemoryConnector { OfferOAuth = tokenLength > 0 };
                FirmwareSender sender = tokenLength == 0
                    ? new FirmwareSender(connector, 25)
                    : new FirmwareSender(connector, 25, "oauth@lab.test", Token(tokenLength));
                double[] bytes = new double[runs];
                for (int i = 0; i < warmups + runs; i++)
                {
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    sender.Send(message);
                    long used = GC.GetAllocatedBytesForCurrentThread() - before;
                    if (i >= warmups)
                    {
                        bytes[i - warmups] = used;
                    }
                }

                Array.Sort(bytes);
                string auth = tokenLength == 0 ? "-" : (tokenLength > 1500 ? "OAUTHBEARER after 334" : "OAUTHBEARER on the AUTH line");
                string row = string.Format(inv, "| {0} | {1} | {2:F1} KB | {3:F1} KB |", name, auth, bytes[runs / 2] / 1024.0, bytes[runs - 1] / 1024.0);
                log.Line(row);
                md.AppendLine(row);
            }

            return md.ToString();
        }

        private static byte[] Token(int length)
        {
            byte[] token = new byte[length];
            const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
            var random = new Random(length);
            for (int i = 0; i < length; i++)
            {
                token[i] = (byte)alphabet[random.Next(alphabet.Length)];
            }

            return token;
        }
    }
}
