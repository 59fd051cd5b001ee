using System;
using System.IO;
using System.Reflection;
using System.Reflection.Emit;
using System.Security.Cryptography;
using System.Text;
using NetBoard.Firmware.Crypto;
using NetBoard.Firmware.Sasl;
using NetBoard.Firmware.Storage;
using NetBoard.Hal;
using NetBoard.Hal.Host;

namespace NetBoard.Bench
{
    internal sealed class ScramResult
    {
        public string Mechanism { get; set; }

        public double DeriveMs { get; set; }

        public double CachedMs { get; set; }
    }

    internal sealed class DeviceEstimate
    {
        public string Name { get; set; }

        public long IlPerBlock { get; set; }

        public long BlocksPerLogin { get; set; }
    }

    /// <summary>
    /// firmware/Crypto's SHA-1, SHA-256, HMAC and PBKDF2 against .NET's native ones (OpenSSL underneath on Linux),
    /// and a SCRAM login's client-side cost with and without the salted-password cache.
    /// </summary>
    internal static class ScramBench
    {
        public const int Iterations = 4096;

        public static CryptoResult[] RunCrypto(int samples)
        {
            byte[] data = new byte[1 << 20];
            new Random(11).NextBytes(data);
            byte[] password = Encoding.UTF8.GetBytes("scram-Secret-5");
            byte[] salt = Convert.FromBase64String("QSXCR+Q6sek8bf92");
            byte[] round = new byte[32];
            new Random(12).NextBytes(round);
            byte[] a = new byte[32];
            byte[] b = new byte[32];
            Sha1 sha1 = new Sha1();
            Sha256 sha256 = new Sha256();
            Hmac hmac = new Hmac(new Sha256(), password, 0, password.Length);

            sha256.Update(data, 0, data.Length);
            sha256.Final(a, 0);
            CryptoBench.Check(a, SHA256.HashData(data), "SHA-256");
            Pbkdf2.DeriveKey(new Sha256(), password, 0, password.Length, salt, 0, salt.Length, Iterations, a, 0, 32);
            CryptoBench.Check(a, Rfc2898DeriveBytes.Pbkdf2(password, salt, Iterations, HashAlgorithmName.SHA256, 32), "PBKDF2-HMAC-SHA256");
            Pbkdf2.DeriveKey(new Sha1(), password, 0, password.Length, salt, 0, salt.Length, Iterations, a, 0, 20);
            CryptoBench.Check(a.AsSpan(0, 20).ToArray(), Rfc2898DeriveBytes.Pbkdf2(password, salt, Iterations, HashAlgorithmName.SHA1, 20), "PBKDF2-HMAC-SHA1");

            double fwSha1 = Throughput(samples, data.Length, () =>
            {
                sha1.Update(data, 0, data.Length);
                sha1.Final(a, 0);
            });
            double netSha1 = Throughput(samples, data.Length, () => SHA1.HashData(data, b));
            double fwSha256 = Throughput(samples, data.Length, () =>
            {
                sha256.Update(data, 0, data.Length);
                sha256.Final(a, 0);
            });
            double netSha256 = Throughput(samples, data.Length, () => SHA256.HashData(data, b));
            double fwRound = CryptoBench.SecondsPerOp(samples, () =>
            {
                hmac.Update(round, 0, 32);
                hmac.Final(a, 0);
            }) * 1e6;
            double netRound = CryptoBench.SecondsPerOp(samples, () => HMACSHA256.HashData(password, round, b)) * 1e6;
            double fwKdf256 = CryptoBench.SecondsPerOp(samples, () => Pbkdf2.DeriveKey(new Sha256(), password, 0, password.Length, salt, 0, salt.Length, Iterations, a, 0, 32)) * 1e3;
            double netKdf256 = CryptoBench.SecondsPerOp(samples, () => Rfc2898DeriveBytes.Pbkdf2(password, salt, b, Iterations, HashAlgorithmName.SHA256)) * 1e3;
            double fwKdf1 = CryptoBench.SecondsPerOp(samples, () => Pbkdf2.DeriveKey(new Sha1(), password, 0, password.Length, salt, 0, salt.Length, Iterations, a, 0, 20)) * 1e3;
            double netKdf1 = CryptoBench.SecondsPerOp(samples, () => Rfc2898DeriveBytes.Pbkdf2(password, salt, b.AsSpan(0, 20), Iterations, HashAlgorithmName.SHA1)) * 1e3;

            return new[]
            {
                new CryptoResult { Name = "SHA-1, 1 MB", Unit = "MB/s", Firmware = fwSha1, Native = netSha1, Slowdown = netSha1 / fwSha1 },
                new CryptoResult { Name = "SHA-256, 1 MB", Unit = "MB/s", Firmware = fwSha256, Native = netSha256, Slowdown = netSha256 / fwSha256 },
                new CryptoResult { Name = "HMAC-SHA-256 of 32 bytes (one PBKDF2 round; .NET keys it anew each time)", Unit = "µs/op", Firmware = fwRound, Native = netRound, Slowdown = fwRound / netRound },
                new CryptoResult { Name = "PBKDF2-HMAC-SHA-1, 4096 iterations", Unit = "ms/op", Firmware = fwKdf1, Native = netKdf1, Slowdown = fwKdf1 / netKdf1 },
                new CryptoResult { Name = "PBKDF2-HMAC-SHA-256, 4096 iterations", Unit = "ms/op", Firmware = fwKdf256, Native = netKdf256, Slowdown = fwKdf256 / netKdf256 },
            };
        }

