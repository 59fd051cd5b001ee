using System;
using System.IO;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using NetBoard.Firmware.Jobs;
using NetBoard.Firmware.Mime;
using NetBoard.Firmware.Net;
using NetBoard.Firmware.Pop;
using NetBoard.Firmware.Settings;
using NetBoard.Firmware.Smtp;
using NetBoard.Hal;
using NetBoard.Hal.Host;

namespace NetBoard.Bench
{
    /// <summary>One message: the same sender, recipient, subject and attachment for both clients.</summary>
    internal sealed class BenchMessage
    {
        public const string Sender = "scanner@lab.test";
        public const string Recipient = "scan@lab.test";
        public const string DeviceName = "MFP";
        public const string FileName = "scan.pdf";

        public BenchMessage(byte[] attachment)
        {
            Attachment = attachment;
        }

        public byte[] Attachment { get; }
    }

    /// <summary>
    /// The firmware as the device runs a send: the settings turned into the attempt's <see cref="SendPlan"/>,
    /// which gives the session options and message data, a <see cref="MessageComposer"/> over the document,
    /// an <see cref="SmtpSession"/>, and a <see cref="SessionTransfer"/> stepped in a tight loop.
    /// </summary>
    internal sealed class FirmwareSender
    {
        private readonly INetConnector _connector;
        private readonly IClock _clock = new SystemClock();
        private readonly Random _random = new Random(1);
        private readonly DeviceSettings _settings = new DeviceSettings();
        private readonly SendPlan _plan;
        private readonly MailJob _job;
        private byte[] _token;

        public FirmwareSender(INetConnector connector, int port)
            : this(connector, port, "off", null, null, new[] { BenchMessage.Recipient })
        {
        }

        /// <summary>
        /// A sender with smtp.auth set to <paramref name="auth"/> and the given credentials and recipients; with
        /// <paramref name="popPort"/> set, POP before SMTP (pop.login=user, the same credentials, the default delay);
        /// smtp.chunking set to <paramref name="chunking"/> (auto: BDAT where the server announces CHUNKING).
        /// </summary>
        public FirmwareSender(INetConnector connector, int port, string auth, string user, string password, string[] recipients, int popPort = 0, string chunking = "auto")
        {
            _connector = connector;
            _settings.Set(SettingKeys.SmtpHost, "127.0.0.1");
            _settings.Set(SettingKeys.SmtpChunking, chunking);
            _settings.Set(SettingKeys.SmtpPort, port.ToString());
            _settings.Set(SettingKeys.SmtpAuth, auth);
            if (user != null)
            {
                _settings.Set(SettingKeys.SmtpUser, user);
                _settings.Set(SettingKeys.SmtpPassword, password);
            }

            if (popPort != 0)
            {
                _settings.Set(SettingKeys.PopBeforeSmtp, "on");
                _settings.Set(SettingKeys.PopHost, "127.0.0.1");
                _settings.Set(SettingKeys.PopPort, popPort.ToString());
                _settings.Set(SettingKeys.PopUser, user);
                _settings.Set(SettingKeys.PopPassword, password);
                _settings.Set(SettingKeys.PopLogin, "user");
            }

            _settings.Set(SettingKeys.DeviceEmail, BenchMessage.Sender);
            _settings.Set(SettingKeys.DeviceName, BenchMessage.DeviceName);
            _job = new MailJob(1, JobKind.Email, recipients, string.Empty, "docs/bench/" + BenchMessage.FileName);

            // As the send task does: one plan serves every attempt while the same settings are in force.
            _plan = SendPlan.Create(_settings);
        }

        /// <summary>A sender that authenticates with <paramref name="token"/> (smtp.auth=auto with OAuth 2.0 configured).</summary>
        public FirmwareSender(INetConnector connector, int port, string user, byte[] token)
            : this(connector, port, "auto", null, null, new[] { BenchMessage.Recipient })
        {
            _settings.Set(SettingKeys.SmtpUser, user);
            _plan = SendPlan.Create(_settings, true);
            _token = token;
        }

        /// <summary>How the loop waits while the socket's send buffer is full: "yield" (default), "sleep" (1 ms, as the scheduler idles) or "spin".</summary>
        public static string SendWait { get; set; } = "yield";

        /// <summary>Steps taken by the last send.</summary>
        public long LastSteps { get; private set; }

        public void Send(BenchMessage message)
        {
            if (_plan.PopBeforeSmtp != null)
            {
                // As the send task does: log in, then wait what is left of the delay counted from the accepted login.
                PopSession pop = new PopSession(_plan.PopBeforeSmtp.CreateOptions(), null, null);
                Run(new SessionTransfer(pop, _connector, _clock, _plan.PopBeforeSmtp.Pop));
                if (!pop.Result.LoggedIn)
                {
                    throw new InvalidOperationException("firmware POP login failed: #" + pop.Result.ErrorCode + " " + pop.Result.ReplyText + " " + pop.Result.Detail);
                }

                long left = pop.Result.LoggedInAtMs + _plan.PopBeforeSmtpDelayMs - _clock.NowMs;
                if (left > 0)
                {
                    System.Threading.Thread.Sleep((int)left);
                }
            }

            using (MemoryDocument document = new MemoryDocument(message.Attachment))
            {
                MessageInfo info = _plan.CreateMessage(_job, document.Length, _clock.UtcNow, _random);
                MessageComposer composer = new MessageComposer(info, document, false);
                SmtpSession session = new SmtpSession(_plan.CreateSmtpOptions(_job, _token), composer, null);
                LastSteps = Run(new SessionTransfer(session, _connector, _clock, _plan.Smtp));
                SmtpResult result = session.Result;
                if (!result.Success)
                {
                    throw new InvalidOperationException("firmware send failed: #" + result.ErrorCode + " at " + result.Stage + ": " + result.ReplyCode + " " + result.ReplyText + " " + result.Detail);
                }
            }
        }

