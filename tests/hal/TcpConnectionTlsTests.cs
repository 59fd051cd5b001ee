using System;
using System.Diagnostics;
using System.IO;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using NetBoard.Hal.Host;

namespace NetBoard.Hal.Tests
{
    public class TcpConnectionTlsTests : IClassFixture<TlsLab>
    {
        private const string Loopback = "127.0.0.1";

        private static readonly TlsPolicy VerifyOff = new TlsPolicy(false, string.Empty);

        private readonly TcpConnector _connector = new TcpConnector();
        private readonly TlsLab _lab;

        public TcpConnectionTlsTests(TlsLab lab)
        {
            _lab = lab;
        }

        [Fact]
        public async Task StartTls_VerifyOff_AcceptsSelfSignedCertificate()
        {
            using var server = new LoopbackTlsServer();
            using TcpConnection connection = OpenTo(server.Port);
            Task<SslStream> accepting = server.AcceptTlsAsync(_lab.SelfSignedServer);
            ConnectionWait.UntilSettled(connection);
            Assert.Equal(TlsState.None, connection.Tls);

            connection.StartTls(TlsLab.ServerName, VerifyOff);

            Assert.Equal(TlsState.Handshaking, connection.Tls);
            Assert.Equal(string.Empty, connection.TlsDescription);
            Assert.Equal(0, connection.Write(new byte[4], 0, 4));
            TlsWait.UntilHandshakeEnds(connection);
            using SslStream peer = await accepting;
            Assert.NotNull(peer);
            Assert.Equal(NetState.Open, connection.State);
            Assert.Equal(TlsState.Established, connection.Tls);
            Assert.Equal(peer.SslProtocol + " " + peer.NegotiatedCipherSuite, connection.TlsDescription);
            Assert.Equal(NetError.None, connection.Error);
        }

