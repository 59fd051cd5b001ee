using System;
using NetBoard.Firmware.Crypto;
using NetBoard.Hal;

namespace NetBoard.Firmware.Web
{
    /// <summary>
    /// The web page's sessions, held in RAM only (a restart signs everybody out): a fixed number of
    /// slots, each with a random cookie value and CSRF token from the board's random source. A session
    /// ends after <see cref="IdleTimeoutMs"/> without a request, or <see cref="LifetimeMs"/> after it was made.
    /// When every slot is taken, a new session replaces a session nobody signed in on, else the one
    /// idle longest.
    /// </summary>
    public sealed class WebSessions
    {
        /// <summary>The session cookie's name.</summary>
        public const string CookieName = "nb_session";

        /// <summary>Sessions held at once.</summary>
        public const int Capacity = 4;

        /// <summary>Random bytes in a session cookie value (sent as 64 hex digits).</summary>
        public const int IdBytes = 32;

        /// <summary>Random bytes in a CSRF token (sent as 32 hex digits).</summary>
        public const int CsrfBytes = 16;

        /// <summary>The longest a session lasts, however busy: 8 hours.</summary>
        public const long LifetimeMs = 8L * 3600 * 1000;

        private readonly IRandomSource _random;
        private readonly WebSession[] _slots = new WebSession[Capacity];

        /// <summary>Makes the sessions' tokens from <paramref name="random"/>; a session ends after <paramref name="idleTimeoutMs"/> without use.</summary>
        public WebSessions(IRandomSource random, long idleTimeoutMs)
        {
            if (random == null)
            {
                throw new ArgumentNullException("random");
            }

            if (idleTimeoutMs < 1000)
            {
                throw new ArgumentOutOfRangeException("idleTimeoutMs");
            }

            _random = random;
            IdleTimeoutMs = idleTimeoutMs;
            for (int i = 0; i < Capacity; i++)
            {
                _slots[i] = new WebSession();
            }
        }

        /// <summary>How long a session lasts without a request.</summary>
        public long IdleTimeoutMs { get; private set; }

        /// <summary>Sessions open now (expired ones are counted until the next lookup ends them).</summary>
        public int OpenCount
        {
            get
            {
                int count = 0;
                for (int i = 0; i < Capacity; i++)
                {
                    if (_slots[i].InUse)
                    {
                        count++;
                    }
                }

                return count;
            }
        }

        /// <summary>The value of cookie <paramref name="name"/> in a Cookie header ("a=1; b=2"), or null.</summary>
        public static string CookieValue(string header, string name)
        {
            if (header == null)
            {
                return null;
            }

            int start = 0;
            while (start < header.Length)
            {
                int end = header.IndexOf(';', start);
                if (end < 0)
                {
                    end = header.Length;
                }

                int from = start;
                while (from < end && (header[from] == ' ' || header[from] == '\t'))
                {
                    from++;
                }

                int equals = header.IndexOf('=', from);
                if (equals > from && equals < end && equals - from == name.Length && header.Substring(from, equals - from) == name)
                {
                    int to = end;
                    while (to > equals + 1 && (header[to - 1] == ' ' || header[to - 1] == '\t'))
                    {
                        to--;
                    }

                    return header.Substring(equals + 1, to - equals - 1);
                }

                start = end + 1;
            }

            return null;
        }

        /// <summary>True when the two texts are equal; the time taken depends on their lengths only.</summary>
        public static bool SameToken(string a, string b)
        {
            if (a == null || b == null || a.Length != b.Length || a.Length == 0)
            {
                return false;
            }

            int difference = 0;
            for (int i = 0; i < a.Length; i++)
            {
                difference |= a[i] ^ b[i];
            }

            return difference == 0;
        }

