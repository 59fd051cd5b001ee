using System;
using System.Text;
using NetBoard.Firmware.Sasl;
using NetBoard.Firmware.Tests.Crypto;

namespace NetBoard.Firmware.Tests.Sasl
{
    public class SaslFactoryTests
    {
        private static readonly SaslMechanisms[] s_singles = { SaslMechanisms.Login, SaslMechanisms.Plain, SaslMechanisms.CramMd5, SaslMechanisms.XOAuth2, SaslMechanisms.OAuthBearer };

        [Theory]
        [InlineData("CRAM-MD5", SaslMechanisms.CramMd5)]
        [InlineData("cram-md5", SaslMechanisms.CramMd5)]
        [InlineData("Cram-Md5", SaslMechanisms.CramMd5)]
        [InlineData("PLAIN", SaslMechanisms.Plain)]
        [InlineData("plain", SaslMechanisms.Plain)]
        [InlineData("LOGIN", SaslMechanisms.Login)]
        [InlineData("lOgIn", SaslMechanisms.Login)]
        [InlineData("", SaslMechanisms.None)]
        [InlineData("CRAM-MD", SaslMechanisms.None)]
        [InlineData("CRAM-MD55", SaslMechanisms.None)]
        [InlineData("CRAM_MD5", SaslMechanisms.None)]
        [InlineData("PLAIN ", SaslMechanisms.None)]
        [InlineData("DIGEST-MD5", SaslMechanisms.None)]
        [InlineData("XOAUTH2", SaslMechanisms.XOAuth2)]
        [InlineData("xoauth2", SaslMechanisms.XOAuth2)]
        [InlineData("OAUTHBEARER", SaslMechanisms.OAuthBearer)]
        [InlineData("OAuthBearer", SaslMechanisms.OAuthBearer)]
        [InlineData("XOAUTH", SaslMechanisms.None)]
        [InlineData("OAUTHBEARER2", SaslMechanisms.None)]
        [InlineData("GSSAPI", SaslMechanisms.None)]
        [InlineData("SCRAM-SHA-256", SaslMechanisms.ScramSha256)]
        [InlineData("scram-sha-256", SaslMechanisms.ScramSha256)]
        [InlineData("SCRAM-SHA-1", SaslMechanisms.ScramSha1)]
        [InlineData("Scram-Sha-1", SaslMechanisms.ScramSha1)]
        [InlineData("SCRAM-SHA-256-PLUS", SaslMechanisms.None)]
        [InlineData("SCRAM-SHA-1-PLUS", SaslMechanisms.None)]
        [InlineData("SCRAM-SHA-512", SaslMechanisms.None)]
        [InlineData("SCRAM-SHA-", SaslMechanisms.None)]
        public void FromName_MapsNamesCaseInsensitively(string name, SaslMechanisms expected)
        {
            byte[] framed = TestBytes.Ascii("AUTH " + name + " X");

            Assert.Equal(expected, SaslFactory.FromName(name));
            Assert.Equal(expected, SaslFactory.FromName(framed, 5, name.Length));
        }

        [Fact]
        public void FromName_NullString_IsNone()
        {
            Assert.Equal(SaslMechanisms.None, SaslFactory.FromName(null));
        }

        [Fact]
        public void FromName_NonAsciiBytes_AreNone()
        {
            byte[] name = Encoding.Latin1.GetBytes("PL\u00c0IN");

            Assert.Equal(SaslMechanisms.None, SaslFactory.FromName(name, 0, name.Length));
        }

        [Fact]
        public void FromName_Bytes_RejectsBrokenRange()
        {
            Assert.Throws<ArgumentNullException>(() => SaslFactory.FromName(null, 0, 0));
            Assert.Throws<ArgumentOutOfRangeException>(() => SaslFactory.FromName(new byte[5], 2, 4));
        }

        [Theory]
        [InlineData(SaslMechanisms.CramMd5 | SaslMechanisms.Plain | SaslMechanisms.Login, SaslMechanisms.CramMd5 | SaslMechanisms.Plain | SaslMechanisms.Login, SaslMechanisms.CramMd5)]
        [InlineData(SaslMechanisms.Plain | SaslMechanisms.Login, SaslMechanisms.CramMd5 | SaslMechanisms.Plain | SaslMechanisms.Login, SaslMechanisms.Plain)]
        [InlineData(SaslMechanisms.Login, SaslMechanisms.CramMd5 | SaslMechanisms.Plain | SaslMechanisms.Login, SaslMechanisms.Login)]
        [InlineData(SaslMechanisms.CramMd5 | SaslMechanisms.Plain | SaslMechanisms.Login, SaslMechanisms.Plain | SaslMechanisms.Login, SaslMechanisms.Plain)]
        [InlineData(SaslMechanisms.CramMd5 | SaslMechanisms.Login, SaslMechanisms.Plain | SaslMechanisms.Login, SaslMechanisms.Login)]
        [InlineData(SaslMechanisms.Plain | SaslMechanisms.Login, SaslMechanisms.CramMd5, SaslMechanisms.None)]
        [InlineData(SaslMechanisms.None, SaslMechanisms.CramMd5 | SaslMechanisms.Plain | SaslMechanisms.Login, SaslMechanisms.None)]
        [InlineData(SaslMechanisms.CramMd5, SaslMechanisms.None, SaslMechanisms.None)]
        public void Strongest_Table(SaslMechanisms offered, SaslMechanisms allowed, SaslMechanisms expected)
        {
            Assert.Equal(expected, SaslFactory.Strongest(offered, allowed));
        }

