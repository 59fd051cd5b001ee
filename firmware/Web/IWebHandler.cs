namespace NetBoard.Firmware.Web
{
    /// <summary>Makes the answer to one complete request; runs on the scheduler thread, so it must be quick.</summary>
    public interface IWebHandler
    {
        /// <summary>
        /// Answers <paramref name="request"/> (State Complete: method, path, query, headers and body
        /// are set). Returns the response to send; never null. A handler whose answer needs more work
        /// returns <see cref="HttpResponse.NotYet"/> and is asked again with the same request on a later
        /// step, until it answers; it must finish that work in bounded time.
        /// </summary>
        HttpResponse Handle(HttpRequestParser request, long nowMs);
    }
}
