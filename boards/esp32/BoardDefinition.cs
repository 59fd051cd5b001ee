using NetBoard.Hal;
using NetBoard.Hal.Esp32;

namespace NetBoard.Boards.Esp32
{
    /// <summary>
    /// What differs between ESP32 boards, as data: the nanoCLR image, the network, and the pins of
    /// the panel and the engine link. The logic that uses it is <see cref="DeviceRoot"/>.
    /// </summary>
    public sealed class BoardDefinition
    {
        /// <summary>Short name, as flash.ps1 takes it (e.g. "olimex-esp32-poe").</summary>
        public string Name { get; set; }

        /// <summary>The nanoCLR firmware target nanoff flashes (a preset of nf-interpreter's targets/ESP32).</summary>
        public string FirmwareTarget { get; set; }

        /// <summary>True for a wired board, false for Wi-Fi.</summary>
        public bool IsEthernet { get; set; }

        /// <summary>Ethernet PHY chip; fixed in the nanoCLR image, recorded here for the wiring docs.</summary>
        public string PhyChip { get; set; }

        /// <summary>PHY address on the MDIO bus.</summary>
        public int PhyAddress { get; set; }

        /// <summary>RMII reference clock: e.g. "GPIO17 out" (the ESP32 drives the 50 MHz) or "GPIO0 in".</summary>
        public string RmiiClockMode { get; set; }

        /// <summary>GPIO that powers (or resets) the PHY, or -1.</summary>
        public int PhyPowerPin { get; set; }

        /// <summary>I2C bus of the LCD backpack (1 on ESP32).</summary>
        public int I2cBusId { get; set; }

        /// <summary>I2C data GPIO.</summary>
        public int I2cSdaPin { get; set; }

        /// <summary>I2C clock GPIO.</summary>
        public int I2cSclPin { get; set; }

        /// <summary>PCF8574 backpack address.</summary>
        public int LcdAddress { get; set; }

        /// <summary>Characters per LCD row.</summary>
        public int LcdColumns { get; set; }

        /// <summary>LCD rows.</summary>
        public int LcdRows { get; set; }

        /// <summary>The panel keys.</summary>
        public KeyPin[] Keys { get; set; }

        /// <summary>Serial port of the engine link ("COM2" is UART2 on ESP32).</summary>
        public string EnginePort { get; set; }

        /// <summary>GPIO of the engine link's TX.</summary>
        public int EngineTxPin { get; set; }

        /// <summary>GPIO of the engine link's RX.</summary>
        public int EngineRxPin { get; set; }

        /// <summary>Engine link speed (8N1).</summary>
        public int EngineBaudRate { get; set; }
    }
}
