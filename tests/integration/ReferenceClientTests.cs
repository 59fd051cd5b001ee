using System.Net;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace NetBoard.Integration.Tests
{
    /// <summary>
    /// MailKit, the reference .NET client, sends the same kind of message through the same lab port with the same
    /// credentials and source address as the firmware. If MailKit fails, the lab is at fault; if only the firmware
    /// fails, the firmware is.
    /// </summary>
    [Collection(LabCollection.Name)]
    public sealed class ReferenceClientTests
    {
        private readonly LabFixture _lab;

        public ReferenceClientTests(LabFixture lab)
        {
            _lab = lab;
        }

        [Fact]
        public void MailKit_and_the_firmware_both_relay_through_the_auth_port()
        {
            string user = _lab["SCAN_USER"];
            string password = _lab["SCAN_PASSWORD"];
            byte[] content = Documents.Random(4096);

            // 1. the reference client
            string referenceToken = Documents.Token();
            MimeMessage reference = new MimeMessage();
            reference.From.Add(new MailboxAddress("Reference", user));
            reference.To.Add(MailboxAddress.Parse(_lab.RelayRecipient));
            reference.Subject = "Scan – Bürobedarf 日本語 " + referenceToken;
            BodyBuilder body = new BodyBuilder { TextBody = "Scanned document.\r\n" };
            body.Attachments.Add("scan0001.pdf", content, new ContentType("application", "pdf"));
            reference.Body = body.ToMessageBody();

            using (SmtpClient client = new SmtpClient())
            {
                client.LocalEndPoint = new IPEndPoint(IPAddress.Parse(_lab.ForeignAddress), 0);
                client.Timeout = 30000;
                try
                {
                    client.Connect(_lab.Host, _lab.AuthPort, SecureSocketOptions.None);
                    Assert.Contains("CRAM-MD5", client.AuthenticationMechanisms);
                    client.Authenticate(new NetworkCredential(user, password));
                    client.Send(reference);
                    client.Disconnect(true);
                }
                catch (Exception e) when (e is not Xunit.Sdk.XunitException)
                {
                    throw new InvalidOperationException("LAB FAULT: the reference client MailKit could not send through the lab's AUTH port", e);
                }
            }

            MimeMessage referenceDelivered = Maildir.WaitFor(_lab["MAILDIR_RELAY"], referenceToken);
            Assert.Equal(content, Mime.Decode(Assert.Single(referenceDelivered.Attachments.OfType<MimePart>())));

            // 2. the firmware, same port, credentials, source address and recipient
            using Board board = new Board();
            Dictionary<string, string> settings = Board.LabSettings(_lab, _lab.AuthPort, "auto");
            settings["smtp.user"] = user;
            settings["smtp.password"] = password;
            settings["net.local_address"] = _lab.ForeignAddress;
            string document = board.WriteDocument("scan0001.pdf", content);
            string boardToken = Documents.Token();

            BoardRun run = board.Send(settings, document, "Scan – Bürobedarf 日本語 " + boardToken, new[] { _lab.RelayRecipient });

            Journal.AssertSentWithAuth(run, "email", "CRAM-MD5");
            MimeMessage boardDelivered = Maildir.WaitFor(_lab["MAILDIR_RELAY"], boardToken);
            Assert.Equal(reference.Subject.Replace(referenceToken, boardToken), boardDelivered.Subject);
            Assert.Equal(content, Mime.Decode(Assert.Single(boardDelivered.Attachments.OfType<MimePart>())));
        }
    }
}
