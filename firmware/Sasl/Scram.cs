using System;
using NetBoard.Firmware.Crypto;
using NetBoard.Firmware.Text;
using NetBoard.Hal;

namespace NetBoard.Firmware.Sasl
{
    /// <summary>
    /// SCRAM-SHA-1 (RFC 5802) and SCRAM-SHA-256 (RFC 7677), client side, without channel binding (the GS2
    /// header is always "n,,": no authorization identity, and the client does not support channel binding).
    /// The password never crosses the wire, and the server must prove it knows the password's keys too:
    /// a wrong server signature fails the exchange with <see cref="SaslFailure.ServerNotAuthentic"/>.
    /// </summary>
    /// <remarks>
    /// Three steps: the client-first message (the initial response), the client-final message with the proof
    /// (computed from the salted password, which takes <c>i</c> PBKDF2 rounds unless the cache has it; the
    /// rounds run in slices through <see cref="SaslMechanism.Continue"/>), then an empty answer once the
    /// server's signature checks out. The iteration count must lie between <see cref="MinIterations"/> and
    /// <see cref="MaxIterations"/>. Every secret derived along the way is wiped after use.
    /// </remarks>
    public sealed class Scram : SaslMechanism
    {
        /// <summary>The smallest iteration count accepted: RFC 7677 section 4 asks for at least 4096.</summary>
        public const int MinIterations = 4096;

        /// <summary>The largest iteration count accepted: 16 times the minimum, minutes of work on the device.</summary>
        public const int MaxIterations = 65536;

        /// <summary>Length of the client nonce in characters (6 random bits each, 144 bits).</summary>
        public const int NonceLengthChars = 24;

        private const int StartStep = 0;
        private const int ServerFirstStep = 1;
        private const int DerivingStep = 2;
        private const int ServerFinalStep = 3;
        private const int DoneStep = 4;

        // The digits of an iteration count past which it is out of range whatever follows.
        private const int MaxIterationDigits = 9;

        private const string NonceAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

        private static readonly byte[] s_gs2Header = { (byte)'n', (byte)',', (byte)',' };

        // "c=" and base64("n,,") followed by ",r=".
        private static readonly byte[] s_channelBindingAndNonce = { (byte)'c', (byte)'=', (byte)'b', (byte)'i', (byte)'w', (byte)'s', (byte)',', (byte)'r', (byte)'=' };
        private static readonly byte[] s_clientKey = { (byte)'C', (byte)'l', (byte)'i', (byte)'e', (byte)'n', (byte)'t', (byte)' ', (byte)'K', (byte)'e', (byte)'y' };
        private static readonly byte[] s_serverKey = { (byte)'S', (byte)'e', (byte)'r', (byte)'v', (byte)'e', (byte)'r', (byte)' ', (byte)'K', (byte)'e', (byte)'y' };

        private readonly SaslMechanisms _kind;
        private readonly IRandomSource _random;
        private readonly ISaltedPasswordCache _cache;
        private readonly int _nonceLength;
        private readonly int _hashBytes;
        private int _step;
        private byte[] _preparedUser;
        private byte[] _preparedPassword;
        private byte[] _clientFirstBare;
        private byte[] _authMessage;
        private int _clientFinalOffset;
        private byte[] _salt;
        private int _iterations;
        private byte[] _saltedPassword;
        private bool _fromCache;
        private byte[] _serverSignature;
        private Pbkdf2 _kdf;

        /// <summary>Creates the mechanism with copies of the credentials.</summary>
        /// <param name="kind"><see cref="SaslMechanisms.ScramSha1"/> or <see cref="SaslMechanisms.ScramSha256"/>.</param>
        /// <param name="user">User name as UTF-8 bytes.</param>
        /// <param name="password">Password as UTF-8 bytes; only the salted password derived from it is used.</param>
        /// <param name="random">The source of the client nonce.</param>
        /// <param name="cache">Where salted passwords are kept between logins; null for none.</param>
        public Scram(SaslMechanisms kind, byte[] user, byte[] password, IRandomSource random, ISaltedPasswordCache cache)
            : this(kind, user, password, random, cache, NonceLengthChars)
        {
        }

