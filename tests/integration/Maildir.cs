using System.Threading;
using MimeKit;

namespace NetBoard.Integration.Tests
{
    /// <summary>Finds delivered messages in a lab Maildir by a unique token in their Subject.</summary>
    internal static class Maildir
    {
        /// <summary>How long a delivery may take before a test gives up waiting (a bound, not an assertion on speed).</summary>
        public static readonly TimeSpan DeliveryBound = TimeSpan.FromSeconds(20);

        /// <summary>Waits for the one message whose Subject contains <paramref name="token"/>; fails after the bound.</summary>
        public static MimeMessage WaitFor(string maildir, string token)
        {
            DateTime giveUp = DateTime.UtcNow + DeliveryBound;
            while (true)
            {
                List<string> found = Find(maildir, token);
                if (found.Count > 1)
                {
                    Assert.Fail(found.Count + " messages with subject token " + token + " in " + maildir);
                }

                if (found.Count == 1)
                {
                    return MimeMessage.Load(found[0]);
                }

                if (DateTime.UtcNow > giveUp)
                {
                    Assert.Fail("no message with subject token " + token + " arrived in " + maildir + " within " + DeliveryBound.TotalSeconds + " s");
                }

                Thread.Sleep(100);
            }
        }

        /// <summary>The files (new/ and cur/) whose decoded Subject contains <paramref name="token"/>.</summary>
        public static List<string> Find(string maildir, string token)
        {
            List<string> hits = new List<string>();
            foreach (string sub in new[] { "new", "cur" })
            {
                string folder = Path.Combine(maildir, sub);
                if (!Directory.Exists(folder))
                {
                    continue;
                }

                foreach (string file in Directory.GetFiles(folder))
                {
                    string subject = SubjectOf(file);
                    if (subject != null && subject.Contains(token, StringComparison.Ordinal))
                    {
                        hits.Add(file);
                    }
                }
            }

            return hits;
        }

        private static string SubjectOf(string file)
        {
            try
            {
                using (FileStream stream = File.OpenRead(file))
                {
                    HeaderList headers = HeaderList.Load(stream);
                    return headers[HeaderId.Subject];
                }
            }
            catch (FileNotFoundException)
            {
                return null; // moved from new/ to cur/ meanwhile
            }
        }
    }
}
