package dev.handshake.sink.report.chart;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Horizontal charts, one row per item with its label at the left and its value at the right: a
 * bar chart when each row spans 0 to its value, a waterfall when each step spans the running total
 * before it to the one after it. Rows read top to bottom on a phone as on paper, and a long label
 * never collides with its neighbours.
 */
public final class RowChart {
    static final int WIDTH = 640;
    static final int LABEL_WIDTH = 200;
    static final int VALUE_WIDTH = 130;
    static final int ROW = 26;
    static final int TOP = 8;
    /** About what fits the label column at the page's 13 px chart font. */
    static final int LABEL_CHARS = 27;

    /** One row: spans {@code from} to {@code to}; {@code kind} is its CSS class (total, up, down, bar, mark). */
    public record Item(String label, BigDecimal from, BigDecimal to, String display, String kind) {}

    private RowChart() {}

    public static Item bar(String label, BigDecimal value, String display, String kind) {
        return new Item(label, BigDecimal.ZERO, value, display, kind);
    }

    public static Svg draw(String id, String title, String desc, List<Item> items) {
        double lo = 0;
        double hi = 0;
        for (Item i : items) {
            lo = Math.min(lo, Math.min(i.from().doubleValue(), i.to().doubleValue()));
            hi = Math.max(hi, Math.max(i.from().doubleValue(), i.to().doubleValue()));
        }
        double span = hi - lo == 0 ? 1 : hi - lo;
        double plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
        int height = TOP * 2 + ROW * Math.max(1, items.size());
        List<Svg.Rect> rects = new ArrayList<>();
        List<Svg.Text> texts = new ArrayList<>();
        List<Svg.Line> lines = new ArrayList<>();
        double zero = LABEL_WIDTH + (0 - lo) / span * plot;
        for (int n = 0; n < items.size(); n++) {
            Item i = items.get(n);
            double a = LABEL_WIDTH + (Math.min(i.from().doubleValue(), i.to().doubleValue()) - lo) / span * plot;
            double b = LABEL_WIDTH + (Math.max(i.from().doubleValue(), i.to().doubleValue()) - lo) / span * plot;
            double y = TOP + n * ROW;
            // A zero-width step stays visible as a hairline, so a reader sees it was measured.
            rects.add(new Svg.Rect(num(a), num(y + 4), num(Math.max(1, b - a)), num(ROW - 8), i.kind(),
                    i.label() + ": " + i.display()));
            texts.add(new Svg.Text(num(LABEL_WIDTH - 6), num(y + ROW / 2.0 + 4), "end", "lbl", shorten(i.label())));
            texts.add(new Svg.Text(num(WIDTH - VALUE_WIDTH + 6), num(y + ROW / 2.0 + 4), "start", "val", i.display()));
            if (n > 0 && !"bar".equals(i.kind()) && !"mark".equals(i.kind())) {
                // Waterfall connector: where the previous step ended this one starts.
                double from = LABEL_WIDTH + (i.from().doubleValue() - lo) / span * plot;
                lines.add(new Svg.Line(num(from), num(y - 4), num(from), num(y + 4), "link"));
            }
        }
        lines.add(new Svg.Line(num(zero), num(TOP), num(zero), num(height - TOP), "axis"));
        return new Svg(id, title, desc, WIDTH, height, rects, texts, lines);
    }

    private static String shorten(String label) {
        return label.length() <= LABEL_CHARS ? label : label.substring(0, LABEL_CHARS - 1) + "\u2026";
    }

    static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
