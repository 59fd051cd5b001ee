using System;
using NetBoard.Hal;

namespace NetBoard.Firmware.Tests.Sasl
{
    /// <summary>
    /// A random source that makes SCRAM pick a given client nonce: SCRAM maps each random byte to the base64
    /// alphabet by its low six bits, so the source hands out each nonce character's index in that alphabet.
    /// </summary>
    internal sealed class FixedNonceSource : IRandomSource
    {
        private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

        private readonly string _nonce;

        public FixedNonceSource(string nonce)
        {
            _nonce = nonce;
        }

        public int Calls { get; private set; }

        public void NextBytes(byte[] buffer, int offset, int count)
        {
            Calls++;
            if (count != _nonce.Length)
            {
                throw new InvalidOperationException("asked for " + count + " bytes, nonce has " + _nonce.Length);
            }

            for (int i = 0; i < count; i++)
            {
                // Upper bits set on purpose: only the low six may matter.
                buffer[offset + i] = (byte)(Alphabet.IndexOf(_nonce[i]) | 0xC0);
            }
        }
    }
}
