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

        /// <summary>Wipes the stored credentials; afterwards the mechanism answers nothing (null).</summary>
        public void Clear()
        {
            Array.Clear(_user, 0, _user.Length);
            Array.Clear(_password, 0, _password.Length);
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
