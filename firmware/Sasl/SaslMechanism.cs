using System;
using NetBoard.Firmware.Crypto;

namespace NetBoard.Firmware.Sasl
{
    /// <summary>
    /// Client side of one SASL (RFC 4422) authentication exchange, as pure byte transforms: the
    /// protocol client decodes each server challenge from base64, passes the raw bytes to
    /// <see cref="Respond"/> and encodes the returned bytes. An instance serves one exchange.
    /// </summary>
    /// <remarks>
    /// Responses may contain the password: the caller should wipe each returned array with
    /// <see cref="Array.Clear(Array, int, int)"/> once it has been encoded, and call <see cref="Clear"/> when done.
    /// </remarks>
    public abstract class SaslMechanism
    {
        private readonly byte[] _user;
        private readonly byte[] _password;
        private bool _complete;
        private bool _cleared;
        private bool _computing;
        private SaslFailure _failure;

        /// <summary>Stores copies of the credentials; the caller may wipe its own arrays afterwards.</summary>
        /// <param name="user">User name as UTF-8 bytes.</param>
        /// <param name="password">Password as UTF-8 bytes.</param>
        protected SaslMechanism(byte[] user, byte[] password)
        {
            if (user == null)
            {
                throw new ArgumentNullException("user");
            }

            if (password == null)
            {
                throw new ArgumentNullException("password");
            }

            _user = Copy(user, 0, user.Length);
            _password = Copy(password, 0, password.Length);
        }

        /// <summary>The mechanism name as registered with IANA and used in the AUTH command, e.g. "CRAM-MD5".</summary>
        public abstract string Name { get; }

        /// <summary>The single flag of <see cref="SaslMechanisms"/> this mechanism implements.</summary>
        public abstract SaslMechanisms Kind { get; }

        /// <summary>True when the mechanism sends data with the AUTH command itself (see <see cref="InitialResponse"/>).</summary>
        public abstract bool HasInitialResponse { get; }

        /// <summary>True when the password crosses the wire unprotected unless the connection is encrypted.</summary>
        public abstract bool SendsPasswordInClear { get; }

        /// <summary>True once the mechanism has produced its last response; further challenges are refused.</summary>
        public bool IsComplete
        {
            get
            {
                return _complete;
            }
        }

        /// <summary>
        /// True while the answer to the last challenge is still being computed in slices (SCRAM's key
        /// derivation): <see cref="Respond"/> or <see cref="Continue"/> returned null without failing, and the
        /// caller should call <see cref="Continue"/> on a later scheduler step instead of cancelling.
        /// </summary>
        public bool IsComputing
        {
            get
            {
                return _computing;
            }
        }

        /// <summary>Why the exchange failed on the client side or what error the server sent in the mechanism's own terms; None otherwise.</summary>
        public SaslFailure Failure
        {
            get
            {
                return _failure;
            }
        }

        /// <summary>
        /// True when the mechanism authenticates the server too and has not yet seen the server's proof: a
        /// success reply from the server before that proof must not be trusted. False for the others.
        /// </summary>
        public virtual bool AwaitsServerProof
        {
            get
            {
                return false;
            }
        }

        /// <summary>
        /// The raw initial response to send with the AUTH command, or null when the mechanism has none,
        /// has already answered, or its credentials were cleared.
        /// </summary>
        /// <returns>A new array the caller owns.</returns>
        public byte[] InitialResponse()
        {
            if (!HasInitialResponse || _complete || _cleared)
            {
                return null;
            }

            return BuildInitialResponse();
        }

        /// <summary>
        /// Answers one decoded server challenge.
        /// </summary>
        /// <param name="challenge">Array holding the decoded challenge (not null; may be empty).</param>
        /// <param name="offset">Index of the first challenge byte.</param>
        /// <param name="count">Challenge length in bytes.</param>
        /// <returns>
        /// The raw response (a new array the caller owns), or null when the challenge is not acceptable
        /// for this mechanism at this step; the caller then cancels the exchange with "*".
        /// </returns>
        public abstract byte[] Respond(byte[] challenge, int offset, int count);

