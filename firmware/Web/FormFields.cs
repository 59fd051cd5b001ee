using System;
using NetBoard.Firmware.Text;

namespace NetBoard.Firmware.Web
{
    /// <summary>
    /// The fields of an application/x-www-form-urlencoded body or query string: name=value pairs
    /// joined by '&amp;', '+' for a space, %XX for a byte; the bytes are UTF-8 (malformed sequences
    /// become U+FFFD). Holds at most <see cref="MaxFields"/> fields.
    /// </summary>
    public sealed class FormFields
    {
        /// <summary>Most fields in one form.</summary>
        public const int MaxFields = 32;

        private readonly string[] _names = new string[MaxFields];
        private readonly string[] _values = new string[MaxFields];

        /// <summary>Fields parsed.</summary>
        public int Count { get; private set; }

        /// <summary>The name of field <paramref name="index"/>.</summary>
        public string NameAt(int index)
        {
            CheckIndex(index);
            return _names[index];
        }

        /// <summary>The value of field <paramref name="index"/>.</summary>
        public string ValueAt(int index)
        {
            CheckIndex(index);
            return _values[index];
        }

        /// <summary>The value of the first field named <paramref name="name"/>, or null when there is none.</summary>
        public string Get(string name)
        {
            for (int i = 0; i < Count; i++)
            {
                if (_names[i] == name)
                {
                    return _values[i];
                }
            }

            return null;
        }

        /// <summary>
        /// Parses <paramref name="count"/> bytes of <paramref name="src"/>, replacing what was held.
        /// Returns false (and holds nothing) for a bad percent escape, a control character or too many fields.
        /// </summary>
        public bool Parse(byte[] src, int offset, int count)
        {
            if (src == null)
            {
                throw new ArgumentNullException("src");
            }

            if (offset < 0 || count < 0 || offset > src.Length - count)
            {
                throw new ArgumentOutOfRangeException("count");
            }

            Count = 0;
            byte[] scratch = new byte[count];
            int end = offset + count;
            int pairStart = offset;
            while (pairStart <= end)
            {
                int pairEnd = pairStart;
                while (pairEnd < end && src[pairEnd] != (byte)'&')
                {
                    pairEnd++;
                }

                if (pairEnd > pairStart)
                {
                    if (Count == MaxFields)
                    {
                        Count = 0;
                        return false;
                    }

                    int equals = pairStart;
                    while (equals < pairEnd && src[equals] != (byte)'=')
                    {
                        equals++;
                    }

                    string name = Decode(src, pairStart, equals, scratch);
                    string value = equals < pairEnd ? Decode(src, equals + 1, pairEnd, scratch) : string.Empty;
                    if (name == null || value == null)
                    {
                        Count = 0;
                        return false;
                    }

                    _names[Count] = name;
                    _values[Count] = value;
                    Count++;
                }

                pairStart = pairEnd + 1;
            }

            return true;
        }

        /// <summary>Parses a query string (the part of the target after '?').</summary>
        public bool Parse(string query)
        {
            if (query == null)
            {
                throw new ArgumentNullException("query");
            }

            byte[] bytes = Utf8.GetBytes(query);
            return Parse(bytes, 0, bytes.Length);
        }

        /// <summary>Percent-decodes src[start, end) into <paramref name="scratch"/> and returns the UTF-8 text, or null when malformed.</summary>
        private static string Decode(byte[] src, int start, int end, byte[] scratch)
        {
            int length = 0;
            for (int i = start; i < end; i++)
            {
                byte b = src[i];
                if (b == (byte)'+')
                {
                    scratch[length++] = (byte)' ';
                }
                else if (b == (byte)'%')
                {
                    if (i + 2 >= end)
                    {
                        return null;
                    }

                    int high = HexValue(src[i + 1]);
                    int low = HexValue(src[i + 2]);
                    if (high < 0 || low < 0)
                    {
                        return null;
                    }

                    scratch[length++] = (byte)((high << 4) | low);
                    i += 2;
                }
                else if (b < 32 || b == 127)
                {
                    return null;
                }
                else
                {
                    scratch[length++] = b;
                }
            }

            return Utf8.GetString(scratch, 0, length);
        }

        private static int HexValue(byte b)
        {
            if (b >= (byte)'0' && b <= (byte)'9')
            {
                return b - '0';
            }

            if (b >= (byte)'a' && b <= (byte)'f')
            {
                return b - 'a' + 10;
            }

            if (b >= (byte)'A' && b <= (byte)'F')
            {
                return b - 'A' + 10;
            }

            return -1;
        }

        private void CheckIndex(int index)
        {
            if (index < 0 || index >= Count)
            {
                throw new ArgumentOutOfRangeException("index");
            }
        }
    }
}
