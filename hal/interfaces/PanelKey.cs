namespace NetBoard.Hal
{
    /// <summary>A key of the operation panel (or its stand-in on the virtual board).</summary>
    public enum PanelKey
    {
        /// <summary>No key.</summary>
        None,

        /// <summary>Opens the menu, or leaves it for the ready screen.</summary>
        Menu,

        /// <summary>Moves up a list, or to the next character or choice while editing.</summary>
        Up,

        /// <summary>Moves down a list, or to the previous character or choice while editing.</summary>
        Down,

        /// <summary>Leaves a menu level, or moves the text cursor left while editing.</summary>
        Left,

        /// <summary>Enters a menu level, or moves the text cursor right while editing.</summary>
        Right,

        /// <summary>Confirms: enters the selected item, or stores the edited value.</summary>
        Set,

        /// <summary>Cancels: leaves the current screen without storing anything.</summary>
        Back,

        /// <summary>The Start key of the machine (starts a scan).</summary>
        Start,

        /// <summary>A typed character (keyboards and the virtual board); the character comes with the key.</summary>
        Character,

        /// <summary>Deletes the character before the text cursor.</summary>
        Backspace,
    }
}
