package io.cohort.harness;

import org.HdrHistogram.Histogram;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Locale;
import java.util.Map;

/**
 * What a run leaves behind: one {@code .hgrm} percentile file per latency histogram (HdrHistogram's
 * {@code outputPercentileDistribution}, in microseconds), a summary text file, and a latency-by-percentile chart
 * as a hand-written SVG (log scales, as HdrHistogram's plotter draws them).
 */
final class Reports
{
    private static final String[] COLOURS = { "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b" };
    private static final double[] PERCENTILES = buildPercentiles();

    private Reports()
    {
    }

    /**
     * Writes a histogram's percentile distribution.
     *
     * @param dir       the output directory.
     * @param name      file name without extension.
     * @param histogram values in nanoseconds.
     * @return the file written.
     * @throws IOException if it cannot be written.
     */
    static File writeHgrm(final File dir, final String name, final Histogram histogram) throws IOException
    {
        final File file = new File(dir, name + ".hgrm");
        try (PrintStream out = new PrintStream(new FileOutputStream(file), false, StandardCharsets.UTF_8))
        {
            histogram.outputPercentileDistribution(out, 5, 1000.0);
        }
        return file;
    }

    /**
     * Writes text to a file.
     *
     * @param file the file.
     * @param text its content.
     * @throws IOException if it cannot be written.
     */
    static void writeText(final File file, final String text) throws IOException
    {
        Files.writeString(file.toPath(), text, StandardCharsets.UTF_8);
    }

    /**
     * Percentiles with a point from 0 % up to 99.999 %, evenly spread on the {@code 1 / (1 - p)} log axis.
     */
    private static double[] buildPercentiles()
    {
        final int points = 101;
        final double[] percentiles = new double[points];
        for (int i = 0; i < points; i++)
        {
            final double x = 5.0 * i / (points - 1);
            percentiles[i] = 100.0 * (1.0 - Math.pow(10, -x));
        }
        return percentiles;
    }

    /**
     * Writes the latency-by-percentile chart of some histograms as SVG.
     *
     * @param file   the SVG file.
     * @param title  the chart's title.
     * @param series name to histogram (nanoseconds), drawn in order.
     * @throws IOException if it cannot be written.
     */
    static void writeSvg(final File file, final String title, final Map<String, Histogram> series) throws IOException
    {
        final int width = 860;
        final int height = 480;
        final int left = 80;
        final int right = 230;
        final int top = 50;
        final int bottom = 60;
        final int plotWidth = width - left - right;
        final int plotHeight = height - top - bottom;

        double maxUs = 1;
        double minUs = Double.MAX_VALUE;
        for (final Histogram histogram : series.values())
        {
            if (histogram.getTotalCount() == 0)
            {
                continue;
            }
            maxUs = Math.max(maxUs, histogram.getValueAtPercentile(PERCENTILES[PERCENTILES.length - 1]) / 1e3);
            minUs = Math.min(minUs, Math.max(1, histogram.getValueAtPercentile(0) / 1e3));
        }
        final double logMin = Math.floor(Math.log10(Math.min(minUs, maxUs)));
        final double logMax = Math.max(logMin + 1, Math.ceil(Math.log10(maxUs)));

        final StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" " +
            "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", width, height, width, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"28\" font-size=\"15\" font-weight=\"bold\">%s</text>%n",
            left, escape(title)));
        // Grid and axes: x is percentile on a 1/(1-p) log scale, y is latency in microseconds on a log scale.
        final String[] xLabels = { "0%", "90%", "99%", "99.9%", "99.99%", "99.999%" };
        for (int i = 0; i <= 5; i++)
        {
            final double x = left + plotWidth * i / 5.0;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n",
                x, top, x, top + plotHeight));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                x, top + plotHeight + 18, xLabels[i]));
        }
        for (double decade = logMin; decade <= logMax; decade++)
        {
            final double y = top + plotHeight * (1 - (decade - logMin) / (logMax - logMin));
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
                left, y, left + plotWidth, y));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                left - 6, y + 4, formatUs(Math.pow(10, decade))));
        }
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" " +
            "stroke=\"#333\"/>%n", left, top, plotWidth, plotHeight));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">percentile</text>%n",
            left + plotWidth / 2, height - 18));
        svg.append(String.format(Locale.ROOT, "<text x=\"18\" y=\"%d\" text-anchor=\"middle\" " +
            "transform=\"rotate(-90 18 %d)\">latency (log scale)</text>%n", top + plotHeight / 2, top + plotHeight / 2));

        int index = 0;
        for (final Map.Entry<String, Histogram> entry : series.entrySet())
        {
            final Histogram histogram = entry.getValue();
            if (histogram.getTotalCount() == 0)
            {
                continue;
            }
            final String colour = COLOURS[index % COLOURS.length];
            final StringBuilder points = new StringBuilder();
            for (int i = 0; i < PERCENTILES.length; i++)
            {
                final double us = Math.max(Math.pow(10, logMin), histogram.getValueAtPercentile(PERCENTILES[i]) / 1e3);
                final double x = left + plotWidth * i / (double)(PERCENTILES.length - 1);
                final double y = top + plotHeight * (1 - (Math.log10(us) - logMin) / (logMax - logMin));
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" " +
                "points=\"%s\"/>%n", colour, points.toString().trim()));
            final int legendY = top + 10 + index * 34;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" " +
                "stroke-width=\"3\"/>%n", left + plotWidth + 12, legendY, left + plotWidth + 32, legendY, colour));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", left + plotWidth + 38,
                legendY + 4, escape(entry.getKey())));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#555\" font-size=\"10\">" +
                "p50 %s  p99 %s  n=%,d</text>%n", left + plotWidth + 38, legendY + 17,
                formatUs(histogram.getValueAtPercentile(50) / 1e3), formatUs(histogram.getValueAtPercentile(99) / 1e3),
                histogram.getTotalCount()));
            index++;
        }
        svg.append("</svg>\n");
        writeText(file, svg.toString());
    }

    /**
     * Microseconds in a readable unit.
     *
     * @param us microseconds.
     * @return e.g. {@code 850 us}, {@code 12.5 ms}.
     */
    static String formatUs(final double us)
    {
        if (us >= 1_000_000)
        {
            return String.format(Locale.ROOT, "%.2f s", us / 1e6);
        }
        if (us >= 1_000)
        {
            return String.format(Locale.ROOT, "%.1f ms", us / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f us", us);
    }

    private static String escape(final String text)
    {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
