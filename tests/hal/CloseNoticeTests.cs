using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using NetBoard.Hal.Host;

namespace NetBoard.Hal.Tests
{
    /// <summary>
    /// A peer that hangs up makes the connection readable at once, with nothing available, so a task that
    /// only polls <see cref="INetConnection.IsReadable"/> (as the scheduler does) notices the close and the
    /// next Read reports it: FIN and RST in clear, close_notify, a bare FIN and a reset under TLS.
    /// </summary>
    public class CloseNoticeTests : IClassFixture<TlsLab>
    {
        /// <summary>The bound the firmware promises for noticing a close on the host (not a speed measurement).</summary>
        private const int NoticeBoundMs = 2000;

        private const string Loopback = "127.0.0.1";

        private readonly TcpConnector _connector = new TcpConnector();
        private readonly TlsLab _lab;

        public CloseNoticeTests(TlsLab lab)
        {
            _lab = lab;
        }

        public enum Hangup
        {
            Fin,
            Reset,
            CloseNotify,
        }

        /// <summary>Polls only IsReadable (never Read), as a waiting task does, for up to the bound.</summary>
        private static long PollUntilReadable(INetConnection connection)
        {
            var watch = Stopwatch.StartNew();
            while (!connection.IsReadable && connection.State == NetState.Open && watch.ElapsedMilliseconds < NoticeBoundMs)
            {
                Thread.Sleep(1);
            }

            return watch.ElapsedMilliseconds;
        }

        [Fact]
        public async Task An_idle_open_connection_is_not_readable_and_bytes_make_it_so()
        {
            using var server = new LoopbackServer();
            using TcpConnection connection = _connector.ConnectTcp(Loopback, server.Port, null);
            using Socket peer = await server.AcceptAsync();
            ConnectionWait.UntilSettled(connection);

            Thread.Sleep(50);
            Assert.False(connection.IsReadable);
            peer.Send(Encoding.ASCII.GetBytes("+OK\r\n"));
            PollUntilReadable(connection);
            Assert.True(connection.IsReadable);
            Assert.Equal(5, connection.Read(new byte[16], 0, 16));
            Assert.False(connection.IsReadable);
            Assert.Equal(NetState.Open, connection.State);
        }

        [Theory]
        [InlineData(Hangup.Fin, NetState.Closed, NetError.None)]
        [InlineData(Hangup.Reset, NetState.Failed, NetError.Reset)]
        public async Task A_clear_text_hangup_is_readable_at_once_and_read_reports_it(Hangup hangup, NetState state, NetError error)
        {
            using var server = new LoopbackServer();
            using TcpConnection connection = _connector.ConnectTcp(Loopback, server.Port, null);
            Socket peer = await server.AcceptAsync();
            ConnectionWait.UntilSettled(connection);
            Assert.False(connection.IsReadable);

            if (hangup == Hangup.Reset)
            {
                peer.LingerState = new LingerOption(true, 0);
            }
            else
            {
                peer.Shutdown(SocketShutdown.Both);
            }

            peer.Dispose();
            long noticedMs = PollUntilReadable(connection);

            Assert.True(connection.IsReadable, "a " + hangup + " was not noticed within " + NoticeBoundMs + " ms");
            Assert.True(noticedMs < NoticeBoundMs);
            Assert.Equal(0, connection.Available);
            Assert.Equal(0, connection.Read(new byte[16], 0, 16));
            Assert.Equal(state, connection.State);
            Assert.Equal(error, connection.Error);
            Assert.False(connection.IsReadable);
        }

        [Theory]
        [InlineData(Hangup.CloseNotify, NetState.Closed)]
        [InlineData(Hangup.Fin, NetState.Closed)]
        [InlineData(Hangup.Reset, NetState.Failed)]
        public async Task A_hangup_under_tls_is_readable_at_once_after_the_last_bytes(Hangup hangup, NetState state)
        {
            using var server = new LoopbackTlsServer();
            using TcpConnection connection = _connector.ConnectTcp(Loopback, server.Port, null);
            server.AcceptedStream = server.AcceptTlsAsync(_lab.SelfSignedServer);
            ConnectionWait.UntilSettled(connection);
            connection.StartTls(TlsLab.ServerName, new TlsPolicy(false, string.Empty));
            TlsWait.UntilHandshakeEnds(connection);
            SslStream peer = await server.AcceptedStream;
            Assert.Equal(TlsState.Established, connection.Tls);

            await peer.WriteAsync(Encoding.ASCII.GetBytes("+OK bye\r\n"));
            await peer.FlushAsync();
            if (hangup == Hangup.CloseNotify)
            {
                await peer.ShutdownAsync();
            }
            else if (hangup == Hangup.Reset)
            {
                server.Peer.LingerState = new LingerOption(true, 0);
            }

            if (hangup != Hangup.Reset)
            {
                server.Peer.Shutdown(SocketShutdown.Both);
            }

            server.Peer.Dispose();

            // The bytes sent before the close come first, then the close itself makes the connection readable.
            var received = new byte[64];
            int count = 0;
            var watch = Stopwatch.StartNew();
            while (count < 9 && connection.State == NetState.Open && watch.ElapsedMilliseconds < NoticeBoundMs)
            {
                count += connection.Read(received, count, received.Length - count);
                Thread.Sleep(1);
            }

            if (hangup != Hangup.Reset)
            {
                Assert.Equal("+OK bye\r\n", Encoding.ASCII.GetString(received, 0, count));
            }

            long noticedMs = PollUntilReadable(connection);
            Assert.True(connection.IsReadable || connection.State != NetState.Open, "a " + hangup + " under TLS was not noticed within " + NoticeBoundMs + " ms");
            Assert.True(noticedMs < NoticeBoundMs);
            Assert.Equal(0, connection.Available);
            connection.Read(received, 0, received.Length);
            Assert.Equal(state, connection.State);
        }
    }
}
