using System;

namespace NetBoard.Firmware.Crypto
{
    /// <summary>
    /// MD5 message digest (RFC 1321), incremental. All working storage is allocated by the
    /// constructor, so hashing any amount of data allocates nothing.
    /// </summary>
    /// <remarks>
    /// MD5 is broken for collision resistance; here it only serves HMAC-MD5 for CRAM-MD5 and APOP,
    /// where that weakness does not apply.
    /// </remarks>
    public sealed class Md5 : BlockHash
    {
        /// <summary>Size of the digest in bytes.</summary>
        public const int HashSizeBytes = 16;

        /// <summary>Creates a hasher ready to take data.</summary>
        public Md5()
            : base(4, false)
        {
            Reset();
        }

        /// <summary>Computes the MD5 digest of a byte range in one call.</summary>
        /// <param name="data">Source bytes.</param>
        /// <param name="offset">Index of the first byte to hash.</param>
        /// <param name="count">Number of bytes to hash; may be zero.</param>
        /// <returns>A new 16-byte array with the digest.</returns>
        public static byte[] Hash(byte[] data, int offset, int count)
        {
            Md5 md5 = new Md5();
            md5.Update(data, offset, count);
            byte[] digest = new byte[HashSizeBytes];
            md5.Final(digest, 0);
            return digest;
        }

        /// <inheritdoc/>
        public override BlockHash NewInstance()
        {
            return new Md5();
        }

        /// <inheritdoc/>
        protected override void InitializeState(uint[] state)
        {
            state[0] = 0x67452301u;
            state[1] = 0xEFCDAB89u;
            state[2] = 0x98BADCFEu;
            state[3] = 0x10325476u;
        }

