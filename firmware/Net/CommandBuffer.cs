using System;
using NetBoard.Firmware.Text;

namespace NetBoard.Firmware.Net
{
    /// <summary>
    /// A client session's fixed output buffer: commands are put at the end, the caller sends from
    /// <see cref="Offset"/> and reports what went. Allocated once per session; nothing here grows.
    /// </summary>
    public sealed class CommandBuffer
    {
        private readonly byte[] _buffer;
        private int _start;
        private int _end;

        /// <summary>Creates a buffer of <paramref name="size"/> octets.</summary>
        public CommandBuffer(int size)
        {
            _buffer = new byte[size];
        }

        /// <summary>The octets, from <see cref="Offset"/> for <see cref="Count"/> waiting to be sent.</summary>
        public byte[] Buffer
        {
            get { return _buffer; }
        }

        /// <summary>The first octet waiting to be sent.</summary>
        public int Offset
        {
            get { return _start; }
        }

        /// <summary>Octets waiting to be sent.</summary>
        public int Count
        {
            get { return _end - _start; }
        }

        /// <summary>Where the next octet put goes.</summary>
        public int End
        {
            get { return _end; }
        }

        /// <summary>Octets that fit after <see cref="End"/>.</summary>
        public int Room
        {
            get { return _buffer.Length - _end; }
        }

        /// <summary>The caller sent <paramref name="count"/> octets from <see cref="Offset"/>.</summary>
        public void Sent(int count)
        {
            if (count < 0 || count > Count)
            {
                throw new ArgumentOutOfRangeException("count");
            }

            _start += count;
            if (_start == _end)
            {
                _start = 0;
                _end = 0;
            }
        }

        /// <summary>Moves what waits to the front, so <see cref="Room"/> is as large as it can be.</summary>
        public void Compact()
        {
            if (_start > 0)
            {
                Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
        }

        /// <summary>Drops everything (the session ended).</summary>
        public void Clear()
        {
            Array.Clear(_buffer, 0, _buffer.Length);
            _start = 0;
            _end = 0;
        }

        /// <summary>Counts <paramref name="count"/> octets the caller wrote at <see cref="End"/> directly.</summary>
        public void Advance(int count)
        {
            EnsureRoom(count);
            _end += count;
        }

        /// <summary>Appends ASCII text (a command or its arguments).</summary>
        public void Put(string ascii)
        {
            EnsureRoom(ascii.Length);
            _end += Ascii.GetBytes(ascii, _buffer, _end);
        }

        /// <summary>Appends <paramref name="value"/> (0 or more) in decimal, allocating nothing.</summary>
        public void PutDecimal(int value)
        {
            int length = DecimalLength(value);
            EnsureRoom(length);
            for (int i = length - 1; i >= 0; i--)
            {
                _buffer[_end + i] = (byte)('0' + (value % 10));
                value /= 10;
            }

            _end += length;
        }

        /// <summary>How many digits <see cref="PutDecimal"/> writes for <paramref name="value"/>.</summary>
        public static int DecimalLength(int value)
        {
            if (value < 0)
            {
                throw new ArgumentOutOfRangeException("value");
            }

            int length = 1;
            while (value >= 10)
            {
                value /= 10;
                length++;
            }

            return length;
        }

        /// <summary>Appends raw octets.</summary>
        public void PutBytes(byte[] data)
        {
            EnsureRoom(data.Length);
            Array.Copy(data, 0, _buffer, _end, data.Length);
            _end += data.Length;
        }

        /// <summary>Appends <paramref name="data"/> base64-encoded (SASL responses).</summary>
        public void PutBase64(byte[] data)
        {
            PutBase64(data, 0, data.Length);
        }

        /// <summary>Appends <paramref name="count"/> octets of <paramref name="data"/> from <paramref name="offset"/>, base64-encoded.</summary>
        public void PutBase64(byte[] data, int offset, int count)
        {
            EnsureRoom(Base64.EncodedLength(count));
            _end += Base64.Encode(data, offset, count, _buffer, _end);
        }

        /// <summary>Ends the line with CRLF.</summary>
        public void EndLine()
        {
            EnsureRoom(2);
            _buffer[_end++] = (byte)'\r';
            _buffer[_end++] = (byte)'\n';
        }

        private void EnsureRoom(int count)
        {
            if (_buffer.Length - _end < count)
            {
                // Settings validation bounds every argument; this is a programming error.
                throw new InvalidOperationException("command longer than the output buffer");
            }
        }
    }
}
