package dev.handshake.sink;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.audit.ledger.CategoryMovement;
import dev.handshake.sink.report.Labels;
import dev.handshake.sink.report.ReportData;
import dev.handshake.sink.report.ReportModel;
import dev.handshake.sink.report.ReportPages;
import dev.handshake.sink.report.chart.RowChart;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

/** The night's largest category movements and the run's input warnings, on the sheet and the page. */
class ReviewSheetMovementsTest {

    private static ReportModel model(List<String> warnings, List<CategoryMovement> movements) {
        return new ReportModel(new ReportModel.Header("2026-03-31", "r1", "USD", "2026-03-30"), List.of(), List.of(),
                List.of(), List.of(), ReportData.noHandoffs(),
                new ReportModel.Reconciliation(List.of(), List.of(), RowChart.draw("categories", "c", "d", List.of()),
                        List.of(), 0),
                List.of(), List.of(), new ReportModel.Scoreboard(List.of(), List.of()), Labels.glossary(List.of()),
                warnings, movements);
    }

    private static final List<CategoryMovement> MOVEMENTS = List.of(
            new CategoryMovement("LAGGING", "CRM_ONLY", 6, new BigDecimal("412000")),
            new CategoryMovement("(new)", "AMOUNT_MISMATCH", 1, new BigDecimal("500.5")));

    @Test
    void theSheetListsTheLargestMovementsInTheirOrderBeforeTheGlossary() {
        String sheet = new String(BenchmarkReports.reviewSheet(model(List.of(), MOVEMENTS)), StandardCharsets.UTF_8);
        assertTrue(sheet.contains("\n## Largest category movements since the previous night\n\n"
                + "- LAGGING -> CRM_ONLY: 6 rows, 412,000.00 USD\n"
                + "- (new) -> AMOUNT_MISMATCH: 1 row, 500.50 USD\n\n## Glossary"), sheet);
    }

    @Test
    void withoutMovementsThereIsNoSection() {
        String sheet = new String(BenchmarkReports.reviewSheet(model(List.of(), List.of())), StandardCharsets.UTF_8);
        assertFalse(sheet.contains("category movements"));
        Document page = Jsoup.parse(new String(ReportPages.report(model(List.of(), List.of())), StandardCharsets.UTF_8));
        assertTrue(page.select("table#movements").isEmpty());
    }

    @Test
    void thePageShowsTheSameMovementsAndTheWarnings() {
        ReportModel m = model(List.of("no lead event in the 40 days before 2026-03-31"), MOVEMENTS);
        Document page = Jsoup.parse(new String(ReportPages.report(m), StandardCharsets.UTF_8));
        // 412,000.00 and 500.50: the amounts of the two movements, formatted with thousands separators.
        assertTrue(page.select("table#movements tbody tr").size() == 2);
        assertTrue(page.select("table#movements td.amount").get(0).text().equals("412,000.00"));
        assertTrue(page.select("table#movements td.amount").get(1).text().equals("500.50"));
        assertTrue(page.selectFirst("section#summary p.warning").text()
                .contains("no lead event in the 40 days before 2026-03-31"));
        String sheet = new String(BenchmarkReports.reviewSheet(m), StandardCharsets.UTF_8);
        assertTrue(sheet.contains("**Warning:** no lead event in the 40 days before 2026-03-31."), sheet);
    }
}
