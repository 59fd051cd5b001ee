using NetBoard.Hal;

namespace NetBoard.Firmware.Web
{
    /// <summary>One connection slot of the <see cref="WebServerTask"/>: its parser and writer are made once and reused.</summary>
    internal sealed class WebConnection
    {
        internal WebConnection(int maxLineBytes, int maxHeaderBytes, int maxBodyBytes)
        {
            Parser = new HttpRequestParser(maxLineBytes, maxHeaderBytes, maxBodyBytes);
            Writer = new HttpResponseWriter();
            Phase = WebConnectionPhase.Free;
        }

        internal HttpRequestParser Parser { get; private set; }

        internal HttpResponseWriter Writer { get; private set; }

        internal INetConnection Connection { get; set; }

        internal WebConnectionPhase Phase { get; set; }

        /// <summary>When the current phase ends at the latest.</summary>
        internal long DeadlineMs { get; set; }

        /// <summary>Bytes dropped while draining.</summary>
        internal int Drained { get; set; }
    }
}