        /// <summary>
        /// The live session named by the Cookie header <paramref name="cookieHeader"/>, or null. Ends
        /// sessions that have expired; marks the one found as used now.
        /// </summary>
        public WebSession Find(string cookieHeader, long nowMs)
        {
            ExpireOld(nowMs);
            string id = CookieValue(cookieHeader, CookieName);
            if (id == null || id.Length != IdBytes * 2)
            {
                return null;
            }

            WebSession found = null;
            for (int i = 0; i < Capacity; i++)
            {
                // Every slot is compared, in fixed time, so the answer's timing says nothing about the ids.
                WebSession slot = _slots[i];
                if (slot.InUse && SameToken(slot.Id, id))
                {
                    found = slot;
                }
            }

            if (found != null)
            {
                found.LastUsedMs = nowMs;
            }

            return found;
        }

        /// <summary>Opens a new session (replacing one when all slots are taken) with fresh tokens.</summary>
        public WebSession Open(long nowMs, bool signedIn)
        {
            ExpireOld(nowMs);
            WebSession slot = FreeSlot();
            slot.Id = Token(IdBytes);
            slot.CsrfToken = Token(CsrfBytes);
            slot.SignedIn = signedIn;
            slot.CreatedMs = nowMs;
            slot.LastUsedMs = nowMs;
            slot.TestJobId = 0;
            slot.TestMessage = null;
            slot.InUse = true;
            return slot;
        }

        /// <summary>Ends <paramref name="session"/> (sign-out, or replaced at sign-in).</summary>
        public void Close(WebSession session)
        {
            if (session == null)
            {
                return;
            }

            session.InUse = false;
            session.SignedIn = false;
            session.Id = null;
            session.CsrfToken = null;
        }

        /// <summary>Ends every session (the password changed).</summary>
        public void CloseAll()
        {
            for (int i = 0; i < Capacity; i++)
            {
                Close(_slots[i]);
            }
        }

        /// <summary>True when <paramref name="token"/> is <paramref name="session"/>'s CSRF token (fixed-time compare).</summary>
        public static bool CheckCsrf(WebSession session, string token)
        {
            return session != null && session.InUse && SameToken(session.CsrfToken, token);
        }

        /// <summary>The Set-Cookie value that gives the browser <paramref name="session"/>.</summary>
        public string CookieFor(WebSession session, bool secure)
        {
            return CookieName + "=" + session.Id + "; Path=/; Max-Age=" + (LifetimeMs / 1000).ToString() + "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : string.Empty);
        }

        /// <summary>The Set-Cookie value that makes the browser forget the session cookie.</summary>
        public static string ExpiredCookie(bool secure)
        {
            return CookieName + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : string.Empty);
        }

        private void ExpireOld(long nowMs)
        {
            for (int i = 0; i < Capacity; i++)
            {
                WebSession slot = _slots[i];
                if (slot.InUse && (nowMs - slot.LastUsedMs >= IdleTimeoutMs || nowMs - slot.CreatedMs >= LifetimeMs))
                {
                    Close(slot);
                }
            }
        }

        private WebSession FreeSlot()
        {
            WebSession oldestAnonymous = null;
            WebSession oldest = null;
            for (int i = 0; i < Capacity; i++)
            {
                WebSession slot = _slots[i];
                if (!slot.InUse)
                {
                    return slot;
                }

                if (!slot.SignedIn && (oldestAnonymous == null || slot.LastUsedMs < oldestAnonymous.LastUsedMs))
                {
                    oldestAnonymous = slot;
                }

                if (oldest == null || slot.LastUsedMs < oldest.LastUsedMs)
                {
                    oldest = slot;
                }
            }

            WebSession replaced = oldestAnonymous != null ? oldestAnonymous : oldest;
            Close(replaced);
            return replaced;
        }

        private string Token(int bytes)
        {
            byte[] buffer = new byte[bytes * 2];
            _random.NextBytes(buffer, 0, bytes);
            Hex.ToLower(buffer, 0, bytes, buffer, 0);
            char[] chars = new char[bytes * 2];
            for (int i = 0; i < chars.Length; i++)
            {
                chars[i] = (char)buffer[i];
            }

            Array.Clear(buffer, 0, buffer.Length);
            return new string(chars);
        }
    }
}
