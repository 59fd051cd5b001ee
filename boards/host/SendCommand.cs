using System;
using System.IO;
using System.Threading;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Mime;
using NetBoard.Firmware.Net;
using NetBoard.Firmware.Settings;
using NetBoard.Firmware.Smtp;
using NetBoard.Hal;
using NetBoard.Hal.Host;

namespace NetBoard.Boards.Host
{
    /// <summary>`send`: one transmission job through the core, then its journal line.</summary>
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

            DeviceSettings settings = SettingsFile.Load(settingsPath, error);
            if (settings == null)
            {
                return Program.ExitUsage;
            }

            string fullPath = Path.GetFullPath(filePath);
            FileStorage storage = new FileStorage(Path.GetDirectoryName(fullPath));
            JobKind kind = kindText == "ifax" ? JobKind.Ifax : JobKind.Email;
            MailJob job = new MailJob(1, kind, recipients, line.Get("--subject"), Path.GetFileName(fullPath));
            SystemClock clock = new SystemClock();

            string detail;
            int refused = Transmission.Check(settings, job, storage, out detail);
            if (refused != UserErrorCode.None)
            {
                output.WriteLine(JournalLine.FormatRefused(clock.UtcNow, job, refused, detail));
                return Program.ExitJobFailed;
            }

            SmtpResult result;
            using (IDocumentSource document = storage.OpenRead(job.DocumentName))
            {
                MessageInfo info = Transmission.CreateMessage(settings, job, document.Length, clock.UtcNow, new Random());
                MessageComposer composer = new MessageComposer(info, document, kind == JobKind.Ifax);
                SmtpSession session = new SmtpSession(
                    Transmission.CreateOptions(settings, job),
                    composer,
                    line.Has("--verbose") ? new ConsoleSessionLog(error) : null);
                SessionTransfer transfer = new SessionTransfer(
                    session,
                    new TcpConnector(),
                    clock,
                    settings.Get(SettingKeys.SmtpHost),
                    settings.GetInt(SettingKeys.SmtpPort),
                    settings.Get(SettingKeys.NetLocalAddress));
                RunToEnd(transfer);
                result = session.Result;
            }

            output.WriteLine(JournalLine.Format(clock.UtcNow, job, result));
            return result.Success ? 0 : Program.ExitJobFailed;
        }

        /// <summary>Steps the transfer until it ends, idling on the socket when nothing moves.</summary>
        internal static void RunToEnd(SessionTransfer transfer)
        {
            while (!transfer.IsDone)
            {
                if (transfer.Step())
                {
                    continue;
                }

                TcpConnection connection = transfer.Connection as TcpConnection;
                if (transfer.WaitingToSend || connection == null || connection.State != NetState.Open)
                {
                    Thread.Sleep(1);
                }
                else
                {
                    connection.WaitReadable(20);
                }
            }

            transfer.Step();
        }
    }
}
