package dev.handshake.sample;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.model.CanonicalTable;
import dev.handshake.model.ColumnSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;

class SampleTablesTest {
    private final SampleFixture.Generated sample = SampleFixture.main();
    private final Manifest manifest = sample.manifest();

    @Test
    void everyCanonicalTableHasExactlyItsColumnsAndTypes() {
        for (CanonicalTable t : CanonicalTable.values()) {
            StructField[] written = SampleQueries.table(sample, t).schema().fields();
            StructField[] expected = t.schema().fields();
            assertEquals(expected.length, written.length, t.tableName());
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i].name(), written[i].name(), t.tableName());
                assertEquals(expected[i].dataType(), written[i].dataType(), t.tableName() + "." + expected[i].name());
            }
        }
    }

    @Test
    void manifestRowsAndFilesMatchTheWrittenTables() throws IOException {
        assertEquals(CanonicalTable.values().length, manifest.tables().size());
        for (CanonicalTable t : CanonicalTable.values()) {
            Manifest.TableStats stats = manifest.tables().get(t.tableName());
            assertEquals(SampleQueries.table(sample, t).count(), stats.rows(), t.tableName());
            try (Stream<java.nio.file.Path> files = Files.list(sample.table(t.tableName()))) {
                assertEquals(files.count(), stats.files(), t.tableName());
            }
            assertTrue(stats.rows() > 0, t.tableName());
        }
    }

    @Test
    void leadRowsAreNPlusOneRowPerPlantedDuplicateKey() {
        long rows = SampleQueries.table(sample, CanonicalTable.LEADS).count();
        long duplicates = manifest.count("leads.duplicate_key_ids");
        assertEquals(SampleFixture.LEADS + duplicates, rows);
        // Kinds are exact per block of 1000 ids, so the plants scale linearly with N.
        assertEquals(LeadKind.DUPLICATE_KEY.perMille * SampleFixture.LEADS / 1000, duplicates);
        assertEquals(LeadKind.DELETED.perMille * SampleFixture.LEADS / 1000, manifest.count("leads.deleted"));
        assertEquals(SampleFixture.LEADS, manifest.count("leads.cohort") + manifest.count("leads.deleted")
                + manifest.count("leads.pre_window") + manifest.count("leads.created_after_as_of")
                + manifest.count("leads.quarantine_bound"));
    }

    /**
     * For each table: rows with a null required column, and rows sharing a key that occurs more than
     * once, counted here by plain queries, against the manifest's expected quarantine per reason.
     */
    @Test
    void quarantineExpectationsAreTheRowsBreakingTheContract() {
        for (CanonicalTable t : CanonicalTable.values()) {
            Dataset<Row> df = SampleQueries.table(sample, t);
            Map<String, Long> actual = new TreeMap<>();
            Column anyNull = lit(false);
            for (ColumnSpec c : t.columns()) {
                if (c.required()) {
                    long nulls = df.filter(col(c.name()).isNull()).count();
                    if (nulls > 0) {
                        actual.put("null_required." + c.name(), nulls);
                    }
                    anyNull = anyNull.or(col(c.name()).isNull());
                }
            }
            long badRows = df.filter(anyNull).count();
            if (!t.key().isEmpty()) {
                Column[] key = t.key().stream().map(k -> col(k)).toArray(Column[]::new);
                Row dup = df.filter(t.key().stream().map(k -> col(k).isNotNull()).reduce(lit(true), Column::and))
                        .groupBy(key).agg(count(lit(1)).as("n"))
                        .agg(sum(when(col("n").gt(1), col("n")).otherwise(lit(0L)))).first();
                long duplicateRows = dup.isNullAt(0) ? 0 : dup.getLong(0);
                if (duplicateRows > 0) {
                    actual.put("duplicate_key", duplicateRows);
                }
                badRows += duplicateRows;
            }
            Map<String, Long> expected = new TreeMap<>(manifest.quarantine().get(t.tableName()));
            expected.values().removeIf(v -> v == 0);
            assertEquals(expected, actual, t.tableName());
            // No row breaks two rules, so rows_read = rows_accepted + rows_quarantined holds per reason.
            assertEquals(manifest.quarantined(t.tableName()), badRows, t.tableName());
        }
        assertFalse(manifest.quarantine().get("leads").isEmpty());
        assertFalse(manifest.quarantine().get("bookings").isEmpty());
    }

    @Test
    void emailDomainIsADomainOnly() {
        long withAt = SampleQueries.table(sample, CanonicalTable.LEADS)
                .filter(col("email_domain").contains("@").or(col("email_domain").isNull())).count();
        assertEquals(0, withAt);
    }

    @Test
    void everyCountHasADefinition() {
        Map<String, String> definitions = manifest.definitions();
        List<String> undefined = manifest.counts().keySet().stream()
                .filter(k -> !definitions.containsKey(k) && !definedAsSplit(k, definitions)).toList();
        assertEquals(List.of(), undefined);
        assertEquals(1, manifest.funnel().stream().filter(c -> c.dimension().equals("all")).count());
    }

    /**
     * A per-channel or per-segment split ({@code by_channel.partner.recon.won_opportunities}) is
     * defined by its template ({@code by_channel.<channel>.<count>}) and by the count it splits.
     */
    private static boolean definedAsSplit(String key, Map<String, String> definitions) {
        for (String[] split : new String[][] {{"by_channel.", "<channel>"}, {"by_segment.", "<segment>"}}) {
            if (key.startsWith(split[0])) {
                String rest = key.substring(split[0].length());
                int dot = rest.indexOf('.');
                return dot > 0 && definitions.containsKey(split[0] + split[1] + ".<count>")
                        && definitions.containsKey(rest.substring(dot + 1));
            }
        }
        return false;
    }
}
