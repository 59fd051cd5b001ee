using System;
using System.Text;
using NetBoard.Firmware.Sasl;

namespace NetBoard.Firmware.Tests.Sasl
{
    public class ScramTests
    {
        // RFC 5802 section 5.
        private const string Sha1Nonce = "fyko+d2lbbFgONRv9qkxdawL";
        private const string Sha1ClientFirst = "n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL";
        private const string Sha1ServerFirst = "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096";
        private const string Sha1ClientFinal = "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=";
        private const string Sha1ServerFinal = "v=rmF9pqV8S7suAoZWja4dJRkFsKQ=";

        // RFC 7677 section 3.
        private const string Sha256Nonce = "rOprNGfwEbeRWgbNEkqO";
        private const string Sha256ClientFirst = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
        private const string Sha256ServerFirst = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
        private const string Sha256ClientFinal = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
        private const string Sha256ServerFinal = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

        [Fact]
        public void Rfc5802Example_ByteForByte()
        {
            Scram scram = Sha1("user", "pencil");

            Assert.Equal(Sha1ClientFirst, Text(scram.InitialResponse()));
            Assert.Null(scram.Respond(Bytes(Sha1ServerFirst), 0, Sha1ServerFirst.Length));
            Assert.True(scram.IsComputing);
            Assert.Equal(Sha1ClientFinal, Text(Finish(scram, 1000)));
            Assert.True(scram.AwaitsServerProof);
            Assert.Equal(string.Empty, Text(scram.Respond(Bytes(Sha1ServerFinal), 0, Sha1ServerFinal.Length)));

            Assert.True(scram.IsComplete);
            Assert.False(scram.AwaitsServerProof);
            Assert.Equal(SaslFailure.None, scram.Failure);
            Assert.Equal("SCRAM-SHA-1", scram.Name);
        }

        [Fact]
        public void Rfc7677Example_ByteForByte()
        {
            Scram scram = Sha256("user", "pencil");

            Assert.Equal(Sha256ClientFirst, Text(scram.InitialResponse()));
            Assert.Null(scram.Respond(Bytes(Sha256ServerFirst), 0, Sha256ServerFirst.Length));
            Assert.Equal(Sha256ClientFinal, Text(Finish(scram, 1)));
            Assert.Equal(string.Empty, Text(scram.Respond(Bytes(Sha256ServerFinal), 0, Sha256ServerFinal.Length)));

            Assert.True(scram.IsComplete);
            Assert.Equal("SCRAM-SHA-256", scram.Name);
            Assert.False(scram.SendsPasswordInClear);
        }

        [Fact]
        public void Derivation_RunsInSlicesOfTheGivenSize()
        {
            Scram scram = Sha256("user", "pencil");
            scram.InitialResponse();
            scram.Respond(Bytes(Sha256ServerFirst), 0, Sha256ServerFirst.Length);
            int calls = 0;
            byte[] final = null;

            while (final == null)
            {
                Assert.True(scram.IsComputing);
                final = scram.Continue(100);
                calls++;
            }

            // 4096 rounds of one 32-byte block, 100 a call.
            Assert.Equal(41, calls);
            Assert.False(scram.IsComputing);
            Assert.Equal(Sha256ClientFinal, Text(final));
        }

        [Fact]
        public void EmptyFirstChallenge_GetsClientFirstMessage()
        {
            // A server sent AUTH without initial response asks for it with an empty challenge.
            Scram scram = Sha1("user", "pencil");

            Assert.Equal(Sha1ClientFirst, Text(scram.Respond(Array.Empty<byte>(), 0, 0)));
            Assert.Null(scram.Respond(Bytes(Sha1ServerFirst), 0, Sha1ServerFirst.Length));
            Assert.Equal(Sha1ClientFinal, Text(Finish(scram, 5000)));
        }

        [Fact]
        public void NonEmptyFirstChallenge_IsMalformed()
        {
            Scram scram = Sha1("user", "pencil");

            Assert.Null(scram.Respond(Bytes("hello"), 0, 5));

            Assert.Equal(SaslFailure.MalformedChallenge, scram.Failure);
        }

        [Theory]
        [InlineData("a,b", "n,,n=a=2Cb,r=")]
        [InlineData("a=b", "n,,n=a=3Db,r=")]
        [InlineData("=,=", "n,,n==3D=2C=3D,r=")]
        [InlineData("plain.user@lab.test", "n,,n=plain.user@lab.test,r=")]
        public void UserName_IsEscapedAsSaslname(string user, string expectedStart)
        {
            Scram scram = new Scram(SaslMechanisms.ScramSha256, Encoding.UTF8.GetBytes(user), Bytes("pw"), new FixedNonceSource("abcd"), null, 4);

            Assert.Equal(expectedStart + "abcd", Text(scram.InitialResponse()));
        }

