using System;
using System.Threading;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NetBoard.Hal.Host;

namespace NetBoard.Hal.Tests
{
    public class TcpNetListenerTests
    {
        private static TcpConnection AcceptWithin(TcpNetListener listener)
        {
            var watch = Stopwatch.StartNew();
            while (watch.ElapsedMilliseconds < ConnectionWait.TimeoutMs)
            {
                INetConnection accepted = listener.Accept();
                if (accepted != null)
                {
                    return (TcpConnection)accepted;
                }

                Thread.Sleep(5);
            }

            throw new TimeoutException("no client accepted");
        }

        [Fact]
        public void Accept_returns_null_at_once_when_no_client_waits()
        {
            using var listener = new TcpNetListener(null, 0);
            Assert.True(listener.IsListening);
            Assert.NotEqual(0, listener.LocalPort);
            Assert.Null(listener.Accept());
        }

        [Fact]
        public void Binds_loopback_by_default()
        {
            using var listener = new TcpNetListener(string.Empty, 0);
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            client.Connect(new IPEndPoint(IPAddress.Loopback, listener.LocalPort));
            using TcpConnection server = AcceptWithin(listener);
            Assert.Equal("127.0.0.1", server.LocalAddress);
        }

        [Fact]
        public void Accepted_connection_is_open_and_moves_bytes_both_ways()
        {
            using var listener = new TcpNetListener("127.0.0.1", 0);
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            client.Connect(new IPEndPoint(IPAddress.Loopback, listener.LocalPort));
            using TcpConnection server = AcceptWithin(listener);
            Assert.Equal(NetState.Open, server.State);

            client.Send(Encoding.ASCII.GetBytes("ping"));
            byte[] reply = Encoding.ASCII.GetBytes("pong");
            Assert.Equal(4, server.Write(reply, 0, reply.Length));
            var fromServer = new byte[4];
            int got = 0;
            client.ReceiveTimeout = ConnectionWait.TimeoutMs;
            while (got < 4)
            {
                got += client.Receive(fromServer, got, 4 - got, SocketFlags.None);
            }

            Assert.Equal("pong", Encoding.ASCII.GetString(fromServer));
            client.Shutdown(SocketShutdown.Send);
            byte[] received = ConnectionWait.ReadUntilNotOpen(server);
            Assert.Equal("ping", Encoding.ASCII.GetString(received));
            Assert.Equal(NetState.Closed, server.State);
        }

        [Fact]
        public void Closed_listener_accepts_nothing_and_refuses_clients()
        {
            var listener = new TcpNetListener(null, 0);
            int port = listener.LocalPort;
            listener.Close();
            listener.Close();
            Assert.False(listener.IsListening);
            Assert.Null(listener.Accept());
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            Assert.Throws<SocketException>(() => client.Connect(new IPEndPoint(IPAddress.Loopback, port)));
        }
    }
}
