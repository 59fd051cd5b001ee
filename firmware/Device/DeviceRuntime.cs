using System;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.OAuth;
using NetBoard.Firmware.Panel;
using NetBoard.Firmware.Scheduling;
using NetBoard.Firmware.Settings;
using NetBoard.Firmware.Web;
using NetBoard.Hal;

namespace NetBoard.Firmware.Device
{
    /// <summary>
    /// The one wiring of the firmware runtime, shared by the virtual board, the ESP32 boards and the
    /// tests: the device context over the board's HAL and settings, the job store and journal loaded
    /// from storage as at boot, and the scheduler running the job queue, SMTP send and POP receive
    /// tasks (in that order), then the OAuth 2.0 token keeper (idle while oauth.provider is off, set on the context as
    /// <see cref="DeviceContext.OAuth"/>), with the front panel's task and the web page's server task after them
    /// when the board has them.
    /// </summary>
    public sealed class DeviceRuntime
    {
        private DevicePanelServices _panelServices;

        /// <summary>Wires the runtime over the board's parts; nothing runs before the first <see cref="RunOnce"/>.</summary>
        /// <param name="settings">The settings in force and their store.</param>
        /// <param name="connector">Opens connections.</param>
        /// <param name="clock">Time.</param>
        /// <param name="idle">What the scheduler does when no task is due.</param>
        /// <param name="storage">Flash storage: job queue, journal, documents, inbox.</param>
        /// <param name="timer">The hardware one-shot timer (POP-before-SMTP delay).</param>
        /// <param name="engine">The scan/print engine, or null.</param>
        public DeviceRuntime(SettingsKeeper settings, INetConnector connector, IClock clock, ISystemIdle idle, IStorage storage, IOneShotTimer timer, IEngine engine)
        {
            Context = new DeviceContext(settings, connector, clock, storage, timer, engine);
            BootNote = Context.Jobs.Load();
            Context.Journal.Load();
            Sender = new SmtpSendTask(Context);
            Queue = new JobQueueTask(Context, Sender);
            Receiver = new PopReceiveTask(Context);
            Scheduler = new CooperativeScheduler(clock, idle);
            Scheduler.Add(Queue);
            Scheduler.Add(Sender);
            Scheduler.Add(Receiver);
            OAuth = new OAuthTokenKeeper(Context);
            Context.OAuth = OAuth;
            Scheduler.Add(OAuth);
        }

        /// <summary>The OAuth 2.0 tokens: refresh, client credentials and device sign-in.</summary>
        public OAuthTokenKeeper OAuth { get; private set; }

        /// <summary>What the tasks share.</summary>
        public DeviceContext Context { get; private set; }

        /// <summary>The fax/scan job queue task.</summary>
        public JobQueueTask Queue { get; private set; }

        /// <summary>The SMTP send task.</summary>
        public SmtpSendTask Sender { get; private set; }

        /// <summary>The POP receive task.</summary>
        public PopReceiveTask Receiver { get; private set; }

        /// <summary>The scheduler running every task.</summary>
        public CooperativeScheduler Scheduler { get; private set; }

        /// <summary>What the job store repaired at boot, or null.</summary>
        public string BootNote { get; private set; }

        /// <summary>The front panel, once <see cref="AttachPanel"/> has added it; else null.</summary>
        public PanelController Panel { get; private set; }

        /// <summary>The web page, once <see cref="AttachWeb"/> has added it; else null.</summary>
        public WebSite Web { get; private set; }

        /// <summary>The web page's server task, once <see cref="AttachWeb"/> has added it; else null.</summary>
        public WebServerTask WebServer { get; private set; }

        /// <summary>
        /// Adds the web page served on <paramref name="listener"/> (<paramref name="secure"/>: the listener
        /// speaks HTTPS), over the same queue, tasks, journal and settings keeper as the panel. Needs the
        /// context's random source. While no administrator password is set, the panel shows the setup code.
        /// </summary>
        public WebSite AttachWeb(INetListener listener, bool secure)
        {
            if (listener == null)
            {
                throw new ArgumentNullException("listener");
            }

            if (Web != null)
            {
                throw new InvalidOperationException("the web page is already attached");
            }

            DevicePanelServices services = new DevicePanelServices(Context, Queue, Sender, Receiver);
            Web = new WebSite(Context, services, secure);
            if (_panelServices != null)
            {
                _panelServices.Web = Web;
            }

            WebServer = new WebServerTask(listener, Web);
            Scheduler.Add(WebServer);
            ShowSetupCode();
            return Web;
        }

        /// <summary>
        /// Adds the front panel on <paramref name="display"/> (its size) read from <paramref name="keys"/>,
        /// over the running device's queue, tasks and journal, editing the settings through the keeper.
        /// </summary>
        public PanelController AttachPanel(IPanelKeys keys, IPanelDisplay display)
        {
            if (display == null)
            {
                throw new ArgumentNullException("display");
            }

            if (Panel != null)
            {
                throw new InvalidOperationException("the panel is already attached");
            }

            DevicePanelServices services = new DevicePanelServices(Context, Queue, Sender, Receiver);
            _panelServices = services;
            services.Web = Web;
            Panel = new PanelController(Context.SettingsKeeper, display.Columns, display.Rows, services, services);
            Scheduler.Add(new PanelTask(Panel, keys, display));
            ShowSetupCode();
            return Panel;
        }

        private void ShowSetupCode()
        {
            if (Panel != null && Web != null && Web.SetupCode != null)
            {
                Panel.ShowNotice("Web setup code " + Web.SetupCode);
            }
        }

        /// <summary>One round of the main loop (see <see cref="CooperativeScheduler.RunOnce"/>).</summary>
        public void RunOnce()
        {
            Scheduler.RunOnce();
        }
    }
}
