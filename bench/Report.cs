using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace NetBoard.Bench
{
    /// <summary>Everything one run measured, and its markdown.</summary>
    internal sealed class Report
    {
        // What the firmware allocates per job and that grows with nothing (read from the code; sizes in bytes).
        private static readonly string[][] Buffers =
        {
            new[] { "SmtpSession output buffer (commands, message blocks)", "4096", "firmware/Smtp/SmtpSession.cs" },
            new[] { "MessageComposer document chunk (48 base64 lines of input)", "2736", "firmware/Mime/MessageComposer.cs" },
            new[] { "MessageComposer header lines (one array per line, each < 1000)", "< 1000 each, about 1 KB in all", "firmware/Mime/MessageComposer.cs" },
            new[] { "SmtpReplyReader reply line", "512", "firmware/Smtp/SmtpReplyReader.cs" },
            new[] { "SessionTransfer receive buffer", "512", "firmware/Net/SessionTransfer.cs" },
            new[] { "strings: commands, reply texts, journal line", "< 600 each", "firmware/Smtp/SmtpSession.cs" },
        };

        public Report(MachineInfo machine, Options options, string labNote)
        {
            Machine = machine;
            Options = options;
            LabNote = labNote;
        }

        public MachineInfo Machine { get; }

        public Options Options { get; }

        public string LabNote { get; }

        public List<SendResult> Sends { get; set; }

        public WriteResult[] Writes { get; set; }

        public CryptoResult[] Crypto { get; set; }

        public CryptoResult[] ShaCrypto { get; set; }

        public ScramResult[] Scram { get; set; }

        public DeviceEstimate[] Device { get; set; }

        public DelayResult[] Delays { get; set; }

        public SchedulerResult Scheduler { get; set; }

        public double ElapsedSeconds { get; set; }

        public string LoadAverage { get; set; }

        public SendResult Find(string client, string server, int size)
        {
            foreach (SendResult r in Sends)
            {
                if (r.Client == client && r.Server == server && r.SizeBytes == size)
                {
                    return r;
                }
            }

            return null;
        }

        public static string SizeLabel(int size)
        {
            return size >= 1_000_000 ? (size / 1_000_000) + " MB" : (size / 1000) + " KB";
        }

        public string ToMarkdown(string chartFile)
        {
            CultureInfo inv = CultureInfo.InvariantCulture;
            StringBuilder md = new StringBuilder();
            md.AppendLine("# Benchmark results");
            md.AppendLine();
            md.AppendLine("Machine: " + Machine.Describe() + ".  ");
            md.AppendLine("Command: `" + Options.CommandLine() + "` (" + ElapsedSeconds.ToString("F0", inv) + " s; " + Options.Runs + " runs per row after " + Options.Warmups + " warm-up, medians).  ");
            md.AppendLine("Load average (1 min): " + LoadAverage + ".  ");
            md.AppendLine("Lab: " + LabNote + ".");
            md.AppendLine();
            md.AppendLine("## Sending a scan (attachment of random bytes, base64 in multipart/mixed)");
            md.AppendLine();
            md.AppendLine("Throughput is attachment MB (10^6 bytes) per second from connect to the reply to QUIT. Allocation is per job:");
            md.AppendLine("*thread* = `GC.GetAllocatedBytesForCurrentThread` of the sending thread, *process* = `GC.GetTotalAllocatedBytes(true)`");
            md.AppendLine("(the in-process sink's own allocation taken out). The firmware row runs the host build (host `TcpConnector`, its");
            md.AppendLine("background connect included in *process*); *firmware core* runs the same code over an in-memory connection, i.e.");
            md.AppendLine("what the device's managed heap sees. Both clients build the message inside the job.");
            md.AppendLine();
            md.AppendLine("| server | size | firmware MB/s | MailKit MB/s | firmware / MailKit | firmware alloc/job thread / process | MailKit alloc/job thread / process |");
            md.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
            foreach (string server in new[] { ThroughputBench.SinkServerName, ThroughputBench.LabServerName })
            {
                foreach (int size in Options.Sizes)
                {
                    SendResult fw = Find(ThroughputBench.Firmware, server, size);
                    SendResult mk = Find(ThroughputBench.MailKit, server, size);
                    if (fw == null || mk == null)
                    {
                        continue;
                    }

                    md.AppendLine(ThroughputRow(server, size, fw, mk));
                }
            }

            foreach (int size in Options.Sizes)
            {
                // The same Postfix with the message sent by DATA: what CHUNKING changes at full speed.
                SendResult data = Find(ThroughputBench.FirmwareData, ThroughputBench.LabServerName, size);
                SendResult mk = Find(ThroughputBench.MailKit, ThroughputBench.LabServerName, size);
                if (data != null && mk != null)
                {
                    md.AppendLine(ThroughputRow(ThroughputBench.LabServerName + ", DATA (smtp.chunking=off)", size, data, mk));
                }
            }

            if (Find(ThroughputBench.Firmware, ThroughputBench.LabServerName, Options.Sizes[0]) == null)
            {
                md.AppendLine("| lab | - | skipped | skipped | - | - | - |");
            }

            foreach (int size in Options.Sizes)
            {
                SendResult core = Find(ThroughputBench.FirmwareInMemory, ThroughputBench.MemoryServerName, size);
                if (core != null)
                {
                    md.AppendLine(string.Format(inv, "| {0} (firmware core) | {1} | {2:F1} | - | - | {3} / {4} | - |", ThroughputBench.MemoryServerName, SizeLabel(size), core.MedianMBps, Kb(core.ThreadAllocBytes), Kb(core.ProcessAllocBytes)));
                }
            }

            md.AppendLine();
            md.AppendLine("![throughput and allocation by size](" + chartFile + ")");
            md.AppendLine();
            if (Writes != null)
            {
                md.Append(WritesMarkdown(Writes));
                md.AppendLine();
            }

            md.AppendLine("Buffers the firmware allocates per job (from the code; none grows with the document):");
            md.AppendLine();
            md.AppendLine("| buffer | bytes | where |");
            md.AppendLine("| --- | ---: | --- |");
            foreach (string[] b in Buffers)
            {
                md.AppendLine("| " + b[0] + " | " + b[1] + " | `" + b[2] + "` |");
            }

            md.AppendLine();
            md.Append(CryptoMarkdown());

            md.AppendLine();
            md.AppendLine("## POP-before-SMTP delay on the host timer (HostOneShotTimer, requested " + Options.DelayMs + " ms)");
            md.AppendLine();
            md.AppendLine("| how HasFired is polled | samples | p50 error | p99 error | max error |");
            md.AppendLine("| --- | ---: | ---: | ---: | ---: |");
            foreach (DelayResult d in Delays)
            {
                md.AppendLine(string.Format(inv, "| {0} | {1} | {2:F3} ms | {3:F3} ms | {4:F3} ms |", d.Name, d.Samples, d.P50ErrorMs, d.P99ErrorMs, d.MaxErrorMs));
            }

            md.AppendLine();
            md.AppendLine("## Cooperative scheduler");
            md.AppendLine();
            md.AppendLine(string.Format(inv, "{0:F1} ns per step with three ready tasks whose step does nothing; {1:F1} ns per pass when the three tasks sleep (nothing due).", Scheduler.NsPerStep, Scheduler.NsPerIdlePass));
            md.AppendLine();
            md.AppendLine("## Targets");
            md.AppendLine();
            foreach (string line in Targets())
            {
                md.AppendLine("- " + line);
            }

            return md.ToString();
        }

        /// <summary>The socket writes of one send per client.</summary>
        public static string WritesMarkdown(WriteResult[] writes)
        {
            CultureInfo inv = CultureInfo.InvariantCulture;
            StringBuilder md = new StringBuilder();
            md.AppendLine("| socket writes, one send of a " + SizeLabel(writes[0].SizeBytes) + " attachment to the in-process sink | writes | octets per write | writes per MB sent |");
            md.AppendLine("| --- | ---: | ---: | ---: |");
            foreach (WriteResult w in writes)
            {
                md.AppendLine(string.Format(inv, "| {0} | {1} | {2:F0} | {3:F0} |", w.Client, w.Writes, w.OctetsPerWrite, w.WritesPerMB));
            }

            return md.ToString();
        }

        /// <summary>The MD5, SHA/PBKDF2 and SCRAM sections, with the device estimate.</summary>
        public string CryptoMarkdown()
        {
            CultureInfo inv = CultureInfo.InvariantCulture;
            StringBuilder md = new StringBuilder();
            md.AppendLine("## MD5 and HMAC-MD5 (firmware/Crypto against .NET's native MD5 / HMACMD5)");
            md.AppendLine();
            CryptoTable(md, Crypto);
            md.AppendLine();
            md.AppendLine("## SHA-1, SHA-256, HMAC and PBKDF2 (firmware/Crypto against .NET's SHA1 / SHA256 / HMACSHA256 / Rfc2898DeriveBytes.Pbkdf2)");
            md.AppendLine();
            CryptoTable(md, ShaCrypto);
            md.AppendLine();
            md.AppendLine("## SCRAM login, client side (client-first, proof, server signature; server messages made beforehand)");
            md.AppendLine();
            md.AppendLine("| mechanism | salted password derived (PBKDF2, " + ScramBench.Iterations + " iterations) | salted password from the cache (credential store on disk) | saving |");
            md.AppendLine("| --- | ---: | ---: | ---: |");
            foreach (ScramResult r in Scram)
            {
                md.AppendLine(string.Format(inv, "| {0} | {1:F3} ms | {2:F3} ms | {3:F0}x |", r.Mechanism, r.DeriveMs, r.CachedMs, r.DeriveMs / r.CachedMs));
            }

            md.AppendLine();
            md.AppendLine("## The device (an estimate, not a measurement)");
            md.AppendLine();
            md.AppendLine("| compression | IL instructions per 64-byte block (counted) | blocks per uncached login | IL instructions per uncached login |");
            md.AppendLine("| --- | ---: | ---: | ---: |");
            foreach (DeviceEstimate d in Device)
            {
                md.AppendLine(string.Format(inv, "| {0} | {1:N0} | {2:N0} | {3:N0} |", d.Name, d.IlPerBlock, d.BlocksPerLogin, d.IlPerBlock * d.BlocksPerLogin));
            }

            return md.ToString();
        }

        private static void CryptoTable(StringBuilder md, CryptoResult[] results)
        {
            CultureInfo inv = CultureInfo.InvariantCulture;
            md.AppendLine("| what | firmware | .NET native | firmware slower by |");
            md.AppendLine("| --- | ---: | ---: | ---: |");
            foreach (CryptoResult c in results)
            {
                md.AppendLine(string.Format(inv, "| {0} | {1:F2} {3} | {2:F2} {3} | {4:F2}x |", c.Name, c.Firmware, c.Native, c.Unit, c.Slowdown));
            }
        }

        /// <summary>One row of the throughput table: the firmware sender against MailKit to the same server.</summary>
        private static string ThroughputRow(string server, int size, SendResult fw, SendResult mk)
        {
            return string.Format(CultureInfo.InvariantCulture, "| {0} | {1} | {2:F1} | {3:F1} | **{4:F2}x** | {5} / {6} | {7} / {8} |", server, SizeLabel(size), fw.MedianMBps, mk.MedianMBps, fw.MedianMBps / mk.MedianMBps, Kb(fw.ThreadAllocBytes), Kb(fw.ProcessAllocBytes), Kb(mk.ThreadAllocBytes), Kb(mk.ProcessAllocBytes));
        }

        private IEnumerable<string> Targets()
        {
            CultureInfo inv = CultureInfo.InvariantCulture;
            int largest = Options.Sizes[Options.Sizes.Length - 1];
            foreach (string server in new[] { ThroughputBench.SinkServerName, ThroughputBench.LabServerName })
            {
                SendResult fw = Find(ThroughputBench.Firmware, server, largest);
                SendResult mk = Find(ThroughputBench.MailKit, server, largest);
                if (fw != null && mk != null)
                {
                    double ratio = fw.MedianMBps / mk.MedianMBps;
                    yield return string.Format(inv, "throughput >= 1.0x MailKit at {0}, {1}: {2:F2}x, {3}", SizeLabel(largest), server, ratio, ratio >= 1.0 ? "met" : "missed");
                }
            }

            double worstCore = 0;
            double worstHost = 0;
            foreach (SendResult r in Sends)
            {
                if (r.Client == ThroughputBench.FirmwareInMemory)
                {
                    worstCore = Math.Max(worstCore, r.ProcessAllocBytes);
                }
                else if (r.Client == ThroughputBench.Firmware || r.Client == ThroughputBench.FirmwareData)
                {
                    worstHost = Math.Max(worstHost, r.ProcessAllocBytes);
                }
            }

            yield return string.Format(inv, "allocation <= 16 KB per job at every size: firmware core at most {0}, {1}; host build (with the host socket HAL) at most {2}, {3}", Kb(worstCore), worstCore <= 16384 ? "met" : "missed", Kb(worstHost), worstHost <= 16384 ? "met" : "missed");
            yield return "no buffer larger than 4 KB per job: largest is the 4096-byte SMTP output buffer, met";
            CryptoResult md5 = Crypto[0];
            yield return string.Format(inv, "MD5 within 3x of .NET's native: {0:F2}x, {1}", md5.Slowdown, md5.Slowdown <= 3 ? "met" : "missed");
            foreach (CryptoResult c in ShaCrypto)
            {
                if (c.Name.StartsWith("SHA-256", StringComparison.Ordinal) || c.Name.StartsWith("PBKDF2", StringComparison.Ordinal))
                {
                    yield return string.Format(inv, "{0} within 3x of .NET's native: {1:F2}x, {2}", c.Name, c.Slowdown, c.Slowdown <= 3 ? "met" : "missed");
                }
            }
            DelayResult delay = Delays[0];
            yield return string.Format(inv, "POP-before-SMTP delay p99 error <= 2 ms on host: {0:F3} ms through the scheduler, {1}", delay.P99ErrorMs, delay.P99ErrorMs <= 2 ? "met" : "missed");
        }

        private static string Kb(double bytes)
        {
            return (bytes / 1024).ToString("F1", CultureInfo.InvariantCulture) + " KB";
        }
    }
}
