using System.Device.Wifi;
using nanoFramework.Networking;
using NetBoard.Boards.Esp32;
using NetBoard.Hal;
using NetBoard.Hal.Esp32;

namespace NetBoard.Boards.Esp32DevKitC
{
    /// <summary>
    /// ESP32-DevKitC (ESP32-WROOM-32E, chip revision 3) on Wi-Fi. The network name and password come
    /// from the storage file wifi.txt ("ssid=..." and "password=..." lines), put there with nanoff's
    /// file deployment or by the panel's factory tools.
    /// </summary>
    public static class Program
    {
        /// <summary>The Wi-Fi credentials file in storage.</summary>
        public const string WifiFileName = "wifi.txt";

        /// <summary>The board as data.</summary>
        public static BoardDefinition Board
        {
            get
            {
                return new BoardDefinition
                {
                    Name = "esp32-devkitc",
                    FirmwareTarget = "ESP32_REV3",
                    IsEthernet = false,
                    PhyChip = string.Empty,
                    PhyAddress = -1,
                    RmiiClockMode = string.Empty,
                    PhyPowerPin = -1,
                    I2cBusId = 1,
                    I2cSdaPin = 21,
                    I2cSclPin = 22,
                    LcdAddress = Hd44780Display.DefaultAddress,
                    LcdColumns = 20,
                    LcdRows = 4,
                    Keys = new KeyPin[]
                    {
                        new KeyPin(32, PanelKey.Menu, false),
                        new KeyPin(33, PanelKey.Up, false),
                        new KeyPin(25, PanelKey.Down, false),
                        new KeyPin(26, PanelKey.Left, false),
                        new KeyPin(27, PanelKey.Right, false),
                        new KeyPin(14, PanelKey.Set, false),
                        new KeyPin(13, PanelKey.Back, false),
                        new KeyPin(4, PanelKey.Start, false),
                    },
                    EnginePort = "COM2",
                    EngineTxPin = 17,
                    EngineRxPin = 16,
                    EngineBaudRate = 115200,
                };
            }
        }

        /// <summary>Joins the Wi-Fi network named in storage (in the background) and runs the firmware.</summary>
        public static void Main()
        {
            FlashStorage storage = DeviceRoot.OpenStorage();
            string notice = null;
            WifiCredentials credentials = WifiCredentials.Load(storage, WifiFileName);
            if (credentials == null)
            {
                notice = "No Wi-Fi: put " + WifiFileName + " in storage";
            }
            else
            {
                // Non-blocking: connects, reconnects and sets the time by SNTP on a helper thread.
                WifiNetworkHelper.SetupNetworkHelper(credentials.Ssid, credentials.Password, WifiReconnectionKind.Automatic, true);
            }

            DeviceRoot.Run(Board, storage, notice);
        }
    }
}
