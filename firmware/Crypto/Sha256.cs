using System;

namespace NetBoard.Firmware.Crypto
{
    /// <summary>
    /// SHA-256 (FIPS 180-4 section 6.2), incremental. All working storage is allocated by the
    /// constructor, so hashing any amount of data allocates nothing.
    /// </summary>
    public sealed class Sha256 : BlockHash
    {
        /// <summary>Size of the digest in bytes.</summary>
        public const int HashSizeBytes = 32;

        private const int ScheduleWords = 64;

        // FIPS 180-4 section 4.2.2: the first 32 bits of the fractional parts of the cube roots of the first 64 primes.
        private static readonly uint[] s_roundConstants =
        {
            0x428A2F98u, 0x71374491u, 0xB5C0FBCFu, 0xE9B5DBA5u, 0x3956C25Bu, 0x59F111F1u, 0x923F82A4u, 0xAB1C5ED5u,
            0xD807AA98u, 0x12835B01u, 0x243185BEu, 0x550C7DC3u, 0x72BE5D74u, 0x80DEB1FEu, 0x9BDC06A7u, 0xC19BF174u,
            0xE49B69C1u, 0xEFBE4786u, 0x0FC19DC6u, 0x240CA1CCu, 0x2DE92C6Fu, 0x4A7484AAu, 0x5CB0A9DCu, 0x76F988DAu,
            0x983E5152u, 0xA831C66Du, 0xB00327C8u, 0xBF597FC7u, 0xC6E00BF3u, 0xD5A79147u, 0x06CA6351u, 0x14292967u,
            0x27B70A85u, 0x2E1B2138u, 0x4D2C6DFCu, 0x53380D13u, 0x650A7354u, 0x766A0ABBu, 0x81C2C92Eu, 0x92722C85u,
            0xA2BFE8A1u, 0xA81A664Bu, 0xC24B8B70u, 0xC76C51A3u, 0xD192E819u, 0xD6990624u, 0xF40E3585u, 0x106AA070u,
            0x19A4C116u, 0x1E376C08u, 0x2748774Cu, 0x34B0BCB5u, 0x391C0CB3u, 0x4ED8AA4Au, 0x5B9CCA4Fu, 0x682E6FF3u,
            0x748F82EEu, 0x78A5636Fu, 0x84C87814u, 0x8CC70208u, 0x90BEFFFAu, 0xA4506CEBu, 0xBEF9A3F7u, 0xC67178F2u,
        };

        private readonly uint[] _schedule = new uint[ScheduleWords];

        /// <summary>Creates a hasher ready to take data.</summary>
        public Sha256()
            : base(8, true)
        {
            Reset();
        }

        /// <summary>Computes the SHA-256 digest of a byte range in one call.</summary>
        /// <param name="data">Source bytes.</param>
        /// <param name="offset">Index of the first byte to hash.</param>
        /// <param name="count">Number of bytes to hash; may be zero.</param>
        /// <returns>A new 32-byte array with the digest.</returns>
        public static byte[] Hash(byte[] data, int offset, int count)
        {
            Sha256 sha = new Sha256();
            sha.Update(data, offset, count);
            byte[] digest = new byte[HashSizeBytes];
            sha.Final(digest, 0);
            sha.Wipe();
            return digest;
        }

        /// <inheritdoc/>
        public override BlockHash NewInstance()
        {
            return new Sha256();
        }

        /// <inheritdoc/>
        protected override void InitializeState(uint[] state)
        {
            // FIPS 180-4 section 5.3.3.
            state[0] = 0x6A09E667u;
            state[1] = 0xBB67AE85u;
            state[2] = 0x3C6EF372u;
            state[3] = 0xA54FF53Au;
            state[4] = 0x510E527Fu;
            state[5] = 0x9B05688Cu;
            state[6] = 0x1F83D9ABu;
            state[7] = 0x5BE0CD19u;
        }

        /// <inheritdoc/>
        protected override void WipeScratch()
        {
            Array.Clear(_schedule, 0, ScheduleWords);
        }

