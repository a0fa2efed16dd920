package io.github.trtcreactive.benchmarks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/** Draws the load runs as a PNG: calls per second and peak live threads, grouped by calls in flight. */
final class Chart {

    private static final Color[] COLORS = {new Color(0x8c959f), new Color(0x0969da), new Color(0xcf222e)};
    private static final int WIDTH = 1200;
    private static final int HEIGHT = 520;

    private Chart() {}

    static void write(List<LoadClient.Result> runs, List<String> variants, List<Integer> inFlight, String subtitle,
            Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.drawString("20,000 DescribeCloudRecording calls against one local server", 30, 32);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString(subtitle, 30, 52);
        panel(g, runs, variants, inFlight, "calls per second (higher is better)", r -> r.throughput(), 30, 80);
        panel(g, runs, variants, inFlight, "peak live threads (lower is better)", r -> r.peakThreads(), 620, 80);
        int x = 30;
        for (int v = 0; v < variants.size(); v++) {
            g.setColor(COLORS[v % COLORS.length]);
            g.fillRect(x, HEIGHT - 30, 14, 14);
            g.setColor(Color.DARK_GRAY);
            g.drawString(variants.get(v), x + 20, HEIGHT - 18);
            x += 40 + g.getFontMetrics().stringWidth(variants.get(v));
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private static void panel(Graphics2D g, List<LoadClient.Result> runs, List<String> variants,
            List<Integer> inFlight, String title, ToDoubleFunction<LoadClient.Result> value, int left, int top) {
        int width = 550;
        int height = 360;
        double max = runs.stream().mapToDouble(value).max().orElse(1) * 1.15;
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, left, top);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        int plotLeft = left + 55;
        int plotBottom = top + 20 + height;
        int plotWidth = width - 60;
        g.setStroke(new BasicStroke(1));
        for (int i = 0; i <= 4; i++) {
            int y = plotBottom - i * height / 4;
            g.setColor(new Color(0xd0d7de));
            g.drawLine(plotLeft, y, plotLeft + plotWidth, y);
            g.setColor(Color.GRAY);
            g.drawString(String.format(java.util.Locale.ROOT, "%,.0f", max * i / 4), left, y + 4);
        }
        int groupWidth = plotWidth / inFlight.size();
        int barWidth = (groupWidth - 20) / variants.size();
        for (int f = 0; f < inFlight.size(); f++) {
            int groupLeft = plotLeft + f * groupWidth + 10;
            for (int v = 0; v < variants.size(); v++) {
                int flight = inFlight.get(f);
                String variant = variants.get(v);
                double[] rounds = runs.stream().filter(r -> r.inFlight() == flight && r.variant().equals(variant))
                        .mapToDouble(value).sorted().toArray();
                double y = rounds.length == 0 ? 0 : rounds[rounds.length / 2]; // the median round
                int barHeight = (int) Math.round(y / max * height);
                g.setColor(COLORS[v % COLORS.length]);
                g.fillRect(groupLeft + v * barWidth, plotBottom - barHeight, barWidth - 2, barHeight);
                g.setColor(Color.DARK_GRAY);
                String label = String.format(java.util.Locale.ROOT, "%,.0f", y);
                int labelWidth = g.getFontMetrics().stringWidth(label);
                g.drawString(label, groupLeft + v * barWidth + (barWidth - labelWidth) / 2, plotBottom - barHeight - 3);
            }
            g.setColor(Color.DARK_GRAY);
            String label = inFlight.get(f) + " in flight";
            g.drawString(label, groupLeft + (groupWidth - 20 - g.getFontMetrics().stringWidth(label)) / 2,
                    plotBottom + 16);
        }
    }
}
