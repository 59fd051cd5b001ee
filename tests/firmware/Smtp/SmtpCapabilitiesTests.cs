using System.Text;
using NetBoard.Firmware.Sasl;
using NetBoard.Firmware.Smtp;

namespace NetBoard.Firmware.Tests.Smtp
{
    public class SmtpCapabilitiesTests
    {
        /// <summary>Parses each line from inside a larger buffer, so offset and count must be honoured.</summary>
        private static SmtpCapabilities Parse(params string[] lines)
        {
            var capabilities = new SmtpCapabilities();
            foreach (string line in lines)
            {
                byte[] bytes = Encoding.ASCII.GetBytes("250-" + line + " SIZE 7 AUTH CRAM-MD5");
                capabilities.ParseLine(bytes, 4, line.Length);
            }

            return capabilities;
        }

        [Fact]
        public void Nothing_parsed_means_nothing_announced()
        {
            var capabilities = new SmtpCapabilities();
            Assert.Equal(SmtpExtensions.None, capabilities.Extensions);
            Assert.Equal(SaslMechanisms.None, capabilities.AuthMechanisms);
            Assert.Equal(0, capabilities.SizeLimit);
            Assert.False(capabilities.Has(SmtpExtensions.Auth));
        }

        [Fact]
        public void Auth_line_lists_the_known_mechanisms()
        {
            SmtpCapabilities c = Parse("AUTH PLAIN LOGIN");
            Assert.True(c.Has(SmtpExtensions.Auth));
            Assert.Equal(SaslMechanisms.Plain | SaslMechanisms.Login, c.AuthMechanisms);
        }

        [Fact]
        public void Legacy_auth_equals_form_is_understood()
        {
            SmtpCapabilities c = Parse("AUTH=LOGIN CRAM-MD5");
            Assert.True(c.Has(SmtpExtensions.Auth));
            Assert.Equal(SaslMechanisms.Login | SaslMechanisms.CramMd5, c.AuthMechanisms);
        }

        [Fact]
        public void Auth_without_mechanisms_announces_auth_only()
        {
            SmtpCapabilities c = Parse("AUTH");
            Assert.True(c.Has(SmtpExtensions.Auth));
            Assert.Equal(SaslMechanisms.None, c.AuthMechanisms);
        }

        [Fact]
        public void Repeated_auth_lines_merge()
        {
            SmtpCapabilities c = Parse("AUTH PLAIN", "AUTH=LOGIN", "AUTH CRAM-MD5");
            Assert.Equal(SaslMechanisms.Plain | SaslMechanisms.Login | SaslMechanisms.CramMd5, c.AuthMechanisms);
            Assert.Equal(SmtpExtensions.Auth, c.Extensions);
        }

        [Fact]
        public void Unknown_mechanisms_are_ignored()
        {
            SmtpCapabilities c = Parse("AUTH GSSAPI NTLM XOAUTH2 DIGEST-MD5 CRAM-MD5 SCRAM-SHA-256-PLUS SCRAM-SHA-512 PLAINX OAUTHBEARERX");
            Assert.Equal(SaslMechanisms.CramMd5 | SaslMechanisms.XOAuth2, c.AuthMechanisms);

            SmtpCapabilities scram = Parse("AUTH SCRAM-SHA-256 SCRAM-SHA-1 SCRAM-SHA-1-PLUS");
            Assert.Equal(SaslMechanisms.ScramSha256 | SaslMechanisms.ScramSha1, scram.AuthMechanisms);

            SmtpCapabilities none = Parse("AUTH GSSAPI NTLM");
            Assert.True(none.Has(SmtpExtensions.Auth));
            Assert.Equal(SaslMechanisms.None, none.AuthMechanisms);
        }

        [Fact]
        public void Runs_of_spaces_between_mechanisms_are_skipped()
        {
            SmtpCapabilities c = Parse("AUTH   PLAIN    LOGIN  ");
            Assert.Equal(SaslMechanisms.Plain | SaslMechanisms.Login, c.AuthMechanisms);
        }

        [Fact]
        public void Lower_case_keywords_and_mechanisms_are_understood()
        {
            SmtpCapabilities c = Parse("auth plain cram-md5", "starttls", "size 1000", "8bitmime", "pipelining", "chunking", "enhancedstatuscodes");
            Assert.Equal(SaslMechanisms.Plain | SaslMechanisms.CramMd5, c.AuthMechanisms);
            Assert.Equal(
                SmtpExtensions.Auth | SmtpExtensions.StartTls | SmtpExtensions.Size | SmtpExtensions.EightBitMime | SmtpExtensions.Pipelining | SmtpExtensions.Chunking | SmtpExtensions.EnhancedStatusCodes,
                c.Extensions);
            Assert.Equal(1000, c.SizeLimit);
        }

