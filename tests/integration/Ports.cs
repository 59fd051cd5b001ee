using System.Net;
using System.Net.Sockets;

namespace NetBoard.Integration.Tests
{
    internal static class Ports
    {
        /// <summary>A loopback port nothing listens on: bound once to learn a free number, then released.</summary>
        public static int Closed()
        {
            TcpListener probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return port;
        }
    }
}
