using System;
using System.Collections.Generic;
using System.Text;

namespace NetBoard.Bench
{
    /// <summary>One row of the CHUNKING table: the firmware's send with DATA (smtp.chunking=off) and with BDAT (auto).</summary>
    internal sealed class ChunkingResult
    {
        public int RoundTripMs { get; set; }

        public int Recipients { get; set; }

        public int AttachmentBytes { get; set; }

        public int DataRoundTrips { get; set; }

        public int BdatRoundTrips { get; set; }

        public double DataMs { get; set; }

        public double BdatMs { get; set; }
    }

    /// <summary>
    /// What CHUNKING (RFC 3030) gains: the firmware's own send path through the delay proxy in front of the lab's
    /// Postfix AUTH port (which announces PIPELINING and CHUNKING), AUTH PLAIN, once with smtp.chunking=off (MAIL,
    /// RCPTs and DATA in one write, the dot-stuffed message after the 354) and once with auto (MAIL, RCPTs and the
    /// message as BDAT chunks in one stream), taking turns.
    /// </summary>
    internal static class ChunkingBench
    {
        private static readonly int[] Sizes = { 100000, 1000000 };

        public static List<ChunkingResult> Run(Lab lab, int runs, TextWriterLog log)
        {
            List<ChunkingResult> results = new List<ChunkingResult>();
            foreach (int rtt in new[] { 0, 50, 150 })
            {
                using (DelayProxy proxy = new DelayProxy(lab.AuthPort, rtt))
                {
                    foreach (int size in Sizes)
                    {
                        byte[] attachment = new byte[size];
                        new Random(20261204).NextBytes(attachment);
                        BenchMessage message = new BenchMessage(attachment);
                        foreach (string[] to in new[] { LatencyBench.OneRecipient, LatencyBench.ThreeRecipients })
                        {
                            results.Add(Row(proxy, rtt, to, message, size, runs, log));
                        }
                    }
                }

                lab.Reset();
            }

            return results;
        }

        private static ChunkingResult Row(DelayProxy proxy, int rtt, string[] to, BenchMessage message, int size, int runs, TextWriterLog log)
        {
            FirmwareSender data = new FirmwareSender(new NetBoard.Hal.Host.TcpConnector(), proxy.Port, "plain", "scan@lab.test", "scan-Secret-1", to, 0, "off");
            FirmwareSender bdat = new FirmwareSender(new NetBoard.Hal.Host.TcpConnector(), proxy.Port, "plain", "scan@lab.test", "scan-Secret-1", to, 0, "auto");
            ChunkingResult row = new ChunkingResult { RoundTripMs = rtt, Recipients = to.Length, AttachmentBytes = size };
            List<double> dataMs = new List<double>();
            List<double> bdatMs = new List<double>();
            for (int i = 0; i <= runs; i++)
            {
                double d = LatencyBench.Time(() => data.Send(message));
                row.DataRoundTrips = proxy.RoundTrips;
                double b = LatencyBench.Time(() => bdat.Send(message));
                row.BdatRoundTrips = proxy.RoundTrips;
                if (i > 0)
                {
                    dataMs.Add(d);
                    bdatMs.Add(b);
                }
            }

            row.DataMs = Stats.Median(dataMs.ToArray());
            row.BdatMs = Stats.Median(bdatMs.ToArray());
            log.Line(string.Format("  RTT {0,3} ms, {1,7} bytes, {2} recipient(s): DATA {3} round trips {4,7:F0} ms, BDAT {5} round trips {6,7:F0} ms", rtt, size, to.Length, row.DataRoundTrips, row.DataMs, row.BdatRoundTrips, row.BdatMs));
            return row;
        }

        public static string ToMarkdown(List<ChunkingResult> results, int runs)
        {
            StringBuilder text = new StringBuilder();
            text.AppendLine("| RTT | attachment | recipients | DATA round trips | BDAT round trips | DATA ms | BDAT ms | BDAT / DATA |");
            text.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (ChunkingResult r in results)
            {
                text.AppendLine(string.Format(System.Globalization.CultureInfo.InvariantCulture, "| {0} ms | {1} KB | {2} | {3} | {4} | {5:F0} | {6:F0} | {7:F2}x |", r.RoundTripMs, r.AttachmentBytes / 1000, r.Recipients, r.DataRoundTrips, r.BdatRoundTrips, r.DataMs, r.BdatMs, r.BdatMs / r.DataMs));
            }

            text.AppendLine();
            text.AppendLine("The firmware's send path with smtp.chunking=off (DATA) and auto (BDAT), AUTH PLAIN, median of " + runs + " sends each after one warm-up, taking turns; round trips counted by the proxy from the greeting to the reply to QUIT.");
            return text.ToString();
        }
    }
}
