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

        /// <summary>True for the rows with a POP login (USER/PASS) and the 300 ms delay before the send.</summary>
        public bool PopBeforeSmtp { get; set; }

        public int FirmwarePopRoundTrips { get; set; }

        public int MailKitPopRoundTrips { get; set; }

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

        internal static readonly string[] OneRecipient = { "scan@lab.test" };
        internal static readonly string[] ThreeRecipients = { "scan@lab.test", "cram@lab.test", "hashed@lab.test" };

        public static List<LatencyResult> Run(Lab lab, int runs, TextWriterLog log)
        {
            List<LatencyResult> results = new List<LatencyResult>();
            byte[] attachment = new byte[AttachmentBytes];
            new Random(20261204).NextBytes(attachment);
            BenchMessage message = new BenchMessage(attachment);
            foreach (int rtt in new[] { 0, 50, 150 })
            {
                using (DelayProxy proxy = new DelayProxy(lab.AuthPort, rtt))
                using (DelayProxy popProxy = new DelayProxy(lab.PopPort, rtt))
                {
                    foreach (bool pop in lab.PopPort == 0 ? new[] { false } : new[] { false, true })
                    {
                        foreach (string[] to in new[] { OneRecipient, ThreeRecipients })
                        {
                            foreach (string mechanism in new[] { "PLAIN", "CRAM-MD5" })
                            {
                                results.Add(Row(proxy, pop ? popProxy : null, rtt, to, mechanism, message, runs, log));
                            }
                        }
                    }
                }

                lab.Reset();
            }

            return results;
        }

        private static LatencyResult Row(DelayProxy proxy, DelayProxy popProxy, int rtt, string[] to, string mechanism, BenchMessage message, int runs, TextWriterLog log)
        {
            bool plain = mechanism == "PLAIN";
            string user = plain ? "scan@lab.test" : "cram@lab.test";
            string password = plain ? "scan-Secret-1" : "cram-Secret-2";
            int popPort = popProxy == null ? 0 : popProxy.Port;
            FirmwareSender firmware = new FirmwareSender(new NetBoard.Hal.Host.TcpConnector(), proxy.Port, plain ? "plain" : "cram-md5", user, password, to, popPort);
            MailKitSender mailkit = new MailKitSender(proxy.Port, mechanism, user, password, to, popPort, Options.DelayMs);
            LatencyResult row = new LatencyResult { RoundTripMs = rtt, Recipients = to.Length, Mechanism = mechanism, PopBeforeSmtp = popProxy != null };
            List<double> fw = new List<double>();
            List<double> mk = new List<double>();
            for (int i = 0; i <= runs; i++)
            {
                double f = Time(() => firmware.Send(message));
                row.FirmwareRoundTrips = proxy.RoundTrips;
                row.FirmwarePopRoundTrips = popProxy == null ? 0 : popProxy.RoundTrips;
                double m = Time(() => mailkit.Send(message));
                row.MailKitRoundTrips = proxy.RoundTrips;
                row.MailKitPopRoundTrips = popProxy == null ? 0 : popProxy.RoundTrips;
                if (i > 0)
                {
                    fw.Add(f);
                    mk.Add(m);
                }
            }

            row.FirmwareMs = Stats.Median(fw.ToArray());
            row.MailKitMs = Stats.Median(mk.ToArray());
            log.Line(string.Format("  RTT {0,3} ms, {1} recipient(s), {2,-8}{3}: firmware {4} round trips {5,7:F0} ms, MailKit {6} round trips {7,7:F0} ms, ratio {8:F2}", rtt, to.Length, mechanism, row.PopBeforeSmtp ? " + POP" : "      ", RoundTrips(row.FirmwarePopRoundTrips, row.FirmwareRoundTrips), row.FirmwareMs, RoundTrips(row.MailKitPopRoundTrips, row.MailKitRoundTrips), row.MailKitMs, row.Ratio));
            return row;
        }

        private static string RoundTrips(int pop, int smtp)
        {
            return pop == 0 ? smtp.ToString() : pop + " + " + smtp;
        }

        public static string ToMarkdown(List<LatencyResult> results, int runs)
        {
            StringBuilder text = new StringBuilder();
            text.AppendLine("| RTT | recipients | AUTH | POP before SMTP | firmware round trips | MailKit round trips | firmware ms | MailKit ms | firmware / MailKit |");
            text.AppendLine("| ---: | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |");
            foreach (LatencyResult r in results)
            {
                text.AppendLine(string.Format(System.Globalization.CultureInfo.InvariantCulture, "| {0} ms | {1} | {2} | {3} | {4} | {5} | {6:F0} | {7:F0} | {8:F2}x |", r.RoundTripMs, r.Recipients, r.Mechanism, r.PopBeforeSmtp ? "yes" : "no", RoundTrips(r.FirmwarePopRoundTrips, r.FirmwareRoundTrips), RoundTrips(r.MailKitPopRoundTrips, r.MailKitRoundTrips), r.FirmwareMs, r.MailKitMs, r.Ratio));
            }

            text.AppendLine();
            text.AppendLine("Median of " + runs + " sends per client after one warm-up, " + AttachmentBytes + "-byte attachment, lab Postfix AUTH port behind the delay proxy; round trips counted by the proxy from the greeting to the reply to QUIT (POP + SMTP on the POP rows).");
            text.AppendLine("POP rows: USER/PASS login to the lab's Dovecot behind a second delay proxy, then the " + Options.DelayMs + " ms delay counted from the accepted login for both clients; the times include login and delay.");
            return text.ToString();
        }

        /// <summary>Milliseconds one send takes.</summary>
        internal static double Time(Action send)
        {
            Stopwatch sw = Stopwatch.StartNew();
            send();
            return sw.Elapsed.TotalMilliseconds;
        }
    }
}
