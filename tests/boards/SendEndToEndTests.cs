using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using MimeKit;

namespace NetBoard.Boards.Host.Tests
{
    /// <summary>The virtual board's send command against a real SMTP server on loopback.</summary>
    public sealed class SendEndToEndTests : IDisposable
    {
        private const string User = "scanner";
        private const string Password = "Pa55 wörd!";

        private readonly string _dir;

        public SendEndToEndTests()
        {
            _dir = Path.Combine(Path.GetTempPath(), "netboard-e2e-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_dir);
        }

        public void Dispose()
        {
            Directory.Delete(_dir, true);
        }

        private string WriteFile(string name, byte[] content)
        {
            string path = Path.Combine(_dir, name);
            File.WriteAllBytes(path, content);
            return path;
        }

        private string WriteSettings(int port, string auth, string password = Password)
        {
            string text =
                "# virtual board, loopback test server\n" +
                "smtp.host=127.0.0.1\n" +
                "smtp.port=" + port + "\n" +
                "smtp.auth=" + auth + "\n" +
                "smtp.user=" + User + "\n" +
                "smtp.password=" + password + "\n" +
                "device.email=mfp@lab.test\n" +
                "device.name=MFP Lab\n" +
                "smtp.timeout.connect_s=10\n" +
                "smtp.timeout.greeting_s=10\n" +
                "smtp.timeout.mail_s=10\n" +
                "smtp.timeout.rcpt_s=10\n" +
                "smtp.timeout.data_s=10\n" +
                "smtp.timeout.block_s=10\n" +
                "smtp.timeout.final_s=10\n";
            string path = Path.Combine(_dir, "settings-" + auth + ".txt");
            File.WriteAllText(path, text);
            return path;
        }

        private static (int Exit, string Output, string Error) Run(params string[] args)
        {
            var output = new StringWriter();
            var error = new StringWriter();
            Task<int> run = Task.Run(() => Program.Run(args, output, error));
            Assert.True(run.Wait(TimeSpan.FromSeconds(25)), "the send command did not finish");
            return (run.Result, output.ToString(), error.ToString());
        }

        private static byte[] RandomBytes(int length, int seed)
        {
            byte[] data = new byte[length];
            new Random(seed).NextBytes(data);
            return data;
        }

        private static byte[] AttachmentBytes(MimePart part)
        {
            using var decoded = new MemoryStream();
            part.Content.DecodeTo(decoded);
            return decoded.ToArray();
        }

        [Theory]
        [InlineData("plain", "PLAIN")]
        [InlineData("login", "LOGIN")]
        public void Sends_a_200_kb_scan_that_arrives_byte_for_byte(string auth, string mechanism)
        {
            using var server = new LoopbackSmtpServer(User, Password);
            byte[] document = RandomBytes(200 * 1024, auth.Length);
            string file = WriteFile("scan-0001.pdf", document);

            var result = Run("send", "--settings", WriteSettings(server.Port, auth), "--to", "alice@lab.test", "--to", "bob@lab.test", "--file", file, "--subject", "Quarterly report");

            Assert.True(result.Exit == 0, result.Output + result.Error);
            string journal = result.Output.Trim();
            Assert.Contains(" job 1 email to=alice@lab.test,bob@lab.test OK auth=" + mechanism + " [250 ", journal);
            Assert.DoesNotContain(Password, journal);

            Assert.Equal(new[] { (User, Password) }, server.Logins.ToArray());
            ReceivedMessage received = Assert.Single(server.Messages);
            Assert.Equal("mfp@lab.test", received.From);
            Assert.Equal(new[] { "alice@lab.test", "bob@lab.test" }, received.To);

            MimeMessage message = MimeMessage.Load(new MemoryStream(received.Raw));
            MailboxAddress from = Assert.IsType<MailboxAddress>(Assert.Single(message.From));
            Assert.Equal("mfp@lab.test", from.Address);
            Assert.Equal("MFP Lab", from.Name);
            Assert.Equal(new[] { "alice@lab.test", "bob@lab.test" }, message.To.Mailboxes.Select(m => m.Address).ToArray());
            Assert.Equal("Quarterly report", message.Subject);
            Assert.False(string.IsNullOrEmpty(message.MessageId));
            Assert.EndsWith("@lab.test", message.MessageId);
            Assert.True(Math.Abs((DateTimeOffset.UtcNow - message.Date).TotalHours) < 1, "Date header " + message.Date);

            MimePart attachment = Assert.IsAssignableFrom<MimePart>(Assert.Single(message.Attachments));
            Assert.Equal("scan-0001.pdf", attachment.FileName);
            Assert.Equal("application/pdf", attachment.ContentType.MimeType);
            Assert.Equal(ContentEncoding.Base64, attachment.ContentTransferEncoding);
            Assert.Equal(document, AttachmentBytes(attachment));
            Assert.Contains("scan-0001.pdf", message.TextBody);
        }

        [Fact]
        public void Sends_an_empty_file_as_an_empty_attachment_with_the_default_subject()
        {
            using var server = new LoopbackSmtpServer(User, Password);
            string file = WriteFile("empty.pdf", new byte[0]);

            var result = Run("send", "--settings", WriteSettings(server.Port, "plain"), "--to", "alice@lab.test", "--file", file);

            Assert.True(result.Exit == 0, result.Output + result.Error);
            MimeMessage message = MimeMessage.Load(new MemoryStream(Assert.Single(server.Messages).Raw));
            Assert.Equal("Scanned document from MFP Lab", message.Subject);
            MimePart attachment = Assert.IsAssignableFrom<MimePart>(Assert.Single(message.Attachments));
            Assert.Equal("empty.pdf", attachment.FileName);
            Assert.Empty(AttachmentBytes(attachment));
        }

        [Fact]
        public void Verbose_dialogue_masks_the_credentials()
        {
            using var server = new LoopbackSmtpServer(User, Password);
            string file = WriteFile("page.png", RandomBytes(3000, 3));

            var result = Run("send", "--settings", WriteSettings(server.Port, "login"), "--to", "alice@lab.test", "--file", file, "--verbose");

            Assert.True(result.Exit == 0, result.Output + result.Error);
            Assert.Contains("C: AUTH LOGIN", result.Error);
            Assert.Contains("C: QUIT", result.Error);
            Assert.DoesNotContain(Password, result.Error);
            Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(Password)), result.Error);
            Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(User)), result.Error);
        }

        [Theory]
        [InlineData("plain")]
        [InlineData("login")]
        public void Wrong_password_fails_with_839_and_delivers_nothing(string auth)
        {
            using var server = new LoopbackSmtpServer(User, Password);
            string file = WriteFile("scan.pdf", RandomBytes(1000, 9));

            var result = Run("send", "--settings", WriteSettings(server.Port, auth, "not-the-password"), "--to", "alice@lab.test", "--file", file);

            Assert.Equal(1, result.Exit);
            string journal = result.Output.Trim();
            Assert.Contains(" job 1 email to=alice@lab.test NG #839 SMTP authentication failed at AUTH [535 ", journal);
            Assert.DoesNotContain("not-the-password", journal);
            Assert.Equal(new[] { (User, "not-the-password") }, server.Logins.ToArray());
            Assert.Empty(server.Messages);
        }

        [Fact]
        public void Missing_to_is_a_usage_error()
        {
            string file = WriteFile("scan.pdf", new byte[] { 1 });
            var result = Run("send", "--settings", WriteSettings(25, "plain"), "--file", file);
            Assert.Equal(2, result.Exit);
            Assert.Contains("--to", result.Error);
            Assert.Equal(string.Empty, result.Output);
        }

        [Fact]
        public void Unknown_option_is_a_usage_error_naming_it()
        {
            var result = Run("send", "--settings", "x.txt", "--cc", "alice@lab.test");
            Assert.Equal(2, result.Exit);
            Assert.Contains("unknown option '--cc'", result.Error);
            Assert.Contains("usage:", result.Error);
        }

        [Fact]
        public void Option_without_value_is_a_usage_error()
        {
            var result = Run("send", "--settings", "x.txt", "--to");
            Assert.Equal(2, result.Exit);
            Assert.Contains("option --to needs a value", result.Error);
        }

        [Fact]
        public void No_arguments_or_unknown_command_print_usage()
        {
            var none = Run();
            Assert.Equal(2, none.Exit);
            Assert.StartsWith("usage:", none.Error);

            var unknown = Run("fax");
            Assert.Equal(2, unknown.Exit);
            Assert.Contains("unknown command 'fax'", unknown.Error);
        }

        [Fact]
        public void Bad_settings_line_is_a_usage_error_naming_the_line()
        {
            string settings = Path.Combine(_dir, "bad.txt");
            File.WriteAllText(settings, "smtp.host=127.0.0.1\r\n# port below is wrong\r\nsmtp.port=twenty-five\r\ndevice.email=mfp@lab.test\r\nsmtp.hots=x\r\n");
            string file = WriteFile("scan.pdf", new byte[] { 1 });

            var result = Run("send", "--settings", settings, "--to", "alice@lab.test", "--file", file);

            Assert.Equal(2, result.Exit);
            Assert.Contains("line 3: smtp.port: must be a number from 1 to 65535", result.Error);
            Assert.Contains("line 5: unknown key 'smtp.hots'", result.Error);
            Assert.Equal(string.Empty, result.Output);
        }

        [Fact]
        public void Missing_settings_file_is_a_usage_error()
        {
            string file = WriteFile("scan.pdf", new byte[] { 1 });
            var result = Run("send", "--settings", Path.Combine(_dir, "nope.txt"), "--to", "alice@lab.test", "--file", file);
            Assert.Equal(2, result.Exit);
            Assert.Contains("cannot read settings", result.Error);
        }

        [Fact]
        [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
        public void A_settings_file_others_can_read_is_named_with_the_fix_and_still_used()
        {
            string settings = Path.Combine(_dir, "my settings.txt");
            File.WriteAllText(settings, "device.email=mfp@lab.test\nsmtp.password=" + Password + "\n");

            File.SetUnixFileMode(settings, (UnixFileMode)Convert.ToInt32("644", 8));
            var open = Run("journal", "--settings", settings);
            File.SetUnixFileMode(settings, (UnixFileMode)Convert.ToInt32("600", 8));
            var closed = Run("journal", "--settings", settings);

            Assert.Equal(0, open.Exit);
            Assert.Equal(
                "virtual-board: warning: settings file " + settings + " is open to other users (mode 0644) and may hold passwords; fix: chmod 600 '" + settings + "'\n",
                open.Error.Replace("\r\n", "\n"));
            Assert.DoesNotContain(Password, open.Error, StringComparison.Ordinal);
            Assert.Equal(0, closed.Exit);
            Assert.Equal(string.Empty, closed.Error);
            Assert.Equal(open.Output, closed.Output);
        }

        [Fact]
        public void Incomplete_settings_refuse_the_job_with_821()
        {
            string settings = Path.Combine(_dir, "incomplete.txt");
            File.WriteAllText(settings, "device.email=mfp@lab.test\n");
            string file = WriteFile("scan.pdf", new byte[] { 1 });

            var result = Run("send", "--settings", settings, "--to", "alice@lab.test", "--file", file);

            Assert.Equal(1, result.Exit);
            Assert.Contains("NG #821 e-mail settings incomplete [smtp.host is not set]", result.Output);
        }
    }
}
