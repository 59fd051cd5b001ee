using System.IO;
using NetBoard.Firmware.Pop;
using NetBoard.Firmware.Settings;

namespace NetBoard.Boards.Host
{
    /// <summary>
    /// `receive`: one POP reception through the receive task (under the mail-session lock), every
    /// printable document of the new messages "printed" into --out, and the journal lines it wrote.
    /// </summary>
    internal static class ReceiveCommand
    {
        public static int Run(CommandLine line, TextWriter output, TextWriter error)
        {
            string settingsPath = line.Get("--settings");
            string outFolder = line.Get("--out");
            if (settingsPath == null || outFolder == null)
            {
                error.WriteLine("virtual-board: receive needs --settings and --out");
                return Program.ExitUsage;
            }

            DeviceSettings settings = SettingsFile.Load(settingsPath, error);
            if (settings == null)
            {
                return Program.ExitUsage;
            }

            using (HostBoard board = HostBoard.Open(settings, line.Get("--data") ?? HostBoard.DefaultDataFolder(settingsPath), Path.GetFullPath(outFolder)))
            {
                if (line.Has("--verbose"))
                {
                    board.Context.SessionLog = new ConsoleSessionLog(error);
                }

                int journalBefore = board.Context.Journal.Count;
                int receptions = board.Receiver.Receptions;
                board.Receiver.RequestNow();
                board.RunUntil(() => board.Receiver.Receptions > receptions && !board.Receiver.IsBusy);
                string[] lines = board.Context.Journal.Lines(board.Context.Journal.Count - journalBefore);
                foreach (string entry in lines)
                {
                    output.WriteLine(entry);
                }

                PopResult result = board.Receiver.LastResult;
                return result != null && result.Success ? 0 : Program.ExitJobFailed;
            }
        }
    }
}