        /// <summary>
        /// The client's work for one SCRAM login (client-first, the proof, the server signature check), against
        /// server messages made beforehand: without a cache (PBKDF2 with 4096 iterations) and with the salted
        /// password cached in a credential store on the host file system (the entry read from disk each time).
        /// </summary>
        public static ScramResult[] RunLogins(int samples)
        {
            string folder = Path.Combine(Path.GetTempPath(), "netboard-bench-" + Environment.ProcessId);
            try
            {
                SaltedPasswordCache cache = new SaltedPasswordCache(new CredentialStore(new FileStorage(folder)));
                return new[] { Logins(SaslMechanisms.ScramSha1, cache, samples), Logins(SaslMechanisms.ScramSha256, cache, samples) };
            }
            finally
            {
                Directory.Delete(folder, true);
            }
        }

        /// <summary>
        /// IL instructions the firmware's compression functions execute per 64-byte block, counted from their IL
        /// with the known trip counts of their loops (the device interpreter runs this IL one instruction at a time).
        /// </summary>
        public static DeviceEstimate[] CountIl()
        {
            return new[]
            {
                new DeviceEstimate { Name = "SCRAM-SHA-1 (SHA-1)", IlPerBlock = Executed(typeof(Sha1), new[] { 16, 64, 4, 4, 4, 4 }), BlocksPerLogin = 2 * Iterations },
                new DeviceEstimate { Name = "SCRAM-SHA-256 (SHA-256)", IlPerBlock = Executed(typeof(Sha256), new[] { 16, 48, 8 }), BlocksPerLogin = 2 * Iterations },
            };
        }

        private static ScramResult Logins(SaslMechanisms kind, SaltedPasswordCache cache, int samples)
        {
            bool sha1 = kind == SaslMechanisms.ScramSha1;
            byte[] user = Encoding.UTF8.GetBytes("scram@lab.test");
            byte[] password = Encoding.UTF8.GetBytes("scram-Secret-5");
            FixedNonce nonce = new FixedNonce();
            Scram probe = new Scram(kind, user, password, nonce, null);
            string bare = Encoding.ASCII.GetString(probe.InitialResponse()).Substring(3);
            string clientNonce = bare.Substring(bare.IndexOf(",r=", StringComparison.Ordinal) + 3);
            byte[] salt = Convert.FromBase64String("QSXCR+Q6sek8bf92");
            string serverFirstText = "r=" + clientNonce + "3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=" + Iterations;
            HashAlgorithmName algorithm = sha1 ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256;
            byte[] salted = Rfc2898DeriveBytes.Pbkdf2(password, salt, Iterations, algorithm, sha1 ? 20 : 32);
            byte[] serverKey = sha1 ? HMACSHA1.HashData(salted, Encoding.ASCII.GetBytes("Server Key")) : HMACSHA256.HashData(salted, Encoding.ASCII.GetBytes("Server Key"));
            byte[] authMessage = Encoding.ASCII.GetBytes(bare + "," + serverFirstText + ",c=biws,r=" + clientNonce + "3rfcNHYJY1ZVvWVs7j");
            byte[] signature = sha1 ? HMACSHA1.HashData(serverKey, authMessage) : HMACSHA256.HashData(serverKey, authMessage);
            byte[] serverFirst = Encoding.ASCII.GetBytes(serverFirstText);
            byte[] serverFinal = Encoding.ASCII.GetBytes("v=" + Convert.ToBase64String(signature));

            Func<ISaltedPasswordCache, bool> login = c =>
            {
                Scram scram = new Scram(kind, user, password, nonce, c);
                scram.InitialResponse();
                byte[] final = scram.Respond(serverFirst, 0, serverFirst.Length);
                while (final == null && scram.IsComputing)
                {
                    final = scram.Continue(int.MaxValue);
                }

                bool ok = final != null && scram.Respond(serverFinal, 0, serverFinal.Length) != null;
                scram.Clear();
                return ok;
            };

            if (!login(null) || !login(cache) || !login(cache))
            {
                throw new InvalidOperationException(kind + ": the login against the prepared server messages failed");
            }

            double derive = CryptoBench.SecondsPerOp(samples, () => login(null)) * 1e3;
            double cached = CryptoBench.SecondsPerOp(samples, () => login(cache)) * 1e3;
            return new ScramResult { Mechanism = sha1 ? "SCRAM-SHA-1" : "SCRAM-SHA-256", DeriveMs = derive, CachedMs = cached };
        }