        [Theory]
        [InlineData("STARTTLS", SmtpExtensions.StartTls)]
        [InlineData("8BITMIME", SmtpExtensions.EightBitMime)]
        [InlineData("PIPELINING", SmtpExtensions.Pipelining)]
        [InlineData("CHUNKING", SmtpExtensions.Chunking)]
        [InlineData("ENHANCEDSTATUSCODES", SmtpExtensions.EnhancedStatusCodes)]
        [InlineData("SIZE", SmtpExtensions.Size)]
        [InlineData("AUTH", SmtpExtensions.Auth)]
        public void Each_keyword_sets_its_flag_only(string keyword, SmtpExtensions flag)
        {
            Assert.Equal(flag, Parse(keyword).Extensions);
        }

        [Theory]
        [InlineData("AUTHX PLAIN")]
        [InlineData("XAUTH PLAIN")]
        [InlineData("SIZEX 100")]
        [InlineData("STARTTLS2")]
        [InlineData("X-EXPS LOGIN")]
        [InlineData("DSN")]
        [InlineData("CHUNKINGS")]
        [InlineData("")]
        public void Unknown_or_lookalike_keywords_are_ignored(string line)
        {
            SmtpCapabilities c = Parse(line);
            Assert.Equal(SmtpExtensions.None, c.Extensions);
            Assert.Equal(SaslMechanisms.None, c.AuthMechanisms);
            Assert.Equal(0, c.SizeLimit);
        }

        [Fact]
        public void Size_with_a_value_sets_the_limit()
        {
            SmtpCapabilities c = Parse("SIZE 10240000");
            Assert.True(c.Has(SmtpExtensions.Size));
            Assert.Equal(10240000, c.SizeLimit);
        }

        [Fact]
        public void Size_without_a_value_means_no_limit()
        {
            SmtpCapabilities c = Parse("SIZE");
            Assert.True(c.Has(SmtpExtensions.Size));
            Assert.Equal(0, c.SizeLimit);

            Assert.Equal(0, Parse("SIZE 0").SizeLimit);
            Assert.Equal(0, Parse("SIZE abc").SizeLimit);
        }

        [Fact]
        public void Size_value_stops_at_the_first_non_digit()
        {
            Assert.Equal(123, Parse("SIZE 123abc").SizeLimit);
            Assert.Equal(52428800, Parse("SIZE=52428800").SizeLimit);
        }

        [Fact]
        public void Size_beyond_32_bits_is_kept_exactly()
        {
            Assert.Equal(53687091200L, Parse("SIZE 53687091200").SizeLimit);
        }

        [Fact]
        public void Huge_size_is_treated_as_no_limit_instead_of_overflowing()
        {
            Assert.Equal(0, Parse("SIZE 99999999999999999999999999999").SizeLimit);
            Assert.Equal(0, Parse("SIZE 9223372036854775808").SizeLimit);
            Assert.True(Parse("SIZE 99999999999999999999999999999").Has(SmtpExtensions.Size));
        }

        [Fact]
        public void Later_size_line_replaces_the_earlier_limit()
        {
            Assert.Equal(2000, Parse("SIZE 1000", "SIZE 2000").SizeLimit);
        }

        [Fact]
        public void Has_needs_every_flag_asked_for()
        {
            SmtpCapabilities c = Parse("SIZE 5");
            Assert.True(c.Has(SmtpExtensions.Size));
            Assert.False(c.Has(SmtpExtensions.Size | SmtpExtensions.Auth));
        }

        [Fact]
        public void Clear_forgets_everything()
        {
            SmtpCapabilities c = Parse("AUTH PLAIN LOGIN CRAM-MD5", "SIZE 5000", "STARTTLS", "PIPELINING");
            c.Clear();
            Assert.Equal(SmtpExtensions.None, c.Extensions);
            Assert.Equal(SaslMechanisms.None, c.AuthMechanisms);
            Assert.Equal(0, c.SizeLimit);

            byte[] line = Encoding.ASCII.GetBytes("AUTH LOGIN");
            c.ParseLine(line, 0, line.Length);
            Assert.Equal(SaslMechanisms.Login, c.AuthMechanisms);
        }
    }
}
