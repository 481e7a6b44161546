package dev.handshake.sample;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lpad;
import static org.apache.spark.sql.functions.date_from_unix_date;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.timestamp_seconds;

import dev.handshake.model.CanonicalTable;
import dev.handshake.model.ColumnSpec;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Shapes generated columns into a canonical table: exactly its columns, in order, with its types. */
final class Tables {
    private static final String KEEP = "keep_row";

    private Tables() {}

    /**
     * Selects {@code columns} as {@code table}; fails if the names differ from the table's, so a
     * misspelt column name in a builder is caught on the first run rather than by a reader.
     */
    static Dataset<Row> conform(Dataset<Row> df, CanonicalTable table, Map<String, Column> columns) {
        Set<String> expected = table.columns().stream().map(ColumnSpec::name)
                .collect(Collectors.toCollection(TreeSet::new));
        if (!expected.equals(new TreeSet<>(columns.keySet()))) {
            throw new IllegalStateException("Sample columns for " + table.tableName() + " are "
                    + new TreeSet<>(columns.keySet()) + ", expected " + expected);
        }
        return df.select(table.columns().stream()
                .map(c -> columns.get(c.name()).cast(c.type().sparkType()).as(c.name()))
                .toArray(Column[]::new));
    }

    /**
     * The rows where {@code condition} holds, for a condition on a derived plan flag. Written as an
     * explode of a zero- or one-element array rather than a filter: Spark pushes a filter down
     * through the plan's projections by substituting the flag's definition, which inlines the whole
     * derivation into one predicate (megabytes of plan, minutes of planning).
     */
    static Dataset<Row> rowsWhere(Dataset<Row> df, Column condition) {
        return df.withColumn(KEEP, explode(when(condition, array(lit(true))).otherwise(array().cast("array<boolean>"))))
                .drop(KEEP);
    }

    /**
     * An id: prefix and the zero-padded number, e.g. id("L", 9, 42) = L000000042. Cheaper than
     * format_string, which goes through java.util.Formatter for every row.
     */
    static Column id(String prefix, int width, Column number) {
        return concat(lit(prefix), lpad(number.cast("string"), width, "0"));
    }

    /** A timestamp from epoch seconds (UTC). */
    static Column ts(Column epochSeconds) {
        return timestamp_seconds(epochSeconds);
    }

    /** A date from an epoch day. */
    static Column date(Column epochDay) {
        return date_from_unix_date(epochDay.cast("int"));
    }
}
