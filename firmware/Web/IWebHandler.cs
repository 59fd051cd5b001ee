namespace NetBoard.Firmware.Web
{
    /// <summary>Makes the answer to one complete request; runs on the scheduler thread, so it must be quick.</summary>
    public interface IWebHandler
    {
        /// <summary>
        /// Answers <paramref name="request"/> (State Complete: method, path, query, headers and body
        /// are set). Returns the response to send; never null.
        /// </summary>
        HttpResponse Handle(HttpRequestParser request, long nowMs);
    }
}
