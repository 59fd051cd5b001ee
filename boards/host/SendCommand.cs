using System;
using System.IO;
using NetBoard.Firmware.Diagnostics;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Settings;

namespace NetBoard.Boards.Host
{
    /// <summary>
    /// `send`: queues one job through the job queue (durably, in the data folder), lets the scheduler
    /// make one attempt of it (with POP before SMTP when set), and prints that attempt's journal line.
    /// A job that failed transiently stays queued for `run` to retry.
    /// </summary>
    internal static class SendCommand
    {
        public static int Run(CommandLine line, TextWriter output, TextWriter error)
        {
            string settingsPath = line.Get("--settings");
            string filePath = line.Get("--file");
            string[] recipients = line.GetAll("--to");
            string kindText = line.Get("--kind") ?? "email";
            if (settingsPath == null || filePath == null || recipients.Length == 0)
            {
                error.WriteLine("virtual-board: send needs --settings, --file and at least one --to");
                return Program.ExitUsage;
            }

            if (kindText != "email" && kindText != "ifax")
            {
                error.WriteLine("virtual-board: --kind must be email or ifax");
                return Program.ExitUsage;
            }

            if (!File.Exists(filePath))
            {
                error.WriteLine("virtual-board: no such file: " + filePath);
                return Program.ExitUsage;
            }

            DeviceSettings settings = SettingsFile.Load(settingsPath, error);
            if (settings == null)
            {
                return Program.ExitUsage;
            }

            using (HostBoard board = HostBoard.Open(settings, line.Get("--data") ?? HostBoard.DefaultDataFolder(settingsPath), null))
            {
                if (line.Has("--verbose"))
                {
                    board.Context.SessionLog = new ConsoleSessionLog(error);
                }

                string document = board.ImportDocument(filePath);
                string problem;
                MailJob job = board.Queue.Submit(kindText == "ifax" ? JobKind.Ifax : JobKind.Email, recipients, line.Get("--subject") ?? string.Empty, document, out problem);
                if (job == null)
                {
                    output.WriteLine("virtual-board: " + problem);
                    return Program.ExitJobFailed;
                }

                int attempts = job.Attempts;
                board.RunUntil(() => job.Attempts > attempts && job.State != JobState.Sending);
                output.WriteLine(board.Sender.LastJobId == job.Id ? board.Sender.LastJournalLine : "job " + job.Id + " " + JobRecordFormat.StateName(job.State));
                return job.State == JobState.Sent ? 0 : Program.ExitJobFailed;
            }
        }
    }
}
