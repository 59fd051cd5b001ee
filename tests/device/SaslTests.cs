using nanoFramework.TestFramework;
using NetBoard.Firmware.Sasl;

namespace NetBoard.Device.Tests
{
    /// <summary>The SASL transforms on the device: challenge in, response out.</summary>
    [TestClass]
    public class SaslTests
    {
        [TestMethod]
        public void CramMd5_MatchesRfc2195Example()
        {
            var cram = new CramMd5(TestText.Ascii("tim"), TestText.Ascii("tanstaaftanstaaf"));
            byte[] challenge = TestText.Ascii("<1896.697170952@postoffice.reston.mci.net>");

            byte[] response = cram.Respond(challenge, 0, challenge.Length);

            Assert.AreEqual("tim b913a602c7eda7a495b4e6e7334d3890", TestText.FromAscii(response));
            Assert.IsTrue(cram.IsComplete);
        }

        [TestMethod]
        public void Plain_SendsAuthorizationIdentityUserAndPasswordSeparatedByNul()
        {
            var plain = new Plain(TestText.Ascii("tim"), TestText.Ascii("tanstaaf"));

            byte[] response = plain.InitialResponse();

            CollectionAssert.AreEqual(TestText.Ascii("\0tim\0tanstaaf"), response);
        }

        [TestMethod]
        public void Login_AnswersUserThenPasswordWhateverThePromptSays()
        {
            var login = new Login(TestText.Ascii("tim"), TestText.Ascii("secret"));
            byte[] prompt = TestText.Ascii("anything");

            byte[] first = login.Respond(prompt, 0, prompt.Length);
            byte[] second = login.Respond(prompt, 0, prompt.Length);

            Assert.AreEqual("tim", TestText.FromAscii(first));
            Assert.AreEqual("secret", TestText.FromAscii(second));
        }
    }
}
