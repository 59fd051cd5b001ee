using nanoFramework.Networking;
using NetBoard.Boards.Esp32;
using NetBoard.Hal;
using NetBoard.Hal.Esp32;

namespace NetBoard.Boards.OlimexEsp32Poe
{
    /// <summary>
    /// Olimex ESP32-POE: wired Ethernet (LAN8720), powered over PoE or USB. The Ethernet PHY is set
    /// up by the nanoCLR image (target ESP32_OLIMEX), so the application only waits for an address.
    /// </summary>
    public static class Program
    {
        /// <summary>The board as data.</summary>
        public static BoardDefinition Board
        {
            get
            {
                return new BoardDefinition
                {
                    Name = "olimex-esp32-poe",
                    FirmwareTarget = "ESP32_OLIMEX",
                    IsEthernet = true,
                    PhyChip = "LAN8720",
                    PhyAddress = 0,
                    RmiiClockMode = "GPIO17 out (the ESP32 drives the 50 MHz RMII clock)",
                    PhyPowerPin = 12,
                    I2cBusId = 1,
                    I2cSdaPin = 13,
                    I2cSclPin = 16,
                    LcdAddress = Hd44780Display.DefaultAddress,
                    LcdColumns = 20,
                    LcdRows = 4,
                    Keys = new KeyPin[]
                    {
                        new KeyPin(34, PanelKey.Menu, true),
                        new KeyPin(32, PanelKey.Up, false),
                        new KeyPin(33, PanelKey.Down, false),
                        new KeyPin(14, PanelKey.Left, false),
                        new KeyPin(15, PanelKey.Right, false),
                        new KeyPin(5, PanelKey.Set, false),
                        new KeyPin(39, PanelKey.Back, true),
                        new KeyPin(35, PanelKey.Start, true),
                    },
                    EnginePort = "COM2",
                    EngineTxPin = 4,
                    EngineRxPin = 36,
                    EngineBaudRate = 115200,
                };
            }
        }

        /// <summary>Starts the network helper (DHCP and SNTP in the background) and runs the firmware.</summary>
        public static void Main()
        {
            // Non-blocking: connections fail with a retried #801/#802 until the address and time arrive.
            NetworkHelper.SetupNetworkHelper(true);
            DeviceRoot.Run(Board, DeviceRoot.OpenStorage(), null);
        }
    }
}
