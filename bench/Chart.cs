using System;
using System.Collections.Generic;
using ScottPlot;

namespace NetBoard.Bench
{
    /// <summary>Throughput (left) and allocation per job (right) by attachment size, firmware against MailKit.</summary>
    internal static class Chart
    {
        public static void Write(Report report, string path)
        {
            Multiplot multiplot = new Multiplot();
            multiplot.AddPlots(2);
            multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
            Plot throughput = multiplot.GetPlot(0);
            Plot allocation = multiplot.GetPlot(1);

            var series = new List<(string Label, string Client, string Server, Color Color)>
            {
                ("firmware, sink", ThroughputBench.Firmware, ThroughputBench.SinkServerName, new Color(31, 119, 180)),
                ("MailKit, sink", ThroughputBench.MailKit, ThroughputBench.SinkServerName, new Color(255, 127, 14)),
                ("firmware, lab Postfix", ThroughputBench.Firmware, ThroughputBench.LabServerName, new Color(174, 199, 232)),
                ("MailKit, lab Postfix", ThroughputBench.MailKit, ThroughputBench.LabServerName, new Color(255, 187, 120)),
            };

            int[] sizes = report.Options.Sizes;
            double groupWidth = series.Count + 1;
            foreach (Plot plot in new[] { throughput, allocation })
            {
                bool isThroughput = plot == throughput;
                for (int s = 0; s < series.Count; s++)
                {
                    List<Bar> bars = new List<Bar>();
                    for (int i = 0; i < sizes.Length; i++)
                    {
                        SendResult r = report.Find(series[s].Client, series[s].Server, sizes[i]);
                        if (r == null)
                        {
                            continue;
                        }

                        double value = isThroughput ? r.MedianMBps : r.ProcessAllocBytes / 1024.0;
                        bars.Add(new Bar
                        {
                            Position = (i * groupWidth) + s,
                            Value = value,
                            FillColor = series[s].Color,
                            Label = isThroughput ? value.ToString("F0") : value.ToString("F0"),
                        });
                    }

                    if (bars.Count > 0)
                    {
                        var plotted = plot.Add.Bars(bars);
                        plotted.LegendText = series[s].Label;
                        plotted.ValueLabelStyle.FontSize = 10;
                    }
                }

                Tick[] ticks = new Tick[sizes.Length];
                for (int i = 0; i < sizes.Length; i++)
                {
                    ticks[i] = new Tick((i * groupWidth) + ((series.Count - 1) / 2.0), "attachment " + Report.SizeLabel(sizes[i]));
                }

                plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
                plot.Axes.Bottom.MajorTickStyle.Length = 0;
                plot.Axes.Margins(bottom: 0, top: isThroughput ? 0.15 : 0.5);
                plot.ShowLegend(Alignment.UpperLeft);
                plot.Grid.XAxisStyle.IsVisible = false;
            }

            throughput.Title("Throughput (median, MB/s of attachment)");
            throughput.YLabel("MB/s");
            allocation.Title("Allocated per job (median, process-wide KB)");
            allocation.YLabel("KB per job");
            var target = allocation.Add.HorizontalLine(16, 1.5f, Colors.Red, LinePattern.Dashed);
            target.LegendText = "target: 16 KB per job";
            multiplot.SavePng(path, 1400, 520);
        }
    }
}
