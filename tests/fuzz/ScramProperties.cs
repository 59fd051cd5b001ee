using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using CsCheck;
using NetBoard.Firmware.Sasl;
using NetBoard.Hal;

namespace NetBoard.Fuzz.Tests
{
    /// <summary>
    /// The SCRAM client against a reference server written here with .NET's HMAC, hashes and PBKDF2, and against
    /// random server messages.
    /// </summary>
    public static class ScramProperties
    {
        private static readonly Gen<string> Printable = Gen.String[Gen.Char[' ', '~'], 1, 24];

        /// <summary>
        /// Any user name (with ',' and '=' to escape), password, salt, server nonce and iteration count: the reference
        /// server accepts the client's proof, the client accepts the server's signature and nothing else, and no
        /// message carries the password. The salted password comes from a cache primed with .NET's PBKDF2 except in
        /// one case in forty, where the client derives it itself.
        /// </summary>
        public static void Exchange(long iter) =>
            Gen.Select(Printable, Printable, Gen.Byte.Array[1, 32], Gen.String[Gen.Char['!', '~'], 1, 40], Gen.Int[Scram.MinIterations, Scram.MaxIterations], Gen.Bool, Gen.Int[0, 39])
                .Sample((user, password, salt, serverNonce, iterations, sha1, derive) =>
            {
                serverNonce = serverNonce.Replace(',', '~');
                HashAlgorithmName algorithm = sha1 ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256;
                int count = derive == 0 ? Scram.MinIterations : iterations;
                // A primed cache hands over any salted password; only one the client derives must be PBKDF2's.
                byte[] salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, derive == 0 ? count : 1, algorithm, sha1 ? 20 : 32);
                var cache = new PrimedCache(derive == 0 ? null : salted);
                var scram = new Scram(sha1 ? SaslMechanisms.ScramSha1 : SaslMechanisms.ScramSha256, Encoding.UTF8.GetBytes(user), Encoding.UTF8.GetBytes(password), new OsRandom(), cache);

                string clientFirst = Encoding.UTF8.GetString(scram.InitialResponse());
                if (!clientFirst.StartsWith("n,,n=", StringComparison.Ordinal))
                {
                    return false;
                }

                string bare = clientFirst.Substring(3);
                string[] parts = bare.Split(',');
                string name = parts[0].Substring(2).Replace("=2C", ",", StringComparison.Ordinal).Replace("=3D", "=", StringComparison.Ordinal);
                string clientNonce = parts[1].Substring(2);
                if (parts.Length != 2 || name != user || clientNonce.Length != Scram.NonceLengthChars)
                {
                    return false;
                }

                string serverFirst = "r=" + clientNonce + serverNonce + ",s=" + Convert.ToBase64String(salt) + ",i=" + count;
                byte[] sf = Encoding.ASCII.GetBytes(serverFirst);
                byte[] final = scram.Respond(sf, 0, sf.Length);
                while (final == null && scram.IsComputing)
                {
                    final = scram.Continue(4096);
                }

                string clientFinal = Encoding.ASCII.GetString(final);
                string withoutProof = "c=biws,r=" + clientNonce + serverNonce;
                // A password of a few characters may turn up in the base64 proof by chance; a longer one may not.
                if (!clientFinal.StartsWith(withoutProof + ",p=", StringComparison.Ordinal) || (password.Length >= 8 && clientFinal.Contains(password, StringComparison.Ordinal)))
                {
                    return false;
                }

                // The reference server: StoredKey = H(HMAC(salted, "Client Key")), then ClientKey = proof XOR HMAC(StoredKey, AuthMessage).
                byte[] authMessage = Encoding.UTF8.GetBytes(bare + "," + serverFirst + "," + withoutProof);
                byte[] clientKey = Hmac(algorithm, salted, Encoding.ASCII.GetBytes("Client Key"));
                byte[] storedKey = sha1 ? SHA1.HashData(clientKey) : SHA256.HashData(clientKey);
                byte[] proof = Convert.FromBase64String(clientFinal.Substring(withoutProof.Length + 3));
                byte[] signature = Hmac(algorithm, storedKey, authMessage);
                byte[] recovered = proof.Select((b, i) => (byte)(b ^ signature[i])).ToArray();
                if (!(sha1 ? SHA1.HashData(recovered) : SHA256.HashData(recovered)).AsSpan().SequenceEqual(storedKey))
                {
                    return false;
                }

                byte[] serverSignature = Hmac(algorithm, Hmac(algorithm, salted, Encoding.ASCII.GetBytes("Server Key")), authMessage);
                byte[] wrong = (byte[])serverSignature.Clone();
                wrong[serverSignature.Length - 1] ^= 1;
                byte[] good = Encoding.ASCII.GetBytes("v=" + Convert.ToBase64String(serverSignature));
                byte[] bad = Encoding.ASCII.GetBytes("v=" + Convert.ToBase64String(wrong));

                // A copy of the state is not possible, so the bad signature is tried on a second, identical exchange only when cached.
                byte[] answer = scram.Respond(good, 0, good.Length);
                bool accepted = answer != null && answer.Length == 0 && scram.IsComplete && !scram.AwaitsServerProof;
                bool cachedAfterDerivation = derive != 0 || cache.Stored != null && cache.Stored.AsSpan().SequenceEqual(salted);
                if (derive != 0)
                {
                    var again = new Scram(sha1 ? SaslMechanisms.ScramSha1 : SaslMechanisms.ScramSha256, Encoding.UTF8.GetBytes(user), Encoding.UTF8.GetBytes(password), new Replay(clientNonce), cache);
                    again.InitialResponse();
                    again.Respond(sf, 0, sf.Length);
                    bool refused = again.Respond(bad, 0, bad.Length) == null && again.Failure == SaslFailure.ServerNotAuthentic;
                    return accepted && refused && cachedAfterDerivation;
                }

                return accepted && cachedAfterDerivation;
            }, iter: iter, threads: 1);

