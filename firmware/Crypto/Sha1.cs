using System;

namespace NetBoard.Firmware.Crypto
{
    /// <summary>
    /// SHA-1 (FIPS 180-4 section 6.1), incremental. All working storage is allocated by the
    /// constructor, so hashing any amount of data allocates nothing.
    /// </summary>
    /// <remarks>
    /// SHA-1 is broken for collision resistance; here it only serves HMAC-SHA-1 and PBKDF2 for
    /// SCRAM-SHA-1, where that weakness does not apply.
    /// </remarks>
    public sealed class Sha1 : BlockHash
    {
        /// <summary>Size of the digest in bytes.</summary>
        public const int HashSizeBytes = 20;

        private const int ScheduleWords = 80;

        private const uint K0 = 0x5A827999u;
        private const uint K1 = 0x6ED9EBA1u;
        private const uint K2 = 0x8F1BBCDCu;
        private const uint K3 = 0xCA62C1D6u;

        private readonly uint[] _schedule = new uint[ScheduleWords];

        /// <summary>Creates a hasher ready to take data.</summary>
        public Sha1()
            : base(5, true)
        {
            Reset();
        }

        /// <summary>Computes the SHA-1 digest of a byte range in one call.</summary>
        /// <param name="data">Source bytes.</param>
        /// <param name="offset">Index of the first byte to hash.</param>
        /// <param name="count">Number of bytes to hash; may be zero.</param>
        /// <returns>A new 20-byte array with the digest.</returns>
        public static byte[] Hash(byte[] data, int offset, int count)
        {
            Sha1 sha = new Sha1();
            sha.Update(data, offset, count);
            byte[] digest = new byte[HashSizeBytes];
            sha.Final(digest, 0);
            sha.Wipe();
            return digest;
        }

        /// <inheritdoc/>
        public override BlockHash NewInstance()
        {
            return new Sha1();
        }

        /// <inheritdoc/>
        protected override void InitializeState(uint[] state)
        {
            // FIPS 180-4 section 5.3.1.
            state[0] = 0x67452301u;
            state[1] = 0xEFCDAB89u;
            state[2] = 0x98BADCFEu;
            state[3] = 0x10325476u;
            state[4] = 0xC3D2E1F0u;
        }

        /// <inheritdoc/>
        protected override void WipeScratch()
        {
            Array.Clear(_schedule, 0, ScheduleWords);
        }

        // Five rounds per loop pass with the working variables renamed instead of shifted, as in Sha256.
        /// <inheritdoc/>
        protected override void Compress(byte[] block, int offset)
        {
            uint[] w = _schedule;
            for (int t = 0; t < 16; t++)
            {
                int p = offset + (4 * t);
                w[t] = (uint)((block[p] << 24) | (block[p + 1] << 16) | (block[p + 2] << 8) | block[p + 3]);
            }

            for (int t = 16; t < ScheduleWords; t++)
            {
                uint x = w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16];
                w[t] = (x << 1) | (x >> 31);
            }

            uint[] state = State;
            uint a = state[0];
            uint b = state[1];
            uint c = state[2];
            uint d = state[3];
            uint e = state[4];
            int i = 0;

            // Rounds 0-19: Ch.
            for (; i < 20; i += 5)
            {
                e += ((a << 5) | (a >> 27)) + (d ^ (b & (c ^ d))) + K0 + w[i];
                b = (b << 30) | (b >> 2);
                d += ((e << 5) | (e >> 27)) + (c ^ (a & (b ^ c))) + K0 + w[i + 1];
                a = (a << 30) | (a >> 2);
                c += ((d << 5) | (d >> 27)) + (b ^ (e & (a ^ b))) + K0 + w[i + 2];
                e = (e << 30) | (e >> 2);
                b += ((c << 5) | (c >> 27)) + (a ^ (d & (e ^ a))) + K0 + w[i + 3];
                d = (d << 30) | (d >> 2);
                a += ((b << 5) | (b >> 27)) + (e ^ (c & (d ^ e))) + K0 + w[i + 4];
                c = (c << 30) | (c >> 2);
            }

            // Rounds 20-39: parity.
            for (; i < 40; i += 5)
            {
                e += ((a << 5) | (a >> 27)) + (b ^ c ^ d) + K1 + w[i];
                b = (b << 30) | (b >> 2);
                d += ((e << 5) | (e >> 27)) + (a ^ b ^ c) + K1 + w[i + 1];
                a = (a << 30) | (a >> 2);
                c += ((d << 5) | (d >> 27)) + (e ^ a ^ b) + K1 + w[i + 2];
                e = (e << 30) | (e >> 2);
                b += ((c << 5) | (c >> 27)) + (d ^ e ^ a) + K1 + w[i + 3];
                d = (d << 30) | (d >> 2);
                a += ((b << 5) | (b >> 27)) + (c ^ d ^ e) + K1 + w[i + 4];
                c = (c << 30) | (c >> 2);
            }

            // Rounds 40-59: Maj.
            for (; i < 60; i += 5)
            {
                e += ((a << 5) | (a >> 27)) + ((b & c) | (d & (b | c))) + K2 + w[i];
                b = (b << 30) | (b >> 2);
                d += ((e << 5) | (e >> 27)) + ((a & b) | (c & (a | b))) + K2 + w[i + 1];
                a = (a << 30) | (a >> 2);
                c += ((d << 5) | (d >> 27)) + ((e & a) | (b & (e | a))) + K2 + w[i + 2];
                e = (e << 30) | (e >> 2);
                b += ((c << 5) | (c >> 27)) + ((d & e) | (a & (d | e))) + K2 + w[i + 3];
                d = (d << 30) | (d >> 2);
                a += ((b << 5) | (b >> 27)) + ((c & d) | (e & (c | d))) + K2 + w[i + 4];
                c = (c << 30) | (c >> 2);
            }

            // Rounds 60-79: parity.
            for (; i < ScheduleWords; i += 5)
            {
                e += ((a << 5) | (a >> 27)) + (b ^ c ^ d) + K3 + w[i];
                b = (b << 30) | (b >> 2);
                d += ((e << 5) | (e >> 27)) + (a ^ b ^ c) + K3 + w[i + 1];
                a = (a << 30) | (a >> 2);
                c += ((d << 5) | (d >> 27)) + (e ^ a ^ b) + K3 + w[i + 2];
                e = (e << 30) | (e >> 2);
                b += ((c << 5) | (c >> 27)) + (d ^ e ^ a) + K3 + w[i + 3];
                d = (d << 30) | (d >> 2);
                a += ((b << 5) | (b >> 27)) + (c ^ d ^ e) + K3 + w[i + 4];
                c = (c << 30) | (c >> 2);
            }

            state[0] += a;
            state[1] += b;
            state[2] += c;
            state[3] += d;
            state[4] += e;
        }
    }
}
