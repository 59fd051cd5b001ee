namespace NetBoard.Firmware.Web
{
    /// <summary>
    /// Lockout with back-off after failed sign-ins, for the whole board (not per client address, which an
    /// attacker can change): after <see cref="FreeFailures"/> failures in a row, no password (or setup code)
    /// is checked for <see cref="FirstLockoutMs"/>, doubling with each further failure up to
    /// <see cref="MaxLockoutMs"/>. A successful sign-in clears it.
    /// </summary>
    public sealed class SignInGuard
    {
        /// <summary>Failures in a row allowed before the first lockout.</summary>
        public const int FreeFailures = 3;

        /// <summary>The first lockout.</summary>
        public const long FirstLockoutMs = 30000;

        /// <summary>The longest lockout.</summary>
        public const long MaxLockoutMs = 15L * 60 * 1000;

        private long _lockedUntilMs;
        private bool _locked;

        /// <summary>Failures since the last success.</summary>
        public int Failures { get; private set; }

        /// <summary>True while no password is checked.</summary>
        public bool IsLocked(long nowMs)
        {
            return _locked && nowMs < _lockedUntilMs;
        }

        /// <summary>Milliseconds until passwords are checked again (0 when not locked).</summary>
        public long RemainingMs(long nowMs)
        {
            return IsLocked(nowMs) ? _lockedUntilMs - nowMs : 0;
        }

        /// <summary>Counts a wrong password or setup code; locks from the <see cref="FreeFailures"/>th one on.</summary>
        public void Failed(long nowMs)
        {
            Failures++;
            if (Failures < FreeFailures)
            {
                return;
            }

            long lockout = FirstLockoutMs;
            for (int i = FreeFailures; i < Failures && lockout < MaxLockoutMs; i++)
            {
                lockout *= 2;
            }

            if (lockout > MaxLockoutMs)
            {
                lockout = MaxLockoutMs;
            }

            _locked = true;
            _lockedUntilMs = nowMs + lockout;
        }

        /// <summary>Clears the failures after a successful sign-in.</summary>
        public void Succeeded()
        {
            Failures = 0;
            _locked = false;
            _lockedUntilMs = 0;
        }
    }
}
