using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace NetBoard.Boards.Host.Tests
{
    /// <summary>One message as the server stored it: the envelope and the raw bytes after DATA.</summary>
    internal sealed class ReceivedMessage
    {
        public ReceivedMessage(string from, string[] to, byte[] raw)
        {
            From = from;
            To = to;
            Raw = raw;
        }

        public string From { get; }

        public string[] To { get; }

        public byte[] Raw { get; }
    }

    /// <summary>
    /// The third-party SmtpServer on 127.0.0.1 and a free port, requiring AUTH (PLAIN or LOGIN without TLS)
    /// against one user name and password, keeping every message and every login attempt.
    /// </summary>
    internal sealed class LoopbackSmtpServer : IDisposable
    {
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly SmtpServer.SmtpServer _server;
        private readonly Task _running;

        public LoopbackSmtpServer(string user, string password)
        {
            Port = FreePort();
            var options = new SmtpServerOptionsBuilder()
                .ServerName("smtp.lab.test")
                .Endpoint(endpoint => endpoint
                    .Endpoint(new IPEndPoint(IPAddress.Loopback, Port))
                    .AuthenticationRequired(true)
                    .AllowUnsecureAuthentication(true))
                .Build();

            var services = new SmtpServer.ComponentModel.ServiceProvider();
            services.Add(new Authenticator(this, user, password));
            services.Add(new Store(this));
            _server = new SmtpServer.SmtpServer(options, services);
            _running = _server.StartAsync(_stop.Token);
            WaitUntilListening();
        }

        public int Port { get; }

        /// <summary>Every (user, password) the authenticator was asked to check, in order.</summary>
        public ConcurrentQueue<(string User, string Password)> Logins { get; } = new ConcurrentQueue<(string, string)>();

        public ConcurrentQueue<ReceivedMessage> Messages { get; } = new ConcurrentQueue<ReceivedMessage>();

        public void Dispose()
        {
            _stop.Cancel();
            try
            {
                _running.Wait(TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
                // Cancelling the listener ends its task with the cancellation.
            }

            _stop.Dispose();
        }

        private static int FreePort()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return port;
        }

        private void WaitUntilListening()
        {
            // The listener starts on the server's own task: poll with a bounded number of connects.
            for (int attempt = 0; attempt < 100; attempt++)
            {
                if (_running.IsFaulted)
                {
                    throw new InvalidOperationException("SMTP server failed to start", _running.Exception);
                }

                try
                {
                    using var client = new TcpClient();
                    client.Connect(IPAddress.Loopback, Port);
                    return;
                }
                catch (SocketException)
                {
                    Thread.Sleep(50);
                }
            }

            throw new InvalidOperationException("SMTP server did not start listening on port " + Port);
        }

        private sealed class Authenticator : IUserAuthenticator
        {
            private readonly LoopbackSmtpServer _owner;
            private readonly string _user;
            private readonly string _password;

            public Authenticator(LoopbackSmtpServer owner, string user, string password)
            {
                _owner = owner;
                _user = user;
                _password = password;
            }

            public Task<bool> AuthenticateAsync(ISessionContext context, string user, string password, CancellationToken cancellationToken)
            {
                _owner.Logins.Enqueue((user, password));
                return Task.FromResult(string.Equals(user, _user, StringComparison.Ordinal) && string.Equals(password, _password, StringComparison.Ordinal));
            }
        }

        private sealed class Store : MessageStore
        {
            private readonly LoopbackSmtpServer _owner;

            public Store(LoopbackSmtpServer owner)
            {
                _owner = owner;
            }

            public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
            {
                string[] to = new string[transaction.To.Count];
                for (int i = 0; i < to.Length; i++)
                {
                    to[i] = transaction.To[i].User + "@" + transaction.To[i].Host;
                }

                _owner.Messages.Enqueue(new ReceivedMessage(transaction.From.User + "@" + transaction.From.Host, to, buffer.ToArray()));
                return Task.FromResult(SmtpResponse.Ok);
            }
        }
    }
}
