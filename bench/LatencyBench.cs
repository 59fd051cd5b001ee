using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;

namespace NetBoard.Bench
{
    /// <summary>One row of the latency table: one round-trip time, recipient count and mechanism.</summary>
    internal sealed class LatencyResult
    {
        public int RoundTripMs { get; set; }

        public int Recipients { get; set; }

        public string Mechanism { get; set; }

        public int FirmwareRoundTrips { get; set; }

        public int MailKitRoundTrips { get; set; }

        public double FirmwareMs { get; set; }

        public double MailKitMs { get; set; }

        public double Ratio
        {
            get { return FirmwareMs / MailKitMs; }
        }
    }

    /// <summary>
    /// Send time and round trips through a <see cref="DelayProxy"/> in front of the lab's Postfix (AUTH port,
    /// which announces PIPELINING): the firmware's send path and MailKit in the same run, taking turns.
    /// </summary>
    internal static class LatencyBench
    {
        public const int AttachmentBytes = 100000;

        private static readonly string[] OneRecipient = { "scan@lab.test" };
        private static readonly string[] ThreeRecipients = { "scan@lab.test", "cram@lab.test", "hashed@lab.test" };

        public static List<LatencyResult> Run(Lab lab, int runs, TextWriterLog log)
        {
            List<LatencyResult> results = new List<LatencyResult>();
            byte[] attachment = new byte[AttachmentBytes];
            new Random(20261204).NextBytes(attachment);
            BenchMessage message = new BenchMessage(attachment);
            foreach (int rtt in new[] { 0, 50, 150 })
            {
                using (DelayProxy proxy = new DelayProxy(lab.AuthPort, rtt))
                {
                    foreach (string[] to in new[] { OneRecipient, ThreeRecipients })
                    {
                        foreach (string mechanism in new[] { "PLAIN", "CRAM-MD5" })
                        {
                            bool plain = mechanism == "PLAIN";
                            string user = plain ? "scan@lab.test" : "cram@lab.test";
                            string password = plain ? "scan-Secret-1" : "cram-Secret-2";
                            FirmwareSender firmware = new FirmwareSender(new NetBoard.Hal.Host.TcpConnector(), proxy.Port, plain ? "plain" : "cram-md5", user, password, to);
                            MailKitSender mailkit = new MailKitSender(proxy.Port, mechanism, user, password, to);
                            LatencyResult row = new LatencyResult { RoundTripMs = rtt, Recipients = to.Length, Mechanism = mechanism };
                            List<double> fw = new List<double>();
                            List<double> mk = new List<double>();
                            for (int i = 0; i <= runs; i++)
                            {
                                double f = Time(() => firmware.Send(message));
                                row.FirmwareRoundTrips = proxy.RoundTrips;
                                double m = Time(() => mailkit.Send(message));
                                row.MailKitRoundTrips = proxy.RoundTrips;
                                if (i > 0)
                                {
                                    fw.Add(f);
                                    mk.Add(m);
                                }
                            }

                            row.FirmwareMs = Median(fw);
                            row.MailKitMs = Median(mk);
                            results.Add(row);
                            log.Line(string.Format("  RTT {0,3} ms, {1} recipient(s), {2,-8}: firmware {3,2} round trips {4,7:F0} ms, MailKit {5,2} round trips {6,7:F0} ms, ratio {7:F2}", rtt, to.Length, mechanism, row.FirmwareRoundTrips, row.FirmwareMs, row.MailKitRoundTrips, row.MailKitMs, row.Ratio));
                        }
                    }
                }

                lab.Reset();
            }

            return results;
        }

        public static string ToMarkdown(List<LatencyResult> results, int runs)
        {
            StringBuilder text = new StringBuilder();
            text.AppendLine("| RTT | recipients | AUTH | firmware round trips | MailKit round trips | firmware ms | MailKit ms | firmware / MailKit |");
            text.AppendLine("| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |");
            foreach (LatencyResult r in results)
            {
                text.AppendLine(string.Format(System.Globalization.CultureInfo.InvariantCulture, "| {0} ms | {1} | {2} | {3} | {4} | {5:F0} | {6:F0} | {7:F2}x |", r.RoundTripMs, r.Recipients, r.Mechanism, r.FirmwareRoundTrips, r.MailKitRoundTrips, r.FirmwareMs, r.MailKitMs, r.Ratio));
            }

            text.AppendLine();
            text.AppendLine("Median of " + runs + " sends per client after one warm-up, " + AttachmentBytes + "-byte attachment, lab Postfix AUTH port behind the delay proxy; round trips counted by the proxy from the greeting to the reply to QUIT.");
            return text.ToString();
        }

        private static double Time(Action send)
        {
            Stopwatch sw = Stopwatch.StartNew();
            send();
            return sw.Elapsed.TotalMilliseconds;
        }

        private static double Median(List<double> values)
        {
            values.Sort();
            int n = values.Count;
            return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
        }
    }
}
