using System;
using System.Text;
using NetBoard.Firmware.Sasl;
using NetBoard.Firmware.Tests.Crypto;

namespace NetBoard.Firmware.Tests.Sasl
{
    public class SaslAuthLineTests
    {
        [Fact]
        public void Command_length_counts_verb_name_space_base64_and_crlf()
        {
            // "AUTH XOAUTH2 " + base64 of 10 octets (16) + CRLF.
            Assert.Equal(5 + 7 + 1 + 16 + 2, SaslAuthLine.CommandLength("XOAUTH2", 10));
            Assert.Equal(("AUTH PLAIN =" + "\r\n").Length, SaslAuthLine.CommandLength("PLAIN", 0));
        }

        [Fact]
        public void Smtp_limit_boundary_is_exact()
        {
            // The largest raw response whose AUTH XOAUTH2 line is at most 12,288 octets.
            int fits = 0;
            while (SaslAuthLine.CommandLength("XOAUTH2", fits + 1) <= SaslAuthLine.SmtpLineLimit)
            {
                fits++;
            }

            string line = "AUTH XOAUTH2 " + Convert.ToBase64String(new byte[fits]) + "\r\n";
            Assert.True(line.Length <= 12288);
            Assert.True(("AUTH XOAUTH2 " + Convert.ToBase64String(new byte[fits + 1]) + "\r\n").Length > 12288);
            Assert.True(SaslAuthLine.InitialResponseFits("XOAUTH2", fits, SaslAuthLine.SmtpLineLimit));
            Assert.False(SaslAuthLine.InitialResponseFits("XOAUTH2", fits + 1, SaslAuthLine.SmtpLineLimit));
        }

        [Fact]
        public void A_microsoft_sized_token_fits_smtp_but_not_pop3()
        {
            // Microsoft's access tokens run from 1.5 to 3 KB.
            var mechanism = new XOAuth2(TestBytes.Ascii("scanner@contoso.example"), TestBytes.Ascii(new string('a', 3000)));
            int length = mechanism.InitialResponseLength;

            Assert.True(SaslAuthLine.InitialResponseFits(mechanism.Name, length, SaslAuthLine.SmtpLineLimit));
            Assert.False(SaslAuthLine.InitialResponseFits(mechanism.Name, length, SaslAuthLine.PopLineLimit));
        }

        [Fact]
        public void An_oversized_token_goes_after_the_empty_challenge()
        {
            var mechanism = new OAuthBearer(TestBytes.Ascii("u@example.com"), TestBytes.Ascii(new string('b', 9500)));
            int length = mechanism.InitialResponseLength;

            Assert.False(SaslAuthLine.InitialResponseFits(mechanism.Name, length, SaslAuthLine.SmtpLineLimit));
            byte[] message = mechanism.Respond(new byte[0], 0, 0);
            Assert.Equal(length, message.Length);
            Assert.Equal(Convert.ToBase64String(message).Length + 2, SaslAuthLine.ResponseLineLength(length));
        }

        [Fact]
        public void No_initial_response_never_fits()
        {
            Assert.False(SaslAuthLine.InitialResponseFits("XOAUTH2", -1, SaslAuthLine.SmtpLineLimit));
        }
    }
}
