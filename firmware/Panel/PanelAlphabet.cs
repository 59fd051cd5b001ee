using NetBoard.Firmware.Settings;

namespace NetBoard.Firmware.Panel
{
    /// <summary>The characters the Up/Down picker offers for each kind of value.</summary>
    internal static class PanelAlphabet
    {
        private const string Digits = "0123456789";
        private const string Lower = "abcdefghijklmnopqrstuvwxyz";
        private const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        private const string Symbols = " !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

        /// <summary>The picker's characters for <paramref name="kind"/>, most used first.</summary>
        public static string For(SettingKind kind)
        {
            switch (kind)
            {
                case SettingKind.Number:
                    return Digits;
                case SettingKind.Address:
                    return Digits + ".";
                case SettingKind.Host:
                    return Lower + Digits + ".-";
                case SettingKind.Email:
                    return Lower + Digits + ".-_@+" + Upper;
                case SettingKind.Url:
                    return Lower + Digits + ":/.-_?=&%~" + Upper;
                default:
                    return Lower + Upper + Digits + Symbols;
            }
        }
    }
}
