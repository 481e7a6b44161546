package dev.handshake.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.handshake.Steps;
import dev.handshake.config.AuditConfig;
import dev.handshake.config.ConfigLoader;
import dev.handshake.config.LabelMapping;
import dev.handshake.model.CanonicalTable;
import dev.handshake.testing.CsvExport;
import dev.handshake.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What validate prints about an export shaped like a real one (a CRM's own labels, European dates,
 * a truncated line): every problem of every table at once, with rows and example values, every
 * label no mapping knows, most frequent first, and every labelled column it could not check.
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
        // users: 2 rows with roles, and no role_mapping below.
        export.write("users", "user_id,role\nU1,SDR\nU2,Closer\n");
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
            InputFindings.LabelFindings labels = InputFindings.unmappedLabels(loaded.inputs(), loaded.columnsGiven(),
                    InputFindings.labelColumns(config));
            assertEquals(List.of(
                    "leads: unmapped label in status: add it to stage_mapping.lead_status: 2 row(s), e.g. 'Nurture', 'Recycled'",
                    "opportunities: unmapped label in stage_name: add it to stage_mapping.opportunity_stage: 2 row(s),"
                            + " e.g. 'On Hold', 'Verbal Commit'"),
                    InputFindings.lines(labels.unmapped().orElseThrow().collectAsList()));
            // Of the 7 labelled columns, leads.status and opportunities.stage_name are given and mapped:
            // checked. The other 5, each for its first reason, in the order of labelColumns:
            // lead_status_history and bookings are not in the export; opportunity_history neither,
            // though inputs holds an empty stand-in for it (a required table); the opportunities
            // file has no loss_reason column (reason_categories is unset too, but a mapping would
            // not help); users.role is given and role_mapping is not.
            assertEquals(List.of("leads.status", "opportunities.stage_name"),
                    labels.checked().stream().map(c -> c.table().tableName() + "." + c.column()).toList());
            assertEquals(List.of(
                    "  not checked: lead_status_history.status (table not given)",
                    "  not checked: opportunity_history.stage_name (table not given)",
                    "  not checked: opportunities.loss_reason (column not in the export)",
                    "  not checked: users.role (no mapping configured under role_mapping)",
                    "  not checked: bookings.status (table not given)"),
                    labels.report().subList(3, 8));
            assertEquals("unmapped labels (read as no stage, role or category; up to 5 examples, most frequent first):",
                    labels.report().get(0));
            assertEquals(8, labels.report().size());
        } finally {
            loaded.release();
        }
    }

    @Test
    void noUnmappedLabelIsClaimedOfAColumnNotChecked() {
        // leads given with lead_id and status, both statuses mapped; opportunities given without
        // stage_name (a null column in inputs, as the loader leaves it).
        LabelMapping stages = new LabelMapping(Map.of("new", "MQL", "working", "SAL"));
        InputFindings.LabelColumn leadStatus = new InputFindings.LabelColumn(CanonicalTable.LEADS, "status",
                "stage_mapping.lead_status", stages);
        InputFindings.LabelColumn opportunityStage = new InputFindings.LabelColumn(CanonicalTable.OPPORTUNITIES,
                "stage_name", "stage_mapping.opportunity_stage", stages);
        StructType schema = new StructType().add("status", DataTypes.StringType).add("stage_name", DataTypes.StringType);
        Dataset<Row> rows = SharedSpark.get().createDataFrame(
                List.of(RowFactory.create("New", null), RowFactory.create(" working ", null)), schema);
        AuditInputs inputs = new AuditInputs(Map.of(CanonicalTable.LEADS, rows, CanonicalTable.OPPORTUNITIES, rows));
        Map<CanonicalTable, Set<String>> given = Map.of(CanonicalTable.LEADS, Set.of("lead_id", "status"),
                CanonicalTable.OPPORTUNITIES, Set.of("opportunity_id"));

        // One column checked, nothing unmapped in it: "none" names how many were checked.
        assertEquals(List.of("unmapped labels: none in 1 checked column(s)",
                        "  not checked: opportunities.stage_name (column not in the export)"),
                InputFindings.unmappedLabels(inputs, given, List.of(leadStatus, opportunityStage)).report());
        // Nothing checked: never "none".
        assertEquals(List.of("unmapped labels: not checked (no labelled column given)",
                        "  not checked: opportunities.stage_name (column not in the export)"),
                InputFindings.unmappedLabels(inputs, given, List.of(opportunityStage)).report());
    }

    @Test
    void theColumnEveryContractReasonNamesIsFoundInIt() {
        // bookings, each kind of reason ContractEnforcer gives once: B1 twice alike (the copy is
        // rejected), B2 twice with different amounts (both rejected), a day-first date, no amount,
        // a field too many. Each problem shows the value of the column it names; a malformed line,
        // the line. Were a reason's column not found, its example would be the whole raw record.
        CsvExport export = new CsvExport(dir).write("bookings", "booking_id,booking_date,amount\n"
                + "B1,2026-06-01,10.00\n"
                + "B1,2026-06-01,10.00\n"
                + "B2,2026-06-02,5.00\n"
                + "B2,2026-06-02,6.00\n"
                + "B3,15/06/2026,1.00\n"
                + "B4,2026-06-04,\n"
                + "B5,2026-06-05,1.00,extra\n");
        Dataset<Row> checked = ContractEnforcer.check(CanonicalTable.BOOKINGS,
                export.source().read(CanonicalTable.BOOKINGS).orElseThrow(),
                export.settings().mapping(CanonicalTable.BOOKINGS), "test");
        assertEquals(List.of(
                        "bookings: duplicate key with conflicting values: booking_id: 2 row(s), e.g. 'B2'",
                        "bookings: duplicate key, identical copy of an accepted row: booking_id: 1 row(s), e.g. 'B1'",
                        "bookings: invalid date: booking_date: 1 row(s), e.g. '15/06/2026'",
                        "bookings: malformed line: wrong number of fields or broken quoting: 1 row(s),"
                                + " e.g. 'B5,2026-06-05,1.00,extra'",
                        // The value is absent, so no example; unfound, it would show the record.
                        "bookings: missing required value: amount: 1 row(s)"),
                InputFindings.lines(InputFindings.problems(ContractEnforcer.quarantined(CanonicalTable.BOOKINGS, checked))
                        .collectAsList()));
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
