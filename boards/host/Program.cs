using System;
using System.IO;

namespace NetBoard.Boards.Host
{
    /// <summary>The virtual board's entry point: the firmware core on desktop .NET with the host HAL.</summary>
    internal static class Program
    {
        /// <summary>Exit code for a job that failed (the journal line carries the user error code).</summary>
        internal const int ExitJobFailed = 1;

        /// <summary>Exit code for a command line or settings file that could not be used.</summary>
        internal const int ExitUsage = 2;

        private const string Usage =
            "usage: virtual-board send --settings FILE --to ADDR [--to ADDR ...] --file PATH\n" +
            "                          [--subject TEXT] [--kind email|ifax] [--data DIR] [--verbose]\n" +
            "       virtual-board receive --settings FILE --out DIR [--data DIR] [--verbose]\n" +
            "       virtual-board journal --settings FILE [--data DIR]\n" +
            "       virtual-board run --settings FILE [--data DIR]\n" +
            "       virtual-board oauth login|status|logout --settings FILE [--data DIR] [--verbose]\n" +
            "       virtual-board oauth secret --settings FILE [--data DIR]   (reads the client secret from stdin)\n";

        private static int Main(string[] args)
        {
            return Run(args, Console.In, Console.Out, Console.Error);
        }

        internal static int Run(string[] args, TextWriter output, TextWriter error)
        {
            return Run(args, TextReader.Null, output, error);
        }

        internal static int Run(string[] args, TextReader input, TextWriter output, TextWriter error)
        {
            if (args.Length == 0)
            {
                error.Write(Usage);
                return ExitUsage;
            }

            // `oauth ACTION --options`: the action is a word of its own before the options.
            string action = null;
            if (args[0] == "oauth")
            {
                if (args.Length < 2 || args[1].StartsWith("--", StringComparison.Ordinal))
                {
                    error.WriteLine("virtual-board: oauth needs an action (login, status, logout, secret)");
                    error.Write(Usage);
                    return ExitUsage;
                }

                action = args[1];
                string[] rest = new string[args.Length - 1];
                rest[0] = "oauth";
                Array.Copy(args, 2, rest, 1, args.Length - 2);
                args = rest;
            }

            CommandLine line;
            string problem = CommandLine.TryParse(args, out line);
            if (problem != null)
            {
                error.WriteLine("virtual-board: " + problem);
                error.Write(Usage);
                return ExitUsage;
            }

            switch (line.Command)
            {
                case "send":
                    return SendCommand.Run(line, output, error);
                case "receive":
                    return ReceiveCommand.Run(line, output, error);
                case "journal":
                    return JournalCommand.Run(line, output, error);
                case "run":
                    return RunCommand.Run(line, output, error);
                case "oauth":
                    return OAuthCommand.Run(action, line, input, output, error);
                default:
                    error.WriteLine("virtual-board: unknown command '" + line.Command + "'");
                    error.Write(Usage);
                    return ExitUsage;
            }
        }
    }
}