        /// <summary>As the public constructor, with another nonce length (the RFC examples use 20 and 24 characters).</summary>
        internal Scram(SaslMechanisms kind, byte[] user, byte[] password, IRandomSource random, ISaltedPasswordCache cache, int nonceLength)
            : base(user, password)
        {
            if (kind != SaslMechanisms.ScramSha1 && kind != SaslMechanisms.ScramSha256)
            {
                throw new ArgumentException("not a SCRAM mechanism", "kind");
            }

            if (random == null)
            {
                throw new ArgumentNullException("random");
            }

            if (nonceLength < 1)
            {
                throw new ArgumentOutOfRangeException("nonceLength");
            }

            _kind = kind;
            _random = random;
            _cache = cache;
            _nonceLength = nonceLength;
            _hashBytes = kind == SaslMechanisms.ScramSha1 ? Sha1.HashSizeBytes : Sha256.HashSizeBytes;
        }

        /// <inheritdoc/>
        public override string Name
        {
            get
            {
                return _kind == SaslMechanisms.ScramSha1 ? SaslFactory.ScramSha1Name : SaslFactory.ScramSha256Name;
            }
        }

        /// <inheritdoc/>
        public override SaslMechanisms Kind
        {
            get
            {
                return _kind;
            }
        }

        /// <inheritdoc/>
        public override bool HasInitialResponse
        {
            get
            {
                return true;
            }
        }

        /// <inheritdoc/>
        public override bool SendsPasswordInClear
        {
            get
            {
                return false;
            }
        }

        /// <summary>True until the server's signature has been checked: a success reply before that is not to be trusted.</summary>
        public override bool AwaitsServerProof
        {
            get
            {
                return _step != DoneStep;
            }
        }

        /// <summary>True when the salted password of this exchange came from the cache rather than from PBKDF2.</summary>
        public bool UsedCachedKey
        {
            get
            {
                return _fromCache;
            }
        }

        /// <summary>
        /// Answers the server-first message (the client-final message, or null while the salted password is being
        /// derived: see <see cref="SaslMechanism.IsComputing"/>) and the server-final message (an empty response once
        /// the signature checks out). An empty first challenge, from a server sent AUTH without initial response,
        /// gets the client-first message. Anything else, or any failure, gets null with <see cref="SaslMechanism.Failure"/> set.
        /// </summary>
        /// <inheritdoc/>
        public override byte[] Respond(byte[] challenge, int offset, int count)
        {
            if (!BeginStep(challenge, offset, count) || _step == DerivingStep)
            {
                return null;
            }

            switch (_step)
            {
                case StartStep:
                    return count == 0 ? BuildInitialResponse() : Fail(SaslFailure.MalformedChallenge);
                case ServerFirstStep:
                    return OnServerFirst(challenge, offset, count);
                default:
                    return OnServerFinal(challenge, offset, count);
            }
        }

        /// <summary>Runs up to <paramref name="workUnits"/> PBKDF2 rounds; gives the client-final message once the salted password is ready.</summary>
        /// <inheritdoc/>
        public override byte[] Continue(int workUnits)
        {
            if (_step != DerivingStep || IsCleared)
            {
                return null;
            }

            if (!_kdf.Run(workUnits < 1 ? 1 : workUnits))
            {
                return null;
            }

            _saltedPassword = new byte[_hashBytes];
            _kdf.CopyKey(_saltedPassword, 0);
            _kdf.Clear();
            _kdf = null;
            SetComputing(false);
            return BuildClientFinal();
        }

        /// <summary>Drops the cached salted password this exchange used, if any: the server refused the proof made from it.</summary>
        public override void Rejected()
        {
            // Only while the proof is out: after a server-final message or Clear the names are wiped.
            if (_fromCache && _step == ServerFinalStep && Failure == SaslFailure.None && !IsCleared)
            {
                _cache.Remove(Name, _preparedUser, _salt, _iterations);
            }
        }

