package org.synthloom.experiments.internal;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

/**
 * A bar chart of one metric per variant: the mean as a bar, the sample standard deviation as an
 * error bar, each seed's value as a dot. Drawn with Java2D (headless), so the bundle needs no chart
 * library.
 */
final class BarChart {

    private static final int BAR = 70;
    private static final int GAP = 30;
    private static final int LEFT = 70;
    private static final int TOP = 40;
    private static final int PLOT_HEIGHT = 260;
    private static final int BOTTOM = 90;
    private static final Color BAR_COLOR = new Color(0x4C78A8);
    private static final Color DOT_COLOR = new Color(0xE45756);

    private BarChart() {}

    /**
     * @param title the chart's title
     * @param labels the variants
     * @param series each variant's values (possibly empty)
     * @return the chart as PNG bytes
     */
    static byte[] png(String title, List<String> labels, List<List<Double>> series) {
        int width = LEFT + labels.size() * (BAR + GAP) + GAP;
        int height = TOP + PLOT_HEIGHT + BOTTOM;
        BufferedImage image = new BufferedImage(Math.max(width, 320), height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), height);
            double max = 0;
            double min = 0;
            for (List<Double> values : series) {
                for (double v : values) {
                    max = Math.max(max, v);
                    min = Math.min(min, v);
                }
                double top = ResultTable.mean(values) + ResultTable.spread(values);
                if (!Double.isNaN(top)) {
                    max = Math.max(max, top);
                }
            }
            double hi = max > 0 ? max * 1.08 : 1;
            double lo = min < 0 ? min * 1.08 : 0;
            Axis axis = new Axis(lo, hi);
            int zero = axis.y(0);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            g.drawString(title, 10, 22);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            FontMetrics metrics = g.getFontMetrics();
            // axis with a few ticks
            g.setColor(Color.GRAY);
            g.drawLine(LEFT - 5, TOP, LEFT - 5, TOP + PLOT_HEIGHT);
            g.drawLine(LEFT - 5, zero, image.getWidth() - 10, zero);
            for (int t = 0; t <= 4; t++) {
                double value = lo + (hi - lo) * t / 4;
                int y = axis.y(value);
                g.drawLine(LEFT - 9, y, LEFT - 5, y);
                String label = format(value);
                g.drawString(label, LEFT - 12 - metrics.stringWidth(label), y + 4);
            }
            for (int i = 0; i < labels.size(); i++) {
                int x = LEFT + GAP + i * (BAR + GAP);
                List<Double> values = series.get(i);
                if (!values.isEmpty()) {
                    double mean = ResultTable.mean(values);
                    double spread = ResultTable.spread(values);
                    int y = axis.y(mean);
                    g.setColor(BAR_COLOR);
                    g.fillRect(x, Math.min(y, zero), BAR, Math.abs(zero - y));
                    g.setColor(Color.BLACK);
                    g.setStroke(new BasicStroke(1.5f));
                    int top = axis.y(mean + spread);
                    int bottom = axis.y(mean - spread);
                    g.drawLine(x + BAR / 2, top, x + BAR / 2, bottom);
                    g.drawLine(x + BAR / 2 - 8, top, x + BAR / 2 + 8, top);
                    g.drawLine(x + BAR / 2 - 8, bottom, x + BAR / 2 + 8, bottom);
                    g.setColor(DOT_COLOR);
                    int highest = Math.min(Math.min(y, zero), top);
                    for (int k = 0; k < values.size(); k++) {
                        int dx = x + BAR / 2 - 12 + (values.size() == 1 ? 12 : 24 * k / (values.size() - 1));
                        int dy = axis.y(values.get(k));
                        g.fillOval(dx - 3, dy - 3, 6, 6);
                        highest = Math.min(highest, dy - 3);
                    }
                    g.setColor(Color.BLACK);
                    String text = format(mean);
                    g.drawString(text, x + (BAR - metrics.stringWidth(text)) / 2, highest - 4);
                }
                g.setColor(Color.BLACK);
                drawWrapped(g, labels.get(i), x - GAP / 2, TOP + PLOT_HEIGHT + 16, BAR + GAP, metrics);
            }
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Maps values in [lo, hi] to the plot's pixel rows. */
    private record Axis(double lo, double hi) {
        int y(double value) {
            return TOP + (int) Math.round(PLOT_HEIGHT * (hi - value) / (hi - lo));
        }
    }

    private static void drawWrapped(Graphics2D g, String text, int x, int y, int width, FontMetrics metrics) {
        String[] words = text.split("(?<=[-_.+])");
        StringBuilder line = new StringBuilder();
        int row = 0;
        for (String word : words) {
            if (metrics.stringWidth(line + word) > width && line.length() > 0) {
                g.drawString(line.toString(), x + (width - metrics.stringWidth(line.toString())) / 2, y + row * 13);
                line.setLength(0);
                row++;
            }
            line.append(word);
        }
        g.drawString(line.toString(), x + (width - metrics.stringWidth(line.toString())) / 2, y + row * 13);
    }

    private static String format(double value) {
        double a = Math.abs(value);
        return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 1 ? "%.2f" : "%.3f", value);
    }
}