        /// <summary>
        /// Random server-first messages, some near-valid: never an exception; either the client goes on (computing,
        /// only for a well-formed message with the client's nonce and a count in range) or it fails with a reason.
        /// </summary>
        public static void ServerFirst(long iter) =>
            Gen.Select(
                Gen.OneOf(
                    Gen.Byte.Array[0, 200],
                    Gen.OneOf("r=", "s=", "i=", "m=", "e=", ",", "=", "NONCE", "QSXCR+Q6sek8bf92", "4096", "65537", "0", "x", "\u00ff").Array[0, 12].Select(p => Encoding.Latin1.GetBytes(string.Concat(p)))),
                Gen.Bool).Sample((raw, wellFormedStart) =>
            {
                var scram = new Scram(SaslMechanisms.ScramSha256, Encoding.ASCII.GetBytes("user"), Encoding.ASCII.GetBytes("pencil"), new OsRandom(), null);
                string nonce = Encoding.ASCII.GetString(scram.InitialResponse()).Substring(12);
                byte[] message = Encoding.UTF8.GetBytes(Encoding.Latin1.GetString(raw).Replace("NONCE", nonce, StringComparison.Ordinal));
                if (wellFormedStart)
                {
                    message = Encoding.ASCII.GetBytes("r=" + nonce + "srv,s=QSXCR+Q6sek8bf92,i=4096").Concat(message).ToArray();
                }

                byte[] response = scram.Respond(message, 0, message.Length);
                scram.Continue(1);
                if (response != null)
                {
                    return false;
                }

                if (!scram.IsComputing)
                {
                    return scram.Failure != SaslFailure.None;
                }

                // Only a message that starts with the nonce, the salt and an in-range count gets this far.
                string text = Encoding.Latin1.GetString(message);
                return text.StartsWith("r=" + nonce, StringComparison.Ordinal) && scram.Failure == SaslFailure.None;
            }, iter: iter, threads: 1);

        private static byte[] Hmac(HashAlgorithmName algorithm, byte[] key, byte[] data) =>
            algorithm == HashAlgorithmName.SHA1 ? HMACSHA1.HashData(key, data) : HMACSHA256.HashData(key, data);

        private sealed class OsRandom : IRandomSource
        {
            public void NextBytes(byte[] buffer, int offset, int count) => RandomNumberGenerator.Fill(buffer.AsSpan(offset, count));
        }

        // Gives back a nonce already drawn, so that a second exchange has the same AuthMessage.
        private sealed class Replay : IRandomSource
        {
            private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
            private readonly string _nonce;

            public Replay(string nonce) => _nonce = nonce;

            public void NextBytes(byte[] buffer, int offset, int count)
            {
                for (int i = 0; i < count; i++)
                {
                    buffer[offset + i] = (byte)Alphabet.IndexOf(_nonce[i]);
                }
            }
        }

        private sealed class PrimedCache : ISaltedPasswordCache
        {
            private byte[] _salted;

            public PrimedCache(byte[] salted) => _salted = salted;

            public byte[] Stored { get; private set; }

            public bool TryGet(string mechanism, byte[] user, byte[] password, byte[] salt, int iterations, byte[] saltedPassword)
            {
                if (_salted == null)
                {
                    return false;
                }

                _salted.CopyTo(saltedPassword, 0);
                return true;
            }

            public void Put(string mechanism, byte[] user, byte[] password, byte[] salt, int iterations, byte[] saltedPassword)
            {
                Stored = (byte[])saltedPassword.Clone();
                _salted = Stored;
            }

            public void Remove(string mechanism, byte[] user, byte[] salt, int iterations) => _salted = null;
        }
    }
}
