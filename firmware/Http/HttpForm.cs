using System;
using NetBoard.Firmware.Text;

namespace NetBoard.Firmware.Http
{
    /// <summary>
    /// The fields of an application/x-www-form-urlencoded request body, in order, at most <see cref="MaxFields"/>.
    /// Secret values (refresh token, device code, client secret) are passed as byte arrays and only referenced:
    /// the form never copies them, and the caller wipes its arrays when the request has been sent.
    /// </summary>
    public sealed class HttpForm
    {
        /// <summary>The most fields a form holds (a token request has at most six).</summary>
        public const int MaxFields = 8;

        /// <summary>The media type of the encoded form.</summary>
        public const string ContentType = "application/x-www-form-urlencoded";

        private readonly byte[][] _names = new byte[MaxFields][];
        private readonly byte[][] _values = new byte[MaxFields][];
        private int _count;

        /// <summary>How many fields were added.</summary>
        public int Count
        {
            get { return _count; }
        }

        /// <summary>Adds a field with a text value (not a secret: it is kept as UTF-8 until <see cref="Clear"/>).</summary>
        /// <param name="name">The field name, e.g. "grant_type".</param>
        /// <param name="value">The value.</param>
        public void Add(string name, string value)
        {
            if (value == null)
            {
                throw new ArgumentNullException("value");
            }

            Add(name, Utf8.GetBytes(value));
        }

        /// <summary>Adds a field whose value is UTF-8 octets the caller owns; the form keeps only the reference.</summary>
        /// <param name="name">The field name.</param>
        /// <param name="value">The value's octets.</param>
        public void Add(string name, byte[] value)
        {
            if (name == null || name.Length == 0)
            {
                throw new ArgumentException("field name required", "name");
            }

            if (value == null)
            {
                throw new ArgumentNullException("value");
            }

            if (_count == MaxFields)
            {
                throw new InvalidOperationException("form full");
            }

            _names[_count] = Utf8.GetBytes(name);
            _values[_count] = value;
            _count++;
        }

        /// <summary>The encoded body's length in octets: name=value pairs joined by "&amp;".</summary>
        public int EncodedLength
        {
            get
            {
                int length = _count > 0 ? _count - 1 : 0;
                for (int i = 0; i < _count; i++)
                {
                    length += FormEncoding.EncodedLength(_names[i], 0, _names[i].Length) + 1 + FormEncoding.EncodedLength(_values[i], 0, _values[i].Length);
                }

                return length;
            }
        }

        /// <summary>Writes the encoded body.</summary>
        /// <param name="destination">Needs <see cref="EncodedLength"/> octets of room from <paramref name="at"/>.</param>
        /// <param name="at">Where the first octet goes.</param>
        /// <returns>The number of octets written.</returns>
        public int Write(byte[] destination, int at)
        {
            if (destination == null)
            {
                throw new ArgumentNullException("destination");
            }

            if (at < 0 || at > destination.Length - EncodedLength)
            {
                throw new ArgumentOutOfRangeException("at");
            }

            int p = at;
            for (int i = 0; i < _count; i++)
            {
                if (i > 0)
                {
                    destination[p++] = (byte)'&';
                }

                p += FormEncoding.Encode(_names[i], 0, _names[i].Length, destination, p);
                destination[p++] = (byte)'=';
                p += FormEncoding.Encode(_values[i], 0, _values[i].Length, destination, p);
            }

            return p - at;
        }

        /// <summary>Forgets every field (the caller's secret arrays are its own to wipe).</summary>
        public void Clear()
        {
            for (int i = 0; i < MaxFields; i++)
            {
                _names[i] = null;
                _values[i] = null;
            }

            _count = 0;
        }
    }
}