        /// <summary>
        /// Goes on with the computation <see cref="IsComputing"/> announced, doing at most <paramref name="workUnits"/>
        /// units of work (for SCRAM, PBKDF2 rounds).
        /// </summary>
        /// <param name="workUnits">The most work to do in this call; at least 1.</param>
        /// <returns>
        /// The response once it is ready (a new array the caller owns); null while <see cref="IsComputing"/> is still
        /// true, or when the computation failed (then <see cref="IsComputing"/> is false and the caller cancels).
        /// </returns>
        public virtual byte[] Continue(int workUnits)
        {
            return null;
        }

        /// <summary>
        /// Tells the mechanism that the server refused the exchange with the protocol's failure reply (e.g. 535),
        /// so that it can forget anything it would otherwise reuse. Nothing by default.
        /// </summary>
        public virtual void Rejected()
        {
        }

        /// <summary>Wipes the stored credentials; afterwards the mechanism answers nothing (null).</summary>
        public void Clear()
        {
            Array.Clear(_user, 0, _user.Length);
            Array.Clear(_password, 0, _password.Length);
            ClearSecrets();
            _computing = false;
            _cleared = true;
        }

        /// <summary>The stored user name; zeroed after <see cref="Clear"/>. Do not modify.</summary>
        protected byte[] User
        {
            get
            {
                return _user;
            }
        }

        /// <summary>The stored password; zeroed after <see cref="Clear"/>. Do not modify or keep.</summary>
        protected byte[] Password
        {
            get
            {
                return _password;
            }
        }

        /// <summary>True after <see cref="Clear"/>; a mechanism then refuses every challenge.</summary>
        protected bool IsCleared
        {
            get
            {
                return _cleared;
            }
        }

        /// <summary>Builds the initial response; only called while not complete and not cleared. The default has none.</summary>
        /// <returns>A new array, or null.</returns>
        protected virtual byte[] BuildInitialResponse()
        {
            return null;
        }

        /// <summary>Records that the exchange has produced its last response.</summary>
        protected void MarkComplete()
        {
            _complete = true;
            _computing = false;
        }

        /// <summary>Records whether an answer is being computed in slices (see <see cref="IsComputing"/>).</summary>
        /// <param name="computing">True from the step that starts the computation until the one that ends it.</param>
        protected void SetComputing(bool computing)
        {
            _computing = computing;
        }

        /// <summary>Records why the exchange failed; the mechanism answers nothing afterwards (null).</summary>
        /// <param name="failure">The reason; not None.</param>
        /// <returns>Always null, for <c>return Fail(...)</c> in a step.</returns>
        protected byte[] Fail(SaslFailure failure)
        {
            _failure = failure;
            _computing = false;
            _complete = true;
            return null;
        }

        /// <summary>Wipes secrets a subclass derived from the credentials; called by <see cref="Clear"/>. None by default.</summary>
        protected virtual void ClearSecrets()
        {
        }

        /// <summary>Checks the challenge range (a broken range is a caller bug) and tells whether a response may still be given.</summary>
        /// <param name="challenge">Array holding the challenge.</param>
        /// <param name="offset">Index of the first challenge byte.</param>
        /// <param name="count">Challenge length in bytes.</param>
        /// <returns>True when the mechanism is neither complete nor cleared.</returns>
        protected bool BeginStep(byte[] challenge, int offset, int count)
        {
            RangeCheck.Check(challenge, offset, count, "challenge");
            return !_complete && !_cleared;
        }

        /// <summary>Returns a new array with a copy of the given range.</summary>
        /// <param name="source">Array to copy from.</param>
        /// <param name="offset">Index of the first byte.</param>
        /// <param name="count">Number of bytes.</param>
        /// <returns>The copy.</returns>
        protected static byte[] Copy(byte[] source, int offset, int count)
        {
            byte[] copy = new byte[count];
            Array.Copy(source, offset, copy, 0, count);
            return copy;
        }
    }
}
