using System;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Threading;
using NetBoard.Firmware.Crypto;
using NetBoard.Firmware.Scheduling;
using NetBoard.Hal.Host;

namespace NetBoard.Bench
{
    internal sealed class CryptoResult
    {
        public string Name { get; set; }

        public string Unit { get; set; }

        public double Firmware { get; set; }

        public double Native { get; set; }

        /// <summary>How many times slower the firmware is than .NET's native implementation.</summary>
        public double Slowdown { get; set; }
    }

    /// <summary>
    /// firmware/Crypto against .NET's MD5 and HMACMD5 (OpenSSL underneath on Linux): a Stopwatch loop,
    /// a warm-up, then the median of several samples of about 20 ms each. The digests are checked equal.
    /// </summary>
    internal static class CryptoBench
    {
        public static CryptoResult[] Run(int samples)
        {
            byte[] data = new byte[1 << 20];
            new Random(7).NextBytes(data);
            byte[] key = System.Text.Encoding.UTF8.GetBytes("cram-Secret-2");
            byte[] challenge = System.Text.Encoding.ASCII.GetBytes("<1896.697170952@postoffice.example.net>");
            byte[] a = new byte[16];
            byte[] b = new byte[16];
            Md5 md5 = new Md5();

            md5.Update(data, 0, data.Length);
            md5.Final(a, 0);
            MD5.HashData(data, b);
            Check(a, b, "MD5");
            HmacMd5.Compute(key, 0, key.Length, challenge, 0, challenge.Length, a, 0);
            HMACMD5.HashData(key, challenge, b);
            Check(a, b, "HMAC-MD5");

            double fwMd5 = Throughput(samples, data.Length, () =>
            {
                md5.Update(data, 0, data.Length);
                md5.Final(a, 0);
            });
            double netMd5 = Throughput(samples, data.Length, () => MD5.HashData(data, b));
            double fwHmac = Throughput(samples, data.Length, () => HmacMd5.Compute(key, 0, key.Length, data, 0, data.Length, a, 0));
            double netHmac = Throughput(samples, data.Length, () => HMACMD5.HashData(key, data, b));
            double fwCram = MicrosPerOp(samples, () => HmacMd5.Compute(key, 0, key.Length, challenge, 0, challenge.Length, a, 0));
            double netCram = MicrosPerOp(samples, () => HMACMD5.HashData(key, challenge, b));

            return new[]
            {
                new CryptoResult { Name = "MD5, 1 MB", Unit = "MB/s", Firmware = fwMd5, Native = netMd5, Slowdown = netMd5 / fwMd5 },
                new CryptoResult { Name = "HMAC-MD5, 1 MB", Unit = "MB/s", Firmware = fwHmac, Native = netHmac, Slowdown = netHmac / fwHmac },
                new CryptoResult { Name = "HMAC-MD5 of a CRAM-MD5 challenge (39 B)", Unit = "µs/op", Firmware = fwCram, Native = netCram, Slowdown = fwCram / netCram },
            };
        }

        internal static void Check(byte[] a, byte[] b, string name)
        {
            if (!a.AsSpan().SequenceEqual(b))
            {
                throw new InvalidOperationException(name + ": the firmware and .NET digests differ");
            }
        }

        private static double Throughput(int samples, int bytes, Action op)
        {
            double seconds = SecondsPerOp(samples, op);
            return bytes / 1e6 / seconds;
        }

        private static double MicrosPerOp(int samples, Action op)
        {
            return SecondsPerOp(samples, op) * 1e6;
        }

        internal static double SecondsPerOp(int samples, Action op)
        {
            // Warm-up: long enough for tiered compilation to finish (its call counting waits 100 ms
            // after the last new method), then calibration: enough iterations for about 20 ms a sample.
            Stopwatch warm = Stopwatch.StartNew();
            while (warm.ElapsedMilliseconds < 400)
            {
                op();
            }

            long iterations = 1;
            while (true)
            {
                long t0 = Stopwatch.GetTimestamp();
                for (long i = 0; i < iterations; i++)
                {
                    op();
                }

                double s = (double)(Stopwatch.GetTimestamp() - t0) / Stopwatch.Frequency;
                if (s >= 0.02)
                {
                    break;
                }

                iterations *= 2;
            }

            double[] perOp = new double[samples];
            for (int k = 0; k < samples; k++)
            {
                long t0 = Stopwatch.GetTimestamp();
                for (long i = 0; i < iterations; i++)
                {
                    op();
                }

                perOp[k] = (double)(Stopwatch.GetTimestamp() - t0) / Stopwatch.Frequency / iterations;
            }

            return Stats.Median(perOp);
        }
    }

    internal sealed class DelayResult
    {
        public string Name { get; set; }

        public int Samples { get; set; }

        public double RequestedMs { get; set; }

        public double P50ErrorMs { get; set; }

        public double P99ErrorMs { get; set; }

        public double MaxErrorMs { get; set; }
    }

