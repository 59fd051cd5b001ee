using nanoFramework.TestFramework;
using NetBoard.Firmware.Smtp;

namespace NetBoard.Device.Tests
{
    /// <summary>The SMTP reply parser on the device: one multi-line reply, fed in pieces.</summary>
    [TestClass]
    public class SmtpReplyReaderTests
    {
        [TestMethod]
        [DataRow("220 mail.example.net ESMTP\r\n", 220)]
        [DataRow("250-mail.example.net\r\n250-AUTH PLAIN LOGIN CRAM-MD5\r\n250 8BITMIME\r\n", 250)]
        [DataRow("535 5.7.8 Error: authentication failed\r\n", 535)]
        public void Feed_EndsAtTheLastLineWithItsCode(string reply, int expectedCode)
        {
            var reader = new SmtpReplyReader();
            byte[] bytes = TestText.Ascii(reply);

            SmtpReplyEvent last = FeedAll(reader, bytes);

            Assert.AreEqual((int)SmtpReplyEvent.Reply, (int)last);
            Assert.AreEqual(expectedCode, reader.Code);
            Assert.IsTrue(reader.IsLast);
        }

        [TestMethod]
        public void Feed_RejectsLinesWithDifferentCodes()
        {
            var reader = new SmtpReplyReader();

            SmtpReplyEvent last = FeedAll(reader, TestText.Ascii("250-first\r\n251 second\r\n"));

            Assert.AreEqual((int)SmtpReplyEvent.Error, (int)last);
        }

        /// <summary>Feeds one byte at a time, as a slow network would, until a reply or an error.</summary>
        private static SmtpReplyEvent FeedAll(SmtpReplyReader reader, byte[] bytes)
        {
            SmtpReplyEvent result = SmtpReplyEvent.NeedMore;
            for (int i = 0; i < bytes.Length; i++)
            {
                int consumed;
                result = reader.Feed(bytes, i, 1, out consumed);
                if (result == SmtpReplyEvent.Reply || result == SmtpReplyEvent.Error)
                {
                    break;
                }
            }

            return result;
        }
    }
}
