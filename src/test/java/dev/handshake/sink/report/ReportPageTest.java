package dev.handshake.sink.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.testing.SharedSpark;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Row;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The page's figures are the tables' figures: numbers read out of report.html with an HTML parser
 * are compared with the tables the same run committed (parsed back from their text, not formatted
 * by the code under test).
 */
class ReportPageTest {
    private static Path out;
    private static Document page;

    @BeforeAll
    static void run() throws IOException {
        out = SampleReportRun.output();
        page = Jsoup.parse(SampleReportRun.report(SampleReportRun.SECOND).toFile(), "UTF-8");
    }

    private static List<Row> table(String name, String where) {
        return SharedSpark.get().read().parquet(out.resolve(name).resolve("as_of=" + SampleReportRun.SECOND).toString())
                .filter(where).collectAsList();
    }

    private static BigDecimal amount(String text) {
        return new BigDecimal(text.replace(",", "").replace("+", "").trim());
    }

    private static long count(String text) {
        return Long.parseLong(text.replace(",", "").trim());
    }

    /** The table's count as the page shows it without separators; "-" where the table has none. */
    private static String orDash(Long v) {
        return v == null ? "-" : v.toString();
    }

    private static String cell(Element row, String cls) {
        Element e = row.selectFirst("td." + cls);
        assertNotNull(e, "cell " + cls + " in " + row);
        return e.text();
    }

    @Test
    void theAllLeadsFunnelShowsTheFunnelTable() {
        List<Row> rows = table("audit_funnel", "cut_dimension = 'all' AND cohort_month = '*'");
        assertFalse(rows.isEmpty());
        Element t = page.selectFirst("table.funnel[data-cut=all]");
        assertNotNull(t);
        for (Row r : rows) {
            Element tr = t.selectFirst("tr[data-stage=" + r.getAs("stage") + "]");
            assertNotNull(tr, "stage " + r.getAs("stage"));
            assertEquals(r.<Long>getAs("entered"), count(cell(tr, "entered")));
            assertEquals(orDash(r.<Long>getAs("converted")), cell(tr, "converted").replace(",", ""));
            assertEquals(orDash(r.<Long>getAs("dropped")), cell(tr, "dropped").replace(",", ""));
            assertEquals(r.<Boolean>getAs("is_biggest_drop"), tr.hasClass("s3"), "biggest drop marked");
        }
    }

    @Test
    void everyBridgeStepShowsTheBridgeTableAndTiesOut() {
        List<Row> rows = table("audit_revenue_bridge", "true");
        assertFalse(rows.isEmpty());
        for (Row r : rows) {
            Element tr = page.selectFirst("table.bridge[data-bridge=" + r.getAs("bridge") + "][data-period="
                    + r.getAs("period") + "] tr[data-step=\"" + r.getAs("step") + "\"]");
            assertNotNull(tr, r.toString());
            BigDecimal expected = r.<BigDecimal>getAs("amount").setScale(2, RoundingMode.HALF_UP);
            assertEquals(0, expected.compareTo(amount(cell(tr, "amount"))), r.toString());
            assertEquals(0, r.<BigDecimal>getAs("running_total").setScale(2, RoundingMode.HALF_UP)
                    .compareTo(amount(cell(tr, "running"))), r.toString());
        }
        // The job refuses to publish a bridge that does not tie out, so every period says it does.
        assertFalse(page.select("details.bridge-period").isEmpty());
        assertTrue(page.select(".tieout .bad").isEmpty());
        assertEquals(page.select("details.bridge-period").size(), page.select(".tieout .ok").size());
    }

    @Test
    void theMetricComparisonShowsItsTable() {
        List<Row> rows = table("audit_metric_comparison", "true");
        assertFalse(rows.isEmpty());
        for (Row r : rows) {
            // A company-wide row has no segment: its row has no data-segment attribute.
            String segment = r.getAs("segment") == null ? ":not([data-segment])"
                    : "[data-segment=\"" + r.getAs("segment") + "\"]";
            Element tr = page.selectFirst("table#metrics tr[data-metric=" + r.getAs("metric") + "][data-period="
                    + r.getAs("period") + "]" + segment);
            assertNotNull(tr, r.toString());
            for (String[] c : new String[][] {{"modeled_value", "modeled"}, {"recomputed_value", "recomputed"},
                    {"finance_safe_value", "safe"}}) {
                BigDecimal v = r.getAs(c[0]);
                if (v == null) {
                    assertEquals("not measured", cell(tr, c[1]), r.toString());
                } else {
                    assertEquals(0, v.setScale(2, RoundingMode.HALF_UP).compareTo(amount(cell(tr, c[1]))), r.toString());
                }
            }
        }
    }

