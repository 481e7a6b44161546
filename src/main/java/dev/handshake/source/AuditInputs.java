package dev.handshake.source;

import dev.handshake.AuditException;
import dev.handshake.model.CanonicalTable;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The contract-checked input tables of a run, with canonical columns; optional ones may be absent. */
public record AuditInputs(Map<CanonicalTable, Dataset<Row>> tables) {
    public AuditInputs {
        tables = Map.copyOf(new EnumMap<>(tables));
    }

    /** A table every audit may rely on (the loader refuses a run without it). */
    public Dataset<Row> table(CanonicalTable table) {
        Dataset<Row> rows = tables.get(table);
        if (rows == null) {
            throw new AuditException(AuditException.Code.INPUT_CONTRACT,
                    "required table " + table.tableName() + " is absent");
        }
        return rows;
    }

    /** The same inputs with one table replaced (a derived column added, say). */
    public AuditInputs with(CanonicalTable table, Dataset<Row> rows) {
        Map<CanonicalTable, Dataset<Row>> copy = new EnumMap<>(tables);
        copy.put(table, rows);
        return new AuditInputs(copy);
    }

    public Optional<Dataset<Row>> optional(CanonicalTable table) {
        return Optional.ofNullable(tables.get(table));
    }
}
