using System;
using System.Security.Cryptography;
using NetBoard.Firmware.Crypto;

namespace NetBoard.Firmware.Tests.Crypto
{
    /// <summary>Compares Md5 and HmacMd5 with the platform implementations on random inputs fed in random pieces.</summary>
    public class DifferentialTests
    {
        private const int RandomCaseCount = 300;
        private const int MaxRandomLength = 300;
        private const int Seed = 20240601;

        private static readonly int[] s_boundaryLengths = { 0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 121, 127, 128, 129 };

        [Fact]
        public void Md5_MatchesPlatformOnRandomInputsAndSplits()
        {
            Random random = new Random(Seed);
            Md5 md5 = new Md5();
            byte[] digest = new byte[16];

            foreach (int length in Lengths(random))
            {
                byte[] data = RandomBytes(random, length);

                FeedInPieces(random, data, (buffer, offset, count) => md5.Update(buffer, offset, count));
                md5.Final(digest, 0);

                Assert.True(MD5.HashData(data).AsSpan().SequenceEqual(digest), "length " + length);
            }
        }

        [Fact]
        public void HmacMd5_MatchesPlatformOnRandomKeysInputsAndSplits()
        {
            Random random = new Random(Seed + 1);
            byte[] mac = new byte[16];

            foreach (int length in Lengths(random))
            {
                // Key lengths cover empty, short, exactly one block and longer-than-block keys.
                byte[] key = RandomBytes(random, random.Next(0, 3) == 0 ? random.Next(60, 140) : random.Next(0, 40));
                byte[] data = RandomBytes(random, length);
                HmacMd5 hmac = new HmacMd5(key, 0, key.Length);

                FeedInPieces(random, data, (buffer, offset, count) => hmac.Update(buffer, offset, count));
                hmac.Final(mac, 0);

                Assert.True(HMACMD5.HashData(key, data).AsSpan().SequenceEqual(mac), "key " + key.Length + ", length " + length);
            }
        }

        private static int[] Lengths(Random random)
        {
            int[] lengths = new int[RandomCaseCount + s_boundaryLengths.Length];
            for (int i = 0; i < RandomCaseCount; i++)
            {
                lengths[i] = random.Next(0, MaxRandomLength + 1);
            }

            s_boundaryLengths.CopyTo(lengths, RandomCaseCount);
            return lengths;
        }

        private static byte[] RandomBytes(Random random, int length)
        {
            byte[] bytes = new byte[length];
            random.NextBytes(bytes);
            return bytes;
        }

        // Copies each piece into a larger array at a random offset so that offset handling is exercised too.
        private static void FeedInPieces(Random random, byte[] data, Action<byte[], int, int> update)
        {
            int position = 0;
            while (position < data.Length)
            {
                int piece = random.Next(0, data.Length - position + 1);
                int pad = random.Next(0, 8);
                byte[] carrier = new byte[piece + 2 * pad];
                random.NextBytes(carrier);
                Array.Copy(data, position, carrier, pad, piece);
                update(carrier, pad, piece);
                position += piece;
            }

            update(data, data.Length, 0);
        }
    }
}
