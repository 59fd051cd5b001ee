using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;

namespace NetBoard.Bench
{
    /// <summary>
    /// `dotnet run -c Release --project bench -- [--quick] [--out DIR] [--runs N] [--sizes B,B,...] [--send-wait yield|sleep|spin] [--no-lab] [--no-lab-start] [--only-crypto] [--latency] [--writes] [--oauth] [--web]`:
    /// the firmware's send path against MailKit (throughput and allocation per job), MD5/HMAC-MD5,
    /// SHA-1/SHA-256/HMAC/PBKDF2 against .NET, a SCRAM login with and without the salted-password cache,
    /// the POP-before-SMTP delay on the host timer and the scheduler's cost per step.
    /// Writes DIR/latest.md and DIR/latest.png (default DIR: bench/results); --only-crypto prints the
    /// crypto and SCRAM sections alone and writes nothing.
    /// </summary>
    internal static class Program
    {
        public static int Main(string[] args)
        {
            Options options;
            try
            {
                options = Options.Parse(args);
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine("netboard-bench: " + e.Message);
                Console.Error.WriteLine("usage: dotnet run -c Release --project bench -- [--quick] [--out DIR] [--runs N] [--sizes B,B,...] [--send-wait yield|sleep|spin] [--no-lab] [--no-lab-start] [--only-crypto] [--latency] [--writes] [--oauth] [--web]");
                return 2;
            }

            TextWriterLog log = new TextWriterLog(Console.Out);
            Stopwatch total = Stopwatch.StartNew();
            string repoRoot = FindRepoRoot();
            string outDir = options.OutDir ?? Path.Combine(repoRoot ?? Directory.GetCurrentDirectory(), "bench", "results");
            Directory.CreateDirectory(outDir);
            MachineInfo machine = MachineInfo.Read();
            log.Line("machine: " + machine.Describe());
            string loadBefore = MachineInfo.LoadAverage();
            if (!Stopwatch.IsHighResolution)
            {
                log.Line("warning: Stopwatch is not high-resolution on this machine");
            }

            if (options.OAuth)
            {
                string table = OAuthBench.Run(options.Runs, options.Warmups, log);
                File.WriteAllText(Path.Combine(outDir, "oauth.md"), "# Allocation of an OAuth 2.0 send\n\n" + table);
                Console.WriteLine();
                Console.WriteLine(table);
                return 0;
            }

            if (options.OnlyCrypto)
            {
                Report cryptoOnly = new Report(machine, options, "not used (--only-crypto)");
                RunCrypto(cryptoOnly, options, log);
                Console.WriteLine();
                Console.WriteLine(cryptoOnly.CryptoMarkdown());
                return 0;
            }

            Lab lab = null;
            string labNote;
            if (options.NoLab)
            {
                labNote = "skipped (--no-lab)";
            }
            else
            {
                lab = Lab.Open(repoRoot, !options.NoLabStart);
                labNote = lab == null ? "not available: " + Lab.SkipReason + "; its rows are skipped" : "127.0.0.1:" + lab.Port + " (SMTP_NOAUTH_PORT)";
            }

            log.Line("lab: " + labNote);
            if (options.Writes)
            {
                using (SinkServer sink = new SinkServer())
                {
                    log.Line("socket writes of one 1 MB send (in-process sink)");
                    Console.WriteLine(Report.WritesMarkdown(WriteBench.Run(1_000_000, sink, log)));
                }

                return 0;
            }

            if (options.Latency)
            {
                return RunLatency(lab, options, log, outDir);
            }

            if (options.Web)
            {
                return RunWebLoad(lab, options, log, outDir);
            }

            Report report = new Report(machine, options, labNote);
            try
            {
                using (SinkServer sink = new SinkServer())
                {
                    log.Line("sending (" + options.Runs + " runs after " + options.Warmups + " warm-up per row)");
                    report.Sends = ThroughputBench.Run(options.Sizes, options.Runs, options.Warmups, sink, lab, log);
                    log.Line("socket writes of one 1 MB send (in-process sink)");
                    report.Writes = WriteBench.Run(1_000_000, sink, log);
                }
            }
            finally
            {
                if (lab != null)
                {
                    lab.Close();
                }
            }

            RunCrypto(report, options, log);

            log.Line("scheduler");
            report.Scheduler = SchedulerBench.Run(options.SchedulerSamples);
            log.Line(string.Format("  {0:F1} ns per step (3 ready no-op tasks), {1:F1} ns per pass (3 sleeping tasks)", report.Scheduler.NsPerStep, report.Scheduler.NsPerIdlePass));

            log.Line("POP-before-SMTP delay (" + options.DelaySamples + " samples of " + Options.DelayMs + " ms)");
            report.Delays = DelayBench.Run(Options.DelayMs, options.DelaySamples, options.TimerSamples);
            foreach (DelayResult d in report.Delays)
            {
                log.Line(string.Format("  {0,-56} p50 {1:F3} ms  p99 {2:F3} ms  max {3:F3} ms  (n={4})", d.Name, d.P50ErrorMs, d.P99ErrorMs, d.MaxErrorMs, d.Samples));
            }

            report.ElapsedSeconds = total.Elapsed.TotalSeconds;
            report.LoadAverage = loadBefore + " at the start, " + MachineInfo.LoadAverage() + " at the end";
            string markdown = Path.Combine(outDir, "latest.md");
            string chart = Path.Combine(outDir, "latest.png");
            Chart.Write(report, chart);
            File.WriteAllText(markdown, report.ToMarkdown(Path.GetFileName(chart)));
            Console.WriteLine();
            Console.WriteLine(report.ToMarkdown(Path.GetFileName(chart)));
            log.Line("wrote " + markdown + " and " + chart + " in " + report.ElapsedSeconds.ToString("F0") + " s");
            return 0;
        }

