using nanoFramework.Hardware.Esp32;
using nanoFramework.TestFramework;
using NetBoard.Firmware.Crypto;
using NetBoard.Firmware.Sasl;
using NetBoard.Hal;

namespace NetBoard.Device.Tests
{
    /// <summary>
    /// SCRAM on the device: the RFC 5802 example byte for byte, and on an ESP32 board the time one
    /// 4096-iteration key derivation takes (printed, so the README's estimate can be checked).
    /// </summary>
    [TestClass]
    public class ScramTests
    {
        [TestMethod]
        public void ScramSha1_MatchesRfc5802Example()
        {
            var scram = new Scram(SaslMechanisms.ScramSha1, TestText.Ascii("user"), TestText.Ascii("pencil"), new FixedNonce("fyko+d2lbbFgONRv9qkxdawL"), null);
            byte[] serverFirst = TestText.Ascii("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096");
            byte[] serverFinal = TestText.Ascii("v=rmF9pqV8S7suAoZWja4dJRkFsKQ=");

            Assert.AreEqual("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL", TestText.FromAscii(scram.InitialResponse()));
            Assert.IsNull(scram.Respond(serverFirst, 0, serverFirst.Length));
            byte[] final = null;
            while (final == null && scram.IsComputing)
            {
                final = scram.Continue(256);
            }

            Assert.AreEqual("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=", TestText.FromAscii(final));
            Assert.AreEqual(0, scram.Respond(serverFinal, 0, serverFinal.Length).Length);
            Assert.IsTrue(scram.IsComplete);
        }

        [TestMethod]
        public void Pbkdf2Sha256With4096Iterations_TimedOnTheBoard()
        {
            if (!HighResTimerTests.OnEsp32())
            {
                Assert.SkipTest("needs an ESP32 board (runs with nano.hardware.runsettings)");
            }

            byte[] password = TestText.Ascii("pencil");
            byte[] salt = { 0x5b, 0x6d, 0x99, 0x68, 0x9d, 0x12, 0x35, 0x8e, 0xec, 0xa0, 0x4b, 0x14, 0x12, 0x36, 0xfa, 0x81 };
            byte[] key = new byte[32];
            ulong start = HighResTimer.GetCurrent();

            Pbkdf2.DeriveKey(new Sha256(), password, 0, password.Length, salt, 0, salt.Length, 4096, key, 0, 32);

            ulong elapsedUs = HighResTimer.GetCurrent() - start;
            OutputHelper.WriteLine("PBKDF2-HMAC-SHA-256, 4096 iterations: " + (elapsedUs / 1000).ToString() + " ms");
            Assert.AreEqual("c4a49510323ab4f952cac1fa99441939e78ea74d6be81ddf7096e87513dc615d", TestText.ToHex(key));
        }

        // SCRAM maps each random byte to the base64 alphabet by its low six bits.
        private sealed class FixedNonce : IRandomSource
        {
            private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
            private readonly string _nonce;

            public FixedNonce(string nonce)
            {
                _nonce = nonce;
            }

            public void NextBytes(byte[] buffer, int offset, int count)
            {
                for (int i = 0; i < count; i++)
                {
                    buffer[offset + i] = (byte)Alphabet.IndexOf(_nonce[i]);
                }
            }
        }
    }
}