        /// <summary>Builds the client-first message "n,,n=USER,r=NONCE"; null (and a failure) when the credentials fail SASLprep.</summary>
        /// <inheritdoc/>
        protected override byte[] BuildInitialResponse()
        {
            if (_step != StartStep)
            {
                return null;
            }

            _preparedUser = SaslPrep.Prepare(User);
            _preparedPassword = SaslPrep.Prepare(Password);
            if (_preparedUser == null || _preparedPassword == null)
            {
                return Fail(SaslFailure.CredentialsNotSendable);
            }

            // client-first-message-bare = "n=" saslname ",r=" c-nonce, with ',' and '=' escaped in the name.
            int escapes = 0;
            for (int i = 0; i < _preparedUser.Length; i++)
            {
                if (_preparedUser[i] == (byte)',' || _preparedUser[i] == (byte)'=')
                {
                    escapes++;
                }
            }

            byte[] bare = new byte[2 + _preparedUser.Length + (2 * escapes) + 3 + _nonceLength];
            int at = 0;
            bare[at++] = (byte)'n';
            bare[at++] = (byte)'=';
            for (int i = 0; i < _preparedUser.Length; i++)
            {
                byte b = _preparedUser[i];
                if (b == (byte)',' || b == (byte)'=')
                {
                    bare[at++] = (byte)'=';
                    bare[at++] = (byte)(b == (byte)',' ? '2' : '3');
                    bare[at++] = (byte)(b == (byte)',' ? 'C' : 'D');
                }
                else
                {
                    bare[at++] = b;
                }
            }

            bare[at++] = (byte)',';
            bare[at++] = (byte)'r';
            bare[at++] = (byte)'=';
            _random.NextBytes(bare, at, _nonceLength);
            for (int i = at; i < bare.Length; i++)
            {
                bare[i] = (byte)NonceAlphabet[bare[i] & 0x3F];
            }

            _clientFirstBare = bare;
            _step = ServerFirstStep;
            byte[] message = new byte[s_gs2Header.Length + bare.Length];
            Array.Copy(s_gs2Header, message, s_gs2Header.Length);
            Array.Copy(bare, 0, message, s_gs2Header.Length, bare.Length);
            return message;
        }

        /// <inheritdoc/>
        protected override void ClearSecrets()
        {
            Wipe(_preparedUser);
            Wipe(_preparedPassword);
            Wipe(_saltedPassword);
            Wipe(_serverSignature);
            Wipe(_authMessage);
            Wipe(_salt);
            if (_kdf != null)
            {
                _kdf.Clear();
                _kdf = null;
            }
        }

        private static void Wipe(byte[] secret)
        {
            if (secret != null)
            {
                Array.Clear(secret, 0, secret.Length);
            }
        }

        // The start of the value after "X=" at at, or -1 when the attribute is not there.
        private static int Attribute(byte[] s, int at, int end, char name)
        {
            return at + 1 < end && s[at] == (byte)name && s[at + 1] == (byte)'=' ? at + 2 : -1;
        }

        private static int NextComma(byte[] s, int at, int end)
        {
            while (at < end && s[at] != (byte)',')
            {
                at++;
            }

            return at;
        }

        private static bool StartsWith(byte[] s, int at, int end, string text)
        {
            if (end - at < text.Length)
            {
                return false;
            }

            for (int i = 0; i < text.Length; i++)
            {
                if (s[at + i] != (byte)text[i])
                {
                    return false;
                }
            }

            return true;
        }

        // RFC 5802 section 7: server-error-value. invalid-proof and unknown-user are a wrong user name or password;
        // no-resources is temporary; anything else is the server refusing the exchange.
        private static SaslFailure ServerErrorFailure(byte[] s, int at, int end)
        {
            if (EqualsText(s, at, end, "invalid-proof") || EqualsText(s, at, end, "unknown-user"))
            {
                return SaslFailure.CredentialsRejected;
            }

            return EqualsText(s, at, end, "no-resources") ? SaslFailure.ServerTemporaryFailure : SaslFailure.ServerError;
        }

        private static bool EqualsText(byte[] s, int at, int end, string text)
        {
            return end - at == text.Length && StartsWith(s, at, end, text);
        }

        private BlockHash NewHash()
        {
            return _kind == SaslMechanisms.ScramSha1 ? (BlockHash)new Sha1() : new Sha256();
        }

