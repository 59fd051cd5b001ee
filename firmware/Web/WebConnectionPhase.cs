namespace NetBoard.Firmware.Web
{
    /// <summary>Where one connection slot of the <see cref="WebServerTask"/> is.</summary>
    public enum WebConnectionPhase
    {
        /// <summary>No connection.</summary>
        Free,

        /// <summary>Receiving the request.</summary>
        Reading,

        /// <summary>The request is in; the handler is still working on the answer (it returned <see cref="HttpResponse.NotYet"/>).</summary>
        Answering,

        /// <summary>Sending the response.</summary>
        Writing,

        /// <summary>Response sent after a refused request: reading and dropping what the client still sends, so closing does not reset the answer away.</summary>
        Draining,
    }
}
