using System;
using System.Security.Cryptography;
using System.Text;
using NetBoard.Firmware.Sasl;
using NetBoard.Firmware.Tests.Crypto;

namespace NetBoard.Firmware.Tests.Sasl
{
    public class CramMd5Tests
    {
        private const string Rfc2195Challenge = "<1896.697170952@postoffice.reston.mci.net>";

        [Fact]
        public void Respond_MatchesRfc2195Example()
        {
            CramMd5 cram = new CramMd5(TestBytes.Ascii("tim"), TestBytes.Ascii("tanstaaftanstaaf"));
            byte[] challenge = TestBytes.Ascii(Rfc2195Challenge);

            byte[] response = cram.Respond(challenge, 0, challenge.Length);

            Assert.Equal("tim b913a602c7eda7a495b4e6e7334d3890", Encoding.ASCII.GetString(response));
            Assert.True(cram.IsComplete);
        }

        [Fact]
        public void Respond_HonoursChallengeOffset()
        {
            CramMd5 cram = new CramMd5(TestBytes.Ascii("tim"), TestBytes.Ascii("tanstaaftanstaaf"));
            byte[] framed = TestBytes.Ascii("334 " + Rfc2195Challenge + "\r\n");

            byte[] response = cram.Respond(framed, 4, Rfc2195Challenge.Length);

            Assert.Equal("tim b913a602c7eda7a495b4e6e7334d3890", Encoding.ASCII.GetString(response));
        }

        [Fact]
        public void Respond_MatchesPlatformHmacForRandomCredentials()
        {
            Random random = new Random(4242);
            for (int i = 0; i < 50; i++)
            {
                byte[] user = Encoding.UTF8.GetBytes("user" + random.Next() + "\u00e9");
                byte[] password = new byte[random.Next(0, 100)];
                random.NextBytes(password);
                byte[] challenge = Encoding.ASCII.GetBytes("<" + random.Next() + "." + random.Next() + "@example.org>");
                string expected = Encoding.UTF8.GetString(user) + " " + Convert.ToHexString(HMACMD5.HashData(password, challenge)).ToLowerInvariant();

                byte[] response = new CramMd5(user, password).Respond(challenge, 0, challenge.Length);

                Assert.Equal(expected, Encoding.UTF8.GetString(response));
            }
        }

        [Fact]
        public void Respond_RejectsEmptyChallenge()
        {
            CramMd5 cram = new CramMd5(TestBytes.Ascii("tim"), TestBytes.Ascii("secret"));

            Assert.Null(cram.Respond(new byte[0], 0, 0));
            Assert.False(cram.IsComplete);
        }

        [Fact]
        public void Respond_RejectsSecondChallenge()
        {
            CramMd5 cram = new CramMd5(TestBytes.Ascii("tim"), TestBytes.Ascii("tanstaaftanstaaf"));
            byte[] challenge = TestBytes.Ascii(Rfc2195Challenge);
            cram.Respond(challenge, 0, challenge.Length);

            Assert.Null(cram.Respond(challenge, 0, challenge.Length));
        }

        [Fact]
        public void Properties_DescribeCramMd5()
        {
            CramMd5 cram = new CramMd5(TestBytes.Ascii("tim"), TestBytes.Ascii("secret"));

            Assert.Equal("CRAM-MD5", cram.Name);
            Assert.Equal(SaslMechanisms.CramMd5, cram.Kind);
            Assert.False(cram.HasInitialResponse);
            Assert.False(cram.SendsPasswordInClear);
            Assert.Null(cram.InitialResponse());
            Assert.False(cram.IsComplete);
        }

        [Fact]
        public void Constructor_CopiesCredentials()
        {
            byte[] user = TestBytes.Ascii("tim");
            byte[] password = TestBytes.Ascii("tanstaaftanstaaf");
            CramMd5 cram = new CramMd5(user, password);
            Array.Clear(user, 0, user.Length);
            Array.Clear(password, 0, password.Length);
            byte[] challenge = TestBytes.Ascii(Rfc2195Challenge);

            byte[] response = cram.Respond(challenge, 0, challenge.Length);

            Assert.Equal("tim b913a602c7eda7a495b4e6e7334d3890", Encoding.ASCII.GetString(response));
        }

        [Fact]
        public void Clear_WipesCredentialsAndRefusesChallenges()
        {
            CramMd5 cram = new CramMd5(TestBytes.Ascii("tim"), TestBytes.Ascii("tanstaaftanstaaf"));
            byte[] challenge = TestBytes.Ascii(Rfc2195Challenge);

            cram.Clear();

            Assert.True(SaslTestSupport.AllZero(SaslTestSupport.StoredUser(cram)));
            Assert.True(SaslTestSupport.AllZero(SaslTestSupport.StoredPassword(cram)));
            Assert.Null(cram.Respond(challenge, 0, challenge.Length));
        }

        [Fact]
        public void Constructor_RejectsNullCredentials()
        {
            Assert.Throws<ArgumentNullException>(() => new CramMd5(null, new byte[1]));
            Assert.Throws<ArgumentNullException>(() => new CramMd5(new byte[1], null));
        }

        [Fact]
        public void Respond_RejectsBrokenRange()
        {
            CramMd5 cram = new CramMd5(TestBytes.Ascii("tim"), TestBytes.Ascii("secret"));

            Assert.Throws<ArgumentNullException>(() => cram.Respond(null, 0, 0));
            Assert.Throws<ArgumentOutOfRangeException>(() => cram.Respond(new byte[4], 3, 2));
        }
    }
}
