using System;
using System.Collections.Generic;
using NetBoard.Firmware.Device;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Panel;
using NetBoard.Firmware.Settings;
using NetBoard.Firmware.Tests.Doubles;
using NetBoard.Hal;

namespace NetBoard.Firmware.Tests.Device
{
    /// <summary>The one runtime wiring the boards and the test board share.</summary>
    public sealed class DeviceRuntimeTests
    {
        private static DeviceRuntime Boot(MemoryStorage storage, VirtualClock clock)
        {
            var log = new EventLog(clock);
            return new DeviceRuntime(new SettingsKeeper(MailBoard.LabSettings(), null), new LabNetwork(clock, log), clock, clock, storage, new VirtualTimer(clock), null);
        }

        [Fact]
        public void The_scheduler_runs_queue_send_receive_and_oauth_in_that_order_over_one_context()
        {
            var clock = new VirtualClock();
            DeviceRuntime runtime = Boot(new MemoryStorage(), clock);

            Assert.Equal(4, runtime.Scheduler.TaskCount);
            Assert.Same(runtime.Queue, runtime.Scheduler.TaskAt(0));
            Assert.Same(runtime.Sender, runtime.Scheduler.TaskAt(1));
            Assert.Same(runtime.Receiver, runtime.Scheduler.TaskAt(2));
            Assert.Same(runtime.OAuth, runtime.Scheduler.TaskAt(3));
            Assert.Same(runtime.OAuth, runtime.Context.OAuth);
            Assert.False(runtime.Context.OAuth.IsConfigured);
            Assert.Null(runtime.Panel);
            Assert.True(runtime.Context.Settings.IsFrozen);
        }

        [Fact]
        public void Boot_loads_the_job_queue_so_a_job_accepted_before_a_restart_is_sent_after_it()
        {
            var clock = new VirtualClock();
            var storage = new MemoryStorage();
            storage.Put("scan/a.pdf", System.Text.Encoding.ASCII.GetBytes("%PDF-1.4 a\n"));
            MailJob accepted = new JobStore(storage).Accept(JobKind.Email, new[] { "a@lab.test" }, "a", "scan/a.pdf");

            DeviceRuntime runtime = Boot(storage, clock);
            MailJob job = runtime.Context.Jobs.Find(accepted.Id);
            Assert.NotNull(job);
            for (int i = 0; i < 100_000 && job.State != JobState.Sent; i++)
            {
                runtime.RunOnce();
            }

            Assert.Equal(JobState.Sent, job.State);
        }

        [Fact]
        public void The_panel_comes_last_sized_by_its_display_and_edits_through_the_keeper()
        {
            var clock = new VirtualClock();
            DeviceRuntime runtime = Boot(new MemoryStorage(), clock);
            var display = new Display();

            PanelController panel = runtime.AttachPanel(null, display);

            Assert.Same(panel, runtime.Panel);
            Assert.Equal(5, runtime.Scheduler.TaskCount);
            Assert.IsType<PanelTask>(runtime.Scheduler.TaskAt(4));
            Assert.Equal(16, panel.Columns);
            Assert.Equal(2, panel.Rows);
            Assert.Same(runtime.Context.Settings, panel.Settings);
            runtime.RunOnce();
            Assert.NotEmpty(display.Frames);
            Assert.Throws<InvalidOperationException>(() => runtime.AttachPanel(null, display));
        }

        private sealed class Display : IPanelDisplay
        {
            public int Columns => 16;

            public int Rows => 2;

            public List<string[]> Frames { get; } = new List<string[]>();

            public void Show(string[] lines) => Frames.Add(lines);

            public void SetCursor(int row, int column, bool visible)
            {
            }
        }
    }
}
