using System;

namespace NetBoard.Bench
{
    internal static class Stats
    {
        public static double Median(double[] values)
        {
            return Percentile(values, 50);
        }

        /// <summary>Nearest-rank percentile.</summary>
        public static double Percentile(double[] values, double percent)
        {
            if (values.Length == 0)
            {
                return double.NaN;
            }

            double[] sorted = (double[])values.Clone();
            Array.Sort(sorted);
            int rank = (int)Math.Ceiling(percent / 100.0 * sorted.Length);
            return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
        }

        public static double Min(double[] values)
        {
            double min = double.MaxValue;
            foreach (double v in values)
            {
                min = Math.Min(min, v);
            }

            return min;
        }

        public static double Max(double[] values)
        {
            double max = double.MinValue;
            foreach (double v in values)
            {
                max = Math.Max(max, v);
            }

            return max;
        }
    }
}
