using System;
using System.Collections.Generic;
using System.Text;
using NetBoard.Firmware.OAuth;

namespace NetBoard.Firmware.Tests.Doubles
{
    /// <summary>
    /// The token keeper as the mail tasks see it, on the virtual clock: a list of tokens handed out in turn, each
    /// refresh taking <see cref="RefreshMs"/>, and what happens when the list runs out.
    /// </summary>
    internal sealed class FakeOAuthTokens : IOAuthTokens
    {
        private readonly VirtualClock _clock;
        private readonly Queue<string> _next = new Queue<string>();
        private string _current;
        private long _readyAtMs = -1;

        public FakeOAuthTokens(VirtualClock clock, params string[] tokens)
        {
            _clock = clock;
            foreach (string token in tokens)
            {
                _next.Enqueue(token);
            }

            if (_next.Count > 0)
            {
                _current = _next.Dequeue();
                Status = OAuthTokenStatus.Ready;
            }
            else
            {
                Status = OAuthTokenStatus.Refreshing;
                _readyAtMs = long.MaxValue;
            }
        }

        public bool IsConfigured { get; set; } = true;

        public OAuthTokenStatus Status { get; set; }

        public int ErrorCode { get; set; }

        /// <summary>How long a refresh takes.</summary>
        public long RefreshMs { get; set; } = 1500;

        /// <summary>The status (and <see cref="ExhaustedCode"/>) a refresh ends in when no token is left.</summary>
        public OAuthTokenStatus WhenExhausted { get; set; } = OAuthTokenStatus.SignInNeeded;

        public int ExhaustedCode { get; set; } = 861;

        /// <summary>Each RequestRefresh: the refused token, or null.</summary>
        public List<string> Requests { get; } = new List<string>();

        /// <summary>Every copy handed out (the caller must wipe them).</summary>
        public List<byte[]> Copies { get; } = new List<byte[]>();

        /// <summary>Makes a token available later (e.g. after a sign-in).</summary>
        public void Add(string token) => _next.Enqueue(token);

        public byte[] CopyAccessToken(long nowMs)
        {
            if (Status == OAuthTokenStatus.Refreshing && nowMs >= _readyAtMs)
            {
                if (_next.Count > 0)
                {
                    _current = _next.Dequeue();
                    Status = OAuthTokenStatus.Ready;
                }
                else
                {
                    Status = WhenExhausted;
                    ErrorCode = ExhaustedCode;
                }
            }

            if (Status != OAuthTokenStatus.Ready || _current == null)
            {
                return null;
            }

            byte[] copy = Encoding.ASCII.GetBytes(_current);
            Copies.Add(copy);
            return copy;
        }

        public void RequestRefresh(byte[] rejected)
        {
            Requests.Add(rejected == null ? null : Encoding.ASCII.GetString(rejected));
            if (rejected != null && _current != null && Encoding.ASCII.GetString(rejected) == _current)
            {
                _current = null;
            }

            if (Status == OAuthTokenStatus.Refreshing && _readyAtMs != long.MaxValue)
            {
                return;
            }

            if (Status == OAuthTokenStatus.Ready && _current != null)
            {
                return;
            }

            Status = OAuthTokenStatus.Refreshing;
            _readyAtMs = _clock.NowMs + RefreshMs;
        }
    }
}
