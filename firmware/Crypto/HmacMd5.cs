namespace NetBoard.Firmware.Crypto
{
    /// <summary>
    /// HMAC-MD5 keyed hash (RFC 2104), incremental: <see cref="Hmac"/> over <see cref="Md5"/>. After
    /// <see cref="Final"/> the instance is ready for the next message under the same key;
    /// <see cref="Clear"/> wipes the key material.
    /// </summary>
    public sealed class HmacMd5
    {
        /// <summary>Size of the authentication code in bytes.</summary>
        public const int HashSizeBytes = Md5.HashSizeBytes;

        private readonly Hmac _hmac;

        /// <summary>Creates an HMAC-MD5 with the key taken from a byte range; the key bytes are not kept.</summary>
        /// <param name="key">Array holding the key; a key longer than 64 bytes is hashed first (RFC 2104 section 2).</param>
        /// <param name="offset">Index of the first key byte.</param>
        /// <param name="count">Key length in bytes; may be zero.</param>
        public HmacMd5(byte[] key, int offset, int count)
        {
            _hmac = new Hmac(new Md5(), key, offset, count);
        }

        /// <summary>Adds message bytes.</summary>
        /// <param name="data">Source bytes.</param>
        /// <param name="offset">Index of the first byte.</param>
        /// <param name="count">Number of bytes; may be zero.</param>
        public void Update(byte[] data, int offset, int count)
        {
            _hmac.Update(data, offset, count);
        }

        /// <summary>Writes the 16-byte code of the message so far and starts a new message under the same key.</summary>
        /// <param name="output">Destination array.</param>
        /// <param name="offset">Index where the first byte goes.</param>
        public void Final(byte[] output, int offset)
        {
            _hmac.Final(output, offset);
        }

        /// <summary>Wipes the key states and all intermediate values; the instance cannot be used afterwards.</summary>
        public void Clear()
        {
            _hmac.Clear();
        }

        /// <summary>Computes HMAC-MD5 of a byte range in one call and wipes the key material afterwards.</summary>
        /// <param name="key">Array holding the key.</param>
        /// <param name="keyOffset">Index of the first key byte.</param>
        /// <param name="keyCount">Key length in bytes.</param>
        /// <param name="data">Array holding the message.</param>
        /// <param name="offset">Index of the first message byte.</param>
        /// <param name="count">Message length in bytes.</param>
        /// <param name="output">Destination for the 16-byte code.</param>
        /// <param name="outputOffset">Index where the first byte of the code goes.</param>
        public static void Compute(byte[] key, int keyOffset, int keyCount, byte[] data, int offset, int count, byte[] output, int outputOffset)
        {
            Hmac.Compute(new Md5(), key, keyOffset, keyCount, data, offset, count, output, outputOffset);
        }
    }
}
