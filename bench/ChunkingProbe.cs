using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Mime;
using NetBoard.Firmware.Settings;
using NetBoard.Hal.Host;

namespace NetBoard.Bench
{
    /// <summary>One row of the CHUNKING probe: the same transaction ended with DATA or with one BDAT LAST.</summary>
    internal sealed class ChunkingResult
    {
        public int RoundTripMs { get; set; }

        public int Recipients { get; set; }

        public int DataRoundTrips { get; set; }

        public int BdatRoundTrips { get; set; }

        public double DataMs { get; set; }

        public double BdatMs { get; set; }
    }

    /// <summary>
    /// Whether CHUNKING (RFC 3030) would save anything: a minimal blocking client (this file only, not the firmware)
    /// sends the firmware's own message bytes to the lab's Postfix AUTH port (which announces PIPELINING and CHUNKING)
    /// through the delay proxy, once as the firmware does today (MAIL, RCPTs and DATA in one group, then the
    /// dot-stuffed message, the dot and QUIT) and once with BDAT (MAIL, RCPTs, <c>BDAT n LAST</c> with the whole
    /// message and QUIT in one group, as RFC 3030 4.2 allows with PIPELINING). Both authenticate with AUTH PLAIN and
    /// write the message in 4096-octet blocks, as the firmware's output buffer does.
    /// </summary>
    internal static class ChunkingProbe
    {
        public static List<ChunkingResult> Run(Lab lab, int runs, TextWriterLog log)
        {
            List<ChunkingResult> results = new List<ChunkingResult>();
            byte[] attachment = new byte[LatencyBench.AttachmentBytes];
            new Random(20261204).NextBytes(attachment);
            byte[] wire = Compose(attachment);
            foreach (int rtt in new[] { 0, 50, 150 })
            {
                using (DelayProxy proxy = new DelayProxy(lab.AuthPort, rtt))
                {
                    foreach (string[] to in new[] { new[] { "scan@lab.test" }, new[] { "scan@lab.test", "cram@lab.test", "hashed@lab.test" } })
                    {
                        ChunkingResult row = new ChunkingResult { RoundTripMs = rtt, Recipients = to.Length };
                        List<double> data = new List<double>();
                        List<double> bdat = new List<double>();
                        for (int i = 0; i <= runs; i++)
                        {
                            double d = Send(proxy.Port, to, wire, false);
                            row.DataRoundTrips = proxy.RoundTrips;
                            double b = Send(proxy.Port, to, wire, true);
                            row.BdatRoundTrips = proxy.RoundTrips;
                            if (i > 0)
                            {
                                data.Add(d);
                                bdat.Add(b);
                            }
                        }

                        row.DataMs = Stats.Median(data.ToArray());
                        row.BdatMs = Stats.Median(bdat.ToArray());
                        results.Add(row);
                        log.Line(string.Format("  RTT {0,3} ms, {1} recipient(s): DATA {2} round trips {3,7:F0} ms, BDAT {4} round trips {5,7:F0} ms", rtt, to.Length, row.DataRoundTrips, row.DataMs, row.BdatRoundTrips, row.BdatMs));
                    }
                }

                lab.Reset();
            }

            return results;
        }

        public static string ToMarkdown(List<ChunkingResult> results)
        {
            StringBuilder text = new StringBuilder();
            text.AppendLine("| RTT | recipients | DATA round trips | BDAT round trips | DATA ms | BDAT ms | BDAT / DATA |");
            text.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (ChunkingResult r in results)
            {
                text.AppendLine(string.Format(System.Globalization.CultureInfo.InvariantCulture, "| {0} ms | {1} | {2} | {3} | {4:F0} | {5:F0} | {6:F2}x |", r.RoundTripMs, r.Recipients, r.DataRoundTrips, r.BdatRoundTrips, r.DataMs, r.BdatMs, r.BdatMs / r.DataMs));
            }

            return text.ToString();
        }

        // The firmware's message for the bench job, as octets (before dot-stuffing).
        private static byte[] Compose(byte[] attachment)
        {
            DeviceSettings settings = new DeviceSettings();
            settings.Set(SettingKeys.SmtpHost, "127.0.0.1");
            settings.Set(SettingKeys.DeviceEmail, BenchMessage.Sender);
            settings.Set(SettingKeys.DeviceName, BenchMessage.DeviceName);
            SendPlan plan = SendPlan.Create(settings);
            MailJob job = new MailJob(1, JobKind.Email, new[] { BenchMessage.Recipient }, string.Empty, "docs/bench/" + BenchMessage.FileName);
            using (MemoryDocument document = new MemoryDocument(attachment))
            {
                MessageComposer composer = new MessageComposer(plan.CreateMessage(job, document.Length, new SystemClock().UtcNow, new Random(1)), document, false);
                MemoryStream all = new MemoryStream();
                byte[] block = new byte[4096];
                int n;
                while ((n = composer.Read(block, 0, block.Length)) > 0)
                {
                    all.Write(block, 0, n);
                }

                return all.ToArray();
            }
        }

