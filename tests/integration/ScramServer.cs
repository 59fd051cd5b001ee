using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace NetBoard.Integration.Tests
{
    /// <summary>What a <see cref="ScramServer"/> does wrong, on purpose.</summary>
    internal enum ScramFault
    {
        /// <summary>A correct SCRAM-SHA-256 server.</summary>
        None,

        /// <summary>Accepts the proof but sends a server signature computed from another password.</summary>
        WrongSignature,

        /// <summary>Asks for 1,000,000,000 iterations.</summary>
        HugeIterationCount,

        /// <summary>Sends a server-first message whose nonce does not start with the client's.</summary>
        MalformedServerFirst,
    }

    /// <summary>
    /// A one-connection SMTP server on loopback that offers only SCRAM-SHA-256 and plays the server's side with .NET's
    /// HMAC and PBKDF2, for the faults the lab's Dovecot never makes. It records the lines it received.
    /// </summary>
    internal sealed class ScramServer : IDisposable
    {
        private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

        private readonly TcpListener _listener;
        private readonly string _password;
        private readonly ScramFault _fault;
        private readonly List<string> _received = new List<string>();
        private readonly Task _serve;

        public ScramServer(string password, ScramFault fault)
        {
            _password = password;
            _fault = fault;
            _listener = new TcpListener(IPAddress.Loopback, 0);
            _listener.Start();
            _serve = Task.Run(Serve);
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        /// <summary>True once the client's proof checked out.</summary>
        public bool ProofVerified { get; private set; }

        /// <summary>Waits until the board closed the connection and returns the received lines.</summary>
        public string[] ReceivedLines()
        {
            Assert.True(_serve.Wait(Bound + Bound), "the SCRAM server did not finish");
            lock (_received)
            {
                return _received.ToArray();
            }
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
                using StreamReader reader = new StreamReader(stream, Encoding.ASCII);
                await Send(stream, "220 scram.test ESMTP", bound.Token);
                string bare = null;
                string serverFirst = null;
                string nonce = null;
                byte[] salt = Encoding.ASCII.GetBytes("scripted-salt-16");
                bool data = false;
                while (true)
                {
                    string line = await reader.ReadLineAsync(bound.Token);
                    if (line == null)
                    {
                        return;
                    }

                    lock (_received)
                    {
                        _received.Add(line);
                    }

                    if (data)
                    {
                        if (line == ".")
                        {
                            data = false;
                            await Send(stream, "250 2.0.0 Ok: queued as 5C4A", bound.Token);
                        }

                        continue;
                    }

                    string verb = line.Split(' ')[0].ToUpperInvariant();
                    if (verb == "EHLO")
                    {
                        await Send(stream, "250-scram.test\r\n250 AUTH SCRAM-SHA-256", bound.Token);
                    }
                    else if (verb == "AUTH" && bare == null)
                    {
                        string clientFirst = Encoding.UTF8.GetString(Convert.FromBase64String(line.Split(' ')[2]));
                        bare = clientFirst.Substring(3);
                        string clientNonce = bare.Substring(bare.IndexOf(",r=", StringComparison.Ordinal) + 3);
                        nonce = (_fault == ScramFault.MalformedServerFirst ? "not-the-client-nonce" : clientNonce) + "srvNONCE%";
                        int iterations = _fault == ScramFault.HugeIterationCount ? 1_000_000_000 : 4096;
                        serverFirst = "r=" + nonce + ",s=" + Convert.ToBase64String(salt) + ",i=" + iterations;
                        await Send(stream, "334 " + B64(serverFirst), bound.Token);
                    }
                    else if (line == "*")
                    {
                        await Send(stream, "501 5.7.0 Authentication aborted", bound.Token);
                    }
                    else if (verb == "QUIT")
                    {
                        await Send(stream, "221 2.0.0 Bye", bound.Token);
                        return;
                    }
                    else if (verb == "MAIL" || verb == "RCPT")
                    {
                        await Send(stream, "250 2.1.0 Ok", bound.Token);
                    }
                    else if (verb == "DATA")
                    {
                        data = true;
                        await Send(stream, "354 End data with <CR><LF>.<CR><LF>", bound.Token);
                    }
                    else if (bare != null && !ProofVerified && line.Length > 0)
                    {
                        string clientFinal = Encoding.UTF8.GetString(Convert.FromBase64String(line));
                        string withoutProof = "c=biws,r=" + nonce;
                        byte[] authMessage = Encoding.UTF8.GetBytes(bare + "," + serverFirst + "," + withoutProof);
                        byte[] salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(_password), salt, 4096, HashAlgorithmName.SHA256, 32);
                        byte[] clientKey = HMACSHA256.HashData(salted, Encoding.ASCII.GetBytes("Client Key"));
                        byte[] storedKey = SHA256.HashData(clientKey);
                        byte[] signature = HMACSHA256.HashData(storedKey, authMessage);
                        byte[] proof = Convert.FromBase64String(clientFinal.Substring(withoutProof.Length + 3));
                        byte[] recovered = new byte[proof.Length];
                        for (int i = 0; i < proof.Length; i++)
                        {
                            recovered[i] = (byte)(proof[i] ^ signature[i]);
                        }

                        if (!clientFinal.StartsWith(withoutProof + ",p=", StringComparison.Ordinal) || !SHA256.HashData(recovered).AsSpan().SequenceEqual(storedKey))
                        {
                            await Send(stream, "535 5.7.8 Error: authentication failed", bound.Token);
                            continue;
                        }

                        ProofVerified = true;
                        byte[] keyFor = _fault == ScramFault.WrongSignature
                            ? Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes("some other password"), salt, 4096, HashAlgorithmName.SHA256, 32)
                            : salted;
                        byte[] serverKey = HMACSHA256.HashData(keyFor, Encoding.ASCII.GetBytes("Server Key"));
                        await Send(stream, "334 " + B64("v=" + Convert.ToBase64String(HMACSHA256.HashData(serverKey, authMessage))), bound.Token);
                    }
                    else if (ProofVerified && line.Length == 0)
                    {
                        await Send(stream, "235 2.7.0 Authentication successful", bound.Token);
                    }
                    else
                    {
                        await Send(stream, "500 5.5.2 unexpected", bound.Token);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // the bound passed: ReceivedLines() shows what came until then
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

        private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

        private static async Task Send(NetworkStream stream, string reply, CancellationToken token)
        {
            byte[] bytes = Encoding.ASCII.GetBytes(reply + "\r\n");
            await stream.WriteAsync(bytes, token);
        }
    }
}
