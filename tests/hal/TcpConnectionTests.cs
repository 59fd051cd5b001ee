using System;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using NetBoard.Hal.Host;

namespace NetBoard.Hal.Tests
{
    public class TcpConnectionTests
    {
        private const string Loopback = "127.0.0.1";

        private readonly TcpConnector _connector = new TcpConnector();

        [Fact]
        public async Task Connect_ToListener_BecomesOpenWithLocalAddress()
        {
            using var server = new LoopbackServer();
            using TcpConnection connection = _connector.ConnectTcp(Loopback, server.Port, null);
            using Socket peer = await server.AcceptAsync();

            ConnectionWait.UntilSettled(connection);

            Assert.Equal(NetState.Open, connection.State);
            Assert.Equal(NetError.None, connection.Error);
            Assert.Equal(string.Empty, connection.ErrorText);
            Assert.Equal(Loopback, connection.LocalAddress);
            Assert.Equal(IPAddress.Loopback, ((IPEndPoint)peer.RemoteEndPoint).Address);
        }

        [Fact]
        public void Connect_ReturnsAtOnceInConnectingState()
        {
            using var server = new LoopbackServer(1);

            // Full backlog: the kernel drops the SYN, so the handshake cannot finish before we look.
            using var filler = new FullBacklog(server.Port);
            using TcpConnection connection = _connector.ConnectTcp(Loopback, server.Port, string.Empty);

            Assert.Equal(NetState.Connecting, connection.State);
            Assert.Equal(string.Empty, connection.LocalAddress);
            Assert.Equal(0, connection.Available);
            Assert.Equal(0, connection.Read(new byte[16], 0, 16));
            Assert.Equal(0, connection.Write(new byte[16], 0, 16));
        }

        [Fact]
        public void Connect_ThroughInterface_ReturnsConnection()
        {
            using var server = new LoopbackServer();
            INetConnector connector = _connector;

            using INetConnection connection = connector.Connect(Loopback, server.Port, null);

            Assert.IsType<TcpConnection>(connection);
        }

