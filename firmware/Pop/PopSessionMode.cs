namespace NetBoard.Firmware.Pop
{
    /// <summary>What a <see cref="PopSession"/> does once logged in.</summary>
    public enum PopSessionMode
    {
        /// <summary>Greeting, CAPA, login and QUIT: enough for POP before SMTP.</summary>
        LoginOnly,

        /// <summary>Full reception: list, retrieve the new messages into the sink, delete what it stored, QUIT.</summary>
        Receive,
    }
}
