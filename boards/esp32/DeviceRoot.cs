using System;
using System.Device.Gpio;
using System.Device.I2c;
using System.IO.Ports;
using nanoFramework.Hardware.Esp32;
using NetBoard.Firmware.Device;
using NetBoard.Firmware.Panel;
using NetBoard.Firmware.Settings;
using NetBoard.Hal;
using NetBoard.Hal.Esp32;

namespace NetBoard.Boards.Esp32
{
    /// <summary>
    /// The device's composition root, shared by the ESP32 boards (each board's Program brings its
    /// network up, then calls <see cref="Run"/>): the ESP32 HAL handed to the firmware's one runtime
    /// wiring (<see cref="DeviceRuntime"/>), with the LCD and the keys as its panel, and the web page on
    /// web.address (every interface when empty) and web.port when web.enable is on. The device serves
    /// the page over plain HTTP only: its heap holds one TLS session, which the mail tasks need.
    /// </summary>
    public static class DeviceRoot
    {
        /// <summary>Storage from the internal flash, with an interrupted replace completed.</summary>
        public static FlashStorage OpenStorage()
        {
            return new FlashStorage(FlashStorage.InternalFlashRoot);
        }

        /// <summary>Boots the firmware on <paramref name="board"/> and runs the scheduler for ever.</summary>
        /// <param name="board">The board's pins and parts.</param>
        /// <param name="storage">The flash storage.</param>
        /// <param name="notice">A boot message for the panel (e.g. no Wi-Fi credentials), or null.</param>
        public static void Run(BoardDefinition board, FlashStorage storage, string notice)
        {
            var store = new SettingsStore(storage);
            SettingsLoadResult loaded = store.Load();

            var clock = new HighResClock();
            IEngine engine = OpenEngine(board, storage);
            var runtime = new DeviceRuntime(new SettingsKeeper(loaded.Settings, store), new SocketConnector(storage), clock, new SleepIdle(), storage, new HighResOneShotTimer(), engine);
            runtime.Context.RandomSource = new HardwareRandomSource();
            string webNote = StartWeb(runtime, storage, loaded.Settings);
            PanelController controller = runtime.AttachPanel(new GpioKeys(new GpioController(), board.Keys, clock), OpenDisplay(board));
            string first = Pick(notice, Pick(storage.RecoveryNote, Pick(loaded.Message, Pick(runtime.BootNote, webNote))));
            if (first != null && runtime.Web != null && runtime.Web.SetupCode != null)
            {
                // The setup code must stay reachable: it follows the boot message on the same notice.
                first = first + " - Web setup code " + runtime.Web.SetupCode;
            }

            if (first != null)
            {
                controller.ShowNotice(first);
            }

            while (true)
            {
                runtime.RunOnce();
            }
        }

        /// <summary>Serves the web page when web.enable is on; returns a panel message when it cannot listen, else null.</summary>
        private static string StartWeb(DeviceRuntime runtime, FlashStorage storage, DeviceSettings settings)
        {
            if (!settings.IsOn(SettingKeys.WebEnable))
            {
                return null;
            }

            SocketListener listener;
            try
            {
                listener = new SocketListener(storage, settings.Get(SettingKeys.WebAddress), settings.GetInt(SettingKeys.WebPort));
            }
            catch (Exception)
            {
                return "Web page off: port in use";
            }

            runtime.AttachWeb(listener, false);
            return null;
        }

        private static string Pick(string preferred, string otherwise)
        {
            return preferred != null ? preferred : otherwise;
        }

        private static Hd44780Display OpenDisplay(BoardDefinition board)
        {
            Configuration.SetPinFunction(board.I2cSdaPin, DeviceFunction.I2C1_DATA);
            Configuration.SetPinFunction(board.I2cSclPin, DeviceFunction.I2C1_CLOCK);
            I2cDevice device = I2cDevice.Create(new I2cConnectionSettings(board.I2cBusId, board.LcdAddress, I2cBusSpeed.StandardMode));
            return new Hd44780Display(device, board.LcdColumns, board.LcdRows);
        }

        private static IEngine OpenEngine(BoardDefinition board, IStorage storage)
        {
            Configuration.SetPinFunction(board.EngineTxPin, DeviceFunction.COM2_TX);
            Configuration.SetPinFunction(board.EngineRxPin, DeviceFunction.COM2_RX);
            var port = new SerialPort(board.EnginePort, board.EngineBaudRate, Parity.None, 8, StopBits.One);
            return new UartEngine(port, storage);
        }
    }
}
