using System;
using System.Text;
using NetBoard.Firmware.Sasl;
using NetBoard.Firmware.Tests.Crypto;

namespace NetBoard.Firmware.Tests.Sasl
{
    public class PlainTests
    {
        [Fact]
        public void InitialResponse_IsNulUserNulPassword()
        {
            Plain plain = new Plain(TestBytes.Ascii("tim"), TestBytes.Ascii("tanstaaf"));

            byte[] message = plain.InitialResponse();

            Assert.Equal(new byte[] { 0, (byte)'t', (byte)'i', (byte)'m', 0, (byte)'t', (byte)'a', (byte)'n', (byte)'s', (byte)'t', (byte)'a', (byte)'a', (byte)'f' }, message);
            Assert.True(plain.IsComplete);
        }

        [Fact]
        public void InitialResponse_KeepsUtf8BytesUnchanged()
        {
            byte[] user = Encoding.UTF8.GetBytes("j\u00fcrgen");
            byte[] password = Encoding.UTF8.GetBytes("p\u00e4ss\u20ac");
            Plain plain = new Plain(user, password);

            byte[] message = plain.InitialResponse();

            Assert.Equal("\0j\u00fcrgen\0p\u00e4ss\u20ac", Encoding.UTF8.GetString(message));
        }

        [Fact]
        public void Respond_AfterInitialResponse_GetsNull()
        {
            Plain plain = new Plain(TestBytes.Ascii("tim"), TestBytes.Ascii("pw"));
            plain.InitialResponse();

            Assert.Null(plain.Respond(new byte[0], 0, 0));
            Assert.Null(plain.InitialResponse());
        }

        [Fact]
        public void Respond_EmptyChallengeWithoutInitialResponse_GetsMessage()
        {
            Plain plain = new Plain(TestBytes.Ascii("tim"), TestBytes.Ascii("pw"));

            byte[] message = plain.Respond(new byte[0], 0, 0);

            Assert.Equal("\0tim\0pw", Encoding.ASCII.GetString(message));
            Assert.True(plain.IsComplete);
            Assert.Null(plain.Respond(new byte[0], 0, 0));
        }

        [Fact]
        public void Respond_NonEmptyChallenge_GetsNull()
        {
            Plain plain = new Plain(TestBytes.Ascii("tim"), TestBytes.Ascii("pw"));
            byte[] challenge = TestBytes.Ascii("unexpected");

            Assert.Null(plain.Respond(challenge, 0, challenge.Length));
        }

        [Fact]
        public void InitialResponse_RefusesCredentialsContainingNul()
        {
            Plain plain = new Plain(TestBytes.Ascii("tim"), new byte[] { (byte)'a', 0, (byte)'b' });

            Assert.Null(plain.InitialResponse());
            Assert.False(plain.IsComplete);
        }

        [Fact]
        public void Properties_DescribePlain()
        {
            Plain plain = new Plain(TestBytes.Ascii("tim"), TestBytes.Ascii("pw"));

            Assert.Equal("PLAIN", plain.Name);
            Assert.Equal(SaslMechanisms.Plain, plain.Kind);
            Assert.True(plain.HasInitialResponse);
            Assert.True(plain.SendsPasswordInClear);
        }

        [Fact]
        public void Clear_WipesCredentialsAndSuppressesInitialResponse()
        {
            Plain plain = new Plain(TestBytes.Ascii("tim"), TestBytes.Ascii("pw"));

            plain.Clear();

            Assert.True(SaslTestSupport.AllZero(SaslTestSupport.StoredUser(plain)));
            Assert.True(SaslTestSupport.AllZero(SaslTestSupport.StoredPassword(plain)));
            Assert.Null(plain.InitialResponse());
            Assert.Null(plain.Respond(new byte[0], 0, 0));
        }
    }
}