        private static double Send(int port, string[] to, byte[] message, bool bdat)
        {
            Stopwatch sw = Stopwatch.StartNew();
            using (Socket socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
            {
                socket.NoDelay = true;
                socket.Connect(IPAddress.Loopback, port);
                Replies(socket, 1, "2");
                Write(socket, "EHLO probe.lab.test\r\n");
                string ehlo = Replies(socket, 1, "250");
                if (bdat && ehlo.IndexOf("CHUNKING", StringComparison.Ordinal) < 0)
                {
                    throw new InvalidOperationException("the server does not announce CHUNKING");
                }

                Write(socket, "AUTH PLAIN " + Convert.ToBase64String(Encoding.UTF8.GetBytes("\0scan@lab.test\0scan-Secret-1")) + "\r\n");
                Replies(socket, 1, "235");
                StringBuilder group = new StringBuilder("MAIL FROM:<" + BenchMessage.Sender + ">\r\n");
                foreach (string r in to)
                {
                    group.Append("RCPT TO:<" + r + ">\r\n");
                }

                if (bdat)
                {
                    // RFC 3030 4.2: BDAT may be pipelined behind MAIL and RCPT; its data follows the command at once.
                    group.Append("BDAT " + message.Length + " LAST\r\n");
                    Write(socket, group.ToString());
                    Blocks(socket, Encoding.ASCII.GetBytes(string.Empty), message);
                    Write(socket, "QUIT\r\n");
                    Replies(socket, to.Length + 3, null);
                }
                else
                {
                    group.Append("DATA\r\n");
                    Write(socket, group.ToString());
                    Replies(socket, to.Length + 2, null);
                    Blocks(socket, Stuffed(message), Encoding.ASCII.GetBytes(".\r\nQUIT\r\n"));
                    Replies(socket, 2, null);
                }
            }

            return sw.Elapsed.TotalMilliseconds;
        }

        private static byte[] Stuffed(byte[] message)
        {
            MemoryStream stuffed = new MemoryStream();
            for (int i = 0; i < message.Length; i++)
            {
                if (message[i] == (byte)'.' && (i == 0 || message[i - 1] == (byte)'\n'))
                {
                    stuffed.WriteByte((byte)'.');
                }

                stuffed.WriteByte(message[i]);
            }

            return stuffed.ToArray();
        }

        // The bytes of first then second, in writes of at most 4096 octets.
        private static void Blocks(Socket socket, byte[] first, byte[] second)
        {
            byte[] all = new byte[first.Length + second.Length];
            Buffer.BlockCopy(first, 0, all, 0, first.Length);
            Buffer.BlockCopy(second, 0, all, first.Length, second.Length);
            for (int i = 0; i < all.Length; i += 4096)
            {
                socket.Send(all, i, Math.Min(4096, all.Length - i), SocketFlags.None);
            }
        }

        private static void Write(Socket socket, string text)
        {
            socket.Send(Encoding.ASCII.GetBytes(text));
        }

        // Reads <paramref name="count"/> complete replies; each must start with <paramref name="expect"/> (or 2/3 when null).
        private static string Replies(Socket socket, int count, string expect)
        {
            StringBuilder all = new StringBuilder();
            StringBuilder line = new StringBuilder();
            byte[] one = new byte[1];
            int done = 0;
            while (done < count)
            {
                if (socket.Receive(one) == 0)
                {
                    throw new InvalidOperationException("connection closed after " + all);
                }

                line.Append((char)one[0]);
                if (one[0] != (byte)'\n')
                {
                    continue;
                }

                string text = line.ToString();
                line.Clear();
                all.Append(text);
                if (text.Length >= 4 && text[3] == '-')
                {
                    continue;
                }

                if ((expect != null && !text.StartsWith(expect, StringComparison.Ordinal)) || (expect == null && text[0] != '2' && text[0] != '3'))
                {
                    throw new InvalidOperationException("unexpected reply " + text.Trim());
                }

                done++;
            }

            return all.ToString();
        }
    }
}
