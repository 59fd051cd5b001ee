using System;
using NetBoard.Firmware.Text;

namespace NetBoard.Firmware.Storage
{
    /// <summary>
    /// One named secret of the <see cref="CredentialStore"/>: a few named fields of bytes (a salted password, a
    /// token, its expiry). Values are held as byte arrays so that <see cref="Clear"/> can wipe them; stored as
    /// "field=base64" lines.
    /// </summary>
    public sealed class CredentialEntry
    {
        /// <summary>The most fields an entry holds.</summary>
        public const int MaxFields = 16;

        /// <summary>The longest field name.</summary>
        public const int MaxFieldNameLength = 32;

        private readonly string[] _names = new string[MaxFields];
        private readonly byte[][] _values = new byte[MaxFields][];
        private int _count;

        /// <summary>Number of fields set.</summary>
        public int Count
        {
            get
            {
                return _count;
            }
        }

        /// <summary>True for a usable field name: 1 to 32 characters of a-z, 0-9, '.', '_' and '-'.</summary>
        /// <param name="field">The name to check.</param>
        public static bool IsValidFieldName(string field)
        {
            if (field == null || field.Length == 0 || field.Length > MaxFieldNameLength)
            {
                return false;
            }

            for (int i = 0; i < field.Length; i++)
            {
                char c = field[i];
                if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Sets a field to a copy of a byte range, replacing (and wiping) any previous value.</summary>
        /// <param name="field">A valid field name.</param>
        /// <param name="value">Array holding the value.</param>
        /// <param name="offset">Index of the first value byte.</param>
        /// <param name="count">Value length; may be zero.</param>
        public void Set(string field, byte[] value, int offset, int count)
        {
            if (!IsValidFieldName(field))
            {
                throw new ArgumentException("invalid field name", "field");
            }

            if (value == null)
            {
                throw new ArgumentNullException("value");
            }

            if (offset < 0 || count < 0 || offset > value.Length - count)
            {
                throw new ArgumentOutOfRangeException("count");
            }

            byte[] copy = new byte[count];
            Array.Copy(value, offset, copy, 0, count);
            int index = IndexOf(field);
            if (index >= 0)
            {
                Array.Clear(_values[index], 0, _values[index].Length);
                _values[index] = copy;
                return;
            }

            if (_count == MaxFields)
            {
                throw new InvalidOperationException("too many fields");
            }

            _names[_count] = field;
            _values[_count] = copy;
            _count++;
        }

        /// <summary>Sets a field to the UTF-8 bytes of a text (for values that are not secret: names, numbers, dates).</summary>
        /// <param name="field">A valid field name.</param>
        /// <param name="text">The text.</param>
        public void SetText(string field, string text)
        {
            if (text == null)
            {
                throw new ArgumentNullException("text");
            }

            byte[] bytes = Utf8.GetBytes(text);
            Set(field, bytes, 0, bytes.Length);
        }

        /// <summary>A copy of a field's value (the caller owns and wipes it), or null when the field is not set.</summary>
        /// <param name="field">The field name.</param>
        public byte[] Get(string field)
        {
            int index = IndexOf(field);
            if (index < 0)
            {
                return null;
            }

            byte[] value = _values[index];
            byte[] copy = new byte[value.Length];
            Array.Copy(value, copy, value.Length);
            return copy;
        }

        /// <summary>A field's value as UTF-8 text, or null when the field is not set.</summary>
        /// <param name="field">The field name.</param>
        public string GetText(string field)
        {
            int index = IndexOf(field);
            return index < 0 ? null : Utf8.GetString(_values[index], 0, _values[index].Length);
        }

        /// <summary>True when a field holds exactly the given bytes; compares in fixed time.</summary>
        /// <param name="field">The field name.</param>
        /// <param name="value">The bytes to compare with.</param>
        public bool ValueEquals(string field, byte[] value)
        {
            int index = IndexOf(field);
            if (index < 0 || value == null || _values[index].Length != value.Length)
            {
                return false;
            }

            return NetBoard.Firmware.Crypto.FixedTime.AreEqual(_values[index], 0, value, 0, value.Length);
        }

        /// <summary>Wipes every value and removes every field.</summary>
        public void Clear()
        {
            for (int i = 0; i < _count; i++)
            {
                Array.Clear(_values[i], 0, _values[i].Length);
                _values[i] = null;
                _names[i] = null;
            }

            _count = 0;
        }

        /// <summary>The stored form, "field=base64" lines; the caller wipes it after use.</summary>
        internal byte[] Serialize()
        {
            int length = 0;
            for (int i = 0; i < _count; i++)
            {
                length += _names[i].Length + 1 + Base64.EncodedLength(_values[i].Length) + 1;
            }

            byte[] bytes = new byte[length];
            int at = 0;
            for (int i = 0; i < _count; i++)
            {
                at += Ascii.GetBytes(_names[i], bytes, at);
                bytes[at++] = (byte)'=';
                at += Base64.Encode(_values[i], 0, _values[i].Length, bytes, at);
                bytes[at++] = (byte)'\n';
            }

            return bytes;
        }

        /// <summary>The entry in a stored form, or null when any line is not "field=base64" or a field repeats.</summary>
        internal static CredentialEntry Parse(byte[] bytes)
        {
            CredentialEntry entry = new CredentialEntry();
            int at = 0;
            while (at < bytes.Length)
            {
                int end = at;
                while (end < bytes.Length && bytes[end] != (byte)'\n')
                {
                    end++;
                }

                int equals = at;
                while (equals < end && bytes[equals] != (byte)'=')
                {
                    equals++;
                }

                if (end == bytes.Length || equals == end || equals - at > MaxFieldNameLength)
                {
                    entry.Clear();
                    return null;
                }

                string field = Ascii.GetString(bytes, at, equals - at);
                int encoded = end - equals - 1;
                byte[] value = new byte[Base64.DecodedMaxLength(encoded)];
                int decoded = Base64.Decode(bytes, equals + 1, encoded, value, 0);
                if (decoded < 0 || !IsValidFieldName(field) || entry.IndexOf(field) >= 0 || entry._count == MaxFields)
                {
                    Array.Clear(value, 0, value.Length);
                    entry.Clear();
                    return null;
                }

                entry.Set(field, value, 0, decoded);
                Array.Clear(value, 0, value.Length);
                at = end + 1;
            }

            return entry;
        }

        private int IndexOf(string field)
        {
            for (int i = 0; i < _count; i++)
            {
                if (_names[i] == field)
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