        private static void RunCrypto(Report report, Options options, TextWriterLog log)
        {
            log.Line("MD5 / HMAC-MD5");
            report.Crypto = CryptoBench.Run(options.CryptoSamples);
            LogCrypto(report.Crypto, log);
            log.Line("SHA-1 / SHA-256 / HMAC / PBKDF2");
            report.ShaCrypto = ScramBench.RunCrypto(options.CryptoSamples);
            LogCrypto(report.ShaCrypto, log);
            log.Line("SCRAM logins (client side)");
            report.Scram = ScramBench.RunLogins(options.CryptoSamples);
            foreach (ScramResult r in report.Scram)
            {
                log.Line(string.Format("  {0,-14} derive {1,8:F3} ms  cached {2,8:F3} ms", r.Mechanism, r.DeriveMs, r.CachedMs));
            }

            report.Device = ScramBench.CountIl();
        }

        private static void LogCrypto(CryptoResult[] results, TextWriterLog log)
        {
            foreach (CryptoResult c in results)
            {
                log.Line(string.Format("  {0,-42} firmware {1,9:F2} {3}  .NET {2,9:F2} {3}  ({4:F2}x)", c.Name, c.Firmware, c.Native, c.Unit, c.Slowdown));
            }
        }

        private static int RunLatency(Lab lab, Options options, TextWriterLog log, string outDir)
        {
            if (lab == null || lab.AuthPort == 0)
            {
                log.Line("the latency table needs the lab's AUTH port");
                return 1;
            }

            try
            {
                int runs = options.Quick ? 3 : options.LatencyRuns;
                log.Line("latency (delay proxy in front of 127.0.0.1:" + lab.AuthPort + ", " + runs + " runs per row)");
                List<LatencyResult> rows = LatencyBench.Run(lab, runs, log);
                string markdown = LatencyBench.ToMarkdown(rows, runs);
                log.Line("CHUNKING (the firmware with smtp.chunking off and auto, AUTH PLAIN, " + runs + " runs per row)");
                markdown += Environment.NewLine + ChunkingBench.ToMarkdown(ChunkingBench.Run(lab, runs, log), runs);
                File.WriteAllText(Path.Combine(outDir, "latency.md"), markdown);
                Console.WriteLine();
                Console.WriteLine(markdown);
                return 0;
            }
            finally
            {
                lab.Close();
            }
        }

        private static int RunWebLoad(Lab lab, Options options, TextWriterLog log, string outDir)
        {
            if (lab == null || lab.AuthPort == 0 || lab.PopPort == 0 || lab.ScanUser == null)
            {
                log.Line("the web-load table needs the lab's AUTH and POP3 ports and its scan account");
                return 1;
            }

            try
            {
                int sends = options.Quick ? 5 : options.WebSends;
                log.Line("web load (" + sends + " sends per condition with POP before SMTP, " + WebLoadBench.DelayMs + " ms wait)");
                string pageNote;
                List<WebLoadResult> rows = WebLoadBench.Run(lab, sends, log, out pageNote);
                string markdown = WebLoadBench.ToMarkdown(rows, pageNote);
                File.WriteAllText(Path.Combine(outDir, "web.md"), markdown);
                Console.WriteLine();
                Console.WriteLine(markdown);
                return 0;
            }
            finally
            {
                lab.Close();
            }
        }

        private static string FindRepoRoot()
        {
            foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            {
                DirectoryInfo dir = new DirectoryInfo(start);
                while (dir != null)
                {
                    if (File.Exists(Path.Combine(dir.FullName, "NetBoard.Host.sln")))
                    {
                        return dir.FullName;
                    }

                    dir = dir.Parent;
                }
            }

            return null;
        }
    }

    internal sealed class Options
    {
        public const int DelayMs = 300;

        public bool Quick { get; private set; }

        /// <summary>--latency: only the latency table (delay proxy, round trips, ratio against MailKit).</summary>
        public bool Latency { get; private set; }

        /// <summary>--writes: only the socket writes of one 1 MB send per client (in-process sink), printed.</summary>
        public bool Writes { get; private set; }
        /// <summary>--web: only the web-load table (POP-before-SMTP wait and SMTP rate with and without the page polled).</summary>
        public bool Web { get; private set; }

