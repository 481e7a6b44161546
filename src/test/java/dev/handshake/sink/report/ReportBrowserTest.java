package dev.handshake.sink.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The sample run's report in a real browser (headless Chromium): it loads with no console error,
 * script error or missing resource, and each section is saved as a PNG under
 * {@code target/report-shots/} at a desktop and a phone width, to be looked at.
 * Without Chromium the test is skipped on a workstation and fails in CI (CI=true).
 */
class ReportBrowserTest {
    static final Path SHOTS = Path.of("target", "report-shots");
    static final List<String> SECTIONS = List.of("summary", "funnel", "handoffs", "reconciliation", "modeled",
            "scorecard");
    /** Desktop and phone widths, CSS pixels. */
    record Viewport(String name, int width, int height, boolean mobile) {}

    private static Path chromium() {
        Optional<Path> found = Chromium.find();
        if (found.isEmpty()) {
            String message = "headless Chromium not found (install the Debian package: apt-get install -y chromium,"
                    + " or set CHROMIUM to the browser binary)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(message + "; CI=true requires it");
            }
            Assumptions.abort(message + "; skipped outside CI");
        }
        return found.get();
    }

    @Test
    void theReportOpensCleanlyAndEverySectionIsShotAtDesktopAndPhoneWidths() throws Exception {
        Path browser = chromium();
        Path report = SampleReportRun.report(SampleReportRun.SECOND).toAbsolutePath();
        Files.createDirectories(SHOTS);
        try (Chromium c = new Chromium(browser)) {
            for (Viewport v : List.of(new Viewport("desktop", 1280, 900, false), new Viewport("phone", 390, 844, true))) {
                c.open(report.toUri(), v.width(), v.height(), v.mobile());
                assertEquals(List.of(), c.problems(), v.name() + ": the page loads without errors");
                assertEquals(SECTIONS.size(), c.evaluate("document.querySelectorAll('main > section').length - 1").asInt(),
                        "every section is on the page (and the glossary)");
                // Closed cuts are opened for the pictures only; the page itself needs no script.
                c.evaluate("document.querySelectorAll('details').forEach(d => d.open = true); true");
                for (String id : SECTIONS) {
                    JsonNode box = c.evaluate("(() => { const r = document.getElementById('" + id + "')"
                            + ".getBoundingClientRect(); return {x: r.left + scrollX, y: r.top + scrollY,"
                            + " w: Math.max(r.width, document.documentElement.scrollWidth), h: r.height}; })()");
                    assertTrue(box.path("h").asDouble() > 0, id + " has a height");
                    byte[] png = c.screenshot(0, box.path("y").asDouble(), box.path("w").asDouble(),
                            Math.min(box.path("h").asDouble(), 16_000));
                    Files.write(SHOTS.resolve(v.name() + "-" + id + ".png"), png);
                }
                assertEquals(List.of(), c.problems(), v.name() + ": no error after opening the cuts");
                // Nothing is wider than the viewport but the scrolling tables' own boxes.
                assertTrue(c.evaluate("document.documentElement.scrollWidth <= innerWidth + 1").asBoolean(),
                        v.name() + ": the page does not scroll sideways");
            }
            c.open(SampleReportRun.index().toAbsolutePath().toUri(), 1280, 900, false);
            assertEquals(List.of(), c.problems(), "the index loads without errors");
            JsonNode box = c.evaluate("({h: document.documentElement.scrollHeight})");
            Files.write(SHOTS.resolve("desktop-index.png"), c.screenshot(0, 0, 1280, box.path("h").asDouble()));
        }
    }
}
