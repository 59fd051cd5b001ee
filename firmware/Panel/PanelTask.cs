using NetBoard.Firmware.Scheduling;
using NetBoard.Hal;

namespace NetBoard.Firmware.Panel
{
    /// <summary>The front panel as a scheduler task: reads the keys and redraws what changed, a few dozen times a second.</summary>
    public sealed class PanelTask : SchedulerTask
    {
        /// <summary>How often keys are read: fast enough for typing, slow enough to cost nothing.</summary>
        public const int PollIntervalMs = 20;

        private readonly PanelController _controller;
        private readonly IPanelKeys _keys;
        private readonly IPanelDisplay _display;

        /// <summary>Drives <paramref name="controller"/> from <paramref name="keys"/> onto <paramref name="display"/>.</summary>
        public PanelTask(PanelController controller, IPanelKeys keys, IPanelDisplay display)
            : base("panel")
        {
            _controller = controller;
            _keys = keys;
            _display = display;
        }

        /// <inheritdoc />
        public override void Step(long nowMs)
        {
            _controller.Service(_keys, _display);
            SleepUntil(nowMs + PollIntervalMs);
        }
    }
}
