package io.hostsync.benchmarks.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;
import javax.imageio.ImageIO;

/**
 * A horizontal bar chart with error bars, drawn with Java2D (headless) and written as PNG: one
 * group of bars per category (a contender, a goal), one bar per series, each bar with its error
 * whisker and a note (the value and its ratio to the baseline). Linear or logarithmic axis, an
 * optional reference line (a goal), a legend and a footer (JDK, machine, command).
 */
public final class BarChart {

    /**
     * One bar.
     *
     * @param series the legend entry it belongs to
     * @param value its length
     * @param error its error bar's half-width, or NaN
     * @param note the text to its right
     * @param color its color, or {@code null} for the series' color
     */
    public record Bar(String series, double value, double error, String note, Color color) {
    }

    /**
     * A group of bars under one label.
     *
     * @param label the label left of the group
     * @param bars its bars, top to bottom
     */
    public record Category(String label, List<Bar> bars) {
    }

    /**
     * A legend entry.
     *
     * @param label its text
     * @param color its swatch
     */
    public record LegendEntry(String label, Color color) {
    }

    /** Colors of the series, in order: blue, orange, green, purple, brown, grey. */
    public static final List<Color> PALETTE = List.of(new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
            new Color(0x9467bd), new Color(0x8c564b), new Color(0x7f7f7f));

    private static final int PLOT_WIDTH = 620;
    private static final int MIN_WIDTH = 1000;
    private static final int BAR_HEIGHT = 16;
    private static final int BAR_GAP = 3;
    private static final int GROUP_GAP = 14;
    private static final Color GRID = new Color(0xdddddd);
    private static final Color TEXT = new Color(0x222222);
    private static final Color MUTED = new Color(0x666666);
    private static final Color REFERENCE = new Color(0xd62728);

    private final String title;
    private final String axisLabel;
    private final boolean logarithmic;
    private final List<Category> categories;
    private final List<LegendEntry> legend;
    private final List<String> footer;
    private final double reference;
    private final String referenceLabel;
    private final DoubleFunction<String> tickFormat;

    /**
     * @param title the title, top left
     * @param axisLabel what the axis measures, with its unit
     * @param logarithmic whether the axis is logarithmic (for values spanning decades)
     * @param categories the groups of bars
     * @param legend the legend, empty for none
     * @param footer lines of small print at the bottom
     * @param reference where to draw a dashed reference line, NaN for none
     * @param referenceLabel its label
     * @param tickFormat how to write the axis' tick values
     */
    public BarChart(String title, String axisLabel, boolean logarithmic, List<Category> categories,
            List<LegendEntry> legend,
            List<String> footer, double reference, String referenceLabel, DoubleFunction<String> tickFormat) {
        this.title = title;
        this.axisLabel = axisLabel;
        this.logarithmic = logarithmic;
        this.categories = List.copyOf(categories);
        this.legend = List.copyOf(legend);
        this.footer = List.copyOf(footer);
        this.reference = reference;
        this.referenceLabel = referenceLabel;
        this.tickFormat = tickFormat;
    }

    /**
     * Draws the chart and writes it as PNG.
     *
     * @param file the PNG file; its directory is created if needed
     */
    public void write(Path file) {
        BufferedImage image = render();
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (!ImageIO.write(image, "png", file.toFile())) {
                throw new IllegalStateException("No PNG writer in this JDK's ImageIO");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the chart " + file, e);
        }
    }

    /** @return the chart as an image */
    public BufferedImage render() {
        System.setProperty("java.awt.headless", "true");
        try {
            return draw();
        } catch (LinkageError | InternalError e) {
            // What a JDK without fontconfig or any font throws when it first draws text.
            throw new IllegalStateException(
                    "Java2D could not draw text for the charts (" + e + "): install fontconfig and"
                            + " a font (Debian: apt-get install -y fontconfig fonts-dejavu-core)",
                    e);
        }
    }

