using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using CsCheck;
using NetBoard.Firmware.Crypto;

namespace NetBoard.Fuzz.Tests
{
    /// <summary>
    /// firmware/Crypto against .NET's own SHA-1, SHA-256, HMAC and PBKDF2 (OpenSSL underneath on Linux):
    /// random inputs fed in random pieces from random offsets must give the same bytes.
    /// </summary>
    public static class CryptoProperties
    {
        private static readonly Gen<int[]> Pieces = Gen.Int[1, 150].Array[1, 12];

        /// <summary>SHA-1 and SHA-256 of any bytes in any pieces equal .NET's.</summary>
        public static void Sha(long iter) =>
            Gen.Select(Gen.Byte.Array[0, 1200], Pieces, Gen.Bool).Sample((data, pieces, sha1) =>
            {
                BlockHash hash = sha1 ? new Sha1() : new Sha256();
                Feed(data, pieces, (b, o, c) => hash.Update(b, o, c));
                byte[] digest = new byte[hash.DigestSizeBytes];
                hash.Final(digest, 0);
                byte[] expected = sha1 ? SHA1.HashData(data) : SHA256.HashData(data);
                return expected.AsSpan().SequenceEqual(digest);
            }, iter: iter, threads: 1);

        /// <summary>HMAC-SHA-1 and HMAC-SHA-256 with any key (empty, short, one block, longer) equal .NET's, also for a second message under the same key.</summary>
        public static void HmacSha(long iter) =>
            Gen.Select(Gen.Byte.Array[0, 200], Gen.Byte.Array[0, 700], Gen.Byte.Array[0, 100], Pieces, Gen.Bool).Sample((key, data, second, pieces, sha1) =>
            {
                Hmac hmac = new Hmac(sha1 ? new Sha1() : new Sha256(), key, 0, key.Length);
                byte[] mac = new byte[hmac.HashSizeBytes];
                Feed(data, pieces, (b, o, c) => hmac.Update(b, o, c));
                hmac.Final(mac, 0);
                byte[] expected = sha1 ? HMACSHA1.HashData(key, data) : HMACSHA256.HashData(key, data);
                bool same = expected.AsSpan().SequenceEqual(mac);

                hmac.Update(second, 0, second.Length);
                hmac.Final(mac, 0);
                expected = sha1 ? HMACSHA1.HashData(key, second) : HMACSHA256.HashData(key, second);
                hmac.Clear();
                return same && expected.AsSpan().SequenceEqual(mac);
            }, iter: iter, threads: 1);

        /// <summary>PBKDF2 with HMAC-SHA-1 and HMAC-SHA-256, any password, salt, count and length, run in any slices, equals .NET's.</summary>
        public static void Pbkdf2(long iter) =>
            Gen.Select(Gen.Byte.Array[0, 90], Gen.Byte.Array[0, 40], Gen.Int[1, 64], Gen.Int[1, 90], Gen.Int[1, 40], Gen.Bool).Sample((password, salt, iterations, length, slice, sha1) =>
            {
                BlockHash hash = sha1 ? new Sha1() : new Sha256();
                var kdf = new NetBoard.Firmware.Crypto.Pbkdf2(new Hmac(hash, password, 0, password.Length), salt, 0, salt.Length, iterations, length);
                int calls = 0;
                while (!kdf.Run(slice))
                {
                    calls++;
                }

                byte[] key = new byte[length];
                kdf.CopyKey(key, 0);
                kdf.Clear();
                int blocks = (length + hash.DigestSizeBytes - 1) / hash.DigestSizeBytes;
                byte[] expected = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, sha1 ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256, length);
                return expected.AsSpan().SequenceEqual(key) && calls == ((blocks * iterations) + slice - 1) / slice - 1;
            }, iter: iter, threads: 1);

        // Each piece is copied into a larger array at an offset so that offsets are exercised too.
        private static void Feed(byte[] data, int[] pieces, Action<byte[], int, int> update)
        {
            int position = 0;
            for (int i = 0; position < data.Length; i++)
            {
                int piece = Math.Min(pieces[i % pieces.Length], data.Length - position);
                byte[] carrier = new byte[piece + 7];
                Array.Copy(data, position, carrier, 3, piece);
                update(carrier, 3, piece);
                position += piece;
            }

            update(data, data.Length, 0);
        }
    }
}