    /// <summary>
    /// The POP-before-SMTP wait on the host one-shot timer: requested 300 ms against what is observed,
    /// (a) through the cooperative scheduler, as the send task waits (WaitForTimer, the scheduler
    /// idling 1 ms at a time and polling HasFired), and (b) the timer alone, HasFired busy-polled.
    /// </summary>
    internal static class DelayBench
    {
        public static DelayResult[] Run(int delayMs, int schedulerSamples, int timerSamples)
        {
            using (HostOneShotTimer timer = new HostOneShotTimer())
            {
                SystemClock clock = new SystemClock();
                CooperativeScheduler scheduler = new CooperativeScheduler(clock, new HostIdle());
                DelayTask task = new DelayTask(timer, clock, delayMs, schedulerSamples);
                scheduler.Add(new IdleTask(true));
                scheduler.Add(task);
                scheduler.Add(new IdleTask(true));
                while (!task.Done)
                {
                    scheduler.RunOnce();
                }

                double[] alone = new double[timerSamples];
                for (int i = 0; i < timerSamples; i++)
                {
                    Thread.Sleep(2);
                    long t0 = Stopwatch.GetTimestamp();
                    timer.Start(delayMs * 1000L);
                    while (!timer.HasFired)
                    {
                        Thread.SpinWait(20);
                    }

                    alone[i] = Ms(Stopwatch.GetTimestamp() - t0) - delayMs;
                }

                return new[]
                {
                    Result("through the scheduler (WaitForTimer, 1 ms idle polls)", delayMs, task.Errors),
                    Result("timer alone (HasFired busy-polled)", delayMs, alone),
                };
            }
        }

        private static DelayResult Result(string name, int delayMs, double[] errors)
        {
            double[] abs = new double[errors.Length];
            for (int i = 0; i < errors.Length; i++)
            {
                abs[i] = Math.Abs(errors[i]);
            }

            return new DelayResult
            {
                Name = name,
                Samples = errors.Length,
                RequestedMs = delayMs,
                P50ErrorMs = Stats.Median(abs),
                P99ErrorMs = Stats.Percentile(abs, 99),
                MaxErrorMs = Stats.Max(abs),
            };
        }

        private static double Ms(long ticks)
        {
            return ticks * 1000.0 / Stopwatch.Frequency;
        }

        /// <summary>Starts the timer, waits for it as SmtpSendTask does, records the error, again.</summary>
        private sealed class DelayTask : SchedulerTask
        {
            private const int TimerGraceMs = 1000;

            private readonly HostOneShotTimer _timer;
            private readonly SystemClock _clock;
            private readonly int _delayMs;
            private long _startTicks;
            private bool _armed;
            private int _count;

            public DelayTask(HostOneShotTimer timer, SystemClock clock, int delayMs, int samples)
                : base("delay")
            {
                _timer = timer;
                _clock = clock;
                _delayMs = delayMs;
                Errors = new double[samples];
            }

            public double[] Errors { get; }

            public bool Done
            {
                get { return _count == Errors.Length; }
            }

            public override void Step(long nowMs)
            {
                if (!_armed)
                {
                    if (Done)
                    {
                        SleepUntil(Never);
                        return;
                    }

                    _startTicks = Stopwatch.GetTimestamp();
                    _timer.Start(_delayMs * 1000L);
                    _armed = true;
                    WaitForTimer(_timer, nowMs + _delayMs + TimerGraceMs);
                    return;
                }

                if (!_timer.HasFired)
                {
                    WaitForTimer(_timer, nowMs + TimerGraceMs);
                    return;
                }

                Errors[_count++] = Ms(Stopwatch.GetTimestamp() - _startTicks) - _delayMs;
                _timer.Cancel();
                _armed = false;

                // A short pause between samples, as between jobs.
                SleepUntil(_clock.NowMs + 3);
            }
        }
    }

    internal sealed class SchedulerResult
    {
        public double NsPerStep { get; set; }

        public double NsPerIdlePass { get; set; }
    }

    /// <summary>The cooperative scheduler's own cost: three tasks whose step does nothing.</summary>
    internal static class SchedulerBench
    {
        public static SchedulerResult Run(int samples)
        {
            SystemClock clock = new SystemClock();
            CooperativeScheduler ready = new CooperativeScheduler(clock, new HostIdle());
            for (int i = 0; i < 3; i++)
            {
                ready.Add(new IdleTask(false));
            }

            CooperativeScheduler sleeping = new CooperativeScheduler(clock, new HostIdle());
            for (int i = 0; i < 3; i++)
            {
                sleeping.Add(new IdleTask(true));
            }

            const int passes = 200000;
            double[] perStep = new double[samples + 1];
            double[] perPass = new double[samples + 1];
            for (int k = 0; k <= samples; k++)
            {
                long start = ready.Steps;
                long t0 = Stopwatch.GetTimestamp();
                for (int i = 0; i < passes; i++)
                {
                    ready.RunPass();
                }

                long t1 = Stopwatch.GetTimestamp();
                perStep[k] = (t1 - t0) * 1e9 / Stopwatch.Frequency / (ready.Steps - start);

                t0 = Stopwatch.GetTimestamp();
                for (int i = 0; i < passes; i++)
                {
                    sleeping.RunPass();
                }

                t1 = Stopwatch.GetTimestamp();
                perPass[k] = (t1 - t0) * 1e9 / Stopwatch.Frequency / passes;
            }

            // The first sample is the warm-up.
            return new SchedulerResult
            {
                NsPerStep = Stats.Median(perStep[1..]),
                NsPerIdlePass = Stats.Median(perPass[1..]),
            };
        }
    }

    /// <summary>A task that does nothing: runs again at once, or sleeps for ever.</summary>
    internal sealed class IdleTask : SchedulerTask
    {
        private readonly bool _sleeping;

        public IdleTask(bool sleeping)
            : base("idle")
        {
            _sleeping = sleeping;
            if (sleeping)
            {
                SleepUntil(Never);
            }
        }

        public override void Step(long nowMs)
        {
            if (_sleeping)
            {
                SleepUntil(Never);
            }
            else
            {
                RunAgain();
            }
        }
    }
}
