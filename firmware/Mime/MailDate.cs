using System;

namespace NetBoard.Firmware.Mime
{
    /// <summary>Formats the RFC 5322 date-time of a Date header, always in UTC ("+0000").</summary>
    internal static class MailDate
    {
        private static readonly string[] s_dayNames = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
        private static readonly string[] s_monthNames = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

        /// <summary>Formats e.g. "Sun, 29 Nov 2026 13:05:09 +0000"; the value is taken as UTC.</summary>
        /// <param name="utc">The moment in UTC.</param>
        /// <returns>The formatted date-time.</returns>
        public static string Format(DateTime utc)
        {
            return s_dayNames[(int)utc.DayOfWeek] + ", " + TwoDigits(utc.Day) + " " + s_monthNames[utc.Month - 1] + " "
                + utc.Year.ToString() + " " + TwoDigits(utc.Hour) + ":" + TwoDigits(utc.Minute) + ":" + TwoDigits(utc.Second)
                + " +0000";
        }

        /// <summary>Formats a compact "yyyyMMddHHmmss" stamp for message ids.</summary>
        /// <param name="utc">The moment in UTC.</param>
        /// <returns>The fourteen-digit stamp.</returns>
        public static string Stamp(DateTime utc)
        {
            return utc.Year.ToString() + TwoDigits(utc.Month) + TwoDigits(utc.Day) + TwoDigits(utc.Hour) + TwoDigits(utc.Minute)
                + TwoDigits(utc.Second);
        }

        private static string TwoDigits(int value)
        {
            return value < 10 ? "0" + value.ToString() : value.ToString();
        }
    }
}
