namespace NetBoard.Firmware.Smtp
{
    /// <summary>SMTP transparency (RFC 5321 4.5.2): a line that starts with '.' gets another '.' in front.</summary>
    public static class DotStuffing
    {
        /// <summary>
        /// Stuffs the whole lines in buffer[start..end) in place and returns the new end. The range must
        /// start at a line beginning and the buffer must have room for one more octet per line that
        /// starts with '.' (at most a third of the range, since such a line is at least ".\r\n").
        /// </summary>
        public static int StuffInPlace(byte[] buffer, int start, int end)
        {
            if (start >= end)
            {
                return end;
            }

            // Only a line's first octet matters: look for LF and check the octet after it. One
            // compare per octet in the common case, which the device's interpreter feels most.
            int dots = buffer[start] == (byte)'.' ? 1 : 0;
            int last = end - 1;
            for (int i = start; i < last; i++)
            {
                if (buffer[i] == (byte)'\n' && buffer[i + 1] == (byte)'.')
                {
                    dots++;
                }
            }

            if (dots == 0)
            {
                return end;
            }

            int newEnd = end + dots;
            int target = newEnd - 1;
            for (int source = end - 1; dots > 0; source--)
            {
                byte b = buffer[source];
                buffer[target--] = b;
                if (b == (byte)'.' && (source == start || buffer[source - 1] == (byte)'\n'))
                {
                    buffer[target--] = (byte)'.';
                    dots--;
                }
            }

            return newEnd;
        }
    }
}