        // server-first-message = [reserved-mext ","] nonce "," salt "," iteration-count ["," extensions]
        private byte[] OnServerFirst(byte[] s, int offset, int count)
        {
            int end = offset + count;
            int e = Attribute(s, offset, end, 'e');
            if (e >= 0)
            {
                return Fail(ServerErrorFailure(s, e, NextComma(s, e, end)));
            }

            if (Attribute(s, offset, end, 'm') >= 0)
            {
                return Fail(SaslFailure.UnsupportedExtension);
            }

            // The nonce: ours, then the server's part (at least one character), printable and without ','.
            int nonce = Attribute(s, offset, end, 'r');
            int nonceEnd = nonce < 0 ? -1 : NextComma(s, nonce, end);
            int ourNonce = _clientFirstBare.Length - _nonceLength;
            if (nonce < 0 || nonceEnd - nonce <= _nonceLength)
            {
                return Fail(SaslFailure.MalformedChallenge);
            }

            for (int i = nonce; i < nonceEnd; i++)
            {
                byte b = s[i];
                if (b < 0x21 || b > 0x7E || (i - nonce < _nonceLength && b != _clientFirstBare[ourNonce + i - nonce]))
                {
                    return Fail(SaslFailure.MalformedChallenge);
                }
            }

            int salt = nonceEnd < end ? Attribute(s, nonceEnd + 1, end, 's') : -1;
            int saltEnd = salt < 0 ? -1 : NextComma(s, salt, end);
            if (salt < 0 || saltEnd == salt)
            {
                return Fail(SaslFailure.MalformedChallenge);
            }

            byte[] decoded = new byte[Base64.DecodedMaxLength(saltEnd - salt)];
            int saltLength = Base64.Decode(s, salt, saltEnd - salt, decoded, 0);
            if (saltLength <= 0)
            {
                return Fail(SaslFailure.MalformedChallenge);
            }

            _salt = new byte[saltLength];
            Array.Copy(decoded, _salt, saltLength);
            Array.Clear(decoded, 0, decoded.Length);

            // iteration-count = "i=" posit-number, no leading zero; only the digits decide, extensions may follow.
            int digits = saltEnd < end ? Attribute(s, saltEnd + 1, end, 'i') : -1;
            int digitsEnd = digits < 0 ? -1 : NextComma(s, digits, end);
            if (digits < 0 || digitsEnd == digits || s[digits] == (byte)'0')
            {
                return Fail(SaslFailure.MalformedChallenge);
            }

            int iterations = 0;
            for (int i = digits; i < digitsEnd; i++)
            {
                if (s[i] < (byte)'0' || s[i] > (byte)'9')
                {
                    return Fail(SaslFailure.MalformedChallenge);
                }

                if (i - digits < MaxIterationDigits)
                {
                    iterations = (iterations * 10) + (s[i] - '0');
                }
            }

            if (digitsEnd - digits > MaxIterationDigits || iterations < MinIterations || iterations > MaxIterations)
            {
                return Fail(SaslFailure.IterationCountOutOfRange);
            }

            _iterations = iterations;

            // AuthMessage = client-first-message-bare "," server-first-message "," client-final-message-without-proof
            int nonceLength = nonceEnd - nonce;
            _authMessage = new byte[_clientFirstBare.Length + 1 + count + 1 + s_channelBindingAndNonce.Length + nonceLength];
            int at = 0;
            Array.Copy(_clientFirstBare, 0, _authMessage, at, _clientFirstBare.Length);
            at += _clientFirstBare.Length;
            _authMessage[at++] = (byte)',';
            Array.Copy(s, offset, _authMessage, at, count);
            at += count;
            _authMessage[at++] = (byte)',';
            _clientFinalOffset = at;
            Array.Copy(s_channelBindingAndNonce, 0, _authMessage, at, s_channelBindingAndNonce.Length);
            at += s_channelBindingAndNonce.Length;
            Array.Copy(s, nonce, _authMessage, at, nonceLength);

            _saltedPassword = new byte[_hashBytes];
            if (_cache != null && _cache.TryGet(Name, _preparedUser, _preparedPassword, _salt, _iterations, _saltedPassword))
            {
                _fromCache = true;
                return BuildClientFinal();
            }

            Array.Clear(_saltedPassword, 0, _saltedPassword.Length);
            _saltedPassword = null;
            _kdf = new Pbkdf2(new Hmac(NewHash(), _preparedPassword, 0, _preparedPassword.Length), _salt, 0, _salt.Length, _iterations, _hashBytes);
            _step = DerivingStep;
            SetComputing(true);
            return null;
        }

