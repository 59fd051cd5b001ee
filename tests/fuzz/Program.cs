using System;
using System.Diagnostics;

namespace NetBoard.Fuzz.Tests
{
    /// <summary>
    /// The long run: every property (or those named with --only NAME,NAME) for --iterations N each (default
    /// 1,000,000). Exit status 0 when all hold, 1 when one fails (its shrunk example and seed are printed).
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            long iterations = 1_000_000;
            string only = null;
            for (int i = 0; i < args.Length; i++)
            {
                if (args[i] == "--iterations" && i + 1 < args.Length && long.TryParse(args[i + 1], out long n) && n > 0)
                {
                    iterations = n;
                    i++;
                }
                else if (args[i] == "--only" && i + 1 < args.Length)
                {
                    only = "," + args[i + 1] + ",";
                    i++;
                }
                else
                {
                    Console.Error.WriteLine("usage: fuzz [--iterations N] [--only NAME,NAME]");
                    return 2;
                }
            }

            int failed = 0;
            foreach (var (name, run) in Properties.All)
            {
                if (only != null && !only.Contains("," + name + ",", StringComparison.Ordinal))
                {
                    continue;
                }

                var watch = Stopwatch.StartNew();
                try
                {
                    run(iterations);
                    Console.WriteLine(name + ": " + iterations + " iterations hold (" + watch.Elapsed.TotalSeconds.ToString("F1") + " s)");
                }
                catch (Exception e)
                {
                    failed++;
                    Console.WriteLine(name + ": FAILED after " + watch.Elapsed.TotalSeconds.ToString("F1") + " s\n" + e.Message);
                }
            }

            return failed == 0 ? 0 : 1;
        }
    }
}
