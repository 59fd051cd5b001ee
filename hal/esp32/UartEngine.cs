using System;
using System.IO.Ports;
using System.Threading;

namespace NetBoard.Hal.Esp32
{
    /// <summary>
    /// The printer's engine controller on a UART, with a line protocol this project defined (no
    /// printer's real engine protocol is implemented; this one stands in for it and is what the
    /// board speaks to a test rig or an adapter):
    /// <code>
    /// engine -> board  SCAN email|ifax NAME LENGTH CRC32 TO[,TO...] [SUBJECT]\n  then LENGTH raw bytes
    /// board -> engine  ACK SCAN\n | NAK SCAN REASON\n
    /// board -> engine  PRINT CONTENT-TYPE LENGTH CRC32\n  then LENGTH raw bytes
    /// engine -> board  ACK PRINT\n | NAK PRINT REASON\n   (no answer in 30 s counts as NAK)
    /// </code>
    /// NAME is the file name ([A-Za-z0-9._-], up to 40), CRC32 is IEEE 802.3 in 8 hex digits.
    /// A worker thread owns the port and storage writes of incoming scans; <see cref="TakeScan"/>
    /// and <see cref="Print"/> only exchange with it under a lock, so the scheduler never waits.
    /// </summary>
    public sealed class UartEngine : IEngine, IDisposable
    {
        /// <summary>Longest protocol line.</summary>
        public const int MaxLineBytes = 512;

        /// <summary>Largest document accepted in either direction.</summary>
        public const int MaxDocumentBytes = 4 * 1024 * 1024;

        /// <summary>How long the engine has to answer a PRINT, and to send a whole scan.</summary>
        public const int AnswerTimeoutMs = 30000;

        /// <summary>Attempts to hand a document to the engine before it is given up.</summary>
        public const int PrintAttempts = 3;

        private const int ChunkBytes = 512;
        private const int IdleSleepMs = 5;
        private const int MaxNameLength = 40;
        private const int ScanQueueSize = 4;

        private readonly object _sync = new object();
        private readonly SerialPort _port;
        private readonly IStorage _storage;
        private readonly ScanRequest[] _scans = new ScanRequest[ScanQueueSize];
        private readonly byte[] _line = new byte[MaxLineBytes];
        private readonly byte[] _chunk = new byte[ChunkBytes];
        private int _scanCount;
        private int _lineLength;
        private string _printName;
        private string _printType;
        private int _sequence;
        private bool _stop;

        /// <summary>Opens <paramref name="port"/> and starts the worker.</summary>
        /// <param name="port">A configured, not yet opened serial port (e.g. COM2 at 115200 8N1).</param>
        /// <param name="storage">Where received scans are stored, under "docs/engine-N/".</param>
        public UartEngine(SerialPort port, IStorage storage)
        {
            if (port == null || storage == null)
            {
                throw new ArgumentNullException(port == null ? "port" : "storage");
            }

            _port = port;
            _storage = storage;
            _port.Open();
            new Thread(Run).Start();
        }

        /// <summary>Documents given up after <see cref="PrintAttempts"/> failed transfers.</summary>
        public int PrintsDropped { get; private set; }

        /// <inheritdoc />
        public ScanRequest TakeScan()
        {
            lock (_sync)
            {
                if (_scanCount == 0)
                {
                    return null;
                }

                ScanRequest scan = _scans[0];
                Array.Copy(_scans, 1, _scans, 0, _scanCount - 1);
                _scans[--_scanCount] = null;
                return scan;
            }
        }

        /// <inheritdoc />
        public bool Print(string documentName, string contentType)
        {
            if (documentName == null || contentType == null)
            {
                throw new ArgumentNullException(documentName == null ? "documentName" : "contentType");
            }

            lock (_sync)
            {
                if (_printName != null)
                {
                    return false;
                }

                _printName = documentName;
                _printType = contentType;
                return true;
            }
        }

        /// <summary>Stops the worker and closes the port.</summary>
        public void Dispose()
        {
            _stop = true;
        }

        /// <summary>IEEE 802.3 CRC-32, the check value of both transfer directions.</summary>
        public static uint Crc32(uint crc, byte[] data, int offset, int count)
        {
            crc = ~crc;
            for (int i = offset; i < offset + count; i++)
            {
                crc ^= data[i];
                for (int bit = 0; bit < 8; bit++)
                {
                    crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
                }
            }

            return ~crc;
        }

        private static bool IsSafeName(string name)
        {
            if (name.Length == 0 || name.Length > MaxNameLength || name[0] == '.')
            {
                return false;
            }

            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
                if (!ok)
                {
                    return false;
                }
            }

            return true;
        }

        private static bool TryParseHex(string text, out uint value)
        {
            value = 0;
            if (text.Length != 8)
            {
                return false;
            }

            for (int i = 0; i < 8; i++)
            {
                char c = text[i];
                int digit = c >= '0' && c <= '9' ? c - '0' : (c >= 'a' && c <= 'f' ? c - 'a' + 10 : (c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1));
                if (digit < 0)
                {
                    return false;
                }

                value = (value << 4) | (uint)digit;
            }

            return true;
        }

        private static string Hex8(uint value)
        {
            const string Digits = "0123456789abcdef";
            char[] text = new char[8];
            for (int i = 7; i >= 0; i--)
            {
                text[i] = Digits[(int)(value & 0xF)];
                value >>= 4;
            }

            return new string(text);
        }

        private static byte[] Ascii(string text)
        {
            byte[] bytes = new byte[text.Length];
            for (int i = 0; i < text.Length; i++)
            {
                bytes[i] = text[i] < 128 ? (byte)text[i] : (byte)'?';
            }

            return bytes;
        }

