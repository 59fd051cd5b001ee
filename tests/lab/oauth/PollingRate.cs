using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace NetBoard.Lab.OAuth
{
    /// <summary>
    /// RFC 8628 section 3.5 on the server side: the device authorization response announces the polling interval, and a
    /// token request for a device code that comes sooner than the interval after the previous one is answered
    /// <c>slow_down</c>, after which that device code's interval grows by 5 seconds. OpenIddict itself does neither.
    /// </summary>
    public sealed class PollingRate : IOpenIddictServerHandler<ValidateTokenRequestContext>, IOpenIddictServerHandler<ApplyDeviceAuthorizationResponseContext>
    {
        private const int SlowDownStepS = 5;
        private static readonly TimeSpan ForgetAfter = TimeSpan.FromHours(1);

        private readonly ConcurrentDictionary<string, Poll> _polls = new ConcurrentDictionary<string, Poll>(StringComparer.Ordinal);
        private readonly int _intervalS;

        /// <summary>Creates the handler with the announced interval.</summary>
        public PollingRate(LabOAuthSettings settings)
        {
            _intervalS = settings.PollIntervalS;
        }

        /// <summary>Adds <c>interval</c> to a successful device authorization response.</summary>
        public ValueTask HandleAsync(ApplyDeviceAuthorizationResponseContext context)
        {
            if (string.IsNullOrEmpty(context.Error) && context.Response != null)
            {
                context.Response[OpenIddictConstants.Parameters.Interval] = _intervalS;
            }

            return default;
        }

        /// <summary>Refuses a device-code poll that comes too early with <c>slow_down</c>.</summary>
        public ValueTask HandleAsync(ValidateTokenRequestContext context)
        {
            if (!context.Request.IsDeviceCodeGrantType() || string.IsNullOrEmpty(context.Request.DeviceCode))
            {
                return default;
            }

            DateTime now = DateTime.UtcNow;
            string key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(context.Request.DeviceCode)));
            bool tooSoon = false;
            _polls.AddOrUpdate(
                key,
                _ => new Poll(now, _intervalS),
                (_, previous) =>
                {
                    if (now - previous.At < TimeSpan.FromSeconds(previous.IntervalS))
                    {
                        tooSoon = true;
                        return new Poll(now, previous.IntervalS + SlowDownStepS);
                    }

                    return new Poll(now, previous.IntervalS);
                });
            Forget(now);
            if (tooSoon)
            {
                context.Reject(
                    error: "slow_down",
                    description: "Polling too fast: wait the announced interval (now " + _polls[key].IntervalS + " s) between token requests.");
            }

            return default;
        }

        private void Forget(DateTime now)
        {
            foreach (KeyValuePair<string, Poll> entry in _polls)
            {
                if (now - entry.Value.At > ForgetAfter)
                {
                    _polls.TryRemove(entry.Key, out _);
                }
            }
        }

        private readonly record struct Poll(DateTime At, int IntervalS);
    }
}
