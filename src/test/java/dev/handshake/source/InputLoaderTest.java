package dev.handshake.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.Steps;
import dev.handshake.config.AuditConfig.FileFormat;
import dev.handshake.config.AuditConfig.SourceSettings;
import dev.handshake.config.AuditConfig.SourceType;
import dev.handshake.model.CanonicalTable;
import dev.handshake.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.execution.LogicalRDD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table read once is checked without keeping its accepted rows; that must change no count, no
 * accepted row and no quarantined row, and a table whose key repeats must still be kept.
 */
class InputLoaderTest {
    @TempDir
    Path dir;

    private static final Set<CanonicalTable> ALL = EnumSet.allOf(CanonicalTable.class);

    private void write(String table, String csv) throws Exception {
        Files.createDirectories(dir.resolve(table));
        Files.writeString(dir.resolve(table).resolve("part-0.csv"), csv);
    }

    private void fixture() throws Exception {
        // Unkeyed: 4 rows, one without changed_at, one without status.
        write("lead_status_history", "lead_id,status,changed_at,changed_by\n"
                + "L1,New,2026-01-05T10:00:00Z,U1\n"
                + "L1,Working,2026-01-06T10:00:00Z,U1\n"
                + "L2,New,,U1\n"
                + "L2,,2026-01-06T10:00:00Z,U1\n");
        // Keyed, no key twice: 4 rows, one without activity_at.
        write("activities", "activity_id,lead_id,opportunity_id,owner_id,activity_at,activity_type\n"
                + "A1,L1,,U1,2026-01-05T11:00:00Z,call\n"
                + "A2,L1,,U1,2026-01-05T12:00:00Z,email\n"
                + "A3,L2,,U1,,call\n"
                + "A4,L2,,U2,2026-01-07T09:00:00Z,call\n");
        // Keyed, a key twice with different values: both copies rejected, so the key check is kept.
        write("campaign_touches", "touch_id,campaign_id,lead_id,opportunity_id,touched_at,touch_type\n"
                + "T1,C1,L1,,2026-01-04T10:00:00Z,webinar\n"
                + "T2,C1,L2,,2026-01-04T10:00:00Z,webinar\n"
                + "T2,C1,L2,,2026-01-04T11:00:00Z,webinar\n");
        // Keyed, every row rejected: no accepted row at all.
        write("campaigns", "campaign_id,name,channel\n,Spring,paid\n");
        // Leads with deleted rows, counted apart; one without created_at; an identical copy of the
        // deleted lead, so the deleted rows are counted after the key check drops the copy.
        write("leads", "lead_id,created_at,is_deleted\n"
                + "L1,2026-01-05T10:00:00Z,false\n"
                + "L2,2026-01-05T10:00:00Z,true\n"
                + "L3,,false\n"
                + "L2,2026-01-05T10:00:00Z,true\n");
        // Keyed, no key twice, one deleted row: read once, its deleted row is counted by the
        // same aggregate that finds no key repeats; a deleted row without created_at is
        // quarantined, and not counted as deleted.
        write("opportunities", "opportunity_id,created_at,is_deleted\n"
                + "O1,2026-01-05T10:00:00Z,true\n"
                + "O2,2026-01-06T10:00:00Z,false\n"
                + "O3,,true\n");
        write("opportunity_history", "opportunity_id,stage_name,changed_at\n");
        // Keyed, an identical copy: one is kept, the copy quarantined.
        write("users", "user_id,role\nU1,SDR\nU1,SDR\n");
        write("bookings", "booking_id,booking_date,amount\n");
    }

    private InputLoader.Loaded load(boolean rereadable, Set<CanonicalTable> readOnce) {
        SourceSettings settings = new SourceSettings(SourceType.LOCAL, dir, FileFormat.CSV, Map.of());
        LocalFileSource files = new LocalFileSource(SharedSpark.get(), settings);
        TableSource source = new TableSource() {
            @Override
            public Optional<Dataset<Row>> read(CanonicalTable table) {
                return files.read(table);
            }

            @Override
            public String describe(CanonicalTable table) {
                return files.describe(table);
            }

            @Override
            public boolean rereadable() {
                return rereadable;
            }
        };
        return InputLoader.load(source, settings, new Steps(), readOnce);
    }

    private static Map<String, TableCount> counts(InputLoader.Loaded loaded) {
        return loaded.counts().stream().collect(Collectors.toMap(TableCount::table, c -> c));
    }

    private static List<String> sorted(Dataset<Row> rows) {
        return rows.collectAsList().stream().map(Row::toString).sorted().toList();
    }

    private static boolean kept(InputLoader.Loaded loaded, CanonicalTable table) {
        return loaded.inputs().table(table).queryExecution().logical() instanceof LogicalRDD;
    }

