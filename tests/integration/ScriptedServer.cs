using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace NetBoard.Integration.Tests
{
    /// <summary>
    /// A one-connection line server on loopback for the replies the lab cannot give (a refused STARTTLS, a POP server
    /// without STLS, a 421, a broken reply to the final dot). It answers each command by its first word from a table
    /// and records everything it received. After a 354 reply to DATA it takes message lines until the lone "." and
    /// answers that with the table's "." entry (default: 250).
    /// </summary>
    internal sealed class ScriptedServer : IDisposable
    {
        /// <summary>How long the server waits for the board (a bound on a stuck run, not an assertion on speed).</summary>
        private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

        private readonly TcpListener _listener;
        private readonly string _greeting;
        private readonly IReadOnlyDictionary<string, string> _replies;
        private readonly string _otherwise;
        private readonly MemoryStream _received = new MemoryStream();
        private readonly Task _serve;

        /// <param name="greeting">Sent on connect, with CRLF added.</param>
        /// <param name="replies">By upper-case first word: the reply lines (CRLF added to each, '\n' separates lines). QUIT also closes.</param>
        /// <param name="otherwise">The reply to any other command.</param>
        public ScriptedServer(string greeting, IReadOnlyDictionary<string, string> replies, string otherwise)
        {
            _greeting = greeting;
            _replies = replies;
            _otherwise = otherwise;
            _listener = new TcpListener(IPAddress.Loopback, 0);
            _listener.Start();
            _serve = Task.Run(Serve);
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        /// <summary>Waits until the board closed the connection (or the bound passed) and returns what the server received.</summary>
        public string Received()
        {
            Assert.True(_serve.Wait(Bound + Bound), "the scripted server did not finish");
            lock (_received)
            {
                return Encoding.Latin1.GetString(_received.ToArray());
            }
        }

        /// <summary>The received command lines.</summary>
        public string[] ReceivedLines()
        {
            return Received().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        }

        public void Dispose()
        {
            _listener.Stop();
        }

        private async Task Serve()
        {
            using CancellationTokenSource bound = new CancellationTokenSource(Bound);
            try
            {
                using TcpClient client = await _listener.AcceptTcpClientAsync(bound.Token);
                using NetworkStream stream = client.GetStream();
                await Send(stream, _greeting, bound.Token);
                StringBuilder line = new StringBuilder();
                bool inData = false;
                byte[] buffer = new byte[4096];
                while (true)
                {
                    int read = await stream.ReadAsync(buffer, bound.Token);
                    if (read <= 0)
                    {
                        return;
                    }

                    lock (_received)
                    {
                        _received.Write(buffer, 0, read);
                    }

                    for (int i = 0; i < read; i++)
                    {
                        char c = (char)buffer[i];
                        if (c != '\n')
                        {
                            line.Append(c);
                            continue;
                        }

                        string command = line.ToString().TrimEnd('\r');
                        line.Clear();
                        if (inData && command != ".")
                        {
                            continue;
                        }

                        string verb = command.Split(' ')[0].ToUpperInvariant();
                        string reply;
                        if (!_replies.TryGetValue(verb, out reply))
                        {
                            reply = inData ? "250 2.0.0 Ok: queued" : _otherwise;
                        }

                        inData = verb == "DATA" && reply.StartsWith("354", StringComparison.Ordinal);
                        await Send(stream, reply, bound.Token);
                        if (verb == "QUIT")
                        {
                            return;
                        }
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // the bound passed: Received() shows what came until then
            }
            catch (IOException)
            {
                // the board reset the connection
            }
            catch (SocketException)
            {
                // the board reset the connection, or Dispose stopped the listener
            }
        }

        private static async Task Send(NetworkStream stream, string reply, CancellationToken token)
        {
            byte[] bytes = Encoding.ASCII.GetBytes(reply.Replace("\n", "\r\n") + "\r\n");
            await stream.WriteAsync(bytes, token);
        }
    }
}