        private static double Throughput(int samples, int bytes, Action op)
        {
            return bytes / 1e6 / CryptoBench.SecondsPerOp(samples, op);
        }

        // Straight-line IL runs once; the body of the n-th loop (between its back edge and the edge's target) runs trips[n] times.
        private static long Executed(Type hash, int[] trips)
        {
            MethodInfo compress = hash.GetMethod("Compress", BindingFlags.Instance | BindingFlags.NonPublic);
            byte[] il = compress.GetMethodBody().GetILAsByteArray();
            OpCode[] one = new OpCode[256];
            OpCode[] two = new OpCode[256];
            foreach (FieldInfo f in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                OpCode op = (OpCode)f.GetValue(null);
                if (op.Size == 1)
                {
                    one[(byte)op.Value] = op;
                }
                else
                {
                    two[(byte)(op.Value & 0xFF)] = op;
                }
            }

            var starts = new System.Collections.Generic.List<int>();
            var loops = new System.Collections.Generic.List<(int From, int To)>();
            int at = 0;
            while (at < il.Length)
            {
                int start = at;
                OpCode op = il[at] == 0xFE ? two[il[++at]] : one[il[at]];
                at++;
                int operand = OperandSize(op.OperandType);
                if (op.OperandType == OperandType.ShortInlineBrTarget || op.OperandType == OperandType.InlineBrTarget)
                {
                    int delta = op.OperandType == OperandType.ShortInlineBrTarget ? (sbyte)il[at] : BitConverter.ToInt32(il, at);
                    int target = at + operand + delta;
                    if (target < start)
                    {
                        loops.Add((target, start));
                    }
                }

                starts.Add(start);
                at += operand;
            }

            if (loops.Count != trips.Length)
            {
                throw new InvalidOperationException(hash.Name + ".Compress has " + loops.Count + " loops, expected " + trips.Length);
            }

            long executed = 0;
            foreach (int start in starts)
            {
                long times = 1;
                for (int i = 0; i < loops.Count; i++)
                {
                    if (start >= loops[i].From && start <= loops[i].To)
                    {
                        times = trips[i];
                    }
                }

                executed += times;
            }

            return executed;
        }

        private static int OperandSize(OperandType type)
        {
            switch (type)
            {
                case OperandType.InlineNone:
                    return 0;
                case OperandType.ShortInlineBrTarget:
                case OperandType.ShortInlineI:
                case OperandType.ShortInlineVar:
                    return 1;
                case OperandType.InlineVar:
                    return 2;
                case OperandType.InlineI8:
                case OperandType.InlineR:
                    return 8;
                case OperandType.InlineSwitch:
                    throw new NotSupportedException("switch in a compression function");
                default:
                    return 4;
            }
        }

        private sealed class FixedNonce : IRandomSource
        {
            public void NextBytes(byte[] buffer, int offset, int count)
            {
                for (int i = 0; i < count; i++)
                {
                    buffer[offset + i] = (byte)(i * 7);
                }
            }
        }
    }
}