    private BufferedImage draw() {
        Font plain = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        Font bold = plain.deriveFont(Font.BOLD, 15f);
        Font small = plain.deriveFont(11f);

        // Measure the labels and notes on a scratch image to size the margins.
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D measure = scratch.createGraphics();
        FontMetrics labelMetrics = measure.getFontMetrics(plain);
        int labelWidth = 0;
        int noteWidth = 0;
        for (Category category : categories) {
            labelWidth = Math.max(labelWidth, labelMetrics.stringWidth(category.label()));
            for (Bar bar : category.bars()) {
                noteWidth = Math.max(noteWidth, labelMetrics.stringWidth(bar.note()));
            }
        }
        int titleWidth = measure.getFontMetrics(bold).stringWidth(title) + 24;
        measure.dispose();

        int left = Math.min(labelWidth, 420) + 24;
        int right = left + PLOT_WIDTH;
        int width = Math.max(Math.max(MIN_WIDTH, titleWidth), right + noteWidth + 16);
        int legendHeight = legend.isEmpty() ? 0 : 22;
        int top = 44 + legendHeight;
        int plotHeight = 0;
        for (Category category : categories) {
            plotHeight += Math.max(1, category.bars().size()) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP + GROUP_GAP;
        }
        plotHeight += GROUP_GAP;
        int height = top + plotHeight + 44 + 16 * footer.size() + 8;

        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);

            g.setColor(TEXT);
            g.setFont(bold);
            g.drawString(title, 12, 24);
            if (!legend.isEmpty()) {
                drawLegend(g, small, left, 46);
            }

            Axis axis = axis(left, right);
            int plotBottom = top + plotHeight;
            drawGrid(g, small, axis, top, plotBottom);

            int y = top + GROUP_GAP;
            g.setFont(plain);
            FontMetrics metrics = g.getFontMetrics();
            for (Category category : categories) {
                int groupHeight = Math.max(1, category.bars().size()) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP;
                g.setColor(TEXT);
                g.drawString(fit(category.label(), metrics, left - 16), 10,
                        y + groupHeight / 2 + metrics.getAscent() / 2 - 2);
                for (Bar bar : category.bars()) {
                    drawBar(g, metrics, axis, bar, y);
                    y += BAR_HEIGHT + BAR_GAP;
                }
                if (category.bars().isEmpty()) {
                    y += BAR_HEIGHT + BAR_GAP;
                }
                y += GROUP_GAP - BAR_GAP;
            }

