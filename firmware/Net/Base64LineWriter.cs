using System;

namespace NetBoard.Firmware.Net
{
    /// <summary>
    /// Puts one base64 line that may be longer than the session's output buffer (a SASL response carrying an
    /// OAuth 2.0 bearer token) into a <see cref="CommandBuffer"/> piece by piece: as much as fits now, the rest as
    /// the connection takes what went before, then CRLF. The session's memory stays fixed whatever the line's
    /// length; only the raw response is held, and it is wiped once the line is complete or dropped.
    /// </summary>
    public sealed class Base64LineWriter
    {
        private byte[] _data;
        private int _next;

        /// <summary>True while part of a line waits to be put in the buffer.</summary>
        public bool IsActive
        {
            get { return _data != null; }
        }

        /// <summary>Starts a line with <paramref name="data"/> (the writer owns it and wipes it when done).</summary>
        /// <param name="data">The raw octets to encode.</param>
        public void Start(byte[] data)
        {
            if (data == null)
            {
                throw new ArgumentNullException("data");
            }

            Clear();
            _data = data;
            _next = 0;
        }

        /// <summary>
        /// Puts as much of the line as <paramref name="output"/> has room for, in whole base64 quanta; returns true
        /// once the line and its CRLF are in the buffer (the raw octets are then wiped).
        /// </summary>
        /// <param name="output">The session's output buffer.</param>
        public bool Fill(CommandBuffer output)
        {
            if (_data == null)
            {
                return true;
            }

            output.Compact();
            while (_next < _data.Length)
            {
                int remaining = _data.Length - _next;
                int take = (output.Room / 4) * 3;
                if (take >= remaining)
                {
                    take = remaining;
                }

                if (take == 0)
                {
                    return false;
                }

                output.PutBase64(_data, _next, take);
                _next += take;
            }

            if (output.Room < 2)
            {
                return false;
            }

            output.EndLine();
            Clear();
            return true;
        }

        /// <summary>Drops the line, wiping its raw octets.</summary>
        public void Clear()
        {
            if (_data != null)
            {
                Array.Clear(_data, 0, _data.Length);
                _data = null;
            }

            _next = 0;
        }
    }
}