        /// <summary>Sends per condition of the web-load table.</summary>
        public int WebSends { get; private set; } = 30;

        /// <summary>Sends per client and row of the latency table.</summary>
        public int LatencyRuns { get; private set; } = 5;

        public string OutDir { get; private set; }

        public bool NoLab { get; private set; }

        public bool NoLabStart { get; private set; }

        public bool OnlyCrypto { get; private set; }

        /// <summary>--oauth: only the allocation of an OAuth 2.0 send against one without AUTH.</summary>
        public bool OAuth { get; private set; }

        public int Runs { get; private set; } = 9;

        public int Warmups { get; private set; } = 2;

        public int[] Sizes { get; private set; } = { 100_000, 1_000_000, 10_000_000 };

        public int CryptoSamples { get; private set; } = 9;

        public int SchedulerSamples { get; private set; } = 9;

        public int DelaySamples { get; private set; } = 50;

        public int TimerSamples { get; private set; } = 20;

        public static Options Parse(string[] args)
        {
            Options o = new Options();
            int runs = 0;
            for (int i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--quick":
                        o.Quick = true;
                        break;
                    case "--out":
                        if (++i >= args.Length)
                        {
                            throw new ArgumentException("--out needs a folder");
                        }

                        o.OutDir = args[i];
                        break;
                    case "--runs":
                        if (++i >= args.Length || !int.TryParse(args[i], out runs) || runs < 1 || runs > 100)
                        {
                            throw new ArgumentException("--runs needs a number from 1 to 100");
                        }

                        break;
                    case "--send-wait":
                        if (++i >= args.Length || (args[i] != "yield" && args[i] != "sleep" && args[i] != "spin"))
                        {
                            throw new ArgumentException("--send-wait needs yield, sleep or spin");
                        }

                        FirmwareSender.SendWait = args[i];
                        break;
                    case "--sizes":
                        if (++i >= args.Length)
                        {
                            throw new ArgumentException("--sizes needs a list of byte counts, e.g. 100000,1000000");
                        }

                        try
                        {
                            o.Sizes = Array.ConvertAll(args[i].Split(','), int.Parse);
                        }
                        catch (FormatException)
                        {
                            throw new ArgumentException("--sizes needs a list of byte counts, e.g. 100000,1000000");
                        }
                        break;
                    case "--writes":
                        o.Writes = true;
                        break;
                    case "--oauth":
                        o.OAuth = true;
                        break;
                    case "--latency":
                        o.Latency = true;
                        break;
                    case "--web":
                        o.Web = true;
                        break;
                    case "--no-lab":
                        o.NoLab = true;
                        break;
                    case "--no-lab-start":
                        o.NoLabStart = true;
                        break;
                    case "--only-crypto":
                        o.OnlyCrypto = true;
                        break;
                    default:
                        throw new ArgumentException("unknown argument: " + args[i]);
                }
            }

            if (o.Quick)
            {
                o.Runs = 3;
                o.Warmups = 1;
                o.CryptoSamples = 3;
                o.SchedulerSamples = 3;
                o.DelaySamples = 10;
                o.TimerSamples = 5;
            }

            if (runs > 0)
            {
                o.Runs = runs;
                o.WebSends = runs;
            }

            return o;
        }

        public string CommandLine()
        {
            string text = "dotnet run -c Release --project bench --";
            if (Quick)
            {
                text += " --quick";
            }

            return text;
        }
    }

    internal sealed class TextWriterLog
    {
        private readonly TextWriter _writer;
        private readonly Stopwatch _clock = Stopwatch.StartNew();

        public TextWriterLog(TextWriter writer)
        {
            _writer = writer;
        }

        public void Line(string text)
        {
            _writer.WriteLine(string.Format("[{0,6:F1} s] {1}", _clock.Elapsed.TotalSeconds, text));
            _writer.Flush();
        }
    }

    internal sealed class MachineInfo
    {
        public string Cpu { get; private set; }

        public int Cores { get; private set; }

        public string Runtime { get; private set; }

        public string Os { get; private set; }

        /// <summary>The 1-minute load average, which says how much else ran on the machine.</summary>
        public static string LoadAverage()
        {
            try
            {
                return File.ReadAllText("/proc/loadavg").Split(' ')[0];
            }
            catch (IOException)
            {
                return "?";
            }
        }

        public static MachineInfo Read()
        {
            string cpu = "unknown CPU";
            try
            {
                foreach (string line in File.ReadLines("/proc/cpuinfo"))
                {
                    if (line.StartsWith("model name", StringComparison.Ordinal))
                    {
                        cpu = line.Substring(line.IndexOf(':') + 1).Trim();
                        break;
                    }
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }

            return new MachineInfo
            {
                Cpu = cpu,
                Cores = Environment.ProcessorCount,
                Runtime = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
                Os = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
            };
        }

        public string Describe()
        {
            return Cores + " cores, " + Cpu + ", " + Runtime + ", " + Os;
        }
    }
}