            if (!Double.isNaN(reference)) {
                int x = axis.x(reference);
                g.setColor(REFERENCE);
                g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                        new float[] { 6f, 4f }, 0f));
                g.drawLine(x, top, x, plotBottom);
                g.setStroke(new BasicStroke(1f));
                g.setFont(small);
                g.drawString(referenceLabel, x + 4, top + 12);
            }

            g.setColor(TEXT);
            g.setFont(plain);
            FontMetrics axisMetrics = g.getFontMetrics();
            g.drawString(axisLabel, left + (right - left - axisMetrics.stringWidth(axisLabel)) / 2, plotBottom + 36);
            g.setFont(small);
            g.setColor(MUTED);
            int footerY = plotBottom + 56;
            for (String line : footer) {
                g.drawString(line, 12, footerY);
                footerY += 16;
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    private void drawLegend(Graphics2D g, Font font, int x, int y) {
        g.setFont(font);
        FontMetrics metrics = g.getFontMetrics();
        for (LegendEntry entry : legend) {
            g.setColor(entry.color());
            g.fillRect(x, y - 10, 12, 12);
            g.setColor(TEXT);
            g.drawString(entry.label(), x + 16, y);
            x += 16 + metrics.stringWidth(entry.label()) + 18;
        }
    }

    private void drawGrid(Graphics2D g, Font font, Axis axis, int top, int bottom) {
        g.setFont(font);
        FontMetrics metrics = g.getFontMetrics();
        for (double tick : axis.ticks()) {
            int x = axis.x(tick);
            g.setColor(GRID);
            g.drawLine(x, top, x, bottom);
            g.setColor(MUTED);
            String text = tickFormat.apply(tick);
            g.drawString(text, x - metrics.stringWidth(text) / 2, bottom + 16);
        }
        g.setColor(MUTED);
        g.drawLine(axis.left(), bottom, axis.right(), bottom);
        g.drawLine(axis.left(), top, axis.left(), bottom);
    }

    private void drawBar(Graphics2D g, FontMetrics metrics, Axis axis, Bar bar, int y) {
        if (!Double.isNaN(bar.value()) && (!logarithmic || bar.value() > 0)) {
            int start = axis.x(axis.origin());
            int end = axis.x(bar.value());
            g.setColor(bar.color() != null ? bar.color() : seriesColor(bar.series()));
            g.fillRect(Math.min(start, end), y, Math.max(1, Math.abs(end - start)), BAR_HEIGHT);
        }
        int noteX = axis.x(Double.isNaN(bar.value()) ? axis.origin() : bar.value());
        if (!Double.isNaN(bar.error()) && bar.error() > 0 && !Double.isNaN(bar.value())) {
            int low = axis.x(bar.value() - bar.error());
            int high = axis.x(bar.value() + bar.error());
            int middle = y + BAR_HEIGHT / 2;
            g.setColor(Color.BLACK);
            g.drawLine(low, middle, high, middle);
            g.drawLine(low, middle - 4, low, middle + 4);
            g.drawLine(high, middle - 4, high, middle + 4);
            noteX = Math.max(noteX, high);
        }
        g.setColor(TEXT);
        g.drawString(bar.note(), noteX + 6, y + BAR_HEIGHT / 2 + metrics.getAscent() / 2 - 2);
    }

    private Color seriesColor(String series) {
        for (int i = 0; i < legend.size(); i++) {
            if (legend.get(i).label().equals(series)) {
                return legend.get(i).color();
            }
        }
        return PALETTE.get(0);
    }

    private static String fit(String text, FontMetrics metrics, int width) {
        if (metrics.stringWidth(text) <= width) {
            return text;
        }
        String shortened = text;
        while (shortened.length() > 1 && metrics.stringWidth(shortened + "…") > width) {
            shortened = shortened.substring(0, shortened.length() - 1);
        }
        return shortened + "…";
    }

    private Axis axis(int left, int right) {
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (Category category : categories) {
            for (Bar bar : category.bars()) {
                if (Double.isNaN(bar.value()) || (logarithmic && bar.value() <= 0)) {
                    continue;
                }
                double error = Double.isNaN(bar.error()) ? 0 : bar.error();
                low = Math.min(low, logarithmic && bar.value() - error <= 0 ? bar.value() : bar.value() - error);
                high = Math.max(high, bar.value() + error);
            }
        }
        if (!Double.isNaN(reference)) {
            low = Math.min(low, reference);
            high = Math.max(high, reference);
        }
        if (low == Double.POSITIVE_INFINITY) {
            low = logarithmic ? 1 : 0;
            high = logarithmic ? 10 : 1;
        }
        if (logarithmic) {
            double first = Math.pow(10, Math.floor(Math.log10(low)));
            double last = Math.pow(10, Math.ceil(Math.log10(high)));
            if (last <= first) {
                last = first * 10;
            }
            return new Axis(left, right, first, last, true);
        }
        double step = niceStep(Math.max(high, 0) / 5);
        double last = Math.ceil(Math.max(high, step) / step) * step;
        return new Axis(left, right, 0, last, false);
    }

    private static double niceStep(double rough) {
        if (rough <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
        double fraction = rough / magnitude;
        double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10;
        return nice * magnitude;
    }

    private record Axis(int left, int right, double first, double last, boolean logarithmic) {

        double origin() {
            return logarithmic ? first : 0;
        }

        int x(double value) {
            double position;
            if (logarithmic) {
                double clamped = Math.max(value, first);
                position = (Math.log10(clamped) - Math.log10(first)) / (Math.log10(last) - Math.log10(first));
            } else {
                position = (value - first) / (last - first);
            }
            position = Math.max(0, Math.min(1, position));
            return left + (int) Math.round(position * (right - left));
        }

        List<Double> ticks() {
            List<Double> ticks = new ArrayList<>();
            if (logarithmic) {
                for (double tick = first; tick <= last * 1.0001; tick *= 10) {
                    ticks.add(tick);
                }
            } else {
                double step = niceStep(last / 5);
                for (double tick = 0; tick <= last * 1.0001; tick += step) {
                    ticks.add(tick);
                }
            }
            return ticks;
        }
    }
}