        private long Run(SessionTransfer transfer)
        {
            long steps = 0;
            while (!transfer.IsDone)
            {
                steps++;
                if (transfer.Step() || transfer.IsDone)
                {
                    continue;
                }

                // Nothing moved. Waiting for a reply: sleep in the kernel until bytes arrive (the
                // scheduler's Readable wait, without its 1 ms poll); send buffer full: yield.
                if (!transfer.WaitingToSend && transfer.Connection is TcpConnection tcp)
                {
                    tcp.WaitReadable(50);
                }
                else if (_connector is TcpConnector)
                {
                    WaitToSend();
                }
            }

            transfer.Step();
            return steps;
        }

        private static void WaitToSend()
        {
            switch (SendWait)
            {
                case "sleep":
                    System.Threading.Thread.Sleep(1);
                    break;
                case "spin":
                    System.Threading.Thread.SpinWait(50);
                    break;
                default:
                    System.Threading.Thread.Yield();
                    break;
            }
        }
    }

    /// <summary>MailKit 4.18: MimeKit builds the same message around the same attachment bytes (no copy), SmtpClient sends it.</summary>
    internal sealed class MailKitSender
    {
        private readonly int _port;
        private readonly int _popPort;
        private readonly int _popDelayMs;

        private readonly string _mechanism;
        private readonly string _user;
        private readonly string _password;
        private readonly string[] _recipients;

        public MailKitSender(int port)
            : this(port, null, null, null, new[] { BenchMessage.Recipient })
        {
        }

        /// <summary>
        /// A sender that authenticates with <paramref name="mechanism"/> alone (null: no AUTH); with <paramref name="popPort"/>
        /// set, it logs in to POP first (USER/PASS, its SASL list emptied), and waits <paramref name="popDelayMs"/> from the
        /// accepted login, as the firmware does.
        /// </summary>
        public MailKitSender(int port, string mechanism, string user, string password, string[] recipients, int popPort = 0, int popDelayMs = 0)
        {
            _popPort = popPort;
            _popDelayMs = popDelayMs;
            _port = port;
            _mechanism = mechanism;
            _user = user;
            _password = password;
            _recipients = recipients;
        }

        /// <summary>Connects through a <see cref="CountingStream"/> around the socket, so its writes are counted.</summary>
        public bool CountWrites { get; set; }

        public void Send(BenchMessage message)
        {
            if (_popPort != 0)
            {
                using (MailKit.Net.Pop3.Pop3Client pop = new MailKit.Net.Pop3.Pop3Client())
                {
                    pop.Connect("127.0.0.1", _popPort, SecureSocketOptions.None);
                    pop.AuthenticationMechanisms.Clear();
                    pop.Authenticate(_user, _password);
                    System.Diagnostics.Stopwatch sinceLogin = System.Diagnostics.Stopwatch.StartNew();
                    pop.Disconnect(true);
                    int left = _popDelayMs - (int)sinceLogin.ElapsedMilliseconds;
                    if (left > 0)
                    {
                        System.Threading.Thread.Sleep(left);
                    }
                }
            }

            MimeMessage mime = new MimeMessage();
            mime.From.Add(new MailboxAddress(BenchMessage.DeviceName, BenchMessage.Sender));
            foreach (string to in _recipients)
            {
                mime.To.Add(MailboxAddress.Parse(to));
            }

            mime.Subject = "Scanned document from " + BenchMessage.DeviceName;
            TextPart text = new TextPart("plain")
            {
                Text = "Scanned document from " + BenchMessage.DeviceName + " <" + BenchMessage.Sender + ">.\r\nAttached: " + BenchMessage.FileName + " (" + message.Attachment.Length + " bytes).\r\n",
            };
            MimePart attachment = new MimePart("application", "pdf")
            {
                Content = new MimeContent(new MemoryStream(message.Attachment, false)),
                ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
                ContentTransferEncoding = ContentEncoding.Base64,
                FileName = BenchMessage.FileName,
            };
            Multipart mixed = new Multipart("mixed");
            mixed.Add(text);
            mixed.Add(attachment);
            mime.Body = mixed;

            using (SmtpClient client = new SmtpClient())
            {
                if (CountWrites)
                {
                    System.Net.Sockets.Socket socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                    socket.Connect(System.Net.IPAddress.Loopback, _port);
                    client.Connect(new CountingStream(new System.Net.Sockets.NetworkStream(socket, true)), "127.0.0.1", _port, SecureSocketOptions.None);
                }
                else
                {
                    client.Connect("127.0.0.1", _port, SecureSocketOptions.None);
                }

                if (_mechanism != null)
                {
                    foreach (string offered in new System.Collections.Generic.List<string>(client.AuthenticationMechanisms))
                    {
                        if (offered != _mechanism)
                        {
                            client.AuthenticationMechanisms.Remove(offered);
                        }
                    }

                    client.Authenticate(_user, _password);
                }

                client.Send(mime);
                client.Disconnect(true);
            }
        }
    }
}