    @Test
    void theSummaryShowsTheBenchmarkAndFirstForkTables() {
        List<Row> forks = table("audit_first_fork", "true");
        assertFalse(forks.isEmpty());
        for (Row f : forks) {
            String w = f.getAs("workflow");
            Element tr = page.selectFirst("table#workflows tr[data-workflow=\"" + w + "\"]");
            assertNotNull(tr, w);
            Row b = table("audit_benchmark", "workflow = '" + w.replace("'", "\\'") + "'").get(0);
            assertTrue(cell(tr, "total").startsWith(b.<Integer>getAs("total").toString()), w);
            BigDecimal dispute = f.getAs("number_in_dispute");
            if (dispute != null) {
                assertEquals(0, dispute.setScale(2, RoundingMode.HALF_UP).compareTo(amount(cell(tr, "dispute"))), w);
            }
            assertEquals(f.<Long>getAs("leads"), count(cell(tr, "leads")));
        }
    }

    @Test
    void theCategoryTotalsAddUpTheReconciliationTable() {
        List<Row> rows = table("audit_reconciliation", "true");
        java.util.Map<String, Long> counts = new java.util.HashMap<>();
        rows.forEach(r -> counts.merge(r.getAs("category"), 1L, Long::sum));
        assertEquals(counts.size(), page.select("table#categories tbody tr").size());
        counts.forEach((category, n) -> assertEquals(n,
                count(cell(page.selectFirst("table#categories tr[data-category=" + category + "]"), "rows")), category));
    }

    @Test
    void theScorecardAndIndexCoverBothNights() throws IOException {
        List<String> nights = page.select("table#scoreboard thead th").eachText();
        assertTrue(nights.containsAll(List.of(SampleReportRun.FIRST.toString(), SampleReportRun.SECOND.toString())),
                nights.toString());
        Document index = Jsoup.parse(SampleReportRun.index().toFile(), "UTF-8");
        List<String> links = index.select("table#nights a").eachAttr("href");
        assertEquals(List.of("as_of=" + SampleReportRun.SECOND + "/report.html",
                "as_of=" + SampleReportRun.FIRST + "/report.html"), links, "newest first");
        for (String link : links) {
            assertTrue(Files.exists(SampleReportRun.index().resolveSibling(link)), link);
        }
        // The first night's page was not rewritten by the second: it knows no later night.
        Document first = Jsoup.parse(SampleReportRun.report(SampleReportRun.FIRST).toFile(), "UTF-8");
        assertFalse(first.select("table#scoreboard thead th").eachText().contains(SampleReportRun.SECOND.toString()));
    }

    @Test
    void thePageIsSelfContained() throws IOException {
        assertTrue(page.select("script").isEmpty(), "no JavaScript");
        assertTrue(page.select("link, img, iframe, object, embed").isEmpty(), "no external resource");
        for (Element a : page.select("[href], [src]")) {
            String ref = a.hasAttr("href") ? a.attr("href") : a.attr("src");
            assertFalse(ref.startsWith("http:") || ref.startsWith("https:") || ref.startsWith("//"), ref);
        }
        assertFalse(page.html().contains("@import") || page.html().contains("@font-face"), "no web font");
        long size = Files.size(SampleReportRun.report(SampleReportRun.SECOND));
        assertTrue(size < 2_000_000, size + " bytes");
        for (String id : List.of("summary", "funnel", "handoffs", "reconciliation", "modeled", "scorecard")) {
            assertNotNull(page.getElementById(id), id);
        }
        for (Element svg : page.select("svg")) {
            assertEquals("img", svg.attr("role"));
            assertNotNull(svg.selectFirst("title"));
            assertNotNull(svg.selectFirst("desc"));
        }
    }

    static LocalDate second() {
        return SampleReportRun.SECOND;
    }
}
