using System;
using System.IO;
using NetBoard.Firmware.Device;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Scheduling;
using NetBoard.Firmware.Settings;
using NetBoard.Hal.Host;

namespace NetBoard.Boards.Host
{
    /// <summary>
    /// The virtual board's composition: the host HAL over a data folder that plays the device's flash,
    /// handed to the firmware's one runtime wiring (<see cref="DeviceRuntime"/>: context, job queue,
    /// SMTP send and POP receive tasks, scheduler).
    /// </summary>
    internal sealed class HostBoard : IDisposable
    {
        private HostBoard(DeviceSettings settings, SettingsStore store, string dataFolder, string printedFolder)
        {
            DataFolder = dataFolder;
            Storage = new FileStorage(dataFolder);
            Clock = new SystemClock();
            Timer = new HostOneShotTimer();
            Engine = new HostEngine(Storage, printedFolder ?? Path.Combine(dataFolder, "printed"));
            Runtime = new DeviceRuntime(new SettingsKeeper(settings, store), new TcpConnector(), Clock, new HostIdle(), Storage, Timer, Engine);
            Runtime.Context.RandomSource = new SystemRandomSource();
        }

        public string DataFolder { get; }

        public FileStorage Storage { get; }

        public SystemClock Clock { get; }

        public HostOneShotTimer Timer { get; }

        public HostEngine Engine { get; }

        /// <summary>The firmware runtime: context, tasks and scheduler.</summary>
        public DeviceRuntime Runtime { get; }

        public DeviceContext Context => Runtime.Context;

        public SmtpSendTask Sender => Runtime.Sender;

        public JobQueueTask Queue => Runtime.Queue;

        public PopReceiveTask Receiver => Runtime.Receiver;

        public CooperativeScheduler Scheduler => Runtime.Scheduler;

        /// <summary>What the job store repaired at boot, or null.</summary>
        public string BootNote => Runtime.BootNote;

        /// <summary>The data folder used when --data is not given: beside the settings file.</summary>
        public static string DefaultDataFolder(string settingsPath)
        {
            string full = Path.GetFullPath(settingsPath);
            return Path.Combine(Path.GetDirectoryName(full), Path.GetFileNameWithoutExtension(full) + ".data");
        }

        /// <summary>Boots the board on <paramref name="settings"/> and <paramref name="dataFolder"/>.</summary>
        /// <param name="settings">The settings in force.</param>
        /// <param name="dataFolder">The folder that plays the device's flash.</param>
        /// <param name="printedFolder">Where printed documents go; null for "printed" in the data folder.</param>
        public static HostBoard Open(DeviceSettings settings, string dataFolder, string printedFolder)
        {
            return Open(settings, null, dataFolder, printedFolder);
        }

        /// <summary>Boots the board on <paramref name="settings"/>, saving changes into <paramref name="store"/> (null: not saved).</summary>
        public static HostBoard Open(DeviceSettings settings, SettingsStore store, string dataFolder, string printedFolder)
        {
            // The board's flash: queued jobs (addresses, documents), the journal and received mail, for its owner alone.
            OwnerOnly.CreateOrRestrictFolder(dataFolder);
            return new HostBoard(settings, store, dataFolder, printedFolder);
        }

        /// <summary>
        /// Copies a file into storage as a scanned document would arrive from the engine
        /// ("docs/20261129-133123-1a2b/scan.pdf"), committed before the name is returned.
        /// </summary>
        public string ImportDocument(string path)
        {
            string name = "docs/" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss") + "-" + Guid.NewGuid().ToString("N").Substring(0, 8) + "/" + Path.GetFileName(path);
            byte[] buffer = new byte[16384];
            using (FileStream input = File.OpenRead(path))
            using (NetBoard.Hal.IStorageWriter writer = Storage.Create(name))
            {
                int n;
                while ((n = input.Read(buffer, 0, buffer.Length)) > 0)
                {
                    writer.Write(buffer, 0, n);
                }

                writer.Commit();
            }

            return name;
        }

        /// <summary>Runs the scheduler until <paramref name="done"/> says so.</summary>
        public void RunUntil(Func<bool> done)
        {
            while (!done())
            {
                Runtime.RunOnce();
            }
        }

        public void Dispose()
        {
            Timer.Dispose();
        }
    }
}
