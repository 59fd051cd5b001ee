using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace NetBoard.Bench
{
    /// <summary>Medians of one client, one server and one attachment size.</summary>
    internal sealed class SendResult
    {
        public string Client { get; set; }

        public string Server { get; set; }

        public int SizeBytes { get; set; }

        public int Runs { get; set; }

        public double MedianMBps { get; set; }

        public double MinMBps { get; set; }

        public double MaxMBps { get; set; }

        /// <summary>Median bytes allocated by the sending thread per job.</summary>
        public double ThreadAllocBytes { get; set; }

        /// <summary>Median bytes allocated by the whole process per job (less the in-process sink's own).</summary>
        public double ProcessAllocBytes { get; set; }

        public double MaxProcessAllocBytes { get; set; }
    }

    /// <summary>
    /// Sends the same message N times per client, server and size (after a warm-up), the clients
    /// taking turns so that a drift of the machine hits both alike.
    /// </summary>
    internal static class ThroughputBench
    {
        public const string Firmware = "firmware";
        public const string FirmwareInMemory = "firmware core";
        public const string FirmwareData = "firmware, smtp.chunking=off";
        public const string MailKit = "MailKit 4.18.2";
        public const string SinkServerName = "in-process sink";
        public const string LabServerName = "lab Postfix (no-AUTH port)";
        public const string MemoryServerName = "in-memory (no socket)";

        public static List<SendResult> Run(int[] sizes, int runs, int warmups, SinkServer sink, Lab lab, TextWriterLog log)
        {
            List<SendResult> results = new List<SendResult>();
            Random random = new Random(20261129);
            foreach (int size in sizes)
            {
                byte[] attachment = new byte[size];
                random.NextBytes(attachment);
                BenchMessage message = new BenchMessage(attachment);

                // The firmware core alone, over an in-memory connection: its CPU cost and its own allocations.
                FirmwareSender memory = new FirmwareSender(new MemoryConnector(), 25);
                results.AddRange(Measure(new[] { FirmwareInMemory }, new Action[] { () => memory.Send(message) }, MemoryServerName, size, runs, warmups, null, null, log));

                FirmwareSender fwSink = new FirmwareSender(new NetBoard.Hal.Host.TcpConnector(), sink.Port);
                MailKitSender mkSink = new MailKitSender(sink.Port);
                results.AddRange(Measure(new[] { Firmware, MailKit }, new Action[] { () => fwSink.Send(message), () => mkSink.Send(message) }, SinkServerName, size, runs, warmups, sink, null, log));

                if (lab != null)
                {
                    // Postfix announces CHUNKING: the firmware's default sends BDAT there; smtp.chunking=off, DATA.
                    FirmwareSender fwLab = new FirmwareSender(new NetBoard.Hal.Host.TcpConnector(), lab.Port);
                    FirmwareSender fwLabData = new FirmwareSender(new NetBoard.Hal.Host.TcpConnector(), lab.Port, "off", null, null, new[] { BenchMessage.Recipient }, 0, "off");
                    MailKitSender mkLab = new MailKitSender(lab.Port);
                    results.AddRange(Measure(new[] { Firmware, FirmwareData, MailKit }, new Action[] { () => fwLab.Send(message), () => fwLabData.Send(message), () => mkLab.Send(message) }, LabServerName, size, runs, warmups, null, lab, log));
                }
            }

            return results;
        }

        /// <summary>The clients <paramref name="names"/> send in turn, their order reversed every other run.</summary>
        private static SendResult[] Measure(string[] names, Action[] sends, string server, int size, int runs, int warmups, SinkServer sink, Lab lab, TextWriterLog log)
        {
            int clients = sends.Length;
            double[][] mbps = new double[clients][];
            double[][] thread = new double[clients][];
            double[][] process = new double[clients][];
            for (int c = 0; c < clients; c++)
            {
                mbps[c] = new double[runs];
                thread[c] = new double[runs];
                process[c] = new double[runs];
            }

            for (int run = -warmups; run < runs; run++)
            {
                for (int k = 0; k < clients; k++)
                {
                    // Alternate which client goes first from run to run.
                    int c = (run & 1) == 0 ? k : clients - 1 - k;
                    Sample sample = Once(sends[c], size, sink, lab);
                    if (run >= 0)
                    {
                        mbps[c][run] = size / 1e6 / sample.Seconds;
                        thread[c][run] = sample.ThreadBytes;
                        process[c][run] = sample.ProcessBytes;
                    }
                }
            }

            SendResult[] results = new SendResult[clients];
            for (int c = 0; c < clients; c++)
            {
                results[c] = new SendResult
                {
                    Client = names[c],
                    Server = server,
                    SizeBytes = size,
                    Runs = runs,
                    MedianMBps = Stats.Median(mbps[c]),
                    MinMBps = Stats.Percentile(mbps[c], 0),
                    MaxMBps = Stats.Max(mbps[c]),
                    ThreadAllocBytes = Stats.Median(thread[c]),
                    ProcessAllocBytes = Stats.Median(process[c]),
                    MaxProcessAllocBytes = Stats.Max(process[c]),
                };
                log.Line(string.Format("  {0,-28} {1,-16} {2,10:N0} B  {3,8:F1} MB/s  alloc thread {4,9:N0} B  process {5,9:N0} B", server, names[c], size, results[c].MedianMBps, results[c].ThreadAllocBytes, results[c].ProcessAllocBytes));
            }

            return results;
        }

        private static Sample Once(Action send, int size, SinkServer sink, Lab lab)
        {
            long total0 = GC.GetTotalAllocatedBytes(true);
            long thread0 = GC.GetAllocatedBytesForCurrentThread();
            long start = Stopwatch.GetTimestamp();
            send();
            long end = Stopwatch.GetTimestamp();
            long thread1 = GC.GetAllocatedBytesForCurrentThread();
            long sinkBytes = 0;
            if (sink != null)
            {
                if (!sink.WaitConnectionDone(10000))
                {
                    throw new InvalidOperationException("the sink did not see the connection end");
                }

                sinkBytes = sink.LastConnectionAllocatedBytes;
                if (sink.LastConnectionDataOctets < size)
                {
                    throw new InvalidOperationException("the sink took only " + sink.LastConnectionDataOctets + " octets of message data");
                }
            }

            long total1 = GC.GetTotalAllocatedBytes(true);
            if (lab != null)
            {
                lab.WaitDeliveredAndClean(1);
            }

            return new Sample
            {
                Seconds = (double)(end - start) / Stopwatch.Frequency,
                ThreadBytes = thread1 - thread0,
                ProcessBytes = total1 - total0 - sinkBytes,
            };
        }

        private struct Sample
        {
            public double Seconds;
            public long ThreadBytes;
            public long ProcessBytes;
        }
    }
}
