using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using NetBoard.Firmware.Mime;

namespace NetBoard.Firmware.Tests.Mime
{
    public class MessageInfoTests
    {
        [Theory]
        [InlineData("scan.pdf", "application/pdf")]
        [InlineData("SCAN.PDF", "application/pdf")]
        [InlineData("fax.tif", "image/tiff")]
        [InlineData("fax.tiff", "image/tiff")]
        [InlineData("photo.jpg", "image/jpeg")]
        [InlineData("photo.jpeg", "image/jpeg")]
        [InlineData("image.png", "image/png")]
        [InlineData("notes.txt", "text/plain")]
        [InlineData("archive.tar.gz", "application/octet-stream")]
        [InlineData("noextension", "application/octet-stream")]
        [InlineData("pdf", "application/octet-stream")]
        [InlineData("", "application/octet-stream")]
        [InlineData(null, "application/octet-stream")]
        public void ContentTypeFollowsTheExtension(string fileName, string expected)
        {
            Assert.Equal(expected, MessageInfo.ContentTypeForFileName(fileName));
        }

        [Fact]
        public void NewBoundaryIsValidUniqueAndOutsideTheBase64Alphabet()
        {
            Random random = new Random(11);
            HashSet<string> seen = new HashSet<string>();
            for (int i = 0; i < 1000; i++)
            {
                string boundary = MessageInfo.NewBoundary(random);
                Assert.InRange(boundary.Length, 1, 70);
                Assert.Matches(@"^[A-Za-z0-9'()+_,\-./:=?]+$", boundary);
                Assert.Contains("=_", boundary);
                Assert.True(seen.Add(boundary), "boundary repeated");
            }
        }

        [Fact]
        public void NewMessageIdHasStampRandomPartAndDomain()
        {
            Random random = new Random(12);
            DateTime now = new DateTime(2026, 3, 4, 5, 6, 7, DateTimeKind.Utc);
            string first = MessageInfo.NewMessageId(random, now, "example.com");
            string second = MessageInfo.NewMessageId(random, now, "example.com");
            Assert.Matches(new Regex("^20260304050607\\.[0-9A-F]{16}@example\\.com$"), first);
            Assert.NotEqual(first, second);
        }

        [Theory]
        [InlineData("")]
        [InlineData("exa mple.com")]
        [InlineData("a@b")]
        [InlineData("<example.com>")]
        public void NewMessageIdRejectsBadDomains(string domain)
        {
            Assert.Throws<ArgumentException>(() => MessageInfo.NewMessageId(new Random(1), DateTime.UtcNow, domain));
        }
    }
}