        // Eight rounds per loop pass with the working variables renamed instead of shifted: the device
        // interpreter pays for every local store, and a fully unrolled body would be four times the code.
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
                uint x = w[t - 15];
                uint y = w[t - 2];
                w[t] = w[t - 16] + w[t - 7]
                    + (((x >> 7) | (x << 25)) ^ ((x >> 18) | (x << 14)) ^ (x >> 3))
                    + (((y >> 17) | (y << 15)) ^ ((y >> 19) | (y << 13)) ^ (y >> 10));
            }

            uint[] k = s_roundConstants;
            uint[] state = State;
            uint a = state[0];
            uint b = state[1];
            uint c = state[2];
            uint d = state[3];
            uint e = state[4];
            uint f = state[5];
            uint g = state[6];
            uint h = state[7];

            for (int t = 0; t < ScheduleWords; t += 8)
            {
                h += (((e >> 6) | (e << 26)) ^ ((e >> 11) | (e << 21)) ^ ((e >> 25) | (e << 7))) + (g ^ (e & (f ^ g))) + k[t] + w[t];
                d += h;
                h += (((a >> 2) | (a << 30)) ^ ((a >> 13) | (a << 19)) ^ ((a >> 22) | (a << 10))) + ((a & b) | (c & (a | b)));

                g += (((d >> 6) | (d << 26)) ^ ((d >> 11) | (d << 21)) ^ ((d >> 25) | (d << 7))) + (f ^ (d & (e ^ f))) + k[t + 1] + w[t + 1];
                c += g;
                g += (((h >> 2) | (h << 30)) ^ ((h >> 13) | (h << 19)) ^ ((h >> 22) | (h << 10))) + ((h & a) | (b & (h | a)));

                f += (((c >> 6) | (c << 26)) ^ ((c >> 11) | (c << 21)) ^ ((c >> 25) | (c << 7))) + (e ^ (c & (d ^ e))) + k[t + 2] + w[t + 2];
                b += f;
                f += (((g >> 2) | (g << 30)) ^ ((g >> 13) | (g << 19)) ^ ((g >> 22) | (g << 10))) + ((g & h) | (a & (g | h)));

                e += (((b >> 6) | (b << 26)) ^ ((b >> 11) | (b << 21)) ^ ((b >> 25) | (b << 7))) + (d ^ (b & (c ^ d))) + k[t + 3] + w[t + 3];
                a += e;
                e += (((f >> 2) | (f << 30)) ^ ((f >> 13) | (f << 19)) ^ ((f >> 22) | (f << 10))) + ((f & g) | (h & (f | g)));

                d += (((a >> 6) | (a << 26)) ^ ((a >> 11) | (a << 21)) ^ ((a >> 25) | (a << 7))) + (c ^ (a & (b ^ c))) + k[t + 4] + w[t + 4];
                h += d;
                d += (((e >> 2) | (e << 30)) ^ ((e >> 13) | (e << 19)) ^ ((e >> 22) | (e << 10))) + ((e & f) | (g & (e | f)));

                c += (((h >> 6) | (h << 26)) ^ ((h >> 11) | (h << 21)) ^ ((h >> 25) | (h << 7))) + (b ^ (h & (a ^ b))) + k[t + 5] + w[t + 5];
                g += c;
                c += (((d >> 2) | (d << 30)) ^ ((d >> 13) | (d << 19)) ^ ((d >> 22) | (d << 10))) + ((d & e) | (f & (d | e)));

                b += (((g >> 6) | (g << 26)) ^ ((g >> 11) | (g << 21)) ^ ((g >> 25) | (g << 7))) + (a ^ (g & (h ^ a))) + k[t + 6] + w[t + 6];
                f += b;
                b += (((c >> 2) | (c << 30)) ^ ((c >> 13) | (c << 19)) ^ ((c >> 22) | (c << 10))) + ((c & d) | (e & (c | d)));

                a += (((f >> 6) | (f << 26)) ^ ((f >> 11) | (f << 21)) ^ ((f >> 25) | (f << 7))) + (h ^ (f & (g ^ h))) + k[t + 7] + w[t + 7];
                e += a;
                a += (((b >> 2) | (b << 30)) ^ ((b >> 13) | (b << 19)) ^ ((b >> 22) | (b << 10))) + ((b & c) | (d & (b | c)));
            }

            state[0] += a;
            state[1] += b;
            state[2] += c;
            state[3] += d;
            state[4] += e;
            state[5] += f;
            state[6] += g;
            state[7] += h;
        }
    }
}
