using System.IO;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Settings;

namespace NetBoard.Boards.Host
{
    /// <summary>`journal`: prints the communication journal and the queue kept in the data folder.</summary>
    internal static class JournalCommand
    {
        public static int Run(CommandLine line, TextWriter output, TextWriter error)
        {
            string settingsPath = line.Get("--settings");
            if (settingsPath == null)
            {
                error.WriteLine("virtual-board: journal needs --settings");
                return Program.ExitUsage;
            }

            DeviceSettings settings = SettingsFile.Load(settingsPath, error);
            if (settings == null)
            {
                return Program.ExitUsage;
            }

            using (HostBoard board = HostBoard.Open(settings, line.Get("--data") ?? HostBoard.DefaultDataFolder(settingsPath), null))
            {
                if (board.BootNote != null)
                {
                    output.WriteLine("# " + board.BootNote);
                }

                foreach (string entry in board.Context.Journal.Lines(Journal.MaxEntries))
                {
                    output.WriteLine(entry);
                }

                JobStore jobs = board.Context.Jobs;
                for (int i = 0; i < jobs.Count; i++)
                {
                    MailJob job = jobs.At(i);
                    if (job.IsPending)
                    {
                        output.WriteLine("# queued: job " + job.Id + " " + JobRecordFormat.StatusName(job) + ", " + job.Attempts + " attempt(s)"
                            + (job.LastErrorCode != 0 ? ", last " + UserErrorCode.Format(job.LastErrorCode) : string.Empty));
                    }
                }
            }

            return 0;
        }
    }
}
