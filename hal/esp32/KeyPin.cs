namespace NetBoard.Hal.Esp32
{
    /// <summary>One panel key: a push button from a GPIO to ground.</summary>
    public sealed class KeyPin
    {
        /// <summary>Describes a key.</summary>
        /// <param name="gpio">The GPIO number.</param>
        /// <param name="key">The panel key it is.</param>
        /// <param name="externalPullUp">True when the board has a pull-up resistor (GPIO 34-39 have no internal one).</param>
        public KeyPin(int gpio, PanelKey key, bool externalPullUp)
        {
            Gpio = gpio;
            Key = key;
            ExternalPullUp = externalPullUp;
        }

        /// <summary>The GPIO number.</summary>
        public int Gpio { get; private set; }

        /// <summary>The panel key.</summary>
        public PanelKey Key { get; private set; }

        /// <summary>True when the pin needs no internal pull-up.</summary>
        public bool ExternalPullUp { get; private set; }
    }
}
