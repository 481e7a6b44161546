package dev.handshake.sink;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.audit.ledger.CategoryMovement;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReviewSheetMovementsTest {
    private static final LocalDate AS_OF = LocalDate.parse("2026-03-31");

    @Test
    void theSheetEndsWithTheLargestMovementsInTheirOrder() {
        String sheet = new String(BenchmarkReports.reviewSheet(AS_OF, "r1", "USD", List.of(), List.of(), List.of(
                new CategoryMovement("LAGGING", "CRM_ONLY", 6, new BigDecimal("412000")),
                new CategoryMovement("(new)", "AMOUNT_MISMATCH", 1, new BigDecimal("500.5")))), StandardCharsets.UTF_8);
        assertTrue(sheet.endsWith("\n## Largest category movements since the previous night\n\n"
                + "- LAGGING -> CRM_ONLY: 6 rows, 412,000.00 USD\n"
                + "- (new) -> AMOUNT_MISMATCH: 1 row, 500.50 USD\n"), sheet);
    }

    @Test
    void withoutMovementsThereIsNoSection() {
        String sheet = new String(BenchmarkReports.reviewSheet(AS_OF, "r1", "USD", List.of(), List.of(), List.of()),
                StandardCharsets.UTF_8);
        assertFalse(sheet.contains("category movements"));
    }
}
