package dev.handshake.source;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import dev.handshake.AuditException;
import dev.handshake.config.AuditConfig.TableMapping;
import dev.handshake.config.ColumnSource;
import dev.handshake.model.CanonicalTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Canonical columns given by value or expression ({@code columns: {stage_name: {value: Won}}})
 * added to a raw table as columns of their own ({@link TableMapping#DERIVED}), which the contract
 * then reads like any source column: a value that does not parse is quarantined as usual. Each
 * expression is resolved against the table's columns here, when the table is first read, so a
 * wrong name stops the run before any table is checked.
 */
public final class DerivedColumns {
    private DerivedColumns() {}

    public static Dataset<Row> apply(CanonicalTable table, TableMapping mapping, Dataset<Row> raw) {
        if (mapping.derived().isEmpty()) {
            return raw;
        }
        List<Column> out = new ArrayList<>();
        out.add(col("*"));
        for (Map.Entry<String, ColumnSource> e : mapping.derived().entrySet()) {
            Column value;
            if (e.getValue() instanceof ColumnSource.Constant c) {
                value = lit(c.value());
            } else if (e.getValue() instanceof ColumnSource.Expression x) {
                value = resolved(table, e.getKey(), x.sql(), raw);
            } else {
                throw new IllegalStateException("a rename is not derived: " + e.getValue());
            }
            out.add(value.as(TableMapping.DERIVED + e.getKey()));
        }
        return raw.select(out.toArray(Column[]::new));
    }

    /** The expression, checked against the raw table: one sentence naming the table and key if wrong. */
    private static Column resolved(CanonicalTable table, String column, String sql, Dataset<Row> raw) {
        String key = "source.tables." + table.tableName() + ".columns." + column + ".expr";
        Column value = expr(sql);
        try {
            // Analysed at once (no job runs): an unknown column or function fails here.
            raw.select(col("*"), value);
        } catch (Exception e) {
            // AnalysisException is checked in Java's eyes but undeclared in Scala; anything else is a bug.
            if (!(e instanceof AnalysisException analysis)) {
                throw e;
            }
            String unknown = analysis.getMessageParameters().getOrDefault("objectName",
                    analysis.getMessageParameters().getOrDefault("routineName", ""));
            throw AuditException.config(key, (unknown.isEmpty()
                            ? "'" + sql + "' cannot be computed over the columns of table " + table.tableName()
                            : "'" + sql + "' names " + unknown + ", which table " + table.tableName() + " does not have"),
                    "use the table's own columns: " + String.join(", ", Arrays.stream(raw.columns())
                            .filter(c -> !c.startsWith("_")).toList()));
        }
        return value;
    }
}
