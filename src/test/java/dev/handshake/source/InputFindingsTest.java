package dev.handshake.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.handshake.Steps;
import dev.handshake.config.AuditConfig;
import dev.handshake.config.ConfigLoader;
import dev.handshake.testing.CsvExport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What validate prints about an export shaped like a real one (a CRM's own labels, European dates,
 * a truncated line): every problem of every table at once, with rows and example values, and every
 * label no mapping knows, most frequent first.
 */
class InputFindingsTest {
    @TempDir
    Path dir;

    @Test
    void everyProblemAndUnmappedLabelIsListedWithRowsAndExamples() throws Exception {
        // leads: 7 rows. L3 and L4 carry day-first dates; L5 has no created_at; L6 is a line cut
        // short (two fields); statuses "Nurture" (x2) and "Recycled" (x1) are in no mapping.
        CsvExport export = new CsvExport(dir);
        export.write("leads", "lead_id,created_at,status\n"
                + "L1,2026-01-05T10:00:00Z,New\n"
                + "L2,2026-01-05T10:00:00Z,Nurture\n"
                + "L3,15/01/2026,New\n"
                + "L4,16/01/2026,Working\n"
                + "L5,,Nurture\n"
                + "L6,2026-01-05T10:00:00Z\n"
                + "L7,2026-01-07T10:00:00Z,Recycled\n");
        // opportunities: 6 rows. O2 and O3 have the same amount that is no number; stages
        // "Closed Won" and "Negotiation" are mapped, "Verbal Commit" (x2) and "On Hold" are not.
        export.write("opportunities", "opportunity_id,created_at,stage_name,amount\n"
                + "O1,2026-01-05T10:00:00Z,Closed Won,100.00\n"
                + "O2,2026-01-05T10:00:00Z,Negotiation,n/a\n"
                + "O3,2026-01-05T10:00:00Z,Verbal Commit,n/a\n"
                + "O4,2026-01-05T10:00:00Z,Verbal Commit,5.00\n"
                + "O5,2026-01-05T10:00:00Z,On Hold,7.00\n"
                + "O6,2026-01-05T10:00:00Z,Closed Won,8.00\n");
        Path yaml = dir.resolve("c.yaml");
        Files.writeString(yaml, "source:\n  root: " + dir + "\n  format: csv\n"
                + "stage_mapping:\n"
                + "  lead_status:\n    MQL: [New]\n    SAL: [Working]\n"
                + "  opportunity_stage:\n    OPPORTUNITY: [Negotiation]\n    WON: [Closed Won]\n");
        AuditConfig config = ConfigLoader.load(yaml);
        InputLoader.Loaded loaded = InputLoader.load(export.source(), export.settings(), new Steps());
        try {
            assertEquals(List.of(
                    "leads: invalid timestamp: created_at" + tried(loaded) + ": 2 row(s), e.g. '15/01/2026', '16/01/2026'",
                    "leads: malformed line: wrong number of fields or broken quoting: 1 row(s), e.g. 'L6,2026-01-05T10:00:00Z'",
                    "leads: missing required value: created_at: 1 row(s)",
                    "opportunities: invalid decimal: amount" + triedDecimal(loaded) + ": 2 row(s), e.g. 'n/a'"),
                    InputFindings.lines(InputFindings.problems(loaded.quarantine()).collectAsList()));
            // Accepted rows only: L3-L6 and O2-O3 are in quarantine, so their labels are not counted.
            assertEquals(List.of(
                    "leads: unmapped label in status: add it to stage_mapping.lead_status: 2 row(s), e.g. 'Nurture', 'Recycled'",
                    "opportunities: unmapped label in stage_name: add it to stage_mapping.opportunity_stage: 2 row(s),"
                            + " e.g. 'On Hold', 'Verbal Commit'"),
                    InputFindings.lines(InputFindings.unmappedLabels(loaded.inputs(), InputFindings.labelColumns(config))
                            .orElseThrow().collectAsList()));
        } finally {
            loaded.release();
        }
    }

    /** The formats the reader tried, as the contract states them after the column name. */
    private static String tried(InputLoader.Loaded loaded) {
        return reasonSuffix(loaded, "invalid timestamp: created_at");
    }

    private static String triedDecimal(InputLoader.Loaded loaded) {
        return reasonSuffix(loaded, "invalid decimal: amount");
    }

    private static String reasonSuffix(InputLoader.Loaded loaded, String start) {
        for (org.apache.spark.sql.Row r : loaded.quarantine().select(Quarantine.REASON).collectAsList()) {
            for (String part : r.getString(0).split("; ")) {
                if (part.startsWith(start)) {
                    return part.substring(start.length());
                }
            }
        }
        return "(no such reason)";
    }
}