        [Theory]
        [InlineData(SaslMechanisms.ScramSha1 | SaslMechanisms.ScramSha256 | SaslMechanisms.CramMd5, SaslMechanisms.ScramSha256)]
        [InlineData(SaslMechanisms.ScramSha1 | SaslMechanisms.CramMd5 | SaslMechanisms.Plain, SaslMechanisms.ScramSha1)]
        [InlineData(SaslMechanisms.ScramSha256 | SaslMechanisms.Login, SaslMechanisms.ScramSha256)]
        public void Strongest_PrefersScramSha256ThenScramSha1(SaslMechanisms offered, SaslMechanisms expected)
        {
            SaslMechanisms all = SaslMechanisms.ScramSha256 | SaslMechanisms.ScramSha1 | SaslMechanisms.CramMd5 | SaslMechanisms.Plain | SaslMechanisms.Login;

            Assert.Equal(expected, SaslFactory.Strongest(offered, all));
        }

        [Fact]
        public void Strongest_AllCombinations_PicksHighestRankedCommonMechanism()
        {
            // Rank order, weakest first, as an independent statement of the policy.
            SaslMechanisms[] weakestFirst = { SaslMechanisms.Login, SaslMechanisms.Plain, SaslMechanisms.CramMd5, SaslMechanisms.ScramSha1, SaslMechanisms.ScramSha256 };
            for (int offered = 0; offered < 32; offered++)
            {
                for (int allowed = 0; allowed < 32; allowed++)
                {
                    SaslMechanisms expected = SaslMechanisms.None;
                    foreach (SaslMechanisms candidate in weakestFirst)
                    {
                        if (((SaslMechanisms)offered & (SaslMechanisms)allowed & candidate) != 0)
                        {
                            expected = candidate;
                        }
                    }

                    Assert.Equal(expected, SaslFactory.Strongest((SaslMechanisms)offered, (SaslMechanisms)allowed));
                }
            }
        }

        [Fact]
        public void Strongest_NeverPicksAnOAuthMechanism()
        {
            SaslMechanisms oauth = SaslMechanisms.XOAuth2 | SaslMechanisms.OAuthBearer;

            Assert.Equal(SaslMechanisms.None, SaslFactory.Strongest(oauth, oauth));
            Assert.Equal(SaslMechanisms.Login, SaslFactory.Strongest(oauth | SaslMechanisms.Login, oauth | SaslMechanisms.Login));
        }

        [Fact]
        public void Create_BuildsMatchingMechanismForEachSingleFlag()
        {
            foreach (SaslMechanisms kind in s_singles)
            {
                SaslMechanism mechanism = SaslFactory.Create(kind, TestBytes.Ascii("u"), TestBytes.Ascii("p"));

                Assert.Equal(kind, mechanism.Kind);
                Assert.Equal(SaslFactory.NameOf(kind), mechanism.Name);
                Assert.Equal(kind, SaslFactory.FromName(mechanism.Name));
            }
        }

        [Fact]
        public void Create_BuildsScramWithTheRandomSource()
        {
            foreach (SaslMechanisms kind in new[] { SaslMechanisms.ScramSha1, SaslMechanisms.ScramSha256 })
            {
                SaslMechanism mechanism = SaslFactory.Create(kind, TestBytes.Ascii("u"), TestBytes.Ascii("p"), new FixedNonceSource("ABCDEFGHIJKLMNOPQRSTUVWX"), null);

                Assert.IsType<Scram>(mechanism);
                Assert.Equal(kind, mechanism.Kind);
                Assert.Equal(kind, SaslFactory.FromName(mechanism.Name));
                Assert.True(mechanism.HasInitialResponse);
            }

            // Without a random source there is no nonce, so no SCRAM.
            Assert.Throws<ArgumentNullException>(() => SaslFactory.Create(SaslMechanisms.ScramSha256, TestBytes.Ascii("u"), TestBytes.Ascii("p")));
        }

        [Fact]
        public void Create_RejectsNoneAndCombinations()
        {
            Assert.Throws<ArgumentException>(() => SaslFactory.Create(SaslMechanisms.None, new byte[1], new byte[1]));
            Assert.Throws<ArgumentException>(() => SaslFactory.Create(SaslMechanisms.Plain | SaslMechanisms.Login, new byte[1], new byte[1]));
        }

        [Theory]
        [InlineData(SaslMechanisms.CramMd5, "CRAM-MD5")]
        [InlineData(SaslMechanisms.Plain, "PLAIN")]
        [InlineData(SaslMechanisms.Login, "LOGIN")]
        [InlineData(SaslMechanisms.ScramSha1, "SCRAM-SHA-1")]
        [InlineData(SaslMechanisms.ScramSha256, "SCRAM-SHA-256")]
        [InlineData(SaslMechanisms.XOAuth2, "XOAUTH2")]
        [InlineData(SaslMechanisms.OAuthBearer, "OAUTHBEARER")]
        [InlineData(SaslMechanisms.None, null)]
        [InlineData(SaslMechanisms.CramMd5 | SaslMechanisms.Login, null)]
        public void NameOf_Table(SaslMechanisms single, string expected)
        {
            Assert.Equal(expected, SaslFactory.NameOf(single));
        }
    }
}
