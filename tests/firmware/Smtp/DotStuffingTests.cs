using System;
using System.Collections.Generic;
using System.Text;
using NetBoard.Firmware.Smtp;

namespace NetBoard.Firmware.Tests.Smtp
{
    public class DotStuffingTests
    {
        private const byte Sentinel = 0xEE;

        /// <summary>The obvious definition: every line (after CR LF or a bare LF) that starts with '.' gets one more.</summary>
        private static byte[] Reference(byte[] data)
        {
            var output = new List<byte>(data.Length * 2);
            bool lineStart = true;
            foreach (byte b in data)
            {
                if (lineStart && b == (byte)'.')
                {
                    output.Add((byte)'.');
                }

                output.Add(b);
                lineStart = b == (byte)'\n';
            }

            return output.ToArray();
        }

        /// <summary>Stuffs <paramref name="data"/> placed at <paramref name="start"/> of a sentinel-filled buffer; checks nothing outside the result changed.</summary>
        private static byte[] Stuff(byte[] data, int start = 0, int extraRoom = 16)
        {
            byte[] buffer = new byte[start + (data.Length * 2) + extraRoom];
            Array.Fill(buffer, Sentinel);
            Array.Copy(data, 0, buffer, start, data.Length);
            int end = DotStuffing.StuffInPlace(buffer, start, start + data.Length);
            Assert.InRange(end, start + data.Length, buffer.Length);
            for (int i = 0; i < start; i++)
            {
                Assert.Equal(Sentinel, buffer[i]);
            }

            for (int i = end; i < buffer.Length; i++)
            {
                Assert.Equal(Sentinel, buffer[i]);
            }

            return buffer[start..end];
        }

        private static string Stuff(string text, int start = 0) => Encoding.ASCII.GetString(Stuff(Encoding.ASCII.GetBytes(text), start));

        [Fact]
        public void Text_without_leading_dots_is_unchanged()
        {
            Assert.Equal("a.b\r\nc.\r\n x\r\n", Stuff("a.b\r\nc.\r\n x\r\n"));
        }

        [Fact]
        public void Empty_range_stays_empty()
        {
            byte[] buffer = { 1, 2, 3 };
            Assert.Equal(2, DotStuffing.StuffInPlace(buffer, 2, 2));
            Assert.Equal(new byte[] { 1, 2, 3 }, buffer);
        }

        [Fact]
        public void Lone_dot_line_becomes_two_dots()
        {
            Assert.Equal("..\r\n", Stuff(".\r\n"));
        }

        [Fact]
        public void Every_line_that_starts_with_a_dot_gets_one_more()
        {
            Assert.Equal("a.b\r\n..x\r\n...\r\nend.\r\n..\r\n", Stuff("a.b\r\n.x\r\n..\r\nend.\r\n.\r\n"));
        }

        [Fact]
        public void Range_start_counts_as_a_line_start_whatever_precedes_it()
        {
            byte[] buffer = Encoding.ASCII.GetBytes("xyz.a\r\n" + new string('#', 8));
            int end = DotStuffing.StuffInPlace(buffer, 3, 7);
            Assert.Equal(8, end);
            Assert.Equal("xyz..a\r\n", Encoding.ASCII.GetString(buffer, 0, end));
        }

        [Fact]
        public void Bytes_before_the_range_are_not_stuffed()
        {
            byte[] buffer = Encoding.ASCII.GetBytes(".a\r\nb\r\n" + new string('#', 4));
            int end = DotStuffing.StuffInPlace(buffer, 4, 7);
            Assert.Equal(7, end);
            Assert.Equal(".a\r\nb\r\n", Encoding.ASCII.GetString(buffer, 0, end));
        }

        [Fact]
        public void Bare_lf_starts_a_line_but_bare_cr_does_not()
        {
            Assert.Equal("a\n..b\n", Stuff("a\n.b\n"));
            Assert.Equal("a\r.b\r\n", Stuff("a\r.b\r\n"));
        }

        [Fact]
        public void Worst_case_room_of_one_third_is_enough()
        {
            // 100 lines of ".\r\n": one octet more per three.
            byte[] data = Encoding.ASCII.GetBytes(string.Concat(Array.ConvertAll(new int[100], _ => ".\r\n")));
            byte[] buffer = new byte[data.Length + (data.Length / 3)];
            Array.Copy(data, buffer, data.Length);
            int end = DotStuffing.StuffInPlace(buffer, 0, data.Length);
            Assert.Equal(buffer.Length, end);
            Assert.Equal(Reference(data), buffer);
        }

        [Fact]
        public void Random_lines_match_the_reference()
        {
            var random = new Random(20240611);
            byte[] alphabet = Encoding.ASCII.GetBytes("..\r\nab. ");
            for (int round = 0; round < 2000; round++)
            {
                var data = new List<byte>();
                int lines = random.Next(0, 12);
                for (int line = 0; line < lines; line++)
                {
                    int length = random.Next(0, 8);
                    for (int i = 0; i < length; i++)
                    {
                        data.Add(alphabet[random.Next(alphabet.Length)]);
                    }

                    if (random.Next(4) == 0)
                    {
                        data.Add((byte)'\n');
                    }
                    else
                    {
                        data.Add((byte)'\r');
                        data.Add((byte)'\n');
                    }
                }

                byte[] input = data.ToArray();
                int start = random.Next(0, 4);
                Assert.Equal(Reference(input), Stuff(input, start, random.Next(0, 3)));
            }
        }

        [Fact]
        public void Random_binary_bytes_match_the_reference()
        {
            var random = new Random(7);
            for (int round = 0; round < 500; round++)
            {
                byte[] input = new byte[random.Next(0, 300)];
                random.NextBytes(input);
                for (int i = 0; i < input.Length; i++)
                {
                    // Make dots and line feeds common enough to matter.
                    int pick = random.Next(6);
                    if (pick == 0)
                    {
                        input[i] = (byte)'.';
                    }
                    else if (pick == 1)
                    {
                        input[i] = (byte)'\n';
                    }
                }

                Assert.Equal(Reference(input), Stuff(input, random.Next(0, 3)));
            }
        }
    }
}
