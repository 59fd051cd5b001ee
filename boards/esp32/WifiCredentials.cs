using NetBoard.Hal;

namespace NetBoard.Boards.Esp32
{
    /// <summary>The Wi-Fi network to join, from a storage file of "ssid=" and "password=" lines (UTF-8 is read as Latin-1: keep them ASCII).</summary>
    public sealed class WifiCredentials
    {
        private const int MaxFileBytes = 512;

        private WifiCredentials(string ssid, string password)
        {
            Ssid = ssid;
            Password = password;
        }

        /// <summary>The network name.</summary>
        public string Ssid { get; private set; }

        /// <summary>The passphrase (empty for an open network).</summary>
        public string Password { get; private set; }

        /// <summary>The credentials in <paramref name="name"/>, or null when the file is missing or names no network.</summary>
        public static WifiCredentials Load(IStorage storage, string name)
        {
            if (!storage.Exists(name))
            {
                return null;
            }

            byte[] bytes = new byte[MaxFileBytes];
            int length = 0;
            using (IDocumentSource source = storage.OpenRead(name))
            {
                int n;
                while (length < bytes.Length && (n = source.Read(bytes, length, bytes.Length - length)) > 0)
                {
                    length += n;
                }
            }

            return Parse(bytes, length);
        }

        /// <summary>The credentials in a file's bytes, or null when no ssid line is there.</summary>
        public static WifiCredentials Parse(byte[] bytes, int length)
        {
            char[] chars = new char[length];
            for (int i = 0; i < length; i++)
            {
                chars[i] = (char)bytes[i];
            }

            string ssid = null;
            string password = string.Empty;
            string[] lines = new string(chars).Split('\n');
            for (int i = 0; i < lines.Length; i++)
            {
                string line = lines[i].Trim();
                if (line.StartsWith("ssid="))
                {
                    ssid = line.Substring(5);
                }
                else if (line.StartsWith("password="))
                {
                    password = line.Substring(9);
                }
            }

            return ssid == null || ssid.Length == 0 ? null : new WifiCredentials(ssid, password);
        }
    }
}