        [Theory]
        [InlineData(0)]
        [InlineData(65536)]
        public void Connect_PortOutOfRange_Throws(int port)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => _connector.Connect(Loopback, port, null));
        }

        [Fact]
        public void Connect_EmptyHost_Throws()
        {
            Assert.Throws<ArgumentException>(() => _connector.Connect(string.Empty, 25, null));
        }

        [Fact]
        public async Task WriteAndRead_SmallMessages_RoundTrip()
        {
            using var server = new LoopbackServer();
            using TcpConnection connection = _connector.ConnectTcp(Loopback, server.Port, null);
            using Socket peer = await server.AcceptAsync();
            ConnectionWait.UntilSettled(connection);

            byte[] hello = Encoding.ASCII.GetBytes("EHLO board\r\n");
            Assert.Equal(hello.Length, connection.Write(hello, 0, hello.Length));
            var fromClient = new byte[hello.Length];
            int got = 0;
            while (got < fromClient.Length)
            {
                int count = peer.Receive(fromClient, got, fromClient.Length - got, SocketFlags.None);
                Assert.True(count > 0);
                got += count;
            }

            Assert.Equal(hello, fromClient);

            var buffer = new byte[64];
            Assert.Equal(0, connection.Read(buffer, 0, buffer.Length));
            Assert.Equal(NetState.Open, connection.State);

            byte[] reply = Encoding.ASCII.GetBytes("250 OK\r\n");
            peer.Send(reply);
            Assert.True(connection.WaitReadable(ConnectionWait.TimeoutMs));
            var watch = Stopwatch.StartNew();
            while (connection.Available < reply.Length && watch.ElapsedMilliseconds < ConnectionWait.TimeoutMs)
            {
                connection.WaitReadable(50);
            }

            Assert.Equal(reply.Length, connection.Available);
            int read = connection.Read(buffer, 3, buffer.Length - 3);
            Assert.Equal(reply.Length, read);
            Assert.Equal("250 OK\r\n", Encoding.ASCII.GetString(buffer, 3, read));
            Assert.Equal(0, connection.Available);
        }

        [Fact]
        public async Task WriteAndRead_FiveMegabytesBothWays_ArriveIntact()
        {
            const int PayloadBytes = 5 * 1024 * 1024;
            const int ChunkBytes = 64 * 1024;
            const int OverallTimeoutMs = 60000;

            var toServer = new byte[PayloadBytes];
            var toClient = new byte[PayloadBytes];
            new Random(1).NextBytes(toServer);
            new Random(2).NextBytes(toClient);

            using var server = new LoopbackServer();
            using TcpConnection connection = _connector.ConnectTcp(Loopback, server.Port, null);
            using Socket peer = await server.AcceptAsync();
            ConnectionWait.UntilSettled(connection);
            Assert.Equal(NetState.Open, connection.State);

            Task serverSend = Task.Run(() =>
            {
                int offset = 0;
                while (offset < PayloadBytes)
                {
                    offset += peer.Send(toClient, offset, Math.Min(ChunkBytes, PayloadBytes - offset), SocketFlags.None);
                }
            });
            var atServer = new byte[PayloadBytes];
            Task serverReceive = Task.Run(() =>
            {
                int offset = 0;
                while (offset < PayloadBytes)
                {
                    int count = peer.Receive(atServer, offset, PayloadBytes - offset, SocketFlags.None);
                    if (count == 0)
                    {
                        break;
                    }

                    offset += count;
                }
            });

            var atClient = new byte[PayloadBytes];
            int sent = 0;
            int received = 0;
            var watch = Stopwatch.StartNew();
            while ((sent < PayloadBytes || received < PayloadBytes) && watch.ElapsedMilliseconds < OverallTimeoutMs)
            {
                int progress = 0;
                if (sent < PayloadBytes)
                {
                    int taken = connection.Write(toServer, sent, Math.Min(ChunkBytes, PayloadBytes - sent));
                    sent += taken;
                    progress += taken;
                }

                int count = connection.Read(atClient, received, Math.Min(ChunkBytes, PayloadBytes - received));
                received += count;
                progress += count;
                Assert.Equal(NetState.Open, connection.State);
                if (progress == 0)
                {
                    connection.WaitReadable(1);
                }
            }

            await Task.WhenAll(serverSend, serverReceive).WaitAsync(TimeSpan.FromMilliseconds(OverallTimeoutMs));
            Assert.Equal(PayloadBytes, sent);
            Assert.Equal(PayloadBytes, received);
            Assert.True(toClient.AsSpan().SequenceEqual(atClient));
            Assert.True(toServer.AsSpan().SequenceEqual(atServer));
        }

        [Fact]
        public async Task Read_PeerClosed_DeliversDataThenClosed()
        {
            using var server = new LoopbackServer();
            using TcpConnection connection = _connector.ConnectTcp(Loopback, server.Port, null);
            Socket peer = await server.AcceptAsync();
            ConnectionWait.UntilSettled(connection);

            peer.Send(Encoding.ASCII.GetBytes("221 bye\r\n"));
            peer.Shutdown(SocketShutdown.Both);
            peer.Dispose();
            byte[] received = ConnectionWait.ReadUntilNotOpen(connection);

            Assert.Equal("221 bye\r\n", Encoding.ASCII.GetString(received));
            Assert.Equal(NetState.Closed, connection.State);
            Assert.Equal(NetError.None, connection.Error);
            Assert.Equal(0, connection.Read(new byte[8], 0, 8));
            Assert.Equal(0, connection.Write(new byte[8], 0, 8));
            Assert.True(connection.WaitReadable(0));
        }

        [Fact]
        public async Task Read_PeerReset_Fails()
        {
            using var server = new LoopbackServer();
            using TcpConnection connection = _connector.ConnectTcp(Loopback, server.Port, null);
            Socket peer = await server.AcceptAsync();
            ConnectionWait.UntilSettled(connection);

            // Linger 0 makes close send RST instead of FIN.
            peer.LingerState = new LingerOption(true, 0);
            peer.Dispose();
            ConnectionWait.ReadUntilNotOpen(connection);

            Assert.Equal(NetState.Failed, connection.State);
            Assert.Equal(NetError.Reset, connection.Error);
            Assert.NotEqual(string.Empty, connection.ErrorText);
        }

        [Fact]
        public async Task Write_AfterPeerReset_FailsWithReset()
        {
            using var server = new LoopbackServer();
            using TcpConnection connection = _connector.ConnectTcp(Loopback, server.Port, null);
            Socket peer = await server.AcceptAsync();
            ConnectionWait.UntilSettled(connection);
            peer.LingerState = new LingerOption(true, 0);
            peer.Dispose();

            var data = new byte[1024];
            var watch = Stopwatch.StartNew();
            while (connection.State == NetState.Open && watch.ElapsedMilliseconds < ConnectionWait.TimeoutMs)
            {
                connection.Write(data, 0, data.Length);
                connection.WaitReadable(10);
            }

            Assert.Equal(NetState.Failed, connection.State);
            Assert.Equal(NetError.Reset, connection.Error);
        }

        [Fact]
        public void Connect_ClosedPort_FailsRefused()
        {
            int port;
            using (var server = new LoopbackServer())
            {
                port = server.Port;
            }

            using TcpConnection connection = _connector.ConnectTcp(Loopback, port, null);
            ConnectionWait.UntilSettled(connection);

            Assert.Equal(NetState.Failed, connection.State);
            Assert.Equal(NetError.Refused, connection.Error);
            Assert.NotEqual(string.Empty, connection.ErrorText);
            Assert.Equal(string.Empty, connection.LocalAddress);
        }

        [Fact]
        public async Task Connect_BoundToLocalAddress_UsesIt()
        {
            const string Source = "127.0.0.20";
            using var server = new LoopbackServer();
            using TcpConnection connection = _connector.ConnectTcp(Loopback, server.Port, Source);
            using Socket peer = await server.AcceptAsync();
            ConnectionWait.UntilSettled(connection);

            Assert.Equal(NetState.Open, connection.State);
            Assert.Equal(Source, connection.LocalAddress);
            Assert.Equal(IPAddress.Parse(Source), ((IPEndPoint)peer.RemoteEndPoint).Address);
        }

        [Theory]
        [InlineData("10.255.255.1")]
        [InlineData("not-an-address")]
        public void Connect_UnusableLocalAddress_FailsLocalAddress(string localAddress)
        {
            // The target is loopback; the bind fails before any packet could leave.
            using var server = new LoopbackServer();
            using TcpConnection connection = _connector.ConnectTcp(Loopback, server.Port, localAddress);
            ConnectionWait.UntilSettled(connection);

            Assert.Equal(NetState.Failed, connection.State);
            Assert.Equal(NetError.LocalAddress, connection.Error);
            Assert.NotEqual(string.Empty, connection.ErrorText);
        }

        [Fact]
        public void Connect_UnresolvableName_FailsHostNotFound()
        {
            using TcpConnection connection = _connector.ConnectTcp("no-such-host.invalid", 25, null);
            ConnectionWait.UntilSettled(connection);

            Assert.Equal(NetState.Failed, connection.State);
            Assert.Equal(NetError.HostNotFound, connection.Error);
            Assert.NotEqual(string.Empty, connection.ErrorText);
        }

        [Fact]
        public void Close_WhileConnecting_StaysClosed()
        {
            using var server = new LoopbackServer(1);
            using var filler = new FullBacklog(server.Port);
            TcpConnection connection = _connector.ConnectTcp(Loopback, server.Port, null);
            Assert.False(connection.WaitReadable(50));

            connection.Close();
            connection.Close();
            connection.Dispose();

            Assert.Equal(NetState.Closed, connection.State);
            Assert.True(connection.WaitReadable(0));

            // Gives the cancelled background work time to unwind; it must not move the state again.
            Thread.Sleep(200);
            Assert.Equal(NetState.Closed, connection.State);
            Assert.Equal(NetError.None, connection.Error);
            Assert.Equal(string.Empty, connection.LocalAddress);
        }

        [Fact]
        public async Task Close_WhenOpen_PeerSeesEndAndCallsAreInert()
        {
            using var server = new LoopbackServer();
            TcpConnection connection = _connector.ConnectTcp(Loopback, server.Port, null);
            using Socket peer = await server.AcceptAsync();
            ConnectionWait.UntilSettled(connection);
            Assert.Equal(NetState.Open, connection.State);

            connection.Close();
            connection.Dispose();

            Assert.Equal(NetState.Closed, connection.State);
            Assert.Equal(0, peer.Receive(new byte[8]));
            Assert.Equal(0, connection.Read(new byte[8], 0, 8));
            Assert.Equal(0, connection.Write(new byte[8], 0, 8));
            Assert.Equal(0, connection.Available);
        }
    }
}
