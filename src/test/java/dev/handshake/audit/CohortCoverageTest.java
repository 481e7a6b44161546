package dev.handshake.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.model.AuditWindow;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When a night's inputs may not reach it; the day counts are worked out from the dates in each case. */
class CohortCoverageTest {
    private static final AuditWindow NIGHT = new AuditWindow(LocalDate.of(2026, 6, 30), 365);

    @Test
    void anEmptyCohortIsAWarningNamingTheWindow() {
        List<String> w = CohortCoverage.warnings(0, Optional.empty(), NIGHT);
        assertEquals(1, w.size());
        assertTrue(w.get(0).startsWith("no lead was created in the 365 days up to as_of 2026-06-30"), w.get(0));
        assertTrue(w.get(0).contains("Check --as-of"), w.get(0));
    }

    @Test
    void aNewestEventFourDaysBeforeAsOfIsAWarningThreeDaysIsAWeekend() {
        // 2026-06-26 to 2026-06-30 is 4 days: more than the 3 days a long weekend may lack events.
        List<String> w = CohortCoverage.warnings(10, Optional.of(LocalDate.of(2026, 6, 26)), NIGHT);
        assertEquals(List.of("the newest lead event in the inputs is on 2026-06-26, 4 days before as_of 2026-06-30,"
                + " so the inputs may end before this night. Check --as-of, or whether the export is current"), w);
        assertEquals(List.of(), CohortCoverage.warnings(10, Optional.of(LocalDate.of(2026, 6, 27)), NIGHT));
        assertEquals(List.of(), CohortCoverage.warnings(10, Optional.of(LocalDate.of(2026, 6, 30)), NIGHT));
    }

    @Test
    void aNightMonthsAfterTheInputsIsNamedWithItsDistance() {
        // Inputs ending 2026-03-31, audited for 2026-06-30 (yesterday by default): 91 days.
        List<String> w = CohortCoverage.warnings(5, Optional.of(LocalDate.of(2026, 3, 31)), NIGHT);
        assertTrue(w.get(0).contains("2026-03-31, 91 days before as_of 2026-06-30"), w.get(0));
    }
}