        // Fully unrolled and inlined: the device interpreter pays for every call and array access.
        protected override void Compress(byte[] block, int offset)
        {
            uint x0 = (uint)(block[offset] | (block[offset + 1] << 8) | (block[offset + 2] << 16) | (block[offset + 3] << 24));
            uint x1 = (uint)(block[offset + 4] | (block[offset + 5] << 8) | (block[offset + 6] << 16) | (block[offset + 7] << 24));
            uint x2 = (uint)(block[offset + 8] | (block[offset + 9] << 8) | (block[offset + 10] << 16) | (block[offset + 11] << 24));
            uint x3 = (uint)(block[offset + 12] | (block[offset + 13] << 8) | (block[offset + 14] << 16) | (block[offset + 15] << 24));
            uint x4 = (uint)(block[offset + 16] | (block[offset + 17] << 8) | (block[offset + 18] << 16) | (block[offset + 19] << 24));
            uint x5 = (uint)(block[offset + 20] | (block[offset + 21] << 8) | (block[offset + 22] << 16) | (block[offset + 23] << 24));
            uint x6 = (uint)(block[offset + 24] | (block[offset + 25] << 8) | (block[offset + 26] << 16) | (block[offset + 27] << 24));
            uint x7 = (uint)(block[offset + 28] | (block[offset + 29] << 8) | (block[offset + 30] << 16) | (block[offset + 31] << 24));
            uint x8 = (uint)(block[offset + 32] | (block[offset + 33] << 8) | (block[offset + 34] << 16) | (block[offset + 35] << 24));
            uint x9 = (uint)(block[offset + 36] | (block[offset + 37] << 8) | (block[offset + 38] << 16) | (block[offset + 39] << 24));
            uint x10 = (uint)(block[offset + 40] | (block[offset + 41] << 8) | (block[offset + 42] << 16) | (block[offset + 43] << 24));
            uint x11 = (uint)(block[offset + 44] | (block[offset + 45] << 8) | (block[offset + 46] << 16) | (block[offset + 47] << 24));
            uint x12 = (uint)(block[offset + 48] | (block[offset + 49] << 8) | (block[offset + 50] << 16) | (block[offset + 51] << 24));
            uint x13 = (uint)(block[offset + 52] | (block[offset + 53] << 8) | (block[offset + 54] << 16) | (block[offset + 55] << 24));
            uint x14 = (uint)(block[offset + 56] | (block[offset + 57] << 8) | (block[offset + 58] << 16) | (block[offset + 59] << 24));
            uint x15 = (uint)(block[offset + 60] | (block[offset + 61] << 8) | (block[offset + 62] << 16) | (block[offset + 63] << 24));

            uint[] state = State;
            uint a = state[0];
            uint b = state[1];
            uint c = state[2];
            uint d = state[3];

            // Round 1
            a += (((c ^ d) & b) ^ d) + x0 + 0xD76AA478u;
            a = ((a << 7) | (a >> 25)) + b;
            d += (((b ^ c) & a) ^ c) + x1 + 0xE8C7B756u;
            d = ((d << 12) | (d >> 20)) + a;
            c += (((a ^ b) & d) ^ b) + x2 + 0x242070DBu;
            c = ((c << 17) | (c >> 15)) + d;
            b += (((d ^ a) & c) ^ a) + x3 + 0xC1BDCEEEu;
            b = ((b << 22) | (b >> 10)) + c;
            a += (((c ^ d) & b) ^ d) + x4 + 0xF57C0FAFu;
            a = ((a << 7) | (a >> 25)) + b;
            d += (((b ^ c) & a) ^ c) + x5 + 0x4787C62Au;
            d = ((d << 12) | (d >> 20)) + a;
            c += (((a ^ b) & d) ^ b) + x6 + 0xA8304613u;
            c = ((c << 17) | (c >> 15)) + d;
            b += (((d ^ a) & c) ^ a) + x7 + 0xFD469501u;
            b = ((b << 22) | (b >> 10)) + c;
            a += (((c ^ d) & b) ^ d) + x8 + 0x698098D8u;
            a = ((a << 7) | (a >> 25)) + b;
            d += (((b ^ c) & a) ^ c) + x9 + 0x8B44F7AFu;
            d = ((d << 12) | (d >> 20)) + a;
            c += (((a ^ b) & d) ^ b) + x10 + 0xFFFF5BB1u;
            c = ((c << 17) | (c >> 15)) + d;
            b += (((d ^ a) & c) ^ a) + x11 + 0x895CD7BEu;
            b = ((b << 22) | (b >> 10)) + c;
            a += (((c ^ d) & b) ^ d) + x12 + 0x6B901122u;
            a = ((a << 7) | (a >> 25)) + b;
            d += (((b ^ c) & a) ^ c) + x13 + 0xFD987193u;
            d = ((d << 12) | (d >> 20)) + a;
            c += (((a ^ b) & d) ^ b) + x14 + 0xA679438Eu;
            c = ((c << 17) | (c >> 15)) + d;
            b += (((d ^ a) & c) ^ a) + x15 + 0x49B40821u;
            b = ((b << 22) | (b >> 10)) + c;

            // Round 2
            a += (((b ^ c) & d) ^ c) + x1 + 0xF61E2562u;
            a = ((a << 5) | (a >> 27)) + b;
            d += (((a ^ b) & c) ^ b) + x6 + 0xC040B340u;
            d = ((d << 9) | (d >> 23)) + a;
            c += (((d ^ a) & b) ^ a) + x11 + 0x265E5A51u;
            c = ((c << 14) | (c >> 18)) + d;
            b += (((c ^ d) & a) ^ d) + x0 + 0xE9B6C7AAu;
            b = ((b << 20) | (b >> 12)) + c;
            a += (((b ^ c) & d) ^ c) + x5 + 0xD62F105Du;
            a = ((a << 5) | (a >> 27)) + b;
            d += (((a ^ b) & c) ^ b) + x10 + 0x02441453u;
            d = ((d << 9) | (d >> 23)) + a;
            c += (((d ^ a) & b) ^ a) + x15 + 0xD8A1E681u;
            c = ((c << 14) | (c >> 18)) + d;
            b += (((c ^ d) & a) ^ d) + x4 + 0xE7D3FBC8u;
            b = ((b << 20) | (b >> 12)) + c;
            a += (((b ^ c) & d) ^ c) + x9 + 0x21E1CDE6u;
            a = ((a << 5) | (a >> 27)) + b;
            d += (((a ^ b) & c) ^ b) + x14 + 0xC33707D6u;
            d = ((d << 9) | (d >> 23)) + a;
            c += (((d ^ a) & b) ^ a) + x3 + 0xF4D50D87u;
            c = ((c << 14) | (c >> 18)) + d;
            b += (((c ^ d) & a) ^ d) + x8 + 0x455A14EDu;
            b = ((b << 20) | (b >> 12)) + c;
            a += (((b ^ c) & d) ^ c) + x13 + 0xA9E3E905u;
            a = ((a << 5) | (a >> 27)) + b;
            d += (((a ^ b) & c) ^ b) + x2 + 0xFCEFA3F8u;
            d = ((d << 9) | (d >> 23)) + a;
            c += (((d ^ a) & b) ^ a) + x7 + 0x676F02D9u;
            c = ((c << 14) | (c >> 18)) + d;
            b += (((c ^ d) & a) ^ d) + x12 + 0x8D2A4C8Au;
            b = ((b << 20) | (b >> 12)) + c;

            // Round 3
            a += (b ^ c ^ d) + x5 + 0xFFFA3942u;
            a = ((a << 4) | (a >> 28)) + b;
            d += (a ^ b ^ c) + x8 + 0x8771F681u;
            d = ((d << 11) | (d >> 21)) + a;
            c += (d ^ a ^ b) + x11 + 0x6D9D6122u;
            c = ((c << 16) | (c >> 16)) + d;
            b += (c ^ d ^ a) + x14 + 0xFDE5380Cu;
            b = ((b << 23) | (b >> 9)) + c;
            a += (b ^ c ^ d) + x1 + 0xA4BEEA44u;
            a = ((a << 4) | (a >> 28)) + b;
            d += (a ^ b ^ c) + x4 + 0x4BDECFA9u;
            d = ((d << 11) | (d >> 21)) + a;
            c += (d ^ a ^ b) + x7 + 0xF6BB4B60u;
            c = ((c << 16) | (c >> 16)) + d;
            b += (c ^ d ^ a) + x10 + 0xBEBFBC70u;
            b = ((b << 23) | (b >> 9)) + c;
            a += (b ^ c ^ d) + x13 + 0x289B7EC6u;
            a = ((a << 4) | (a >> 28)) + b;
            d += (a ^ b ^ c) + x0 + 0xEAA127FAu;
            d = ((d << 11) | (d >> 21)) + a;
            c += (d ^ a ^ b) + x3 + 0xD4EF3085u;
            c = ((c << 16) | (c >> 16)) + d;
            b += (c ^ d ^ a) + x6 + 0x04881D05u;
            b = ((b << 23) | (b >> 9)) + c;
            a += (b ^ c ^ d) + x9 + 0xD9D4D039u;
            a = ((a << 4) | (a >> 28)) + b;
            d += (a ^ b ^ c) + x12 + 0xE6DB99E5u;
            d = ((d << 11) | (d >> 21)) + a;
            c += (d ^ a ^ b) + x15 + 0x1FA27CF8u;
            c = ((c << 16) | (c >> 16)) + d;
            b += (c ^ d ^ a) + x2 + 0xC4AC5665u;
            b = ((b << 23) | (b >> 9)) + c;

            // Round 4
            a += (c ^ (b | ~d)) + x0 + 0xF4292244u;
            a = ((a << 6) | (a >> 26)) + b;
            d += (b ^ (a | ~c)) + x7 + 0x432AFF97u;
            d = ((d << 10) | (d >> 22)) + a;
            c += (a ^ (d | ~b)) + x14 + 0xAB9423A7u;
            c = ((c << 15) | (c >> 17)) + d;
            b += (d ^ (c | ~a)) + x5 + 0xFC93A039u;
            b = ((b << 21) | (b >> 11)) + c;
            a += (c ^ (b | ~d)) + x12 + 0x655B59C3u;
            a = ((a << 6) | (a >> 26)) + b;
            d += (b ^ (a | ~c)) + x3 + 0x8F0CCC92u;
            d = ((d << 10) | (d >> 22)) + a;
            c += (a ^ (d | ~b)) + x10 + 0xFFEFF47Du;
            c = ((c << 15) | (c >> 17)) + d;
            b += (d ^ (c | ~a)) + x1 + 0x85845DD1u;
            b = ((b << 21) | (b >> 11)) + c;
            a += (c ^ (b | ~d)) + x8 + 0x6FA87E4Fu;
            a = ((a << 6) | (a >> 26)) + b;
            d += (b ^ (a | ~c)) + x15 + 0xFE2CE6E0u;
            d = ((d << 10) | (d >> 22)) + a;
            c += (a ^ (d | ~b)) + x6 + 0xA3014314u;
            c = ((c << 15) | (c >> 17)) + d;
            b += (d ^ (c | ~a)) + x13 + 0x4E0811A1u;
            b = ((b << 21) | (b >> 11)) + c;
            a += (c ^ (b | ~d)) + x4 + 0xF7537E82u;
            a = ((a << 6) | (a >> 26)) + b;
            d += (b ^ (a | ~c)) + x11 + 0xBD3AF235u;
            d = ((d << 10) | (d >> 22)) + a;
            c += (a ^ (d | ~b)) + x2 + 0x2AD7D2BBu;
            c = ((c << 15) | (c >> 17)) + d;
            b += (d ^ (c | ~a)) + x9 + 0xEB86D391u;
            b = ((b << 21) | (b >> 11)) + c;

            state[0] += a;
            state[1] += b;
            state[2] += c;
            state[3] += d;
        }
    }
}