        private void Run()
        {
            int printFailures = 0;
            while (!_stop)
            {
                try
                {
                    string printName;
                    string printType;
                    lock (_sync)
                    {
                        printName = _printName;
                        printType = _printType;
                    }

                    if (printName != null)
                    {
                        bool done = SendPrint(printName, printType);
                        printFailures = done ? 0 : printFailures + 1;
                        if (done || printFailures >= PrintAttempts)
                        {
                            if (!done)
                            {
                                PrintsDropped++;
                            }

                            printFailures = 0;
                            lock (_sync)
                            {
                                _printName = null;
                                _printType = null;
                            }
                        }
                    }

                    string line = ReadLine(0);
                    if (line == null)
                    {
                        Thread.Sleep(IdleSleepMs);
                    }
                    else if (line.StartsWith("SCAN "))
                    {
                        ReceiveScan(line);
                    }
                }
                catch (Exception)
                {
                    // A broken transfer is abandoned; the engine resends, the next PRINT attempt retries.
                    _lineLength = 0;
                    Thread.Sleep(IdleSleepMs);
                }
            }

            _port.Close();
        }

        /// <summary>The next complete line, waiting up to <paramref name="timeoutMs"/>; null when none came.</summary>
        private string ReadLine(int timeoutMs)
        {
            int waited = 0;
            while (true)
            {
                while (_port.BytesToRead > 0)
                {
                    int b = _port.ReadByte();
                    if (b < 0)
                    {
                        break;
                    }

                    if (b == '\n')
                    {
                        int length = _lineLength > 0 && _line[_lineLength - 1] == '\r' ? _lineLength - 1 : _lineLength;
                        _lineLength = 0;
                        char[] chars = new char[length];
                        for (int i = 0; i < length; i++)
                        {
                            chars[i] = (char)_line[i];
                        }

                        return new string(chars);
                    }

                    if (_lineLength < MaxLineBytes)
                    {
                        _line[_lineLength++] = (byte)b;
                    }
                }

                if (waited >= timeoutMs)
                {
                    return null;
                }

                Thread.Sleep(IdleSleepMs);
                waited += IdleSleepMs;
            }
        }

        private void Answer(string text)
        {
            byte[] bytes = Ascii(text + "\n");
            _port.Write(bytes, 0, bytes.Length);
        }

        private void ReceiveScan(string line)
        {
            // SCAN kind name length crc recipients [subject]
            string[] fields = line.Split(' ');
            int length;
            uint expected;
            if (fields.Length < 6 || (fields[1] != "email" && fields[1] != "ifax") || !IsSafeName(fields[2])
                || !int.TryParse(fields[3], out length) || length <= 0 || length > MaxDocumentBytes
                || !TryParseHex(fields[4], out expected) || fields[5].Length == 0)
            {
                Answer("NAK SCAN bad-request");
                return;
            }

            int subjectAt = 0;
            for (int i = 0; i < 6; i++)
            {
                subjectAt = line.IndexOf(' ', subjectAt) + 1;
                if (subjectAt == 0)
                {
                    break;
                }
            }

            string subject = subjectAt > 0 ? line.Substring(subjectAt) : string.Empty;
            _sequence++;
            string name = "docs/engine-" + _sequence.ToString() + "/" + fields[2];
            uint crc = 0;
            int received = 0;
            int waited = 0;
            IStorageWriter writer = _storage.Create(name);
            try
            {
                while (received < length)
                {
                    int ready = _port.BytesToRead;
                    if (ready == 0)
                    {
                        if (waited >= AnswerTimeoutMs)
                        {
                            break;
                        }

                        Thread.Sleep(IdleSleepMs);
                        waited += IdleSleepMs;
                        continue;
                    }

                    int want = length - received;
                    want = want < ready ? want : ready;
                    want = want < ChunkBytes ? want : ChunkBytes;
                    int n = _port.Read(_chunk, 0, want);
                    writer.Write(_chunk, 0, n);
                    crc = Crc32(crc, _chunk, 0, n);
                    received += n;
                    waited = 0;
                }

                if (received < length || crc != expected)
                {
                    writer.Dispose();
                    _storage.Delete(name);
                    Answer(received < length ? "NAK SCAN timeout" : "NAK SCAN crc");
                    return;
                }

                writer.Commit();
            }
            finally
            {
                writer.Dispose();
            }

            var scan = new ScanRequest(name, fields[1] == "ifax", fields[5].Split(','), subject);
            lock (_sync)
            {
                if (_scanCount == ScanQueueSize)
                {
                    _storage.Delete(name);
                    Answer("NAK SCAN busy");
                    return;
                }

                _scans[_scanCount++] = scan;
            }

            Answer("ACK SCAN");
        }

        private bool SendPrint(string documentName, string contentType)
        {
            uint crc = 0;
            long length;
            using (IDocumentSource source = _storage.OpenRead(documentName))
            {
                length = source.Length;
                if (length <= 0 || length > MaxDocumentBytes)
                {
                    return false;
                }

                int n;
                while ((n = source.Read(_chunk, 0, ChunkBytes)) > 0)
                {
                    crc = Crc32(crc, _chunk, 0, n);
                }
            }

            Answer("PRINT " + contentType + " " + length.ToString() + " " + Hex8(crc));
            using (IDocumentSource source = _storage.OpenRead(documentName))
            {
                int n;
                while ((n = source.Read(_chunk, 0, ChunkBytes)) > 0)
                {
                    _port.Write(_chunk, 0, n);
                }
            }

            string reply = ReadLine(AnswerTimeoutMs);
            return reply == "ACK PRINT";
        }
    }
}