        [Fact]
        public void UserName_GoesThroughSaslPrep()
        {
            // A no-break space becomes a space; a soft hyphen disappears.
            Scram scram = new Scram(SaslMechanisms.ScramSha256, Encoding.UTF8.GetBytes("J\u00e9r\u00f4me\u00a0Mar\u00adtin"), Bytes("pw"), new FixedNonceSource("abcd"), null, 4);

            Assert.Equal("n,,n=J\u00e9r\u00f4me Martin,r=abcd", Encoding.UTF8.GetString(scram.InitialResponse()));
        }

        [Fact]
        public void ProhibitedCharacterInPassword_IsNotSendable()
        {
            Scram scram = new Scram(SaslMechanisms.ScramSha256, Bytes("user"), Bytes("pass\u0007word"), new FixedNonceSource("abcd"), null, 4);

            Assert.Null(scram.InitialResponse());

            Assert.Equal(SaslFailure.CredentialsNotSendable, scram.Failure);
        }

        [Fact]
        public void PublicConstructor_DrawsA24CharacterNonceFromTheSource()
        {
            FixedNonceSource source = new FixedNonceSource(Sha1Nonce);
            Scram scram = new Scram(SaslMechanisms.ScramSha1, Bytes("user"), Bytes("pencil"), source, null);

            Assert.Equal(Sha1ClientFirst, Text(scram.InitialResponse()));
            Assert.Equal(1, source.Calls);
            Assert.Equal(24, Scram.NonceLengthChars);
        }

        [Theory]
        [InlineData("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4095")]
        [InlineData("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=65537")]
        [InlineData("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=1")]
        [InlineData("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4294967296")]
        [InlineData("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=99999999999999999999999999")]
        public void IterationCount_OutsideTheBounds_IsRefused(string serverFirst)
        {
            Scram scram = Sha1("user", "pencil");
            scram.InitialResponse();

            Assert.Null(scram.Respond(Bytes(serverFirst), 0, serverFirst.Length));

            Assert.False(scram.IsComputing);
            Assert.Equal(SaslFailure.IterationCountOutOfRange, scram.Failure);
            Assert.Null(scram.Continue(1000));
        }

        [Theory]
        [InlineData("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=65536", true)]
        [InlineData("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096,x=future-extension", true)]
        public void IterationCount_WithinTheBounds_StartsTheDerivation(string serverFirst, bool computing)
        {
            Scram scram = Sha1("user", "pencil");
            scram.InitialResponse();

            Assert.Null(scram.Respond(Bytes(serverFirst), 0, serverFirst.Length));

            Assert.Equal(computing, scram.IsComputing);
            Assert.Equal(SaslFailure.None, scram.Failure);
        }

        [Theory]
        [InlineData("")]
        [InlineData("garbage")]
        [InlineData("s=QSXCR+Q6sek8bf92,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,i=4096")]
        [InlineData("r=fyko+d2lbbFgONRv9qkxdawL,s=QSXCR+Q6sek8bf92,i=4096")]
        [InlineData("r=XXXX+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096")]
        [InlineData("r=fyko+d2lbbFgONRv9qkxdaw,s=QSXCR+Q6sek8bf92,i=4096")]
        [InlineData("r=fyko+d2lbbFgONRv9qkxdawL3rfc NHYJY,s=QSXCR+Q6sek8bf92,i=4096")]
        [InlineData("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=,i=4096")]
        [InlineData("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=not*base64,i=4096")]
        [InlineData("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92")]
        [InlineData("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=")]
        [InlineData("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=04096")]
        [InlineData("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096x")]
        [InlineData("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=-4096")]
        public void MalformedServerFirst_IsRefused(string serverFirst)
        {
            Scram scram = Sha1("user", "pencil");
            scram.InitialResponse();

            Assert.Null(scram.Respond(Bytes(serverFirst), 0, serverFirst.Length));

            Assert.False(scram.IsComputing);
            Assert.Equal(SaslFailure.MalformedChallenge, scram.Failure);
        }

        [Fact]
        public void MandatoryExtension_IsRefused()
        {
            Scram scram = Sha1("user", "pencil");
            scram.InitialResponse();
            string serverFirst = "m=must-understand," + Sha1ServerFirst;

            Assert.Null(scram.Respond(Bytes(serverFirst), 0, serverFirst.Length));

            Assert.Equal(SaslFailure.UnsupportedExtension, scram.Failure);
        }

