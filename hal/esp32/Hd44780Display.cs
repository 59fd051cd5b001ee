using System;
using System.Device.I2c;
using System.Threading;

namespace NetBoard.Hal.Esp32
{
    /// <summary>
    /// An HD44780 character LCD (20x4 here) behind a PCF8574 I2C backpack, driven in 4-bit mode.
    /// Backpack bits: P0 RS, P1 RW, P2 E, P3 backlight, P4-P7 D4-D7 (the common wiring; some
    /// backpacks differ). Only rows that changed are rewritten, each in one I2C transfer.
    /// A display that does not answer is reported by <see cref="IsPresent"/>, never thrown: the mail
    /// tasks go on without a panel.
    /// </summary>
    public sealed class Hd44780Display : IPanelDisplay
    {
        /// <summary>The usual address of a PCF8574 backpack (0x3F for the PCF8574A).</summary>
        public const int DefaultAddress = 0x27;

        private const byte RegisterSelect = 0x01;
        private const byte Enable = 0x04;
        private const byte Backlight = 0x08;
        private const byte CommandClear = 0x01;
        private const byte CommandEntryModeIncrement = 0x06;
        private const byte CommandDisplayOn = 0x0C;
        private const byte CursorOn = 0x02;
        private const byte CommandFunction4Bit2Lines = 0x28;
        private const byte CommandSetAddress = 0x80;
        private const int BytesPerCharacter = 4;

        // DDRAM start of each row of a 4-row module.
        private static readonly byte[] s_rowOffsets = new byte[] { 0x00, 0x40, 0x14, 0x54 };

        private readonly I2cDevice _device;
        private readonly int _columns;
        private readonly int _rows;
        private readonly string[] _shown;
        private readonly byte[] _transfer;
        private int _cursorRow;
        private int _cursorColumn;
        private bool _cursorVisible;

        /// <summary>Initialises the module on <paramref name="device"/> and clears it.</summary>
        public Hd44780Display(I2cDevice device, int columns, int rows)
        {
            if (device == null)
            {
                throw new ArgumentNullException("device");
            }

            if (columns < 1 || columns > 40 || rows < 1 || rows > s_rowOffsets.Length)
            {
                throw new ArgumentOutOfRangeException("rows");
            }

            _device = device;
            _columns = columns;
            _rows = rows;
            _shown = new string[rows];
            _transfer = new byte[(columns + 1) * BytesPerCharacter];
            IsPresent = true;
            Initialise();
        }

        /// <summary>False once the backpack stopped acknowledging (not fitted, or the bus failed).</summary>
        public bool IsPresent { get; private set; }

        /// <inheritdoc />
        public int Columns
        {
            get { return _columns; }
        }

        /// <inheritdoc />
        public int Rows
        {
            get { return _rows; }
        }

        /// <inheritdoc />
        public void Show(string[] lines)
        {
            for (int row = 0; row < _rows; row++)
            {
                string line = Fit(lines != null && row < lines.Length ? lines[row] : null);
                if (line == _shown[row])
                {
                    continue;
                }

                int at = PutByte(0, (byte)(CommandSetAddress | (s_rowOffsets[row] + 0)), false);
                for (int column = 0; column < _columns; column++)
                {
                    at = PutByte(at, ToRom(line[column]), true);
                }

                if (Send(at))
                {
                    _shown[row] = line;
                }
            }

            PlaceCursor();
        }

        /// <inheritdoc />
        public void SetCursor(int row, int column, bool visible)
        {
            _cursorRow = row < 0 ? 0 : (row >= _rows ? _rows - 1 : row);
            _cursorColumn = column < 0 ? 0 : (column >= _columns ? _columns - 1 : column);
            _cursorVisible = visible;
            PlaceCursor();
        }

        /// <summary>The character ROM (A00) matches ASCII from space to '}', except '\' (a yen sign there).</summary>
        private static byte ToRom(char c)
        {
            if (c < ' ' || c > '}' || c == '\\')
            {
                return (byte)'?';
            }

            return (byte)c;
        }

        private string Fit(string text)
        {
            if (text == null)
            {
                text = string.Empty;
            }

            if (text.Length >= _columns)
            {
                return text.Substring(0, _columns);
            }

            return text + new string(' ', _columns - text.Length);
        }

        private void PlaceCursor()
        {
            int at = PutByte(0, (byte)(CommandDisplayOn | (_cursorVisible ? CursorOn : 0)), false);
            if (_cursorVisible)
            {
                at = PutByte(at, (byte)(CommandSetAddress | (s_rowOffsets[_cursorRow] + _cursorColumn)), false);
            }

            Send(at);
        }

        private void Initialise()
        {
            // Power-on reset needs 40 ms; then three 8-bit "function set" nibbles and the switch to 4-bit (HD44780 datasheet, figure 24).
            Thread.Sleep(50);
            SendNibble(0x30);
            Thread.Sleep(5);
            SendNibble(0x30);
            Thread.Sleep(1);
            SendNibble(0x30);
            Thread.Sleep(1);
            SendNibble(0x20);
            Thread.Sleep(1);
            Send(PutByte(0, CommandFunction4Bit2Lines, false));
            Send(PutByte(0, CommandDisplayOn, false));
            Send(PutByte(0, CommandClear, false));
            Thread.Sleep(2);
            Send(PutByte(0, CommandEntryModeIncrement, false));
        }

        private void SendNibble(byte high)
        {
            _transfer[0] = (byte)(high | Backlight | Enable);
            _transfer[1] = (byte)(high | Backlight);
            Send(2);
        }

        /// <summary>Queues one byte as two nibbles, each latched by an E pulse (an I2C byte lasts far longer than the 450 ns E needs).</summary>
        private int PutByte(int at, byte value, bool isData)
        {
            byte mode = (byte)(Backlight | (isData ? RegisterSelect : 0));
            byte high = (byte)(value & 0xF0);
            byte low = (byte)((value << 4) & 0xF0);
            _transfer[at] = (byte)(high | mode | Enable);
            _transfer[at + 1] = (byte)(high | mode);
            _transfer[at + 2] = (byte)(low | mode | Enable);
            _transfer[at + 3] = (byte)(low | mode);
            return at + BytesPerCharacter;
        }

        private bool Send(int count)
        {
            if (!IsPresent)
            {
                return false;
            }

            I2cTransferResult result = _device.Write(new SpanByte(_transfer, 0, count));
            if (result.Status != I2cTransferStatus.FullTransfer)
            {
                IsPresent = false;
                return false;
            }

            return true;
        }
    }
}
