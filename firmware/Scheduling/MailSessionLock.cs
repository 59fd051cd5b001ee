using System;

namespace NetBoard.Firmware.Scheduling
{
    /// <summary>
    /// Serializes use of the POP server: a POP reception holds it for its whole session, and a
    /// POP-before-SMTP login waits for it. Only the scheduler thread touches it, so no monitor is needed.
    /// </summary>
    public sealed class MailSessionLock
    {
        private object _holder;

        /// <summary>True when nobody holds the lock.</summary>
        public bool IsFree
        {
            get { return _holder == null; }
        }

        /// <summary>Who holds the lock, or null.</summary>
        public object Holder
        {
            get { return _holder; }
        }

        /// <summary>Takes the lock for <paramref name="owner"/> if it is free (or already theirs).</summary>
        public bool TryAcquire(object owner)
        {
            if (owner == null)
            {
                throw new ArgumentNullException("owner");
            }

            if (_holder == null || _holder == owner)
            {
                _holder = owner;
                return true;
            }

            return false;
        }

        /// <summary>Gives the lock back; releasing a lock one does not hold is a programming error.</summary>
        public void Release(object owner)
        {
            if (_holder != owner)
            {
                throw new InvalidOperationException("lock released by a task that does not hold it");
            }

            _holder = null;
        }
    }
}