    @Test
    void tablesReadOnceGiveTheSameCountsRowsAndQuarantineAsKeptTables() throws Exception {
        fixture();
        InputLoader.Loaded keptAll = load(true, Set.of());
        InputLoader.Loaded readOnce = load(true, ALL);
        try {
            Map<String, TableCount> k = counts(keptAll);
            Map<String, TableCount> r = counts(readOnce);
            // Counted by hand from the fixture: read, accepted, quarantined, deleted.
            assertCounts(r.get("lead_status_history"), 4, 2, 2, 0);
            assertCounts(r.get("activities"), 4, 3, 1, 0);
            assertCounts(r.get("campaign_touches"), 3, 1, 2, 0);
            assertCounts(r.get("campaigns"), 1, 0, 1, 0);
            assertCounts(r.get("leads"), 4, 2, 2, 1);
            assertCounts(r.get("users"), 2, 1, 1, 0);
            assertCounts(r.get("opportunities"), 3, 2, 1, 1);
            assertCounts(r.get("bookings"), 0, 0, 0, 0);
            assertEquals(k, r);
            for (CanonicalTable t : CanonicalTable.values()) {
                Optional<Dataset<Row>> a = keptAll.inputs().optional(t);
                assertEquals(a.isPresent(), readOnce.inputs().optional(t).isPresent(), t.tableName());
                if (a.isPresent()) {
                    assertEquals(sorted(a.get()), sorted(readOnce.inputs().table(t)), t.tableName());
                }
            }
            assertEquals(sorted(keptAll.quarantine()), sorted(readOnce.quarantine()));
            assertEquals(10, readOnce.quarantine().count());

            // Which tables were kept: every one by default; read once, only those whose key repeats.
            for (CanonicalTable t : List.of(CanonicalTable.LEAD_STATUS_HISTORY, CanonicalTable.ACTIVITIES,
                    CanonicalTable.CAMPAIGN_TOUCHES, CanonicalTable.LEADS)) {
                assertTrue(kept(keptAll, t), t.tableName());
            }
            assertFalse(kept(readOnce, CanonicalTable.LEAD_STATUS_HISTORY));
            assertFalse(kept(readOnce, CanonicalTable.ACTIVITIES));
            assertFalse(kept(readOnce, CanonicalTable.OPPORTUNITIES));
            assertTrue(kept(readOnce, CanonicalTable.LEADS), "L2 repeats: the key check is kept");
            assertTrue(kept(readOnce, CanonicalTable.CAMPAIGN_TOUCHES), "T2 repeats: the key check is kept");
        } finally {
            keptAll.release();
            readOnce.release();
        }
    }

    @Test
    void aSourceThatCannotReadAgainKeepsEveryTable() throws Exception {
        fixture();
        InputLoader.Loaded loaded = load(false, ALL);
        try {
            assertTrue(kept(loaded, CanonicalTable.LEAD_STATUS_HISTORY));
            assertTrue(kept(loaded, CanonicalTable.ACTIVITIES));
            assertCounts(counts(loaded).get("activities"), 4, 3, 1, 0);
        } finally {
            loaded.release();
        }
    }

    @Test
    void implausibleDatesAndNegativeAmountsOutsideBookingsAreCountedAndReported() throws Exception {
        fixture();
        // O2 and O3 each have a date out of 1950..2200 (1900 created_at; 9999 close_date) and a
        // negative amount; O1 and O4 have neither. A negative booking is a reversal: not reported.
        write("opportunities", "opportunity_id,created_at,amount,close_date\n"
                + "O1,2026-01-05T10:00:00Z,100,2026-03-01\n"
                + "O2,1900-01-01T00:00:00Z,-5,2026-03-01\n"
                + "O3,2026-01-06T10:00:00Z,-1,9999-12-31\n"
                + "O4,2026-01-06T10:00:00Z,10,\n");
        write("bookings", "booking_id,booking_date,amount\nB1,2026-01-05,-100\n");
        List<InputLoader.InputNote> expected = List.of(
                new InputLoader.InputNote("opportunities",
                        "2 accepted row(s) with a date before 1950 or after 2200 in created_at, close_date"),
                new InputLoader.InputNote("opportunities", "2 accepted row(s) with a negative amount"));
        for (Set<CanonicalTable> readOnce : List.of(Set.<CanonicalTable>of(), ALL)) {
            InputLoader.Loaded loaded = load(true, readOnce);
            try {
                assertEquals(expected, loaded.notes(), "read once: " + !readOnce.isEmpty());
                assertCounts(counts(loaded).get("opportunities"), 4, 4, 0, 0);
            } finally {
                loaded.release();
            }
        }
    }

    private static void assertCounts(TableCount c, long read, long accepted, long quarantined, long deleted) {
        assertEquals(List.of(read, accepted, quarantined, deleted),
                List.of(c.rowsRead(), c.rowsAccepted(), c.rowsQuarantined(), c.rowsDeleted()), c.table());
    }
}