        [Theory]
        [InlineData("v=rmF9pqV8S7suAoZWja4dJRkFsKR=")]
        [InlineData("v=AAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
        [InlineData("v=rmF9pqV8S7suAoZWja4dJRkF")]
        [InlineData("v=")]
        [InlineData("v=not base64")]
        public void WrongServerSignature_MeansTheServerIsNotAuthentic(string serverFinal)
        {
            Scram scram = Sha1("user", "pencil");
            scram.InitialResponse();
            scram.Respond(Bytes(Sha1ServerFirst), 0, Sha1ServerFirst.Length);
            Finish(scram, 10000);

            Assert.Null(scram.Respond(Bytes(serverFinal), 0, serverFinal.Length));

            Assert.Equal(SaslFailure.ServerNotAuthentic, scram.Failure);
            Assert.True(scram.AwaitsServerProof);
        }

        [Theory]
        [InlineData("e=invalid-proof", SaslFailure.CredentialsRejected)]
        [InlineData("e=unknown-user", SaslFailure.CredentialsRejected)]
        [InlineData("e=no-resources", SaslFailure.ServerTemporaryFailure)]
        [InlineData("e=other-error", SaslFailure.ServerError)]
        [InlineData("e=channel-bindings-dont-match", SaslFailure.ServerError)]
        [InlineData("e=invalid-proof-ish", SaslFailure.ServerError)]
        [InlineData("x=1", SaslFailure.MalformedChallenge)]
        public void ServerErrors_AreMapped(string serverFinal, SaslFailure expected)
        {
            Scram scram = Sha1("user", "pencil");
            scram.InitialResponse();
            scram.Respond(Bytes(Sha1ServerFirst), 0, Sha1ServerFirst.Length);
            Finish(scram, 10000);

            Assert.Null(scram.Respond(Bytes(serverFinal), 0, serverFinal.Length));

            Assert.Equal(expected, scram.Failure);
        }

        [Fact]
        public void ServerErrorInsteadOfServerFirst_IsMapped()
        {
            Scram scram = Sha1("user", "pencil");
            scram.InitialResponse();

            Assert.Null(scram.Respond(Bytes("e=unknown-user"), 0, 14));

            Assert.Equal(SaslFailure.CredentialsRejected, scram.Failure);
        }

        [Fact]
        public void Clear_WipesCredentialsAndDerivedSecrets()
        {
            Scram scram = Sha256("user", "pencil");
            scram.InitialResponse();
            scram.Respond(Bytes(Sha256ServerFirst), 0, Sha256ServerFirst.Length);
            Finish(scram, 10000);
            byte[] salted = Field(scram, "_saltedPassword");
            byte[] signature = Field(scram, "_serverSignature");
            byte[] prepared = Field(scram, "_preparedPassword");

            scram.Clear();

            Assert.True(SaslTestSupport.AllZero(SaslTestSupport.StoredPassword(scram)));
            Assert.True(SaslTestSupport.AllZero(salted));
            Assert.True(SaslTestSupport.AllZero(signature));
            Assert.True(SaslTestSupport.AllZero(prepared));
            Assert.Null(scram.Respond(Bytes(Sha256ServerFinal), 0, Sha256ServerFinal.Length));
        }

        [Fact]
        public void Clear_WhileDeriving_StopsAndWipes()
        {
            Scram scram = Sha256("user", "pencil");
            scram.InitialResponse();
            scram.Respond(Bytes(Sha256ServerFirst), 0, Sha256ServerFirst.Length);
            scram.Continue(10);

            scram.Clear();

            Assert.False(scram.IsComputing);
            Assert.Null(scram.Continue(10000));
        }

        [Fact]
        public void Success_WipesTheSaltedPasswordAndSignature()
        {
            Scram scram = Sha256("user", "pencil");
            scram.InitialResponse();
            scram.Respond(Bytes(Sha256ServerFirst), 0, Sha256ServerFirst.Length);
            Finish(scram, 10000);
            byte[] salted = Field(scram, "_saltedPassword");

            scram.Respond(Bytes(Sha256ServerFinal), 0, Sha256ServerFinal.Length);

            Assert.True(SaslTestSupport.AllZero(salted));
        }

        [Fact]
        public void Constructor_RejectsOtherKindsAndNoRandomSource()
        {
            Assert.Throws<ArgumentException>(() => new Scram(SaslMechanisms.CramMd5, Bytes("u"), Bytes("p"), new FixedNonceSource("a"), null));
            Assert.Throws<ArgumentNullException>(() => new Scram(SaslMechanisms.ScramSha1, Bytes("u"), Bytes("p"), null, null));
        }

        internal static byte[] Finish(SaslMechanism mechanism, int roundsPerCall)
        {
            byte[] response = null;
            while (response == null && mechanism.IsComputing)
            {
                response = mechanism.Continue(roundsPerCall);
            }

            return response;
        }

        private static Scram Sha1(string user, string password)
        {
            return new Scram(SaslMechanisms.ScramSha1, Bytes(user), Bytes(password), new FixedNonceSource(Sha1Nonce), null, Sha1Nonce.Length);
        }

        private static Scram Sha256(string user, string password)
        {
            return new Scram(SaslMechanisms.ScramSha256, Bytes(user), Bytes(password), new FixedNonceSource(Sha256Nonce), null, Sha256Nonce.Length);
        }

        private static byte[] Bytes(string text)
        {
            return Encoding.UTF8.GetBytes(text);
        }

        private static string Text(byte[] bytes)
        {
            return bytes == null ? null : Encoding.ASCII.GetString(bytes);
        }

        private static byte[] Field(Scram scram, string name)
        {
            return (byte[])typeof(Scram)
                .GetField(name, System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)
                .GetValue(scram);
        }
    }
}
