using System;
using System.Text;
using NetBoard.Firmware.Sasl;
using NetBoard.Firmware.Tests.Crypto;

namespace NetBoard.Firmware.Tests.Sasl
{
    public class LoginTests
    {
        [Theory]
        [InlineData("Username:", "Password:")]
        [InlineData("Password:", "Username:")]
        [InlineData("", "")]
        [InlineData("User Name\0", "Passwort:")]
        public void Respond_SendsUserThenPasswordWhateverThePrompt(string firstPrompt, string secondPrompt)
        {
            Login login = new Login(TestBytes.Ascii("tim"), TestBytes.Ascii("secret"));
            byte[] first = TestBytes.Ascii(firstPrompt);
            byte[] second = TestBytes.Ascii(secondPrompt);

            byte[] userResponse = login.Respond(first, 0, first.Length);
            bool completeAfterFirst = login.IsComplete;
            byte[] passwordResponse = login.Respond(second, 0, second.Length);

            Assert.Equal("tim", Encoding.ASCII.GetString(userResponse));
            Assert.False(completeAfterFirst);
            Assert.Equal("secret", Encoding.ASCII.GetString(passwordResponse));
            Assert.True(login.IsComplete);
        }

        [Fact]
        public void Respond_ThirdChallenge_GetsNull()
        {
            Login login = new Login(TestBytes.Ascii("tim"), TestBytes.Ascii("secret"));
            byte[] prompt = TestBytes.Ascii("Username:");
            login.Respond(prompt, 0, prompt.Length);
            login.Respond(prompt, 0, prompt.Length);

            Assert.Null(login.Respond(prompt, 0, prompt.Length));
        }

        [Fact]
        public void Respond_ReturnsCopiesTheCallerMayWipe()
        {
            Login login = new Login(TestBytes.Ascii("tim"), TestBytes.Ascii("secret"));
            byte[] prompt = new byte[0];
            byte[] userResponse = login.Respond(prompt, 0, 0);
            Array.Clear(userResponse, 0, userResponse.Length);

            byte[] passwordResponse = login.Respond(prompt, 0, 0);
            Array.Clear(passwordResponse, 0, passwordResponse.Length);

            Assert.Equal("tim", Encoding.ASCII.GetString(SaslTestSupport.StoredUser(login)));
            Assert.Equal("secret", Encoding.ASCII.GetString(SaslTestSupport.StoredPassword(login)));
        }

        [Fact]
        public void Properties_DescribeLogin()
        {
            Login login = new Login(TestBytes.Ascii("tim"), TestBytes.Ascii("secret"));

            Assert.Equal("LOGIN", login.Name);
            Assert.Equal(SaslMechanisms.Login, login.Kind);
            Assert.False(login.HasInitialResponse);
            Assert.True(login.SendsPasswordInClear);
            Assert.Null(login.InitialResponse());
        }

        [Fact]
        public void Clear_BetweenSteps_WipesAndRefusesPasswordStep()
        {
            Login login = new Login(TestBytes.Ascii("tim"), TestBytes.Ascii("secret"));
            byte[] prompt = TestBytes.Ascii("Username:");
            login.Respond(prompt, 0, prompt.Length);

            login.Clear();

            Assert.True(SaslTestSupport.AllZero(SaslTestSupport.StoredUser(login)));
            Assert.True(SaslTestSupport.AllZero(SaslTestSupport.StoredPassword(login)));
            Assert.Null(login.Respond(prompt, 0, prompt.Length));
        }
    }
}
