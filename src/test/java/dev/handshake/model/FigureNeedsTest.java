package dev.handshake.model;

import static dev.handshake.model.CanonicalTable.BOOKINGS;
import static dev.handshake.model.CanonicalTable.LEADS;
import static dev.handshake.model.CanonicalTable.OPPORTUNITIES;
import static dev.handshake.model.CanonicalTable.OPPORTUNITY_HISTORY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FigureNeedsTest {
    /** The docs' table is the code's: one definition of what each figure needs. */
    @Test
    void theCoveragePageShowsTheCodesTable() throws Exception {
        String page = Files.readString(Path.of("docs/coverage.md"));
        assertTrue(page.contains(FigureNeeds.markdownTable()),
                "docs/coverage.md must hold FigureNeeds.markdownTable() as it is:\n" + FigureNeeds.markdownTable());
    }

    /**
     * An opportunity-only export (opportunities and their history): the lead figures (stage
     * consistency among them), the finance figures and the optional enrichments are not measurable;
     * the CRM side, opportunity handoffs and workflows (on opportunities) are.
     */
    @Test
    void anOpportunityOnlyExportCannotMeasureTheLeadAndFinanceFigures() {
        Set<CanonicalTable> given = EnumSet.of(OPPORTUNITIES, OPPORTUNITY_HISTORY);
        assertTrue(FigureNeeds.CRM_SIDE.measurableWith(given));
        assertTrue(FigureNeeds.WORKFLOWS.measurableWith(given), "workflows read opportunities without leads");
        assertFalse(FigureNeeds.STAGE_CONSISTENCY.measurableWith(given), "a lead measure");
        assertTrue(FigureNeeds.OPPORTUNITY_HANDOFFS.measurableWith(given));
        assertFalse(FigureNeeds.FUNNEL.measurableWith(given));
        assertFalse(FigureNeeds.CAPTURE_LINKAGE.measurableWith(given), "needs leads and opportunities");
        assertFalse(FigureNeeds.FINANCE_RECONCILIATION.measurableWith(given));
        List<String> lines = FigureNeeds.notMeasurable(given);
        assertEquals(FigureNeeds.values().length - 3, lines.size(), String.join("\n", lines));
        assertTrue(lines.contains("reconciliation category, lag_days, CRM-to-finance bridge, finance-safe metrics,"
                + " break ledger, restatements: needs opportunities and bookings; without it: category null and"
                + " note = not measured: no bookings table; the CRM-to-finance bridge, break ledger and"
                + " restatements are not written; finance steps and finance-safe values are null"), String.join("\n", lines));
    }

    @Test
    void everyInputGivenLeavesNothingUnmeasurable() {
        assertEquals(List.of(), FigureNeeds.notMeasurable(EnumSet.allOf(CanonicalTable.class)));
        Set<CanonicalTable> leadsAndBookings = EnumSet.of(LEADS, BOOKINGS);
        assertTrue(FigureNeeds.STAGE_CONSISTENCY.measurableWith(leadsAndBookings));
        assertFalse(FigureNeeds.FINANCE_RECONCILIATION.measurableWith(leadsAndBookings), "no won deal without opportunities");
    }
}