        // client-final-message = "c=biws,r=" nonce ",p=" base64(ClientKey XOR HMAC(H(ClientKey), AuthMessage))
        private byte[] BuildClientFinal()
        {
            byte[] clientKey = new byte[_hashBytes];
            byte[] storedKey = new byte[_hashBytes];
            byte[] signature = new byte[_hashBytes];
            byte[] serverKey = new byte[_hashBytes];
            Hmac.Compute(NewHash(), _saltedPassword, 0, _hashBytes, s_clientKey, 0, s_clientKey.Length, clientKey, 0);
            BlockHash hash = NewHash();
            hash.Update(clientKey, 0, _hashBytes);
            hash.Final(storedKey, 0);
            hash.Wipe();
            Hmac.Compute(NewHash(), storedKey, 0, _hashBytes, _authMessage, 0, _authMessage.Length, signature, 0);
            for (int i = 0; i < _hashBytes; i++)
            {
                clientKey[i] ^= signature[i];
            }

            Hmac.Compute(NewHash(), _saltedPassword, 0, _hashBytes, s_serverKey, 0, s_serverKey.Length, serverKey, 0);
            _serverSignature = new byte[_hashBytes];
            Hmac.Compute(NewHash(), serverKey, 0, _hashBytes, _authMessage, 0, _authMessage.Length, _serverSignature, 0);

            int withoutProof = _authMessage.Length - _clientFinalOffset;
            byte[] message = new byte[withoutProof + 3 + Base64.EncodedLength(_hashBytes)];
            Array.Copy(_authMessage, _clientFinalOffset, message, 0, withoutProof);
            message[withoutProof] = (byte)',';
            message[withoutProof + 1] = (byte)'p';
            message[withoutProof + 2] = (byte)'=';
            Base64.Encode(clientKey, 0, _hashBytes, message, withoutProof + 3);

            Array.Clear(clientKey, 0, _hashBytes);
            Array.Clear(storedKey, 0, _hashBytes);
            Array.Clear(signature, 0, _hashBytes);
            Array.Clear(serverKey, 0, _hashBytes);
            _step = ServerFinalStep;
            return message;
        }

        // server-final-message = (server-error / verifier) ["," extensions]
        private byte[] OnServerFinal(byte[] s, int offset, int count)
        {
            int end = offset + count;
            int e = Attribute(s, offset, end, 'e');
            if (e >= 0)
            {
                SaslFailure failure = ServerErrorFailure(s, e, NextComma(s, e, end));
                if (_fromCache && failure == SaslFailure.CredentialsRejected)
                {
                    // The cached key may be from before a password change on the server: derive afresh next time.
                    _cache.Remove(Name, _preparedUser, _salt, _iterations);
                }

                ClearSecrets();
                return Fail(failure);
            }

            int v = Attribute(s, offset, end, 'v');
            if (v < 0)
            {
                ClearSecrets();
                return Fail(SaslFailure.MalformedChallenge);
            }

            // Any verifier that does not check out, malformed or not, means the server did not prove itself.
            int vEnd = NextComma(s, v, end);
            byte[] signature = new byte[Base64.DecodedMaxLength(vEnd - v)];
            int length = Base64.Decode(s, v, vEnd - v, signature, 0);
            bool authentic = length == _hashBytes && FixedTime.AreEqual(signature, 0, _serverSignature, 0, _hashBytes);
            if (!authentic)
            {
                ClearSecrets();
                return Fail(SaslFailure.ServerNotAuthentic);
            }

            if (!_fromCache && _cache != null)
            {
                _cache.Put(Name, _preparedUser, _preparedPassword, _salt, _iterations, _saltedPassword);
            }

            ClearSecrets();
            _step = DoneStep;
            MarkComplete();
            return new byte[0];
        }
    }
}
