namespace NetBoard.Firmware.Storage
{
    /// <summary>Comparisons of storage names: ordinal, with no culture and no allocation.</summary>
    public static class StorageName
    {
        /// <summary>True when <paramref name="name"/> ends with <paramref name="suffix"/>, character for character.</summary>
        public static bool EndsWith(string name, string suffix)
        {
            int start = name.Length - suffix.Length;
            if (start < 0)
            {
                return false;
            }

            for (int i = 0; i < suffix.Length; i++)
            {
                if (name[start + i] != suffix[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
