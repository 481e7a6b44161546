package dev.handshake.sink.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.audit.ledger.CategoryMovement;
import dev.handshake.sink.report.ReportModel.*;
import dev.handshake.sink.report.chart.RowChart;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

/**
 * Labels come from the inputs (campaign names, stage labels, workflow names, segments): whatever
 * they hold renders as text, in HTML text, attributes and the SVG charts alike.
 */
class ReportEscapingTest {
    static final String SCRIPT = "<script>alert('x')</script>";
    static final String QUOTED = "Spring \"Demo\" & <b>Webinar</b> 'EU'";
    static final String STAGE = "MQL\" onmouseover=\"alert(1)";

    static ReportModel model() {
        FunnelStage stage = new FunnelStage(STAGE, 10, 4L, new BigDecimal("0.4"), 6L, 0L, true);
        FunnelCut cut = new FunnelCut("lead_source", "Lead source", QUOTED, List.of(stage),
                RowChart.draw("funnel-0", "Funnel, " + QUOTED, "desc " + SCRIPT,
                        List.of(RowChart.bar(STAGE, BigDecimal.TEN, "10 entered", "mark"))));
        DimensionLine dim = new DimensionLine("capture_linkage", "Campaign linkage kept", "Capture", "higher is better",
                "1 if >= 95", "90 %", 2, 10, "opportunities that lost their campaign", List.of(SCRIPT, "O-1"), null);
        WorkflowCard card = new WorkflowCard(SCRIPT, QUOTED, 10, "Leads", new BigDecimal("1234567.891"),
                new BigDecimal("2000000"), new BigDecimal("1500000"), new BigDecimal("765432.11"), 9, true,
                "DISTORTING", null, null, "CAPTURE", "HANDSHAKE_PATH", QUOTED, "RevOps & <Marketing>", SCRIPT, null,
                null, List.of(dim), List.of(new DisputeLine(0, QUOTED, new BigDecimal("2000000"), null, SCRIPT)));
        Reconciliation recon = new Reconciliation(List.of(), List.of(), RowChart.draw("categories", "c", "d", List.of()),
                List.of(new BreakRow(SCRIPT, QUOTED, "AMOUNT_MISMATCH", "FINANCE_NORMALIZATION", BigDecimal.ONE,
                        BigDecimal.TEN, new BigDecimal("-9"), QUOTED)), 1);
        return new ReportModel(new Header("2026-06-30", "run-1", "USD", null), List.of(card),
                List.of(new Coverage("leads", true, 10, 10, 0, 0)), List.of(new NotMeasured(SCRIPT, QUOTED)),
                List.of(cut), ReportData.noHandoffs(), recon,
                List.of(new MetricRow("bookings", "2026-06", QUOTED, null, BigDecimal.ONE, BigDecimal.ONE, null, null, null)),
                List.of(), new Scoreboard(List.of("2026-06-30"), List.of(new ScoreRow(SCRIPT, "total", "Total and band",
                        List.of(new ScoreCell(true, null, "9", "DISTORTING"))))), Labels.glossary(List.of("CAPTURE")),
                List.of("warning " + SCRIPT), List.of(new CategoryMovement(SCRIPT, QUOTED, 2, BigDecimal.TEN)));
    }

    @Test
    void labelsFromTheInputsRenderAsText() {
        String html = new String(ReportPages.report(model()), StandardCharsets.UTF_8);
        Document page = Jsoup.parse(html);
        assertTrue(page.select("script").isEmpty(), "no script element was injected");
        assertTrue(page.select("b").isEmpty(), "no markup from a label");
        assertTrue(page.select("[onmouseover]").isEmpty(), "no attribute broken out of");
        assertEquals(SCRIPT, page.selectFirst("table#workflows tbody td").text());
        assertEquals(SCRIPT, page.selectFirst("table#workflows tr[data-workflow]").attr("data-workflow"));
        assertEquals(STAGE, page.selectFirst("table.funnel tr[data-stage]").attr("data-stage"));
        assertEquals(QUOTED, page.selectFirst("table.funnel").attr("data-value"));
        assertTrue(page.selectFirst("table.funnel caption").text().endsWith(QUOTED));
        assertEquals("Funnel, " + QUOTED, page.selectFirst("svg title").text());
        assertEquals(STAGE + ": 10 entered", page.selectFirst("svg rect").attr("aria-label"));
        assertTrue(page.select("svg text").eachText().contains(STAGE));
        assertTrue(page.selectFirst("table#breaks").text().contains(QUOTED));
        assertTrue(page.text().contains("RevOps & <Marketing>"));
        assertFalse(html.contains("<script>"), "escaped in the bytes, not only in the parsed tree");
    }

    @Test
    void moneyShowsTheReportingCurrencyWithThousandsSeparators() {
        Document page = Jsoup.parse(new String(ReportPages.report(model()), StandardCharsets.UTF_8));
        // 1234567.891 rounds half up to 1,234,567.89; the three numbers carry the currency.
        assertEquals("1,234,567.89", page.selectFirst("table#workflows td.dispute").text());
        assertEquals("765,432.11 USD", page.select("table.three td").get(2).text());
        assertEquals("2,000,000.00 USD", page.select("table.three td").get(0).text());
    }
}
