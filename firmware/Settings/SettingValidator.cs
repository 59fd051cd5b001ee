namespace NetBoard.Firmware.Settings
{
    /// <summary>Checks a value against its definition; the messages are short enough for the panel.</summary>
    public static class SettingValidator
    {
        /// <summary>Returns null when <paramref name="value"/> is valid for <paramref name="definition"/>, else why not.</summary>
        public static string Check(SettingDefinition definition, string value)
        {
            if (value == null)
            {
                return "no value";
            }

            if (value.Length > SettingsSchema.MaxValueLength)
            {
                return "longer than " + SettingsSchema.MaxValueLength.ToString() + " characters";
            }

            if (value.Length > 0 && (value[0] == ' ' || value[value.Length - 1] == ' '))
            {
                // The settings file trims around values, so such a value would not survive a restart.
                return "starts or ends with a space";
            }

            switch (definition.Kind)
            {
                case SettingKind.Number:
                    return CheckNumber(value, definition.Min, definition.Max);
                case SettingKind.Choice:
                    return CheckChoice(value, definition.Choices);
                case SettingKind.Host:
                    return value.Length == 0 || IsHost(value) ? null : "not a host name or IPv4 address";
                case SettingKind.Address:
                    return value.Length == 0 || IsIPv4(value) ? null : "not an IPv4 address";
                case SettingKind.Email:
                    return value.Length == 0 || IsEmail(value) ? null : "not an e-mail address";
                case SettingKind.Url:
                    return value.Length == 0 ? null : CheckUrl(value);
                default:
                    return IsPrintable(value) ? null : "contains control characters";
            }
        }

        /// <summary>True for a dotted IPv4 address such as 192.168.1.20.</summary>
        public static bool IsIPv4(string value)
        {
            int parts = 0;
            int digits = 0;
            int number = 0;
            for (int i = 0; i <= value.Length; i++)
            {
                if (i == value.Length || value[i] == '.')
                {
                    if (digits == 0 || number > 255)
                    {
                        return false;
                    }

                    parts++;
                    digits = 0;
                    number = 0;
                    continue;
                }

                char c = value[i];
                if (c < '0' || c > '9' || digits == 3)
                {
                    return false;
                }

                number = (number * 10) + (c - '0');
                digits++;
            }

            return parts == 4;
        }

        /// <summary>True for an RFC 1123 host name (letters, digits, hyphens; labels of 1-63) or an IPv4 address.</summary>
        public static bool IsHost(string value)
        {
            if (value.Length == 0 || value.Length > 253)
            {
                return false;
            }

            if (IsIPv4(value))
            {
                return true;
            }

            int labelLength = 0;
            bool allDigits = true;
            for (int i = 0; i <= value.Length; i++)
            {
                if (i == value.Length || value[i] == '.')
                {
                    if (labelLength == 0 || value[i - 1] == '-')
                    {
                        return false;
                    }

                    labelLength = 0;
                    continue;
                }

                char c = value[i];
                bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
                bool digit = c >= '0' && c <= '9';
                if (!letter && !digit && c != '-')
                {
                    return false;
                }

                if (c == '-' && labelLength == 0)
                {
                    return false;
                }

                allDigits &= digit || c == '.';
                labelLength++;
                if (labelLength > 63)
                {
                    return false;
                }
            }

            // A name of digits and dots only that is not a valid IPv4 address is a typo, not a name.
            return !allDigits;
        }

        /// <summary>True for an ASCII address local@domain (dot-atom local part, host-name domain).</summary>
        public static bool IsEmail(string value)
        {
            int at = value.LastIndexOf('@');
            if (at < 1 || at > 64 || at == value.Length - 1 || value.Length > 254)
            {
                return false;
            }

            for (int i = 0; i < at; i++)
            {
                char c = value[i];
                if (c == '.')
                {
                    if (i == 0 || i == at - 1 || value[i - 1] == '.')
                    {
                        return false;
                    }

                    continue;
                }

                if (!IsAtext(c))
                {
                    return false;
                }
            }

            return IsHost(value.Substring(at + 1));
        }

        /// <summary>
        /// Null for an https URL, or an http URL to the device itself (the lab's authorization server on loopback);
        /// plain http elsewhere would carry tokens and secrets in clear.
        /// </summary>
        private static string CheckUrl(string value)
        {
            NetBoard.Firmware.Http.HttpUrl url = NetBoard.Firmware.Http.HttpUrl.Parse(value);
            if (url == null)
            {
                return "not an http(s) URL";
            }

            return url.Secure || url.IsLoopback ? null : "must be https (http only to loopback)";
        }

        private static bool IsAtext(char c)
        {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
            {
                return true;
            }

            return "!#$%&'*+/=?^_`{|}~-".IndexOf(c) >= 0;
        }

        private static bool IsPrintable(string value)
        {
            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                if (c < ' ' || (c >= '\u007F' && c <= '\u009F'))
                {
                    return false;
                }
            }

            return true;
        }

        private static string CheckNumber(string value, int min, int max)
        {
            string message = "must be a number from " + min.ToString() + " to " + max.ToString();
            if (value.Length == 0 || value.Length > 9)
            {
                return message;
            }

            int number = 0;
            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                if (c < '0' || c > '9')
                {
                    return message;
                }

                number = (number * 10) + (c - '0');
            }

            return number < min || number > max ? message : null;
        }

        private static string CheckChoice(string value, string[] choices)
        {
            string list = string.Empty;
            for (int i = 0; i < choices.Length; i++)
            {
                if (choices[i] == value)
                {
                    return null;
                }

                list = i == 0 ? choices[i] : list + "|" + choices[i];
            }

            return "must be one of " + list;
        }
    }
}
