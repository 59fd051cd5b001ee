using System;
using System.Collections.Generic;
using System.Text;
using NetBoard.Hal.Host;

namespace NetBoard.Hal.Tests
{
    public sealed class TerminalKeyDecoderTests
    {
        [Theory]
        [InlineData("\u001B[A", PanelKey.Up)]
        [InlineData("\u001B[B", PanelKey.Down)]
        [InlineData("\u001B[C", PanelKey.Right)]
        [InlineData("\u001B[D", PanelKey.Left)]
        [InlineData("\u001BOA", PanelKey.Up)]
        [InlineData("\u001BOD", PanelKey.Left)]
        [InlineData("\u001B[1;5C", PanelKey.Right)]
        [InlineData("\r", PanelKey.Set)]
        [InlineData("\n", PanelKey.Set)]
        [InlineData("\r\n", PanelKey.Set)]
        [InlineData("\u007F", PanelKey.Backspace)]
        [InlineData("\b", PanelKey.Backspace)]
        [InlineData("\t", PanelKey.Menu)]
        [InlineData("m", PanelKey.Menu)]
        public void Sequence_IsOneKey(string bytes, PanelKey expected)
        {
            Assert.Equal(new[] { expected }, Decode(bytes, false));
        }

        [Fact]
        public void LoneEscape_WaitsForAPause()
        {
            TerminalKeyDecoder decoder = new TerminalKeyDecoder();
            decoder.Feed(0x1B);

            Assert.True(decoder.HasPending);
            Assert.False(decoder.TryTake(out _));
            decoder.Flush();

            Assert.False(decoder.HasPending);
            Assert.True(decoder.TryTake(out ConsoleKeyInfo info));
            Assert.Equal(ConsoleKey.Escape, info.Key);
        }

        [Fact]
        public void SequenceSplitAcrossReads_IsStillOneKey()
        {
            TerminalKeyDecoder decoder = new TerminalKeyDecoder();
            decoder.Feed(Encoding.ASCII.GetBytes("\u001B["), 0, 2);
            Assert.Equal(0, decoder.Count);
            decoder.Feed((byte)'B');

            Assert.True(decoder.TryTake(out ConsoleKeyInfo info));
            Assert.Equal(ConsoleKey.DownArrow, info.Key);
        }

        [Fact]
        public void EscapeBeforeASequenceOrAKey_IsBackThenThatKey()
        {
            Assert.Equal(new[] { PanelKey.Back, PanelKey.Up }, Decode("\u001B\u001B[A", false));
            Assert.Equal(new[] { PanelKey.Back, PanelKey.Character }, Decode("\u001Bx", false));
        }

        [Fact]
        public void UnknownSequences_AreSwallowedWhole()
        {
            Assert.Equal(new[] { PanelKey.Character, PanelKey.Character }, Decode("a\u001B[3~\u001B[15~\u001BOPb", true));
        }

        [Fact]
        public void Typing_DecodesUtf8Characters()
        {
            TerminalKeyDecoder decoder = new TerminalKeyDecoder();
            byte[] bytes = Encoding.UTF8.GetBytes("B\u00fcro \u20ac\r\n");
            decoder.Feed(bytes, 0, bytes.Length);

            StringBuilder typed = new StringBuilder();
            List<PanelKey> keys = new List<PanelKey>();
            while (decoder.TryTake(out ConsoleKeyInfo info))
            {
                Assert.True(TerminalKeyMap.TryMap(info, true, out PanelKey key, out char c));
                keys.Add(key);
                if (key == PanelKey.Character)
                {
                    typed.Append(c);
                }
            }

            Assert.Equal("B\u00fcro \u20ac", typed.ToString());
            Assert.Equal(PanelKey.Set, keys[keys.Count - 1]);
            Assert.Equal(7, keys.Count);
        }

        [Fact]
        public void BrokenUtf8_IsDroppedAndTheNextByteKept()
        {
            Assert.Equal(new[] { PanelKey.Character }, DecodeBytes(new byte[] { 0xC3, (byte)'a' }));
            Assert.Equal(new PanelKey[0], DecodeBytes(new byte[] { 0xFF, 0x80, 0x01 }));
        }

        private static PanelKey[] Decode(string text, bool textEntry)
        {
            TerminalKeyDecoder decoder = new TerminalKeyDecoder();
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            decoder.Feed(bytes, 0, bytes.Length);
            decoder.Flush();
            List<PanelKey> keys = new List<PanelKey>();
            while (decoder.TryTake(out ConsoleKeyInfo info))
            {
                if (TerminalKeyMap.TryMap(info, textEntry, out PanelKey key, out _))
                {
                    keys.Add(key);
                }
            }

            return keys.ToArray();
        }

        private static PanelKey[] DecodeBytes(byte[] bytes)
        {
            TerminalKeyDecoder decoder = new TerminalKeyDecoder();
            decoder.Feed(bytes, 0, bytes.Length);
            decoder.Flush();
            List<PanelKey> keys = new List<PanelKey>();
            while (decoder.TryTake(out ConsoleKeyInfo info))
            {
                if (TerminalKeyMap.TryMap(info, true, out PanelKey key, out _))
                {
                    keys.Add(key);
                }
            }

            return keys.ToArray();
        }
    }
}