        [Fact]
        public async Task StartTls_ThenFiveMegabytesBothWays_ArriveIntact()
        {
            const int PayloadBytes = 5 * 1024 * 1024;
            const int ChunkBytes = 64 * 1024;
            const int OverallTimeoutMs = 60000;

            var toServer = new byte[PayloadBytes];
            var toClient = new byte[PayloadBytes];
            new Random(3).NextBytes(toServer);
            new Random(4).NextBytes(toClient);

            using var server = new LoopbackTlsServer();
            using TcpConnection connection = OpenTo(server.Port);
            Task<SslStream> accepting = server.AcceptTlsAsync(_lab.Server);
            ConnectionWait.UntilSettled(connection);
            connection.StartTls(TlsLab.ServerName, new TlsPolicy(true, _lab.CaFile));
            TlsWait.UntilHandshakeEnds(connection);
            using SslStream peer = await accepting;
            Assert.Equal(TlsState.Established, connection.Tls);

            Task serverSend = Task.Run(async () =>
            {
                for (int offset = 0; offset < PayloadBytes; offset += ChunkBytes)
                {
                    await peer.WriteAsync(toClient.AsMemory(offset, Math.Min(ChunkBytes, PayloadBytes - offset)));
                }
            });
            var atServer = new byte[PayloadBytes];
            Task serverReceive = Task.Run(async () =>
            {
                int offset = 0;
                while (offset < PayloadBytes)
                {
                    int count = await peer.ReadAsync(atServer.AsMemory(offset));
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
        public async Task Write_PeerNotReading_FillsUpThenTakesNothingAndLosesNoByte()
        {
            const int ChunkBytes = 64 * 1024;
            const int MostBytes = 256 * 1024 * 1024;

            using var server = new LoopbackTlsServer();
            using TcpConnection connection = await EstablishedAsync(server, VerifyOff);
            SslStream peer = await server.AcceptedStream;

            // The peer reads nothing yet, so the buffers and the TCP window fill and Write must start refusing.
            var chunk = new byte[ChunkBytes];
            long taken = 0;
            int last;
            do
            {
                for (int i = 0; i < chunk.Length; i++)
                {
                    chunk[i] = (byte)(taken + i);
                }

                last = connection.Write(chunk, 0, chunk.Length);
                taken += last;
            }
            while (last > 0 && taken < MostBytes);

            Assert.Equal(0, last);
            Assert.Equal(NetState.Open, connection.State);

            var buffer = new byte[ChunkBytes];
            long seen = 0;
            while (seen < taken)
            {
                int count = await peer.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, taken - seen)));
                Assert.True(count > 0);
                for (int i = 0; i < count; i++)
                {
                    Assert.Equal((byte)(seen + i), buffer[i]);
                }

                seen += count;
            }

            Assert.Equal(taken, seen);
        }

        [Theory]
        [InlineData(false, "UntrustedRoot")]
        [InlineData(true, "PartialChain")]
        public async Task StartTls_VerifyOnWithoutCaFile_RefusesCertificate(bool caSigned, string chainStatus)
        {
            using var server = new LoopbackTlsServer();
            using TcpConnection connection = OpenTo(server.Port);
            Task<SslStream> accepting = server.AcceptTlsAsync(caSigned ? _lab.Server : _lab.SelfSignedServer);
            ConnectionWait.UntilSettled(connection);

            connection.StartTls(TlsLab.ServerName, new TlsPolicy(true, string.Empty));
            TlsWait.UntilHandshakeEnds(connection);
            await accepting;

            Assert.Equal(NetState.Failed, connection.State);
            Assert.Equal(NetError.Certificate, connection.Error);
            Assert.StartsWith("certificate refused: RemoteCertificateChainErrors (", connection.ErrorText);
            Assert.Contains(chainStatus, connection.ErrorText);
            Assert.Equal(string.Empty, connection.TlsDescription);
        }

        [Fact]
        public async Task StartTls_CaFileAndMatchingName_Accepts()
        {
            using var server = new LoopbackTlsServer();
            using TcpConnection connection = await EstablishedAsync(server, new TlsPolicy(true, _lab.CaFile));

            Assert.Equal(NetState.Open, connection.State);
            Assert.Equal(TlsState.Established, connection.Tls);
            Assert.StartsWith("Tls1", connection.TlsDescription);
        }

        [Fact]
        public async Task StartTls_CaFileButOtherName_RefusesNameMismatch()
        {
            using var server = new LoopbackTlsServer();
            using TcpConnection connection = OpenTo(server.Port);
            Task<SslStream> accepting = server.AcceptTlsAsync(_lab.Server);
            ConnectionWait.UntilSettled(connection);

            connection.StartTls("other.lab.test", new TlsPolicy(true, _lab.CaFile));
            TlsWait.UntilHandshakeEnds(connection);
            await accepting;

            Assert.Equal(NetState.Failed, connection.State);
            Assert.Equal(NetError.Certificate, connection.Error);
            Assert.StartsWith("certificate refused: ", connection.ErrorText);
            Assert.Contains("RemoteCertificateNameMismatch", connection.ErrorText);
        }

        [Fact]
        public async Task StartTls_CaFileOfAnotherCa_RefusesCertificate()
        {
            using var server = new LoopbackTlsServer();
            using TcpConnection connection = OpenTo(server.Port);
            Task<SslStream> accepting = server.AcceptTlsAsync(_lab.Server);
            ConnectionWait.UntilSettled(connection);

            connection.StartTls(TlsLab.ServerName, new TlsPolicy(true, _lab.OtherCaFile));
            TlsWait.UntilHandshakeEnds(connection);
            await accepting;

            Assert.Equal(NetState.Failed, connection.State);
            Assert.Equal(NetError.Certificate, connection.Error);
            Assert.StartsWith("certificate refused: RemoteCertificateChainErrors (", connection.ErrorText);
        }

        [Fact]
        public async Task StartTls_MissingCaFile_RefusesCertificateNamingTheFile()
        {
            string missing = Path.Combine(Path.GetTempPath(), "netboard-missing-" + Path.GetRandomFileName() + ".pem");
            using var server = new LoopbackTlsServer();
            using TcpConnection connection = OpenTo(server.Port);
            Task<SslStream> accepting = server.AcceptTlsAsync(_lab.Server);
            ConnectionWait.UntilSettled(connection);

            connection.StartTls(TlsLab.ServerName, new TlsPolicy(true, missing));
            TlsWait.UntilHandshakeEnds(connection);
            await accepting;

            Assert.Equal(NetState.Failed, connection.State);
            Assert.Equal(NetError.Certificate, connection.Error);
            Assert.Contains(missing, connection.ErrorText);
        }

        [Fact]
        public async Task StartTls_ServerClosesDuringHandshake_FailsTls()
        {
            using var server = new LoopbackTlsServer();
            using TcpConnection connection = OpenTo(server.Port);
            Task<Socket> accepting = server.AcceptPlainAsync();
            ConnectionWait.UntilSettled(connection);
            Socket peer = await accepting;

            connection.StartTls(TlsLab.ServerName, VerifyOff);
            ReceiveSome(peer);
            peer.Shutdown(SocketShutdown.Both);
            peer.Dispose();
            TlsWait.UntilHandshakeEnds(connection);

            Assert.Equal(NetState.Failed, connection.State);
            Assert.Equal(NetError.Tls, connection.Error);
            Assert.StartsWith("handshake failed: ", connection.ErrorText);
        }

        [Fact]
        public async Task StartTls_ServerAnswersPlainText_FailsTls()
        {
            using var server = new LoopbackTlsServer();
            using TcpConnection connection = OpenTo(server.Port);
            Task<Socket> accepting = server.AcceptPlainAsync();
            ConnectionWait.UntilSettled(connection);
            using Socket peer = await accepting;

            connection.StartTls(TlsLab.ServerName, VerifyOff);
            ReceiveSome(peer);

            // The server keeps the connection open: only the garbage itself may end the handshake.
            peer.Send(Encoding.ASCII.GetBytes("220 hello\r\n"));
            TlsWait.UntilHandshakeEnds(connection);

            Assert.Equal(NetState.Failed, connection.State);
            Assert.Equal(NetError.Tls, connection.Error);
            Assert.StartsWith("handshake failed: ", connection.ErrorText);
        }

        [Fact]
        public async Task StartTls_ServerChoosesTls11_FailsTls()
        {
            // OpenSSL 3 here refuses to run a TLS 1.1 server ("no ciphers available"), so a scripted
            // server answers the client hello with a TLS 1.1 server hello, as a 1.1-only server would.
            using var server = new LoopbackTlsServer();
            using TcpConnection connection = OpenTo(server.Port);
            Task<Socket> accepting = server.AcceptPlainAsync();
            ConnectionWait.UntilSettled(connection);
            using Socket peer = await accepting;

            connection.StartTls(TlsLab.ServerName, VerifyOff);
            ReceiveSome(peer);
            peer.Send(Tls11ServerHello());
            TlsWait.UntilHandshakeEnds(connection);

            Assert.Equal(NetState.Failed, connection.State);
            Assert.Equal(NetError.Tls, connection.Error);
            Assert.Contains("protocol", connection.ErrorText, StringComparison.OrdinalIgnoreCase);
        }

        [Fact]
        public async Task Close_DuringHandshake_StaysClosedAndPeerSeesEnd()
        {
            using var server = new LoopbackTlsServer();
            TcpConnection connection = OpenTo(server.Port);
            Task<Socket> accepting = server.AcceptPlainAsync();
            ConnectionWait.UntilSettled(connection);
            using Socket peer = await accepting;
            connection.StartTls(TlsLab.ServerName, VerifyOff);
            ReceiveSome(peer);

            connection.Close();
            connection.Close();
            connection.Dispose();

            Assert.Equal(NetState.Closed, connection.State);
            Assert.True(connection.WaitReadable(0));
            var buffer = new byte[4096];
            while (peer.Receive(buffer) > 0)
            {
                // Drains whatever the client had sent before the end.
            }

            Assert.Equal(NetState.Closed, connection.State);
            Assert.Equal(NetError.None, connection.Error);
            Assert.Equal(0, connection.Read(buffer, 0, buffer.Length));
            Assert.Equal(0, connection.Write(buffer, 0, buffer.Length));
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public async Task Read_PeerClosesAfterData_DeliversDataThenClosed(bool closeNotify)
        {
            using var server = new LoopbackTlsServer();
            using TcpConnection connection = await EstablishedAsync(server, VerifyOff);
            SslStream peer = await server.AcceptedStream;

            await peer.WriteAsync(Encoding.ASCII.GetBytes("221 bye\r\n"));
            if (closeNotify)
            {
                await peer.ShutdownAsync();
            }

            peer.Dispose();
            server.Peer.Shutdown(SocketShutdown.Both);
            server.Peer.Dispose();
            byte[] received = ConnectionWait.ReadUntilNotOpen(connection);

            Assert.Equal("221 bye\r\n", Encoding.ASCII.GetString(received));
            Assert.Equal(NetState.Closed, connection.State);
            Assert.Equal(NetError.None, connection.Error);
            Assert.Equal(0, connection.Available);
            Assert.Equal(0, connection.Read(new byte[8], 0, 8));
        }

        [Fact]
        public async Task ReadAndAvailable_AfterHandshake_ReportOnlyDecryptedBytes()
        {
            using var server = new LoopbackTlsServer();
            using TcpConnection connection = await EstablishedAsync(server, VerifyOff);
            SslStream peer = await server.AcceptedStream;
            var buffer = new byte[64];
            Assert.Equal(0, connection.Read(buffer, 0, buffer.Length));

            byte[] hello = Encoding.ASCII.GetBytes("EHLO board\r\n");
            Assert.Equal(hello.Length, connection.Write(hello, 0, hello.Length));
            var atServer = new byte[hello.Length];
            await peer.ReadExactlyAsync(atServer);
            Assert.Equal(hello, atServer);

            byte[] reply = Encoding.ASCII.GetBytes("250 OK\r\n");
            await peer.WriteAsync(reply);
            var watch = Stopwatch.StartNew();
            while (connection.Available < reply.Length && watch.ElapsedMilliseconds < ConnectionWait.TimeoutMs)
            {
                connection.WaitReadable(50);
            }

            Assert.Equal(reply.Length, connection.Available);
            int read = connection.Read(buffer, 5, buffer.Length - 5);
            Assert.Equal("250 OK\r\n", Encoding.ASCII.GetString(buffer, 5, read));
            Assert.Equal(0, connection.Available);
            Assert.Equal(0, connection.Read(buffer, 0, buffer.Length));
            Assert.Equal(NetState.Open, connection.State);
        }

        [Fact]
        public async Task StartTls_Twice_Throws()
        {
            using var server = new LoopbackTlsServer();
            using TcpConnection connection = OpenTo(server.Port);
            Task<SslStream> accepting = server.AcceptTlsAsync(_lab.Server);
            ConnectionWait.UntilSettled(connection);
            connection.StartTls(TlsLab.ServerName, VerifyOff);

            Assert.Throws<InvalidOperationException>(() => connection.StartTls(TlsLab.ServerName, VerifyOff));

            TlsWait.UntilHandshakeEnds(connection);
            using SslStream peer = await accepting;
            Assert.Throws<InvalidOperationException>(() => connection.StartTls(TlsLab.ServerName, VerifyOff));
            Assert.Equal(TlsState.Established, connection.Tls);
        }

        [Fact]
        public void StartTls_WhileConnecting_Throws()
        {
            using var server = new LoopbackServer(1);
            using var filler = new FullBacklog(server.Port);
            using TcpConnection connection = _connector.ConnectTcp(Loopback, server.Port, null);

            Assert.Throws<InvalidOperationException>(() => connection.StartTls(TlsLab.ServerName, VerifyOff));
            Assert.Equal(TlsState.None, connection.Tls);
        }

        [Fact]
        public async Task StartTls_AfterClose_Throws()
        {
            using var server = new LoopbackServer();
            using TcpConnection connection = _connector.ConnectTcp(Loopback, server.Port, null);
            using Socket peer = await server.AcceptAsync();
            ConnectionWait.UntilSettled(connection);
            connection.Close();

            Assert.Throws<InvalidOperationException>(() => connection.StartTls(TlsLab.ServerName, VerifyOff));
            Assert.Equal(TlsState.None, connection.Tls);
        }

        private static void ReceiveSome(Socket peer)
        {
            // Waits for the client hello, so the server acts mid-handshake rather than before it.
            var hello = new byte[16 * 1024];
            Assert.True(peer.Receive(hello) > 0);
        }

        private static byte[] Tls11ServerHello()
        {
            const byte Handshake = 0x16;
            const byte ServerHelloType = 0x02;
            const int BodyBytes = 2 + 32 + 1 + 2 + 1;
            var message = new byte[5 + 4 + BodyBytes];
            message[0] = Handshake;
            message[1] = 0x03;
            message[2] = 0x02;
            message[3] = 0;
            message[4] = 4 + BodyBytes;
            message[5] = ServerHelloType;
            message[6] = 0;
            message[7] = 0;
            message[8] = BodyBytes;

            // Server version TLS 1.1, a random without the TLS 1.3 downgrade marker, no session id,
            // TLS_RSA_WITH_AES_128_CBC_SHA, no compression.
            message[9] = 0x03;
            message[10] = 0x02;
            new Random(11).NextBytes(message.AsSpan(11, 32));
            message[43] = 0;
            message[44] = 0x00;
            message[45] = 0x2F;
            message[46] = 0;
            return message;
        }

        private TcpConnection OpenTo(int port)
        {
            return _connector.ConnectTcp(Loopback, port, null);
        }

        private async Task<TcpConnection> EstablishedAsync(LoopbackTlsServer server, TlsPolicy policy)
        {
            TcpConnection connection = OpenTo(server.Port);
            server.AcceptedStream = server.AcceptTlsAsync(_lab.Server);
            ConnectionWait.UntilSettled(connection);
            connection.StartTls(TlsLab.ServerName, policy);
            TlsWait.UntilHandshakeEnds(connection);
            Assert.NotNull(await server.AcceptedStream);
            Assert.Equal(TlsState.Established, connection.Tls);
            return connection;
        }
    }
}
