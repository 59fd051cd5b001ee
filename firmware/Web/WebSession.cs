namespace NetBoard.Firmware.Web
{
    /// <summary>
    /// One browser session of the web page: its cookie value, its CSRF token (both random, in hex), whether
    /// the administrator has signed in on it, and when it was made and last used.
    /// </summary>
    public sealed class WebSession
    {
        internal WebSession()
        {
        }

        /// <summary>The session cookie's value.</summary>
        public string Id { get; internal set; }

        /// <summary>The token every form of this session carries.</summary>
        public string CsrfToken { get; internal set; }

        /// <summary>True once the administrator signed in on this session.</summary>
        public bool SignedIn { get; internal set; }

        /// <summary>When the session was made.</summary>
        public long CreatedMs { get; internal set; }

        /// <summary>When a request last came with it.</summary>
        public long LastUsedMs { get; internal set; }

        /// <summary>The last test e-mail queued on this session (its job id), or 0.</summary>
        public int TestJobId { get; set; }

        /// <summary>What the last test e-mail request on this session said when no job could be queued, or null.</summary>
        public string TestMessage { get; set; }

        internal bool InUse { get; set; }
    }
}
