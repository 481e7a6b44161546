package dev.handshake.sink.report.chart;

import java.util.List;

/**
 * A chart as the page draws it: an accessible SVG (title, description, labelled rows) whose
 * coordinates are already laid out as text, so the same data always gives the same bytes.
 */
public record Svg(String id, String title, String desc, int width, int height, List<Rect> rects,
                  List<Text> texts, List<Line> lines) {
    public Svg {
        rects = List.copyOf(rects);
        texts = List.copyOf(texts);
        lines = List.copyOf(lines);
    }

    /** A bar; {@code label} is its accessible name (also shown as a tooltip). */
    public record Rect(String x, String y, String w, String h, String cssClass, String label) {}

    public record Text(String x, String y, String anchor, String cssClass, String text) {}

    public record Line(String x1, String y1, String x2, String y2, String cssClass) {}
}
